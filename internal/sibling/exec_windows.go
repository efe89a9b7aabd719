//go:build windows

package sibling

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/windows"
)

// Exec hands over to the program at path with args: Windows has no exec, so
// it runs the program with this one's standard streams, waits for it and
// returns its exit code; err is set only when it could not be started.
// Started without a console (by the tray agent, detached), this process
// gives the program none either: a console program started from one that
// has none would get a console window of its own.
func Exec(path string, args []string) (code int, err error) {
	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if !hasConsole() {
		cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_NO_WINDOW, HideWindow: true}
	}
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode(), nil
		}
		return 0, fmt.Errorf("starting %s: %w", path, err)
	}
	return 0, nil
}

// hasConsole reports whether this process has a console (it was started
// from a terminal, or by a program that gave it one).
func hasConsole() bool {
	r, _, _ := getConsoleWindow.Call()
	return r != 0
}

var getConsoleWindow = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetConsoleWindow")
