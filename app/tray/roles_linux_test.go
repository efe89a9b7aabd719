package tray

import (
	"bytes"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"claudemedic/app/tray/instance"
	"claudemedic/netcheck/netchecktest"
)

// TestTrayWhenAgentRuns: `claudemedic tray` with an agent already running
// (at login, say, with the agent started by hand before) says so in one line,
// in the user's language, exits 0 and opens no window; with --open PAGE the
// running agent opens the window on PAGE.
func TestTrayWhenAgentRuns(t *testing.T) {
	srv := netchecktest.Start(t, netchecktest.Healthy)
	home := childEnv(t, srv)
	windowLog := home + "/windows.log"
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
	defer func() { first.Process.Signal(syscall.SIGINT); first.Wait() }()
	dir, _ := instance.Dir()
	for start := time.Now(); instance.Send(dir, time.Second, instance.Ping, "") != nil; time.Sleep(50 * time.Millisecond) {
		if time.Since(start) > 30*time.Second {
			t.Fatal("the first agent never answered")
		}
	}
	run := func(lang string, args ...string) (stdout, stderr string) {
		t.Helper()
		cmd := exec.Command(exe, append([]string{"tray"}, args...)...)
		cmd.Env = append(os.Environ(), "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=", "LANG="+lang)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		start := time.Now()
		if err := cmd.Run(); err != nil {
			t.Fatalf("claudemedic tray %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errb.String())
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("claudemedic tray %s took %v", strings.Join(args, " "), took)
		}
		return out.String(), errb.String()
	}
	oneLine := func(got, want string) {
		t.Helper()
		if got != want+"\n" {
			t.Errorf("said %q, want the one line %q", got, want)
		}
	}
	out, errs := run("C.UTF-8")
	oneLine(out+errs, "Claude Medic's tray agent already runs; 'claudemedic window' opens the window.")
	out, errs = run("zh_CN.UTF-8")
	oneLine(out+errs, "Claude Medic 的托盘程序已在运行；用 'claudemedic window' 打开窗口。")
	time.Sleep(time.Second) // a window the agent was asked to open would have been noted by now
	if b, _ := os.ReadFile(windowLog); len(b) != 0 {
		t.Fatalf("a window opened for a plain `claudemedic tray`: %q", b)
	}

	out, errs = run("C.UTF-8", "--open", "settings")
	oneLine(out+errs, "Claude Medic's tray agent already runs; it opens the window on the settings page.")
	out, errs = run("zh_CN.UTF-8", "--open", "cache")
	oneLine(out+errs, "Claude Medic 的托盘程序已在运行，由它打开窗口的 cache 页。")
	deadline := time.Now().Add(20 * time.Second)
	for {
		b, _ := os.ReadFile(windowLog)
		got := strings.Fields(string(b))
		slices.Sort(got) // each window is a process of its own: either may note its page first
		if slices.Equal(got, []string{"cache", "settings"}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("windows opened: %q; want settings and cache", b)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// A page the window does not have is a wrong command line, whoever runs.
	cmd := exec.Command(exe, "tray", "--open", "nowhere")
	b, err := cmd.CombinedOutput()
	if cmd.ProcessState.ExitCode() != 64 || !strings.Contains(string(b), `no page "nowhere"`) {
		t.Errorf("--open nowhere: %v\n%s", err, b)
	}
}

// TestRunWhenAnotherAgentHoldsTheLock: two agents started at once, the
// second past alreadyRuns before the first took the lock: it asks the first
// for a window only when --open asked for one.
func TestRunWhenAnotherAgentHoldsTheLock(t *testing.T) {
	home := t.TempDir()
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"} {
		t.Setenv(v, home+"/"+v)
	}
	dir := shortDir(t)
	var mu sync.Mutex
	var asked []string
	first, err := instance.Acquire(dir, func(verb, arg string) error {
		mu.Lock()
		asked = append(asked, verb+" "+arg)
		mu.Unlock()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if code := Run(Options{InstanceDir: dir, Notifier: silent{}}); code != 0 {
		t.Errorf("the second agent, nothing to open: exit %d", code)
	}
	if code := Run(Options{InstanceDir: dir, Notifier: silent{}, Open: "key"}); code != 0 {
		t.Errorf("the second agent with --open key: exit %d", code)
	}
	mu.Lock()
	defer mu.Unlock()
	if !slices.Equal(asked, []string{"open key"}) {
		t.Errorf("the first agent was asked %q; want only to open key", asked)
	}
}
