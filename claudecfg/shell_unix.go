//go:build unix

package claudecfg

import (
	"os/exec"
	"syscall"
)

// detach runs cmd in its own session (no controlling terminal, so an
// interactive shell cannot wait on it) and kills its whole group on cancel.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Cancel = func() error {
		return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	}
}
