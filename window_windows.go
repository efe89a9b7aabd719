//go:build windows

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"

	"golang.org/x/sys/windows"

	"claudemedic/internal/exitcode"
)

// runWindow runs the window's binary at path with the same arguments and
// standard streams, waits for it and returns its exit status (Windows has no
// exec). Started without a console (by the tray agent, detached), this
// process gives the window none either: a console program started from one
// that has none would get a console window of its own.
func runWindow(path string, args []string) int {
	cmd := exec.Command(path, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if !hasConsole() {
		cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_NO_WINDOW, HideWindow: true}
	}
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		fmt.Fprintf(os.Stderr, "claudemedic window: starting %s: %v\n", path, err)
		return exitcode.Failed
	}
	return exitcode.OK
}

// hasConsole reports whether this process has a console (it was started
// from a terminal, or by a program that gave it one).
func hasConsole() bool {
	r, _, _ := getConsoleWindow.Call()
	return r != 0
}

var getConsoleWindow = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetConsoleWindow")
