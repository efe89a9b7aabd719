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
