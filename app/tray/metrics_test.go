package tray

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"claudemedic/app/tray/monitor"
	"claudemedic/assets/trayicon"
	"claudemedic/internal/prefs"
	"claudemedic/netcheck"
)

// syncBuffer is a log sink the test reads while the agent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestMetricsPortTaken: a metrics port another program holds gives a clear
// line in the agent's log, and the agent goes on: its checks still run and are
// shown, and the endpoint starts once the preferences name a free port.
func TestMetricsPortTaken(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_STATE_HOME", filepath.Join(home, "state"))
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, "config"))
	logs := &syncBuffer{}
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(logs, nil)))
	t.Cleanup(func() { slog.SetDefault(old) })

	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	port := other.Addr().(*net.TCPAddr).Port

	p := prefs.Defaults()
	p.MetricsPort = port
	check := func(context.Context, bool) (*netcheck.Report, error) {
		return &netcheck.Report{Verdict: netcheck.VerdictOK, StartedAt: time.Now()}, nil
	}
	m := newMenu(Options{Notifier: silent{}, Check: check}, p)
	defer close(m.done)
	m.applyMetrics()
	line := logs.String()
	for _, want := range []string{"goes on without it", "already in use", "127.0.0.1:" + strconv.Itoa(port), "metrics_port"} {
		if !strings.Contains(line, want) {
			t.Errorf("the log does not say %q:\n%s", want, line)
		}
	}
	if m.metSrv != nil {
		t.Fatal("an endpoint runs on a taken port")
	}

	// The agent goes on: a check runs and is recorded.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go m.mon.Run(ctx)
	for e := range m.events {
		m.onEvent(e)
		if e.Kind == monitor.Finished {
			break
		}
	}
	if m.report == nil || m.report.Verdict != netcheck.VerdictOK {
		t.Fatalf("after the failed endpoint, the check's report is %+v", m.report)
	}

	// A free port in the preferences starts the endpoint, with the last report.
	other.Close()
	free, _ := net.Listen("tcp", "127.0.0.1:0")
	m.prefs.MetricsPort = free.Addr().(*net.TCPAddr).Port
	free.Close()
	m.applyMetrics()
	if m.metSrv == nil {
		t.Fatalf("the endpoint did not start on a free port:\n%s", logs.String())
	}
	defer m.metSrv.Close()
	resp, err := http.Get("http://" + m.metSrv.Addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), "claudemedic_api_up 1\n") {
		t.Errorf("the endpoint does not show the last check:\n%s", body)
	}
}

// silent is a Notifier that shows nothing, for tests on every platform.
type silent struct{}

func (silent) Notify(string, string, trayicon.State) error { return nil }
