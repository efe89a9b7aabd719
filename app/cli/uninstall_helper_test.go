package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claudemedic/claudecfg"
	"claudemedic/internal/exitcode"
)

// TestUninstallHelper: the apiKeyHelper Claude Medic set goes back to what
// the settings had before (from the backup of that edit), or away when there
// was none; someone else's helper stays.
func TestUninstallHelper(t *testing.T) {
	home := isolate(t)
	file := filepath.Join(home, ".claude", "settings.json")
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		t.Fatal(err)
	}
	read := func() string {
		f, err := claudecfg.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		h, _ := f.Values["apiKeyHelper"].(string)
		return h
	}
	// Before Claude Medic: the person's own helper.
	if err := os.WriteFile(file, []byte(`{"apiKeyHelper": "~/bin/vault-key.sh", "model": "opus"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := claudecfg.EditFile(file, claudecfg.Set("/usr/bin/claudemedic key print", "apiKeyHelper")); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCLI(t, "", "uninstall-helper")
	if code != exitcode.OK || read() != "~/bin/vault-key.sh" || !strings.Contains(out, "kept in") {
		t.Fatalf("exit %d, apiKeyHelper %q after uninstall-helper:\n%s%s", code, read(), out, errOut)
	}
	// Someone else's helper stays.
	code, out, _ = runCLI(t, "", "uninstall-helper")
	if code != exitcode.OK || read() != "~/bin/vault-key.sh" || !strings.Contains(out, "not Claude Medic's") {
		t.Errorf("a second run: exit %d, apiKeyHelper %q:\n%s", code, read(), out)
	}
	// No helper before Claude Medic's: it goes, and the person is told how to sign in.
	if err := os.WriteFile(file, []byte(`{"apiKeyHelper": "'/home/me/src/claudemedic/bin/claudemedic' key print"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, b := range mustBackups(t, file) {
		os.Remove(b)
	}
	code, out, _ = runCLI(t, "", "uninstall-helper")
	if code != exitcode.OK || read() != "" || !strings.Contains(out, "/login") {
		t.Errorf("with no helper before: exit %d, apiKeyHelper %q:\n%s", code, read(), out)
	}
}

func mustBackups(t *testing.T, file string) []string {
	t.Helper()
	bs, err := claudecfg.Backups(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, b := range bs {
		out = append(out, b.Path)
	}
	return out
}
