//go:build unix

package main

import (
	"fmt"
	"os"
	"syscall"

	"claudemedic/internal/exitcode"
)

// runWindow replaces this process with the window's binary at path: the same
// process id, arguments, environment and standard streams.
func runWindow(path string, args []string) int {
	err := syscall.Exec(path, append([]string{path}, args...), os.Environ())
	fmt.Fprintf(os.Stderr, "claudemedic window: starting %s: %v\n", path, err)
	return exitcode.Failed
}
