//go:build unix

package claudecfg

import (
	"context"
	"os/exec"
)

// helperCommand runs an apiKeyHelper as Claude Code does on Unix: /bin/sh -c.
func helperCommand(ctx context.Context, command string) *exec.Cmd {
	return exec.CommandContext(ctx, "/bin/sh", "-c", command)
}

// helperArgs is nothing to do on Unix: the command is one argument of sh.
func helperArgs(*exec.Cmd, string) {}
