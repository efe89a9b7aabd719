//go:build unix

package tray

import (
	"os/exec"
	"syscall"
)

// detach starts cmd in a session of its own, so it outlives its parent and a
// Ctrl-C in the parent's terminal.
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }

// quiet is for a short-lived child with no window of its own: nothing to do here.
func quiet(*exec.Cmd) {}
