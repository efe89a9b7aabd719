// Package filelock is an advisory, exclusive lock on a file, held by one open
// file at a time across processes (flock on Unix, LockFileEx on Windows). The
// operating system drops it when the holder exits, so a crash never leaves a
// stale lock behind.
package filelock

import (
	"errors"
	"fmt"
	"os"
)

// ErrLocked is returned by TryLock when another holder has the lock.
var ErrLocked = errors.New("the file is locked by another process")

// Lock is a held lock; Unlock releases it.
type Lock struct{ f *os.File }

// TryLock locks path (created if missing, mode 0600) without waiting. It
// returns ErrLocked when another open file holds it, in this process or another.
func TryLock(path string) (*Lock, error) { return lock(path, false) }

// Wait locks path, waiting while another holder has it.
func Wait(path string) (*Lock, error) { return lock(path, true) }

func lock(path string, wait bool) (*Lock, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening the lock file: %w", err)
	}
	if err := lockFile(f, wait); err != nil {
		f.Close()
		return nil, err
	}
	return &Lock{f}, nil
}

// File is the locked file, for a holder that keeps a note in it (a process id).
func (l *Lock) File() *os.File { return l.f }

// Unlock releases the lock and closes the file.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}
