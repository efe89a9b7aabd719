//go:build !unix

package claudeinstall

import "os/exec"

// ownGroup leaves cmd as it is: its cancel kills the process, and WaitDelay
// stops waiting for what it started.
func ownGroup(*exec.Cmd) {}
