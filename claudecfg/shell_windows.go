//go:build windows

package claudecfg

import (
	"os/exec"
	"syscall"
)

// detach starts cmd without a console window.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{HideWindow: true}
}
