//go:build unix

package claudeinstall

import (
	"os/exec"
	"syscall"
)

// ownGroup starts cmd in a process group of its own and has its cancel kill
// the whole group, so a hanging script's children go too.
func ownGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
