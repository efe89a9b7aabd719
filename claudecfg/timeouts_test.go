package claudecfg

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
)

func TestP95(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	for _, tc := range []struct {
		in   []time.Duration
		want time.Duration
	}{
		{nil, 0},
		{ms(7), 7 * time.Millisecond},
		{ms(5, 1, 4, 2, 3), 5 * time.Millisecond},
		{ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), 19 * time.Millisecond},
	} {
		if got := P95(tc.in); got != tc.want {
			t.Errorf("P95(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestSuggestTimeout(t *testing.T) {
	s := func(fb, st time.Duration) Sample { return Sample{FirstByte: fb, Stream: st, OK: true} }
	for _, tc := range []struct {
		name    string
		samples []Sample
		current time.Duration
		wantMS  int64
		change  bool
		explain string
	}{
		{"a fast network keeps the default", []Sample{s(300*time.Millisecond, 0), s(400*time.Millisecond, 2*time.Second)}, 0, 600000, false, "already covers"},
		{"a slow relay: 10 min + 3 x 45 s, rounded up", []Sample{s(20*time.Second, 0), s(45*time.Second, 0), s(30*time.Second, 0)}, 0, 780000, true, "raise API_TIMEOUT_MS to 780000"},
		{"the stream counts when slower", []Sample{s(time.Second, 100*time.Second)}, 0, 900000, true, "for a whole streamed answer"},
		{"a current value that is high enough", []Sample{s(45*time.Second, 0)}, 50 * time.Minute, 780000, false, "is enough"},
		{"failures are not counted", []Sample{s(45*time.Second, 0), {OK: false}}, 0, 780000, true, "1 runs failed"},
		{"capped at the timer limit", []Sample{s(1000*time.Hour, 0)}, 0, 2147483647, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SuggestTimeout(tc.samples, tc.current)
			if err != nil {
				t.Fatal(err)
			}
			if got.APITimeoutMS != tc.wantMS || got.Change != tc.change {
				t.Errorf("got %d (change %v), want %d (change %v)", got.APITimeoutMS, got.Change, tc.wantMS, tc.change)
			}
			if !strings.Contains(got.Explanation.EN, tc.explain) || got.Explanation.ZH == "" {
				t.Errorf("explanation %q lacks %q", got.Explanation.EN, tc.explain)
			}
			if claudesettings.CheckValue(claudesettings.VarAPITimeout, strconv.FormatInt(got.APITimeoutMS, 10)) != nil {
				t.Errorf("the proposal %d is out of range", got.APITimeoutMS)
			}
		})
	}
	if _, err := SuggestTimeout([]Sample{{OK: false}}, 0); !errors.Is(err, ErrNoSamples) {
		t.Errorf("all failed: %v", err)
	}
}

func TestPresetsApply(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, "{\n  \"env\": {\n    \"BASH_DEFAULT_TIMEOUT_MS\": \"999\",\n    \"OTHER\": \"x\"\n  }\n}\n")
	for _, p := range Presets {
		if _, err := EditFile(path, p.Edits()...); err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		f, _ := ReadFile(path)
		env := f.Values["env"].(map[string]any)
		for name, want := range p.Values {
			got, _ := env[name].(string)
			if got != want {
				t.Errorf("%s: %s = %q, want %q", p.Name, name, got, want)
			}
		}
		if env["OTHER"] != "x" {
			t.Errorf("%s: an unrelated variable changed", p.Name)
		}
	}
	if _, err := PresetNamed("fast"); err == nil {
		t.Error("an unknown preset was accepted")
	}
	if b, _ := os.ReadFile(path); !strings.Contains(string(b), `"OTHER": "x"`) {
		t.Errorf("file %s", b)
	}
}
