package claudecfg

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{
	"{}",
	"",
	"{\n  \"env\": {\n    \"API_TIMEOUT_MS\": \"600000\"\n  }\n}\n",
	`{"model":"opus","env":{"A":"1"},"permissions":{"allow":["Bash(ls)"]}}`,
	"{\n  \"a\": 1,\n}",
	"{\n  // comment\n  \"a\": 1\n}",
	"\xef\xbb\xbf{\"a\": [1, {\"b\": null}]}",
	`{"a": 1, "a": 2}`,
	`{"\u0065nv": {"X": "\u00e9"}}`,
	"[1]",
	"{\"a\": \"caf\xe9\"}",
	"{\r\n\t\"a\": true\r\n}",
}

// FuzzSettingsReader: the reader never panics, accepts exactly the JSON
// objects encoding/json accepts, and places every fault at a line and column
// inside the file.
func FuzzSettingsReader(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		vals, err := decodeSettings("settings.json", data)
		body := bytes.TrimPrefix(data, utf8BOM)
		var v any
		stdErr := json.Unmarshal(body, &v)
		_, isObj := v.(map[string]any)
		blank := len(trimJSONSpace(body)) == 0
		switch {
		case err == nil:
			if !blank && (stdErr != nil || !isObj) {
				t.Fatalf("accepted what encoding/json refuses (%v): %q", stdErr, data)
			}
			if vals == nil {
				t.Fatal("nil values without an error")
			}
		case blank || (stdErr == nil && isObj):
			t.Fatalf("refused a valid object: %v: %q", err, data)
		}
		var se *SyntaxError
		if errors.As(err, &se) {
			lines := bytes.Count(data, []byte("\n")) + 1
			if se.Line < 1 || se.Line > lines || se.Column < 1 || se.Column > utf8.RuneCount(data)+1 {
				t.Fatalf("fault placed at line %d, column %d of a %d-line file", se.Line, se.Column, lines)
			}
		}
	})
}

// FuzzEditOneKey: for any valid settings file, setting or removing one key
// changes that key only: every other value decodes the same.
func FuzzEditOneKey(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s), "env", "API_TIMEOUT_MS", "120000", false)
		f.Add([]byte(s), "a", "", "x", true)
	}
	f.Fuzz(func(t *testing.T, data []byte, k1, k2, value string, unset bool) {
		if _, err := decodeSettings("s", data); err != nil || !utf8.Valid(data) || k1 == "" {
			return
		}
		path := []string{k1}
		if k2 != "" {
			path = append(path, k2)
		}
		e := Set(value, path...)
		if unset {
			e = Unset(path...)
		}
		out, err := applyEdit(data, e)
		if err != nil {
			return // a path through a non-object is refused; nothing to compare
		}
		before, _ := decodeSettings("s", data)
		after, err := decodeSettings("s", out)
		if err != nil {
			t.Fatalf("the edit left invalid JSON: %v\n%q\n->\n%q", err, data, out)
		}
		if !bytes.HasPrefix(out, data[:len(data)-len(bytes.TrimPrefix(data, utf8BOM))]) {
			t.Fatal("the byte-order mark was lost")
		}
		want := expectEdit(before, path, value, unset)
		if !reflect.DeepEqual(after, want) {
			t.Fatalf("edit %v (unset %v) of\n%q\ngave\n%q", path, unset, data, out)
		}
		if again, _ := applyEdit(out, e); !bytes.Equal(again, out) {
			t.Fatalf("the edit is not idempotent:\n%q\n%q", out, again)
		}
	})
}

// expectEdit is what decoding the file should give after the edit.
func expectEdit(m map[string]any, path []string, value string, unset bool) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	if len(path) == 1 {
		if unset {
			delete(out, path[0])
		} else {
			out[path[0]] = value
		}
		return out
	}
	sub, ok := out[path[0]].(map[string]any)
	if !ok {
		if unset {
			return out
		}
		sub = map[string]any{}
	}
	out[path[0]] = expectEdit(sub, path[1:], value, unset)
	return out
}
