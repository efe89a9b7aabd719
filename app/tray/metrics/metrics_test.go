package metrics

import (
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"claudemedic/netcheck"
)

func TestServeOnLoopbackOnly(t *testing.T) {
	m := New()
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.168.1.2:9000", "example.com:80", "127.0.0.1", "127.0.0.1:99999"} {
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

func TestSeries(t *testing.T) {
	m := New()
	s, err := Serve("127.0.0.1:0", m)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	m.Observe(&netcheck.Report{Verdict: netcheck.VerdictOK, StartedAt: at, Duration: 400 * time.Millisecond,
		Timings: netcheck.Timings{DNS: 3 * time.Millisecond, Connect: 20 * time.Millisecond, TLS: 40 * time.Millisecond,
			FirstByte: 300 * time.Millisecond, Total: 350 * time.Millisecond}})
	m.Observe(&netcheck.Report{Verdict: netcheck.VerdictDown, StartedAt: at.Add(time.Minute),
		Findings: []netcheck.Finding{{Code: netcheck.TLSUntrusted, Severity: netcheck.SeverityFail},
			{Code: netcheck.HTTP2Unavailable, Severity: netcheck.SeverityWarn}}})
	m.Observe(&netcheck.Report{Verdict: netcheck.VerdictDown, StartedAt: at.Add(2 * time.Minute),
		Findings: []netcheck.Finding{{Code: netcheck.TLSUntrusted, Severity: netcheck.SeverityFail}}})

	resp, err := http.Get("http://" + s.Addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	body := string(b)
	for _, want := range []string{
		"claudemedic_up 0\n",
		`claudemedic_verdict{verdict="down"} 1` + "\n",
		`claudemedic_verdict{verdict="ok"} 0` + "\n",
		`claudemedic_checks_total{verdict="ok"} 1` + "\n",
		`claudemedic_checks_total{verdict="down"} 2` + "\n",
		`claudemedic_checks_total{verdict="degraded"} 0` + "\n",
		`claudemedic_findings_total{code="TLS_UNTRUSTED",severity="fail"} 2` + "\n",
		`claudemedic_findings_total{code="HTTP2_UNAVAILABLE",severity="warn"} 1` + "\n",
		`claudemedic_phase_seconds_count{phase="first_byte"} 1` + "\n",
		`claudemedic_phase_seconds_bucket{phase="dns",le="0.005"} 1` + "\n",
		`claudemedic_phase_seconds_sum{phase="total"} 0.35` + "\n",
		"claudemedic_last_check_timestamp_seconds 1.79525532e+09\n",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the endpoint lacks %q", want)
		}
	}
	if strings.Contains(body, `phase="connect"} 2`) {
		t.Error("a phase that did not happen was observed")
	}
	if t.Failed() {
		t.Log(body)
	}
}
