//go:build unix

package claudecfg

import (
	"io/fs"
	"os"
	"syscall"
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
