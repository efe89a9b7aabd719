// Package metrics is the tray agent's optional Prometheus endpoint, off by
// default and on 127.0.0.1 unless the preferences name another address:
// whether the API answers, the latency of each phase of the request, the
// findings counted by code, and Claude Code's API_TIMEOUT_MS. A team scrapes
// it from many machines and watches them with deploy/prometheus' rules and
// deploy/grafana's board. The series carry no machine label: Prometheus adds
// instance from the scrape target.
package metrics

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// Phases are the values of the phase label of
// claudemedic_api_request_duration_seconds, as netcheck.Timings times them.
var Phases = []string{"dns", "connect", "tls", "first_byte", "total"}

// OtherCode is the code label of a finding whose code is not in netcheck's
// catalogue (a report from a newer or a damaged file), so the label's values
// stay the catalogue's bounded set.
const OtherCode = "OTHER"

// Buckets of the duration histograms, in seconds: 5 ms to 2 minutes, to see
// a relay's slow first byte against API_TIMEOUT_MS as well as a fast DNS answer.
var Buckets = []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120}

var verdicts = []netcheck.Verdict{netcheck.VerdictOK, netcheck.VerdictDegraded, netcheck.VerdictDown}

// Metrics are the series the agent keeps. Observe feeds them a report.
// Every series is read and written under mu.
type Metrics struct {
	mu       sync.Mutex
	families []*family
	up       *family // no labels: absent until the first check
	verdict  *family
	checks   *family
	phase    *family
	run      *family
	findings *family
	last     *family
	timeout  *family
	ccInfo   *family // Claude Code's version and install; one series at a time
	ccOld    *family // no labels: absent until a check looked
	ccErrors *family // claudemedic_claude_code_api_errors_total (claudecode.go); nil until first used

	gen     uint64 // counts the changes
	text    []byte // the rendered series, as of textGen
	textGen uint64
}

// New returns the series. Every verdict and every catalogue code starts at
// zero, so rate() and increase() see a series' first increment.
func New() *Metrics {
	m := &Metrics{
		up: newFamily(typeGauge, "claudemedic_api_up",
			"1 when the last check's verdict was ok or degraded, 0 when it was down; absent before the first check."),
		verdict: newFamily(typeGauge, "claudemedic_verdict",
			"1 for the last check's verdict (ok, degraded or down), 0 for the others.", "verdict"),
		checks: newFamily(typeCounter, "claudemedic_checks_total",
			"Checks run, by verdict.", "verdict"),
		phase: newHistogram("claudemedic_api_request_duration_seconds",
			"Time taken by each phase of the check's request to the API: dns, connect, tls, first_byte (request written to first response byte) and total.",
			Buckets, "phase"),
		run: newHistogram("claudemedic_check_duration_seconds",
			"Time taken by a whole check, every step included.", Buckets),
		findings: newFamily(typeCounter, "claudemedic_findings_total",
			"Findings reported by the checks, by code (netcheck's catalogue, or OTHER) and severity.", "code", "severity"),
		last: newFamily(typeGauge, "claudemedic_last_check_timestamp_seconds",
			"When the last check started, in seconds since the Unix epoch."),
		timeout: newFamily(typeGauge, "claudemedic_api_timeout_seconds",
			"Claude Code's request timeout on this machine: API_TIMEOUT_MS, or its default of 600 s."),
		ccInfo: newFamily(typeGauge, "claudemedic_claude_code_info",
			"1, labelled with the version of the Claude Code a shell runs here and how it was installed (npm, native, local, other; none when not found).",
			"version", "install"),
		ccOld: newFamily(typeGauge, "claudemedic_claude_code_outdated",
			"1 when a newer Claude Code is published than the one a shell runs here, else 0."),
	}
	m.families = []*family{m.up, m.verdict, m.checks, m.phase, m.run, m.findings, m.last, m.timeout, m.ccInfo, m.ccOld}
	m.run.with()
	m.last.with()
	for _, v := range verdicts {
		m.verdict.with(string(v))
		m.checks.with(string(v))
	}
	for _, c := range netcheck.Codes() {
		e, _ := netcheck.Lookup(c)
		m.findings.with(string(c), string(e.Severity))
	}
	timeout, _ := claudesettings.TargetView{}.APITimeout() // Claude Code's default
	m.timeout.with().set(timeout.Seconds())
	return m
}

// Observe adds a report to the series.
func (m *Metrics) Observe(r *netcheck.Report) {
	if r == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++ // the rendered text is out of date
	up := 0.0
	if r.Verdict == netcheck.VerdictOK || r.Verdict == netcheck.VerdictDegraded {
		up = 1
	}
	m.up.with().set(up)
	for _, v := range verdicts {
		on := 0.0
		if v == r.Verdict {
			on = 1
		}
		m.verdict.with(string(v)).set(on)
	}
	if known(r.Verdict) {
		m.checks.with(string(r.Verdict)).inc()
	}
	t := r.Timings
	for i, d := range []time.Duration{t.DNS, t.Connect, t.TLS, t.FirstByte, t.Total} {
		if d > 0 {
			m.phase.with(Phases[i]).observe(m.phase, d.Seconds())
		}
	}
	if r.Duration > 0 {
		m.run.with().observe(m.run, r.Duration.Seconds())
	}
	for _, f := range r.Findings {
		if f.Check == netcheck.CheckVersion {
			continue // advice about the tool, not the API: claudemedic_claude_code_* say it
		}
		code, sev := string(f.Code), string(f.Severity)
		if e, ok := netcheck.Lookup(f.Code); ok {
			sev = string(e.Severity)
		} else {
			code = OtherCode
		}
		if sev != string(netcheck.SeverityWarn) && sev != string(netcheck.SeverityFail) {
			sev = string(netcheck.SeverityFail)
		}
		m.findings.with(code, sev).inc()
	}
	m.last.with().set(float64(r.StartedAt.UnixNano()) / 1e9)
	timeout, _ := r.Target.APITimeout() // as Claude Code reads it, the same as check and config show
	m.timeout.with().set(timeout.Seconds())
	if cc := r.ClaudeCode; cc != nil {
		version, install := "none", "none"
		if cc.Path != "" {
			version, install = "unknown", cc.Install
			if v := cc.Version; versionLabel(v) {
				version = v
			}
		}
		switch install {
		case "none", "npm", "native", "local":
		default:
			install = "other"
		}
		m.ccInfo.reset()
		m.ccInfo.with(version, install).set(1)
		old := 0.0
		if cc.Has(netcheck.ClaudeCodeOutdated) {
			old = 1
		}
		m.ccOld.with().set(old)
	}
}

// versionLabel reports whether v is a version as claudeinstall reads one, so
// the label holds nothing else: ^\d{1,6}\.\d{1,6}\.\d{1,6}(-[0-9A-Za-z.-]{1,32})?$ (a
// function, not a regexp compiled at start-up: the agent links this package
// and keeps what its initialisers build all day, metrics on or off).
func versionLabel(v string) bool {
	core, pre, hasPre := strings.Cut(v, "-")
	if hasPre {
		if len(pre) < 1 || len(pre) > 32 {
			return false
		}
		for i := 0; i < len(pre); i++ {
			if c := pre[i]; !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '.' || c == '-') {
				return false
			}
		}
	}
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if len(p) < 1 || len(p) > 6 {
			return false
		}
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return false
			}
		}
	}
	return true
}

func known(v netcheck.Verdict) bool {
	for _, k := range verdicts {
		if v == k {
			return true
		}
	}
	return false
}

// Handler serves the series in Prometheus' text format. They change only
// when a check ends (Observe), every few minutes, so the text is rendered
// once per check and each scrape between writes the same bytes: a scrape
// costs the agent microseconds and leaves no garbage.
func (m *Metrics) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := m.render()
		w.Header().Set("Content-Type", textFormat)
		w.Header().Set("Content-Length", strconv.Itoa(len(b)))
		w.Write(b)
	})
}

// textFormat is the Content-Type of Prometheus' text format.
const textFormat = "text/plain; version=0.0.4; charset=utf-8"

// render returns the text of the series, rendered again only when a check
// changed them since the last time.
func (m *Metrics) render() []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.text == nil || m.textGen != m.gen {
		m.text, m.textGen = appendText(make([]byte, 0, len(m.text)), m.families), m.gen
	}
	return m.text
}

// Server is a running endpoint.
type Server struct {
	srv  *server
	Addr string // the address it listens on, e.g. 127.0.0.1:9464
}

// ErrPortTaken is returned (wrapped) by Serve when another program already
// listens on the port.
var ErrPortTaken = errors.New("the port is already in use by another program")

// Serve starts the endpoint on addr (ip:port). The metrics tell whoever can
// read them when this machine cannot reach the API, and the endpoint has no
// authentication and no TLS: an address other than loopback is the user's
// explicit choice (prefs.MetricsAddress), for a firewall or a reverse proxy
// to guard.
func Serve(addr string, m *Metrics) (*Server, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("the metrics address %q: %w", addr, err)
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return nil, fmt.Errorf("the metrics endpoint listens on an IP address such as 127.0.0.1, not %q", host)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return nil, fmt.Errorf("the metrics port %q is not a port", port)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if addrInUse(err) {
			return nil, fmt.Errorf("the metrics endpoint cannot listen on %s: %w (%v); choose another metrics_port in the preferences (config.json)", addr, ErrPortTaken, err)
		}
		return nil, fmt.Errorf("starting the metrics endpoint on %s: %w", addr, err)
	}
	if !ip.IsLoopback() {
		slog.Warn("the metrics endpoint listens beyond this machine, with no authentication and no TLS: guard it with a firewall or a reverse proxy", "addr", ln.Addr().String())
	}
	s := &Server{srv: &server{m: m, ln: ln, conns: map[net.Conn]bool{}, headerTimeout: headerTimeout}, Addr: ln.Addr().String()}
	go func() {
		if err := s.srv.serve(); err != nil {
			slog.Error("the metrics endpoint stopped", "err", err)
		}
	}()
	return s, nil
}

// addrInUse reports whether a listen failed because the port is taken
// (EADDRINUSE on Unix, WSAEADDRINUSE on Windows).
func addrInUse(err error) bool {
	if errors.Is(err, syscall.EADDRINUSE) {
		return true
	}
	var errno syscall.Errno
	return errors.As(err, &errno) && errno == 10048 // WSAEADDRINUSE
}

// Close stops the endpoint and closes its connections.
func (s *Server) Close() error {
	if s == nil {
		return nil
	}
	return s.srv.close()
}
