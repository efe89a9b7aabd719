package claudecfg

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claudemedic/claudesettings"
)

// TestScrubBackups: after a key moves to the keychain, no backup keeps it,
// every other byte of each backup stays, and Undo gives the old settings
// without the key.
func TestScrubBackups(t *testing.T) {
	dir := testHome(t)
	const key = "sk-ant-api03-SCRUBxT7Yq2Vr9LmWcK4pZ8sN1bH6dF3gJ0aQeRtUyIoPlKjHgFdSa-Wx9QAA"
	file := filepath.Join(dir, "settings.json")
	writeFile(t, file, "{\n  \"env\": {\n    \"API_TIMEOUT_MS\": \"120000\",\n    \"ANTHROPIC_API_KEY\": \""+key+"\"\n  },\n  \"model\": \"opus\"\n}\n")
	// An earlier edit, whose backup holds the key too.
	if _, err := EditFile(file, Set("sonnet", "model")); err != nil {
		t.Fatal(err)
	}
	c, err := EditFile(file, Set("/usr/bin/claudemedic key print", claudesettings.KeyAPIKeyHelper), Unset("env", claudesettings.VarAPIKey))
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(c.Backup); !strings.Contains(string(b), key) {
		t.Fatal("the backup should hold the key before scrubbing (test setup)")
	}
	n, err := ScrubBackups(file, key+"\n")
	if err != nil || n != 2 {
		t.Fatalf("ScrubBackups = %d, %v; want 2 backups changed", n, err)
	}
	list, err := Backups(file)
	if err != nil || len(list) != 2 {
		t.Fatalf("Backups = %v, %v", list, err)
	}
	for _, b := range list {
		if data, _ := os.ReadFile(b.Path); strings.Contains(string(data), key) || !strings.Contains(string(data), "API_TIMEOUT_MS") {
			t.Fatalf("backup %s after scrubbing:\n%s", b.Path, data)
		}
	}
	b, err := os.ReadFile(c.Backup)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"env\": {\n    \"API_TIMEOUT_MS\": \"120000\"\n  },\n  \"model\": \"sonnet\"\n}\n"
	if string(b) != want {
		t.Fatalf("scrubbed backup:\n%s\nwant:\n%s", b, want)
	}
	if fi, _ := os.Stat(c.Backup); fi.Mode().Perm() != 0o600 {
		t.Fatalf("scrubbed backup mode %v", fi.Mode())
	}
	if n, err := ScrubBackups(file, key); err != nil || n != 0 {
		t.Fatalf("second ScrubBackups = %d, %v; want nothing to do", n, err)
	}
	if err := Undo(c); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(file); string(got) != want {
		t.Fatalf("after Undo:\n%s", got)
	}
	if n, err := ScrubBackups(filepath.Join(dir, "never-edited.json"), key); err != nil || n != 0 {
		t.Fatalf("ScrubBackups of a file with no backups = %d, %v", n, err)
	}
}
