package metrics

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// TestSameTextAsClientGolang: the text the endpoint serves is, byte for
// byte, what client_golang v1.25.0 (which it used before) wrote for the same
// checks (testdata/client_golang-*.txt, written by it), so Prometheus,
// deploy/'s rules and board, and every scraper see the same series; and
// promtool, when installed, finds it valid.
func TestSameTextAsClientGolang(t *testing.T) {
	m := New()
	same := func(name string) {
		t.Helper()
		got := scrape(t, m.Handler())
		want, err := os.ReadFile(filepath.Join("testdata", "client_golang-"+name+".txt"))
		if err != nil {
			t.Fatal(err)
		}
		if got != string(want) {
			t.Errorf("%s: the text differs from client_golang's:\n%s", name, got)
		}
		if promtool, err := exec.LookPath("promtool"); err == nil {
			cmd := exec.Command(promtool, "check", "metrics")
			cmd.Stdin = bytes.NewReader([]byte(got))
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Errorf("%s: promtool check metrics: %v\n%s", name, err, out)
			}
		}
	}
	same("0-new")
	at := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	m.Observe(&netcheck.Report{Verdict: netcheck.VerdictOK, StartedAt: at, Duration: 400 * time.Millisecond,
		Target: claudesettings.TargetView{APITimeoutMS: "5000"},
		Timings: netcheck.Timings{DNS: 3 * time.Millisecond, Connect: 20 * time.Millisecond, TLS: 40 * time.Millisecond,
			FirstByte: 300 * time.Millisecond, Total: 350 * time.Millisecond}})
	same("1-ok")
	m.Observe(&netcheck.Report{Verdict: netcheck.VerdictDown, StartedAt: at.Add(time.Minute),
		Findings: []netcheck.Finding{{Code: netcheck.TLSUntrusted, Severity: netcheck.SeverityFail},
			{Code: netcheck.HTTP2Unavailable, Severity: netcheck.SeverityWarn},
			{Code: "MADE_UP_BY_A_DAMAGED_FILE", Severity: "dire"}}})
	m.Observe(&netcheck.Report{Verdict: netcheck.VerdictDown, StartedAt: at.Add(time.Minute + time.Second),
		ClaudeCode: &netcheck.ClaudeCodeView{Path: "/usr/bin/claude", Install: "npm", Version: "2.1.330"}})
	m.ObserveClaudeCodeErrors([]netcheck.Code{netcheck.Overloaded, netcheck.Overloaded, netcheck.TCPRefused, "SOMETHING_NEW"})
	m.Observe(&netcheck.Report{Verdict: netcheck.VerdictDegraded, StartedAt: at.Add(2*time.Minute + 123456789),
		Duration: 123456 * time.Second, Target: claudesettings.TargetView{APITimeoutMS: "1"},
		Timings: netcheck.Timings{DNS: 1, Connect: 5 * time.Millisecond, TLS: 121 * time.Second, FirstByte: 7777777 * time.Microsecond, Total: 200 * time.Second},
		ClaudeCode: &netcheck.ClaudeCodeView{Path: "/home/a/.local/bin/claude", Install: "weird", Version: "2.1.300-beta.1", Latest: "2.1.330",
			Findings: []netcheck.Finding{{Code: netcheck.ClaudeCodeOutdated, Severity: netcheck.SeverityWarn, Check: netcheck.CheckVersion}}}})
	same("2-many")
	for i := range 300 {
		m.Observe(&netcheck.Report{Verdict: netcheck.VerdictOK, StartedAt: at.Add(time.Duration(i) * 5 * time.Minute),
			Duration: time.Duration(i) * 37 * time.Millisecond,
			Timings:  netcheck.Timings{DNS: time.Duration(i) * time.Microsecond * 113, FirstByte: time.Duration(i) * 3 * time.Millisecond}})
	}
	same("3-day")
}

// scrape is one GET of the series through Handler.
func scrape(t testing.TB, h http.Handler) string {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape: HTTP %d", rec.Code)
	}
	return rec.Body.String()
}

// TestVersionLabel: the label takes what the pattern
// ^\d{1,6}\.\d{1,6}\.\d{1,6}(-[0-9A-Za-z.-]{1,32})?$ takes, nothing else.
func TestVersionLabel(t *testing.T) {
	re := regexp.MustCompile(`^\d{1,6}\.\d{1,6}\.\d{1,6}(-[0-9A-Za-z.-]{1,32})?$`)
	for _, v := range []string{"2.1.332", "0.0.0", "123456.1.1", "1234567.1.1", "2.1.300-beta.1", "2.1.3-", "2.1.3--", "2.1.3-a-b",
		"2.1", "2.1.3.4", "2..3", ".1.2", "2.1.3-" + strings.Repeat("a", 32), "2.1.3-" + strings.Repeat("a", 33), "v2.1.3",
		"2.1.3 ", "2.1.3-é", "2.1.3-a_b", "", "-", "1.2.3-x\n", "١.٢.٣"} {
		if got, want := versionLabel(v), re.MatchString(v); got != want {
			t.Errorf("versionLabel(%q) = %v; the pattern says %v", v, got, want)
		}
	}
}
