package filelock

import (
	"errors"
	"path/filepath"
	"testing"
)

func TestTryLockExcludesASecondHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	a, err := TryLock(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := TryLock(path); !errors.Is(err, ErrLocked) {
		t.Fatalf("second TryLock: got %v, want ErrLocked", err)
	}
	if err := a.Unlock(); err != nil {
		t.Fatal(err)
	}
	b, err := TryLock(path)
	if err != nil {
		t.Fatalf("TryLock after Unlock: %v", err)
	}
	b.Unlock()
}

func TestWaitGetsTheLockWhenReleased(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.lock")
	a, err := Wait(path)
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan error)
	go func() {
		b, err := Wait(path)
		if err == nil {
			b.Unlock()
		}
		got <- err
	}()
	a.Unlock()
	if err := <-got; err != nil {
		t.Fatal(err)
	}
}

func TestTryLockInAMissingFolder(t *testing.T) {
	if _, err := TryLock(filepath.Join(t.TempDir(), "no", "x.lock")); err == nil || errors.Is(err, ErrLocked) {
		t.Fatalf("got %v, want an error about opening the file", err)
	}
}
