//go:build unix

package metrics

import (
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

func TestServeAddresses(t *testing.T) {
	m := New()
	for _, addr := range []string{"example.com:80", "localhost:0", "127.0.0.1", "127.0.0.1:99999", "127.0.0.1:http"} {
		if s, err := Serve(addr, m); err == nil {
			s.Close()
			t.Errorf("Serve(%q) succeeded; want a refusal", addr)
		}
	}
	s, err := Serve("127.0.0.1:0", m)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if host, _, _ := net.SplitHostPort(s.Addr); host != "127.0.0.1" {
		t.Errorf("listening on %s", s.Addr)
	}
}

// TestPortTaken: a port another program holds gives ErrPortTaken and a
// sentence that says what to do, and the endpoint on the port keeps serving.
func TestPortTaken(t *testing.T) {
	other, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	s, err := Serve(other.Addr().String(), New())
	if err == nil {
		s.Close()
		t.Fatal("Serve on a taken port succeeded")
	}
	if !errors.Is(err, ErrPortTaken) {
		t.Errorf("err = %v; want ErrPortTaken", err)
	}
	for _, want := range []string{other.Addr().String(), "already in use", "metrics_port"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the message %q does not say %q", err, want)
		}
	}
}

func TestSeries(t *testing.T) {
	m := New()
	if body := scrape(t, m.Handler()); strings.Contains(body, "claudemedic_api_up ") ||
		!strings.Contains(body, `claudemedic_findings_total{code="UPSTREAM_INCIDENT",severity="warn"} 0`) ||
		!strings.Contains(body, "claudemedic_api_timeout_seconds 600\n") {
		t.Errorf("before the first check: want no claudemedic_api_up, every code at 0 and the default timeout:\n%s", body)
	}
	s, err := Serve("127.0.0.1:0", m)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	m.Observe(&netcheck.Report{Verdict: netcheck.VerdictOK, StartedAt: at, Duration: 400 * time.Millisecond,
		Target: claudesettings.TargetView{APITimeoutMS: "5000"},
		Timings: netcheck.Timings{DNS: 3 * time.Millisecond, Connect: 20 * time.Millisecond, TLS: 40 * time.Millisecond,
			FirstByte: 300 * time.Millisecond, Total: 350 * time.Millisecond}})
	m.Observe(&netcheck.Report{Verdict: netcheck.VerdictDown, StartedAt: at.Add(time.Minute),
		Findings: []netcheck.Finding{{Code: netcheck.TLSUntrusted, Severity: netcheck.SeverityFail},
			{Code: netcheck.HTTP2Unavailable, Severity: netcheck.SeverityWarn},
			{Code: "MADE_UP_BY_A_DAMAGED_FILE", Severity: "dire"}}})
	m.Observe(&netcheck.Report{Verdict: netcheck.VerdictDown, StartedAt: at.Add(time.Minute + time.Second),
		ClaudeCode: &netcheck.ClaudeCodeView{Path: "/usr/bin/claude", Install: "npm", Version: "2.1.330"}})
	m.Observe(&netcheck.Report{Verdict: netcheck.VerdictDown, StartedAt: at.Add(2 * time.Minute),
		Target: claudesettings.TargetView{APITimeoutMS: "not a number"},
		Findings: []netcheck.Finding{{Code: netcheck.TLSUntrusted, Severity: netcheck.SeverityFail},
			{Code: netcheck.ClaudeCodeOutdated, Severity: netcheck.SeverityWarn, Check: netcheck.CheckVersion}}, // as an older report may hold it
		ClaudeCode: &netcheck.ClaudeCodeView{Path: "/home/a/.local/bin/claude", Install: "native", Version: "2.1.300", Latest: "2.1.330",
			Findings: []netcheck.Finding{{Code: netcheck.ClaudeCodeOutdated, Severity: netcheck.SeverityWarn, Check: netcheck.CheckVersion}}}})

	resp, err := http.Get("http://" + s.Addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := string(b)
	for _, want := range []string{
		"claudemedic_api_up 0\n",
		`claudemedic_verdict{verdict="down"} 1` + "\n",
		`claudemedic_verdict{verdict="ok"} 0` + "\n",
		`claudemedic_checks_total{verdict="ok"} 1` + "\n",
		`claudemedic_checks_total{verdict="down"} 3` + "\n",
		`claudemedic_checks_total{verdict="degraded"} 0` + "\n",
		`claudemedic_findings_total{code="TLS_UNTRUSTED",severity="fail"} 2` + "\n",
		`claudemedic_findings_total{code="HTTP2_UNAVAILABLE",severity="warn"} 1` + "\n",
		`claudemedic_findings_total{code="OTHER",severity="fail"} 1` + "\n",
		`claudemedic_api_request_duration_seconds_count{phase="first_byte"} 1` + "\n",
		`claudemedic_api_request_duration_seconds_bucket{phase="dns",le="0.005"} 1` + "\n",
		`claudemedic_api_request_duration_seconds_sum{phase="total"} 0.35` + "\n",
		"claudemedic_check_duration_seconds_count 1\n",
		"claudemedic_last_check_timestamp_seconds 1.79525532e+09\n",
		"claudemedic_api_timeout_seconds 600\n", // the last report's value was invalid: Claude Code's default
		`claudemedic_claude_code_info{install="native",version="2.1.300"} 1` + "\n",
		"claudemedic_claude_code_outdated 1\n",
		`claudemedic_findings_total{code="CLAUDE_CODE_OUTDATED",severity="warn"} 0` + "\n", // advice, not an API error
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the endpoint lacks %q", want)
		}
	}
	for _, bad := range []string{`phase="connect"} 2`, "MADE_UP", `severity="dire"`, `phase="run"`, `version="2.1.330"`} {
		if strings.Contains(body, bad) {
			t.Errorf("the endpoint has %q", bad)
		}
	}
	if t.Failed() {
		t.Log(body)
	}
}

// BenchmarkScrape is one scrape of /metrics after a day of checks every 5
// minutes with a few findings: the CPU a Prometheus scrape costs the agent
// (one goroutine; ms-cpu/scrape counts every thread, the GC's too).
// "between-checks" is every scrape but the first after a check (the text
// is rendered once per check); "after-a-check" renders it each time.
func BenchmarkScrape(b *testing.B) {
	m := New()
	at := time.Now()
	report := func(i int) *netcheck.Report {
		r := &netcheck.Report{Verdict: netcheck.VerdictOK, StartedAt: at.Add(time.Duration(i) * 5 * time.Minute),
			Duration: 900 * time.Millisecond, Target: claudesettings.TargetView{APITimeoutMS: "120000"},
			Timings: netcheck.Timings{DNS: time.Duration(i%7+1) * time.Millisecond, Connect: 30 * time.Millisecond,
				TLS: 60 * time.Millisecond, FirstByte: time.Duration(200+i%500) * time.Millisecond, Total: 700 * time.Millisecond},
			ClaudeCode: &netcheck.ClaudeCodeView{Path: "/usr/bin/claude", Install: "npm", Version: "2.1.330", Latest: "2.1.330"}}
		if i%20 == 0 {
			r.Verdict = netcheck.VerdictDegraded
			r.Findings = []netcheck.Finding{{Code: netcheck.SlowResponse, Severity: netcheck.SeverityWarn}}
		}
		if i%50 == 0 {
			r.Verdict = netcheck.VerdictDown
			r.Findings = append(r.Findings, netcheck.Finding{Code: netcheck.Overloaded, Severity: netcheck.SeverityFail})
		}
		return r
	}
	for i := range 288 {
		m.Observe(report(i))
	}
	h := m.Handler()
	for _, bc := range []struct {
		name    string
		observe bool
	}{{"between-checks", false}, {"after-a-check", true}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var cpu0 syscall.Rusage
			rusageErr := syscall.Getrusage(syscall.RUSAGE_SELF, &cpu0)
			for i := range b.N {
				if bc.observe {
					m.Observe(report(i))
				}
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
				req.Header.Set("Accept-Encoding", "gzip") // as Prometheus asks
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || rec.Body.Len() < 1000 {
					b.Fatal(rec.Code, rec.Body.Len())
				}
			}
			var cpu1 syscall.Rusage
			if rusageErr == nil && syscall.Getrusage(syscall.RUSAGE_SELF, &cpu1) == nil {
				used := time.Duration(cpu1.Utime.Nano() + cpu1.Stime.Nano() - cpu0.Utime.Nano() - cpu0.Stime.Nano())
				b.ReportMetric(float64(used.Microseconds())/1000/float64(b.N), "ms-cpu/scrape")
			}
		})
	}
}
