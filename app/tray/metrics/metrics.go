// Package metrics is the tray agent's optional Prometheus endpoint, off by
// default and only ever on 127.0.0.1: whether the API answers, the latency of
// each phase of the request, and the findings counted by code. A team scrapes
// it from many machines (through a local exporter or an SSH tunnel) and
// watches them in Prometheus and Grafana.
package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"claudemedic/netcheck"
)

// Metrics are the series the agent keeps. Observe feeds them a report.
type Metrics struct {
	reg      *prometheus.Registry
	up       prometheus.Gauge
	verdict  *prometheus.GaugeVec
	checks   *prometheus.CounterVec
	phase    *prometheus.HistogramVec
	findings *prometheus.CounterVec
	last     prometheus.Gauge
}

// New returns the series, registered on a registry of their own.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		up: prometheus.NewGauge(prometheus.GaugeOpts{Name: "claudemedic_up",
			Help: "1 when the last check's verdict was ok or degraded, 0 when it was down."}),
		verdict: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "claudemedic_verdict",
			Help: "1 for the last check's verdict (ok, degraded or down), 0 for the others."}, []string{"verdict"}),
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "claudemedic_checks_total",
			Help: "Checks run, by verdict."}, []string{"verdict"}),
		phase: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "claudemedic_phase_seconds",
			Help:    "Time taken by each phase of the request to the API (dns, connect, tls, first_byte, total), and by the whole run.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2.5, 10)}, []string{"phase"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "claudemedic_findings_total",
			Help: "Findings reported by the checks, by code and severity."}, []string{"code", "severity"}),
		last: prometheus.NewGauge(prometheus.GaugeOpts{Name: "claudemedic_last_check_timestamp_seconds",
			Help: "When the last check started, in seconds since the Unix epoch."}),
	}
	m.reg.MustRegister(m.up, m.verdict, m.checks, m.phase, m.findings, m.last)
	for _, v := range []netcheck.Verdict{netcheck.VerdictOK, netcheck.VerdictDegraded, netcheck.VerdictDown} {
		m.verdict.WithLabelValues(string(v))
		m.checks.WithLabelValues(string(v))
	}
	return m
}

// Observe adds a report to the series.
func (m *Metrics) Observe(r *netcheck.Report) {
	if r == nil {
		return
	}
	up := 0.0
	if r.Verdict == netcheck.VerdictOK || r.Verdict == netcheck.VerdictDegraded {
		up = 1
	}
	m.up.Set(up)
	for _, v := range []netcheck.Verdict{netcheck.VerdictOK, netcheck.VerdictDegraded, netcheck.VerdictDown} {
		on := 0.0
		if v == r.Verdict {
			on = 1
		}
		m.verdict.WithLabelValues(string(v)).Set(on)
	}
	m.checks.WithLabelValues(string(r.Verdict)).Inc()
	for _, p := range []struct {
		name string
		d    time.Duration
	}{{"dns", r.Timings.DNS}, {"connect", r.Timings.Connect}, {"tls", r.Timings.TLS},
		{"first_byte", r.Timings.FirstByte}, {"total", r.Timings.Total}, {"run", r.Duration}} {
		if p.d > 0 {
			m.phase.WithLabelValues(p.name).Observe(p.d.Seconds())
		}
	}
	for _, f := range r.Findings {
		m.findings.WithLabelValues(string(f.Code), string(f.Severity)).Inc()
	}
	m.last.Set(float64(r.StartedAt.UnixNano()) / 1e9)
}

// Handler serves the series in Prometheus' text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Server is a running endpoint.
type Server struct {
	srv  *http.Server
	Addr string // the address it listens on, e.g. 127.0.0.1:9464
}

// Serve starts the endpoint on addr (host:port), which must be a loopback
// address: the metrics tell anyone who can read them when this machine
// cannot reach the API, so they never leave it unless the user tunnels them.
func Serve(addr string, m *Metrics) (*Server, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("the metrics address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("the metrics endpoint listens on loopback only, not %q", host)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return nil, fmt.Errorf("the metrics port %q is not a port", port)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("starting the metrics endpoint: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", m.Handler())
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintln(w, "Claude Medic: the metrics are at /metrics")
	})
	s := &Server{srv: &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}, Addr: ln.Addr().String()}
	go func() {
		if err := s.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = err // the listener failed after starting: nothing to tell but the scrape's own error
		}
	}()
	return s, nil
}

// Close stops the endpoint.
func (s *Server) Close() error {
	if s == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return s.srv.Shutdown(ctx)
}
