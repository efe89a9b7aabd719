//go:build !linux && !windows

package claudecache

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// ClaudeProcesses returns the ids of running Claude Code processes, as a
// best effort from ps; nil when it cannot be run.
func ClaudeProcesses() []int {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	self := os.Getpid()
	var pids []int
	out, err := exec.CommandContext(ctx, "ps", "-axo", "pid=,command=").Output()
	if err != nil {
		return nil
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 {
			continue
		}
		pid, err := strconv.Atoi(f[0])
		if err != nil || pid == self {
			continue
		}
		if filepath.Base(f[1]) == "claude" || (len(f) > 2 && strings.Contains(f[2], "@anthropic-ai/claude-code")) {
			pids = append(pids, pid)
		}
	}
	return pids
}
