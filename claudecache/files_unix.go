//go:build unix

package claudecache

import (
	"errors"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// isCrossDevice reports a rename that failed because the two paths are on
// different file systems.
func isCrossDevice(err error) bool { return errors.Is(err, syscall.EXDEV) }

// symlinkTimes sets a symlink's own modification time.
func symlinkTimes(path string, mtime time.Time) error {
	ts := unix.NsecToTimespec(mtime.UnixNano())
	return unix.UtimesNanoAt(unix.AT_FDCWD, path, []unix.Timespec{ts, ts}, unix.AT_SYMLINK_NOFOLLOW)
}
