//go:build linux

package tray

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"claudemedic/app/tray/instance"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// childEnv points a child agent at a throwaway home and the fake API.
func childEnv(t *testing.T, srv *netchecktest.Server) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	t.Setenv("XDG_RUNTIME_DIR", shortDir(t))
	t.Setenv("SHELL", "/bin/sh")
	t.Setenv("CLAUDE_CONFIG_DIR", filepath.Join(home, ".claude"))
	t.Setenv("ANTHROPIC_BASE_URL", srv.URL())
	t.Setenv("NODE_EXTRA_CA_CERTS", srv.CAFile())
	t.Setenv("ANTHROPIC_API_KEY", netchecktest.TestKey)
	return home
}

// TestRealCheckRunsInAChild runs the agent's real check (a child process that
// resolves Claude Code's settings and runs netcheck) against the fake API.
func TestRealCheckRunsInAChild(t *testing.T) {
	srv := netchecktest.Start(t, netchecktest.Healthy)
	childEnv(t, srv)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r, err := realCheck(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Verdict != netcheck.VerdictOK || r.Target.BaseURL != srv.URL() {
		t.Fatalf("healthy: verdict %s for %s, findings %v", r.Verdict, r.Target.BaseURL, r.Findings)
	}
	if r.Target.Key == nil || strings.Contains(*r.Target.Key, netchecktest.TestKey) {
		t.Errorf("the report's key: %v; want it masked", r.Target.Key)
	}
	srv.SetScenario(netchecktest.ServerError)
	r, err = realCheck(ctx, false)
	if err != nil || r.Verdict != netcheck.VerdictDown || !r.Has(netcheck.ServerError) {
		t.Fatalf("server error: %v, %v; want down with SERVER_ERROR", r, err)
	}
	// A check that cannot run at all says why.
	cctx, ccancel := context.WithCancel(ctx)
	ccancel()
	if _, err := realCheck(cctx, false); err == nil {
		t.Error("a cancelled check returned no error")
	}
}

// TestSecondAgentProcess starts the agent as a process, then a second one:
// the second finds the first, asks it to open the window and exits 0; the
// first starts the window as a child process on that page.
func TestSecondAgentProcess(t *testing.T) {
	srv := netchecktest.Start(t, netchecktest.Healthy)
	home := childEnv(t, srv)
	windowLog := filepath.Join(home, "windows.log")
	t.Setenv("CLAUDEMEDIC_TEST_WINDOW_LOG", windowLog)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	first := exec.Command(exe, "tray")
	first.Stderr = os.Stderr
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer first.Process.Kill()
	dir, _ := instance.Dir()
	for start := time.Now(); instance.Send(dir, time.Second, instance.Ping, "") != nil; time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 30*time.Second {
			t.Fatal("the first agent never answered")
		}
	}
	second := exec.Command(exe, "tray", "--open", "wizard")
	out, err := second.CombinedOutput()
	if err != nil {
		t.Fatalf("the second agent: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "already runs") {
		t.Errorf("the second agent said %q", out)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, _ := os.ReadFile(windowLog)
		if string(b) == "wizard\n" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the window opened on %q; want wizard", b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The first agent stops on an interrupt and frees the lock.
	first.Process.Signal(syscall.SIGINT)
	done := make(chan error, 1)
	go func() { done <- first.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the first agent exited with %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the first agent did not stop on SIGINT")
	}
	if err := instance.Send(dir, 0, instance.Ping, ""); err == nil {
		t.Error("an agent still answers after the first stopped")
	}
}

// TestLaunch is a double-click with no agent running, then another: the first
// starts the agent (detached) which opens the window; the second asks the
// running agent to open it again.
func TestLaunch(t *testing.T) {
	srv := netchecktest.Start(t, netchecktest.Healthy)
	home := childEnv(t, srv)
	windowLog := filepath.Join(home, "windows.log")
	t.Setenv("CLAUDEMEDIC_TEST_WINDOW_LOG", windowLog)
	dir, err := instance.Dir()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopAgent(t, dir) })
	waitWindows := func(want string) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			b, _ := os.ReadFile(windowLog)
			if string(b) == want {
				return
			}
			if time.Now().After(deadline) {
				log, _ := os.ReadFile(filepath.Join(home, "state", "claudemedic", "agent.log"))
				ps, _ := exec.Command("ps", "-eo", "pid,ppid,stat,etime,args").CombinedOutput()
				t.Fatalf("windows opened: %q; want %q\nthe agent's log:\n%s\n%s", b, want, log, ps)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	if code := Launch(); code != 0 {
		t.Fatalf("Launch with no agent: exit %d", code)
	}
	waitWindows("status\n")
	// The agent opens one window per page: wait until this one has closed.
	for start := time.Now(); ; time.Sleep(50 * time.Millisecond) {
		log, _ := os.ReadFile(filepath.Join(home, "state", "claudemedic", "agent.log"))
		if strings.Contains(string(log), "the window closed") {
			break
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("the window never closed:\n%s", log)
		}
	}
	if code := Launch(); code != 0 {
		t.Fatalf("Launch with an agent: exit %d", code)
	}
	waitWindows("status\nstatus\n")
}

// stopAgent interrupts the agent whose process id is in its pid file, and
// waits until it no longer answers.
func stopAgent(t *testing.T, dir string) {
	b, err := os.ReadFile(filepath.Join(dir, instance.PIDFile))
	if err != nil {
		return
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return
	}
	syscall.Kill(pid, syscall.SIGINT)
	for start := time.Now(); time.Since(start) < 20*time.Second; time.Sleep(50 * time.Millisecond) {
		if instance.Send(dir, 0, instance.Ping, "") != nil {
			return
		}
	}
	t.Errorf("the agent %d did not stop", pid)
}
