//go:build unix

package claudetranscript

import (
	"syscall"
	"testing"
)

// mkfifo makes a named pipe at path, a file the walk must skip, not open.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
}
