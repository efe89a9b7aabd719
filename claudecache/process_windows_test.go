//go:build windows

package claudecache

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestHelperWaitForStdin is not a test: run as a copy of this binary named
// claude.exe or node.exe, it stands for Claude Code until its stdin closes.
func TestHelperWaitForStdin(t *testing.T) {
	if os.Getenv("CLAUDEMEDIC_HELPER") != "1" {
		return
	}
	io.Copy(io.Discard, os.Stdin)
	os.Exit(0)
}

// startAs runs a copy of the test binary named image with args, until the test ends.
func startAs(t *testing.T, dir, image string, args ...string) int {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, image)
	if err := os.WriteFile(exe, data, 0o700); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, append([]string{"-test.run=^TestHelperWaitForStdin$"}, args...)...)
	cmd.Env = append(os.Environ(), "CLAUDEMEDIC_HELPER=1")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); cmd.Wait() })
	return cmd.Process.Pid
}

func TestClaudeProcessesFindsClaudeExeAndNode(t *testing.T) {
	dir, err := os.MkdirTemp("", "procs")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { time.Sleep(100 * time.Millisecond); os.RemoveAll(dir) })
	native := startAs(t, dir, "claude.exe")
	npm := startAs(t, mkdir(t, dir, "npm"), "node.exe", `C:\Users\张三\AppData\Roaming\npm\node_modules\@anthropic-ai\claude-code\cli.js`)
	other := startAs(t, mkdir(t, dir, "other"), "node.exe", `C:\work\server.js`)
	var got []int
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if got = ClaudeProcesses(); slices.Contains(got, native) && slices.Contains(got, npm) {
			break
		}
	}
	if !slices.Contains(got, native) || !slices.Contains(got, npm) || slices.Contains(got, other) {
		t.Errorf("ClaudeProcesses() = %v; want claude.exe %d and node running Claude Code %d, not node %d", got, native, npm, other)
	}
	if slices.Contains(got, os.Getpid()) {
		t.Errorf("ClaudeProcesses() counts this process")
	}
}

func mkdir(t *testing.T, parent, name string) string {
	t.Helper()
	d := filepath.Join(parent, name)
	if err := os.Mkdir(d, 0o700); err != nil {
		t.Fatal(err)
	}
	return d
}
