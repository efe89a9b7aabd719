package sibling

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestPath(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(exe)
	ext := ""
	if runtime.GOOS == "windows" {
		ext = ".exe"
	}
	if err := os.WriteFile(filepath.Join(dir, "present"+ext), []byte("x"), 0o755); err != nil {
		t.Skip("the test binary's folder is not writable:", err)
	}
	t.Cleanup(func() { os.Remove(filepath.Join(dir, "present"+ext)) })
	if err := os.Mkdir(filepath.Join(dir, "folder"+ext), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(filepath.Join(dir, "folder"+ext)) })
	self := filepath.Base(exe)
	if runtime.GOOS == "windows" {
		self = self[:len(self)-len(ext)]
	}
	for _, tc := range []struct {
		name string
		ok   bool
		is   error
	}{
		{"present", true, nil},
		{"absent", false, fs.ErrNotExist},
		{"folder", false, nil},
		{self, false, ErrSelf},
	} {
		path, err := Path(tc.name)
		if path != filepath.Join(dir, tc.name+ext) {
			t.Errorf("Path(%q) = %q, want it in %s", tc.name, path, dir)
		}
		if (err == nil) != tc.ok || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("Path(%q): %v, want ok=%v (%v)", tc.name, err, tc.ok, tc.is)
		}
	}
}
