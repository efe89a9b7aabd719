package claudecache

import (
	"os"
	"path/filepath"
	"testing"
)

// testHome points HOME, CLAUDE_CONFIG_DIR and XDG_DATA_HOME into a temporary
// folder and returns Claude Code's folder in it.
func testHome(t *testing.T) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	t.Setenv("CLAUDE_CONFIG_DIR", "")
	t.Setenv("XDG_DATA_HOME", filepath.Join(home, ".local", "share"))
	t.Setenv("LocalAppData", filepath.Join(home, "AppData", "Local"))
	return filepath.Join(home, ".claude")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
