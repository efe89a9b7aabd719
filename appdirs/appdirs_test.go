package appdirs

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestFoldersFollowXDG(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("XDG folders are for Linux")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "cfg"))
	t.Setenv("XDG_STATE_HOME", "")
	t.Setenv("XDG_DATA_HOME", "relative/ignored")
	for _, tc := range []struct {
		name string
		get  func() (string, error)
		want string
	}{
		{"config", Config, filepath.Join(home, "cfg", Name)},
		{"state default", State, filepath.Join(home, ".local", "state", Name)},
		{"data ignores a relative XDG path", Data, filepath.Join(home, ".local", "share", Name)},
	} {
		got, err := tc.get()
		if err != nil || got != tc.want {
			t.Errorf("%s: got %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	dir, err := Ensure(State())
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() || fi.Mode().Perm() != 0o700 {
		t.Fatalf("Ensure made %v, %v", fi, err)
	}
}

func TestDataDirMakesTheFolderOwnerOnly(t *testing.T) {
	data := t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv("LocalAppData", data)
	t.Setenv("HOME", data) // macOS: ~/Library/Application Support
	base, err := Data()
	if err != nil {
		t.Fatal(err)
	}
	got, err := DataDir("backups", "settings.json-0123")
	if want := filepath.Join(base, "backups", "settings.json-0123"); err != nil || got != want {
		t.Fatalf("DataDir: got %q, %v; want %q", got, err, want)
	}
	for _, dir := range []string{base, filepath.Dir(got), got} {
		fi, err := os.Stat(dir)
		if err != nil || !fi.IsDir() {
			t.Fatalf("%s: %v, %v", dir, fi, err)
		}
		if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v, want 0700", dir, fi.Mode().Perm())
		}
	}
	// A file where the folder should be: an error naming it, no panic.
	if err := os.WriteFile(filepath.Join(base, "blocked"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := DataDir("blocked", "x"); err == nil {
		t.Fatal("DataDir under a file: no error")
	}
}
