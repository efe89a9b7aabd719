//go:build unix

package claudecfg

import (
	"io/fs"
	"os"
	"syscall"
)

// keepOwner gives the new file the old one's owner (atomicWrite calls it
// when running as root, under sudo), so the person's settings file stays
// theirs.
func keepOwner(f *os.File, old fs.FileInfo) {
	if st, ok := old.Sys().(*syscall.Stat_t); ok {
		f.Chown(int(st.Uid), int(st.Gid))
	}
}
