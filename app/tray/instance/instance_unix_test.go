//go:build !windows

package instance

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// blockListener makes the agent's socket impossible to create: a non-empty
// folder holds its name.
func blockListener(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, "agent.sock", "taken"), 0o700); err != nil {
		t.Fatal(err)
	}
}

// A socket left by a crashed agent is not mistaken for a running one, and is replaced.
func TestStaleSocket(t *testing.T) {
	dir := shortDir(t)
	ln, err := net.Listen("unix", filepath.Join(dir, "agent.sock"))
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close()
	if err := Send(dir, time.Second, Ping, ""); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Send to a stale socket: %v, want ErrNotRunning", err)
	}
	a, err := Acquire(dir, func(string, string) error { return nil })
	if err != nil {
		t.Fatalf("Acquire over a stale socket: %v", err)
	}
	defer a.Close()
	if err := a.HandOverErr(); err != nil {
		t.Fatal(err)
	}
	if err := Send(dir, time.Second, Ping, ""); err != nil {
		t.Fatal(err)
	}
}

func TestDirIsPrivate(t *testing.T) {
	run := t.TempDir()
	t.Setenv("XDG_RUNTIME_DIR", run)
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	d, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(d)
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("Dir %s: %v, %v; want a 0700 folder", d, info.Mode(), err)
	}
}
