package prefs

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tempConfig points appdirs.Config() at a fresh folder and returns the file's path.
func tempConfig(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", base)
	t.Setenv("AppData", base)
	t.Setenv("HOME", base)
	path, err := Path()
	if err != nil {
		t.Fatal(err)
	}
	return path
}

func TestMissingFileGivesDefaults(t *testing.T) {
	tempConfig(t)
	p, err := Load()
	if err != nil || p != Defaults() {
		t.Fatalf("Load() = %+v, %v; want the defaults and no error", p, err)
	}
	if p.CheckInterval != 5*time.Minute || p.MetricsAddr() != "" {
		t.Errorf("defaults: interval %v, metrics %q; want 5m and off", p.CheckInterval, p.MetricsAddr())
	}
}

func TestSaveThenLoad(t *testing.T) {
	path := tempConfig(t)
	want := Prefs{CheckInterval: 90 * time.Second, Stream: true, Language: "zh", MetricsPort: 9464, Autostart: true}
	if err := Save(want); err != nil {
		t.Fatal(err)
	}
	got, err := Load()
	if err != nil || got != want {
		t.Fatalf("Load() = %+v, %v; want %+v", got, err, want)
	}
	if got.MetricsAddr() != "127.0.0.1:9464" {
		t.Errorf("MetricsAddr = %q", got.MetricsAddr())
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"check_interval": "1m30s"`) {
		t.Errorf("the file does not hold a readable interval:\n%s", b)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm()&0o077 != 0 {
		t.Errorf("config.json has mode %v; want owner-only", info.Mode())
	}
}

func TestBrokenFiles(t *testing.T) {
	def := Defaults()
	for _, tc := range []struct {
		name, body string
		want       Prefs
		errHas     string
	}{
		{"empty", "", def, "not valid JSON"},
		{"trailing comma", `{"stream": true,}`, def, "not valid JSON"},
		{"wrong type", `{"stream": "yes"}`, def, "not valid JSON"},
		{"binary", "\x00\xff\xfe", def, "not valid JSON"},
		{"bad duration", `{"check_interval": "soon", "stream": true}`, Prefs{CheckInterval: def.CheckInterval, Stream: true}, `"soon" is not a duration`},
		{"too short", `{"check_interval": "1s", "autostart": true}`, Prefs{CheckInterval: def.CheckInterval, Autostart: true}, "not between"},
		{"bad port", `{"metrics_port": 70000, "language": "zh"}`, Prefs{CheckInterval: def.CheckInterval, Language: "zh"}, "not a port"},
		{"bad language", `{"language": "klingon", "metrics_port": 9000}`, Prefs{CheckInterval: def.CheckInterval, MetricsPort: 9000}, "klingon"},
		{"unknown keys are ignored", `{"check_interval": "10m", "future": 1}`, Prefs{CheckInterval: 10 * time.Minute}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tempConfig(t)
			os.MkdirAll(filepath.Dir(path), 0o700)
			os.WriteFile(path, []byte(tc.body), 0o600)
			got, err := Load()
			if got != tc.want {
				t.Errorf("Load() = %+v, want %+v", got, tc.want)
			}
			switch {
			case tc.errHas == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.errHas != "" && (err == nil || !strings.Contains(err.Error(), tc.errHas) || !strings.Contains(err.Error(), path)):
				t.Errorf("error %v; want one naming the file and saying %q", err, tc.errHas)
			}
		})
	}
}

func TestSaveRefusesValuesOutOfRange(t *testing.T) {
	path := tempConfig(t)
	for _, p := range []Prefs{
		{CheckInterval: time.Second},
		{CheckInterval: time.Minute, MetricsPort: -1},
		{CheckInterval: time.Minute, Language: "fr"},
	} {
		if err := Save(p); err == nil {
			t.Errorf("Save(%+v) succeeded; want a refusal", p)
		}
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("a refused Save wrote the file")
	}
}

func TestSaveKeepsADamagedFile(t *testing.T) {
	path := tempConfig(t)
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, []byte(`{"check_interval": "10m",`), 0o600)
	if err := Save(Defaults()); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path + ".damaged"); err != nil || string(b) != `{"check_interval": "10m",` {
		t.Errorf("the damaged file was not kept: %q, %v", b, err)
	}
	if _, err := Load(); err != nil {
		t.Errorf("Load after Save: %v", err)
	}
}

// FuzzParse feeds the parser any bytes: it never panics, and what it returns
// is always in range, so Save accepts it.
func FuzzParse(f *testing.F) {
	for _, seed := range []string{"", "{}", `{"check_interval":"5m","stream":true,"language":"zh","metrics_port":9464,"autostart":true}`,
		`{"check_interval":"-1h"}`, `{"metrics_port":-5}`, `{"language":"\u0000"}`, `[1,2]`, `{"check_interval":"9999999h"}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, _ := parse(b, "config.json")
		if problems := p.check(); len(problems) > 0 {
			t.Fatalf("parse(%q) = %+v, out of range: %v", b, p, problems)
		}
	})
}

func TestMetricsAddress(t *testing.T) {
	path := tempConfig(t)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file, addr, problem string
	}{
		{`{"metrics_port": 9464}`, "127.0.0.1:9464", ""},
		{`{"metrics_port": 9464, "metrics_address": "0.0.0.0"}`, "0.0.0.0:9464", ""},
		{`{"metrics_port": 9464, "metrics_address": "::"}`, "[::]:9464", ""},
		{`{"metrics_port": 9464, "metrics_address": "192.168.1.20"}`, "192.168.1.20:9464", ""},
		{`{"metrics_port": 9464, "metrics_address": "my-laptop.lan"}`, "127.0.0.1:9464", `metrics_address "my-laptop.lan" is not an IP address`},
		{`{"metrics_address": "0.0.0.0"}`, "", ""},
	} {
		if err := os.WriteFile(path, []byte(c.file), 0o600); err != nil {
			t.Fatal(err)
		}
		p, err := Load()
		if got := p.MetricsAddr(); got != c.addr {
			t.Errorf("%s: MetricsAddr() = %q; want %q", c.file, got, c.addr)
		}
		if c.problem == "" && err != nil || c.problem != "" && (err == nil || !strings.Contains(err.Error(), c.problem)) {
			t.Errorf("%s: error %v; want one saying %q", c.file, err, c.problem)
		}
	}
	if err := Save(Prefs{CheckInterval: time.Minute, MetricsPort: 1, MetricsAddress: "example.com"}); err == nil {
		t.Error("Save accepted a host name as the metrics address")
	}
	want := Prefs{CheckInterval: time.Minute, MetricsPort: 9464, MetricsAddress: "::1", NoUpdateCheck: true, StatusPage: true, NoTranscripts: true}
	if err := Save(want); err != nil {
		t.Fatal(err)
	}
	if got, err := Load(); err != nil || got != want {
		t.Errorf("Load() = %+v, %v; want %+v", got, err, want)
	}
	b, _ := os.ReadFile(path)
	if !strings.Contains(string(b), `"no_update_check": true`) || !strings.Contains(string(b), `"metrics_address": "::1"`) || !strings.Contains(string(b), `"no_transcripts": true`) {
		t.Errorf("the file lacks the new preferences:\n%s", b)
	}
}
