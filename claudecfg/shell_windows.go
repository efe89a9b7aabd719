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

// helperShell is how Claude Code runs apiKeyHelper on Windows.
func helperShell(command string) []string { return []string{"cmd.exe", "/C", command} }
