//go:build windows

package claudecfg

import (
	"context"
	"os"
	"os/exec"
	"syscall"
)

// helperCommand runs an apiKeyHelper as Claude Code does on Windows (Node's
// shell option): %ComSpec% (else cmd.exe) /d /s /c "command".
func helperCommand(ctx context.Context, command string) *exec.Cmd {
	shell := os.Getenv("ComSpec")
	if shell == "" {
		shell = "cmd.exe"
	}
	return exec.CommandContext(ctx, shell)
}

// helperArgs writes the command line verbatim, as Node does: cmd.exe parses
// its own command line, and Go's quoting of arguments would change it.
func helperArgs(cmd *exec.Cmd, command string) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.CmdLine = syscall.EscapeArg(cmd.Path) + ` /d /s /c "` + command + `"`
}
