package claudecache

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
)

// ClaudeProcesses returns the ids of running Claude Code processes: the
// native `claude` binary, or node running @anthropic-ai/claude-code. It
// reads /proc.
func ClaudeProcesses() []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	self := os.Getpid()
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == self {
			continue
		}
		comm, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "comm"))
		cmdline, _ := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if isClaude(string(bytes.TrimSpace(comm)), bytes.Split(cmdline, []byte{0})) {
			pids = append(pids, pid)
		}
	}
	return pids
}

func isClaude(comm string, argv [][]byte) bool {
	if comm == "claude" {
		return true
	}
	if len(argv) > 0 && filepath.Base(string(argv[0])) == "claude" {
		return true
	}
	for _, a := range argv[min(len(argv), 1):min(len(argv), 3)] {
		if bytes.Contains(a, []byte("@anthropic-ai/claude-code")) {
			return true
		}
	}
	return false
}
