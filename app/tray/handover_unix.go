//go:build unix

package tray

import (
	"fmt"
	"os"
	"syscall"
)

// handOver replaces this process with the agent binary at path, same
// arguments, same process id.
func handOver(path string, args []string) int {
	err := syscall.Exec(path, append([]string{path}, args...), os.Environ())
	fmt.Fprintf(os.Stderr, "claudemedic tray: starting %s: %v; running the agent in this binary\n", path, err)
	return start(args, false)
}
