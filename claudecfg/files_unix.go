//go:build unix

package claudecfg

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// lockFile takes an exclusive lock that other processes' writers respect
// and the kernel drops if the process dies.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// keepOwner gives the new file the old one's owner when running as root
// (sudo), so the person's settings file stays theirs.
func keepOwner(f *os.File, old fs.FileInfo) {
	if old == nil || os.Geteuid() != 0 {
		return
	}
	if st, ok := old.Sys().(*syscall.Stat_t); ok {
		f.Chown(int(st.Uid), int(st.Gid))
	}
}

// isCrossDevice reports a rename that failed because the two paths are on
// different file systems.
func isCrossDevice(err error) bool { return errors.Is(err, syscall.EXDEV) }

// symlinkTimes sets a symlink's own modification time.
func symlinkTimes(path string, mtime time.Time) error {
	ts := unix.NsecToTimespec(mtime.UnixNano())
	return unix.UtimesNanoAt(unix.AT_FDCWD, path, []unix.Timespec{ts, ts}, unix.AT_SYMLINK_NOFOLLOW)
}
