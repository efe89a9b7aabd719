package keystore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHelperNeverInBuildFolder: a claudemedic built in a clone is never what
// apiKeyHelper names: the installed one is, or a copy kept in Claude Medic's
// data folder; an installed claudemedic names itself.
func TestHelperNeverInBuildFolder(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
	clone := filepath.Join(t.TempDir(), "claudemedic")
	built := filepath.Join(clone, "bin", "claudemedic")
	for path, data := range map[string]string{filepath.Join(clone, "go.mod"): "module claudemedic\n\ngo 1.26\n", built: "#!/bin/sh\n"} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	got, err := installedHelper(built)
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(got, clone) || !strings.HasPrefix(got, filepath.Join(home, ".local", "share")) {
		t.Errorf("apiKeyHelper would run %s, want a copy in the data folder", got)
	}
	if data, err := os.ReadFile(got); err != nil || string(data) != "#!/bin/sh\n" {
		t.Errorf("the kept copy: %q, %v", data, err)
	}
	local := filepath.Join(home, ".local", "bin", "claudemedic")
	if err := os.MkdirAll(filepath.Dir(local), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(local, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if got, _ := installedHelper(built); got != local {
		t.Errorf("with ~/.local/bin/claudemedic installed, apiKeyHelper would run %s", got)
	}
	if got, _ := installedHelper(local); got != local {
		t.Errorf("the installed claudemedic names %s, not itself", got)
	}
}
