//go:build !windows

package autostart

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func tempHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "cfg"))
	return home
}

func TestEnableDisable(t *testing.T) {
	home := tempHome(t)
	argv := []string{"/opt/Claude Medic/claudemedic", "tray"}
	for _, tc := range []struct {
		goos, path string
		has        []string
	}{
		{"linux", filepath.Join(home, "cfg", "autostart", "claudemedic.desktop"),
			[]string{"[Desktop Entry]\n", "Type=Application\n", `Exec="/opt/Claude Medic/claudemedic" tray` + "\n"}},
		{"darwin", filepath.Join(home, "Library", "LaunchAgents", "com.claudemedic.tray.plist"),
			[]string{"<string>/opt/Claude Medic/claudemedic</string>", "<string>tray</string>", "<key>RunAtLoad</key>\n\t<true/>"}},
	} {
		t.Run(tc.goos, func(t *testing.T) {
			if on, err := enabled(tc.goos); on || err != nil {
				t.Fatalf("enabled before Enable: %v, %v", on, err)
			}
			if err := enable(tc.goos, argv); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range tc.has {
				if !strings.Contains(string(b), h) {
					t.Errorf("%s lacks %q:\n%s", tc.path, h, b)
				}
			}
			if on, err := enabled(tc.goos); !on || err != nil {
				t.Errorf("enabled after Enable: %v, %v", on, err)
			}
			if err := enable(tc.goos, argv); err != nil { // again: replaces, no error
				t.Fatal(err)
			}
			if err := disable(tc.goos); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(tc.path); !os.IsNotExist(err) {
				t.Errorf("%s still exists after Disable", tc.path)
			}
			if err := disable(tc.goos); err != nil {
				t.Errorf("Disable when off: %v", err)
			}
		})
	}
}

func TestSet(t *testing.T) {
	tempHome(t)
	if err := Set(true, []string{"/bin/claudemedic", "tray"}); err != nil {
		t.Fatal(err)
	}
	if on, _ := Enabled(); !on {
		t.Error("Set(true) did not enable")
	}
	if err := Set(false, nil); err != nil {
		t.Fatal(err)
	}
	if on, _ := Enabled(); on {
		t.Error("Set(false) did not disable")
	}
	if err := Enable(nil); err == nil {
		t.Error("Enable with no program succeeded")
	}
}

func TestQuoteExec(t *testing.T) {
	for in, want := range map[string]string{
		"/usr/bin/claudemedic": "/usr/bin/claudemedic",
		"/a b/c":               `"/a b/c"`,
		`/a$b`:                 `"/a\\$b"`,
		`/a"b c`:               `"/a\\"b c"`,
		`/100%/x`:              `/100%%/x`,
		"":                     `""`,
	} {
		if got := quoteExec(in); got != want {
			t.Errorf("quoteExec(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestLaunchAgentIsValidXML(t *testing.T) {
	p := launchAgent([]string{"/Applications/A&B <x>.app/Contents/MacOS/claudemedic", "tray"})
	d := xml.NewDecoder(strings.NewReader(p))
	d.Strict = true
	var texts []string
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if c, ok := tok.(xml.CharData); ok && strings.TrimSpace(string(c)) != "" {
			texts = append(texts, string(c))
		}
	}
	if !strings.Contains(strings.Join(texts, "|"), "/Applications/A&B <x>.app/Contents/MacOS/claudemedic|tray") {
		t.Errorf("the program did not survive escaping: %q", texts)
	}
}
