//go:build windows

package tray

import (
	"errors"
	"os"
	"os/exec"

	"claudemedic/internal/exitcode"
)

// handOver runs the agent binary at path with the same arguments and
// returns its exit status (Windows has no exec).
func handOver(path string, args []string) int {
	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		return start(args, false)
	}
	return exitcode.OK
}
