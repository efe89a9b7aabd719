package instance

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// shortDir is a private folder with a path short enough for a socket.
func shortDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "cm")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

type recorder struct {
	mu  sync.Mutex
	got []string
}

func (r *recorder) handle(verb, arg string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, verb+" "+arg)
	if arg == "nowhere" {
		return errors.New("no such page")
	}
	return nil
}

func TestOneAgentWinsTheSecondDelivers(t *testing.T) {
	dir := shortDir(t)
	var rec recorder
	first, err := Acquire(dir, rec.handle)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	if _, err := Acquire(dir, (&recorder{}).handle); !errors.Is(err, ErrRunning) {
		t.Fatalf("second Acquire: %v, want ErrRunning", err)
	}
	for _, tc := range []struct{ verb, arg, errHas string }{
		{Open, "wizard", ""},
		{Refresh, "", ""},
		{Ping, "", ""},
		{Open, "nowhere", "no such page"},
		{"format-disk", "", "unknown request"},
	} {
		err := Send(dir, time.Second, tc.verb, tc.arg)
		if (tc.errHas == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.errHas)) {
			t.Errorf("Send(%s %s) = %v, want error containing %q", tc.verb, tc.arg, err, tc.errHas)
		}
	}
	if fmt.Sprint(rec.got) != "[open wizard refresh  open nowhere]" {
		t.Errorf("the agent got %q", rec.got)
	}
}

func TestManyLaunchesAtOnce(t *testing.T) {
	dir := shortDir(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var agents []*Agent
	running := 0
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := Acquire(dir, func(string, string) error { return nil })
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				agents = append(agents, a)
			case errors.Is(err, ErrRunning):
				running++
			default:
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if len(agents) != 1 || running != 7 {
		t.Fatalf("%d agents won and %d found one running; want 1 and 7", len(agents), running)
	}
	agents[0].Close()
}

func TestNoAgent(t *testing.T) {
	dir := shortDir(t)
	if err := Send(dir, time.Second, Open, "status"); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Send with no agent: %v, want ErrNotRunning", err)
	}
	a, err := Acquire(dir, func(string, string) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := a.HandOverErr(); err != nil {
		t.Fatalf("HandOverErr of a listening agent: %v", err)
	}
	if err := Send(dir, time.Second, Ping, ""); err != nil {
		t.Fatal(err)
	}
	a.Close()
	if err := Send(dir, time.Second, Ping, ""); !errors.Is(err, ErrNotRunning) {
		t.Fatalf("Send after Close: %v, want ErrNotRunning", err)
	}
	// Released: a new agent can start.
	b, err := Acquire(dir, func(string, string) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	b.Close()
}

// A listener that cannot start costs the hand-over, not the agent: it runs,
// it still holds the lock (no second agent starts), and a second launch
// learns that it runs but cannot be reached.
func TestListenerDownKeepsTheAgent(t *testing.T) {
	dir := shortDir(t)
	blockListener(t, dir)
	a, err := Acquire(dir, func(string, string) error { t.Error("a request reached an agent with no listener"); return nil })
	if err != nil {
		t.Fatalf("Acquire with the listener blocked: %v, want an agent", err)
	}
	defer a.Close()
	if err := a.HandOverErr(); err == nil || !strings.Contains(err.Error(), "listening for other launches") {
		t.Errorf("HandOverErr = %v, want why the listener did not start", err)
	}
	if _, err := Acquire(dir, func(string, string) error { return nil }); !errors.Is(err, ErrRunning) {
		t.Errorf("second Acquire: %v, want ErrRunning", err)
	}
	err = Send(dir, 200*time.Millisecond, Open, "status")
	if !errors.Is(err, ErrUnreachable) || errors.Is(err, ErrNotRunning) {
		t.Errorf("Send to an agent with no listener: %v, want ErrUnreachable", err)
	}
	if err := a.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := Send(dir, 0, Ping, ""); !errors.Is(err, ErrNotRunning) {
		t.Errorf("Send after Close: %v, want ErrNotRunning", err)
	}
}

// TestPIDFileNamesTheAgent: while an agent holds the lock its process ID is
// in PIDFile; after Close the file is gone and the next Acquire wins.
func TestPIDFileNamesTheAgent(t *testing.T) {
	dir := shortDir(t)
	a, err := Acquire(dir, (&recorder{}).handle)
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, PIDFile))
	if want := fmt.Sprintf("%d\n", os.Getpid()); err != nil || string(b) != want {
		t.Fatalf("%s: %q, %v; want %q", PIDFile, b, err, want)
	}
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, PIDFile)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s after Close: %v, want gone", PIDFile, err)
	}
	again, err := Acquire(dir, (&recorder{}).handle)
	if err != nil {
		t.Fatalf("Acquire after Close: %v", err)
	}
	again.Close()
}
