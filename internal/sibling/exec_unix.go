//go:build unix

package sibling

import (
	"fmt"
	"os"
	"syscall"
)

// Exec hands over to the program at path with args: on Unix it replaces the
// running process (the same process id, environment and standard streams,
// so whoever started it waits for the program itself) and returns only when
// that fails.
func Exec(path string, args []string) (code int, err error) {
	err = syscall.Exec(path, append([]string{path}, args...), os.Environ())
	return 0, fmt.Errorf("starting %s: %w", path, err)
}
