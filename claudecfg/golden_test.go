package claudecfg

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"claudemedic/claudesettings"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGoldenRealWorldFile edits a real-world settings.json, full of keys
// Claude Medic does not know and odd formatting: the edited keys change, and
// every other byte stays where it was.
func TestGoldenRealWorldFile(t *testing.T) {
	dir := testHome(t)
	in, err := os.ReadFile(filepath.Join("testdata", "golden", "settings.in.json"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, string(in))
	c, err := EditFile(path,
		Set("120000", "env", claudesettings.VarAPITimeout),
		Set("3", "env", claudesettings.VarMaxRetries),
		Unset("env", claudesettings.VarHTTPProxy),
		Set("/usr/local/bin/claudemedic key print", claudesettings.KeyAPIKeyHelper),
	)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(path)
	golden := filepath.Join("testdata", "golden", "settings.out.json")
	if *update {
		os.WriteFile(golden, got, 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	var keys []string
	for _, k := range c.Keys {
		keys = append(keys, k.String())
	}
	wantKeys := []string{
		"apiKeyHelper: set to /usr/local/bin/claudemedic key print",
		"env.API_TIMEOUT_MS: 600000 → 120000",
		"env.CLAUDE_CODE_MAX_RETRIES: set to 3",
		"env.HTTP_PROXY: removed (was http://10.0.0.1:3128)",
	}
	if len(keys) != len(wantKeys) {
		t.Fatalf("changes %q, want %q", keys, wantKeys)
	}
	for i := range keys {
		if keys[i] != wantKeys[i] {
			t.Errorf("change %d: %q, want %q", i, keys[i], wantKeys[i])
		}
	}
	// Every line of the input but the two edited ones is in the output, in
	// order (a comma may follow what was the last member).
	rest := got
	for _, line := range bytes.Split(in, []byte("\n")) {
		if bytes.Contains(line, []byte("HTTP_PROXY")) || bytes.Contains(line, []byte("API_TIMEOUT_MS")) || bytes.HasPrefix(line, []byte("}")) {
			continue
		}
		i := bytes.Index(rest, line)
		if i < 0 {
			t.Fatalf("line %q changed or moved", line)
		}
		rest = rest[i+len(line):]
	}
}
