package doctor

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
)

// Version is Claude Medic's version, as reports name it (FyneApp.toml has the same).
var Version = "0.1.0"

// ClaudeCodeVersion asks `claude --version` (bounded by ctx); "" when
// Claude Code is not on the PATH or does not answer.
func ClaudeCodeVersion(ctx context.Context) string {
	path, err := exec.LookPath("claude")
	if err != nil {
		return ""
	}
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return ""
	}
	v, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return v
}

// osName is the distribution's PRETTY_NAME on Linux, else the GOOS.
func osName() string {
	f, err := os.Open("/etc/os-release")
	if err != nil {
		return runtime.GOOS
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "PRETTY_NAME="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return runtime.GOOS
}
