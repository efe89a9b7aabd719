//go:build windows

package claudecfg

import (
	"io/fs"
	"os"
)

// keepOwner is a no-op on Windows (os.Geteuid is -1 there, so atomicWrite
// never calls it): a new file is the writer's.
func keepOwner(*os.File, fs.FileInfo) {}
