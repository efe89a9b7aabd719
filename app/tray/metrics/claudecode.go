package metrics

import (
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"claudemedic/netcheck"
)

// ccErrors is claudemedic_claude_code_api_errors_total: the requests Claude
// Code itself failed on this machine (read from its transcripts), by code.
// It is registered on first use, every code of the catalogue at zero.
type ccErrors struct {
	once sync.Once
	vec  *prometheus.CounterVec
}

// ObserveClaudeCodeErrors counts failed requests of Claude Code, one code
// each; a code the catalogue lacks counts as OTHER, so the label's values stay
// a bounded set. With none, it only makes the series appear at zero.
func (m *Metrics) ObserveClaudeCodeErrors(codes []netcheck.Code) {
	m.ccErrors.once.Do(func() {
		m.ccErrors.vec = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "claudemedic_claude_code_api_errors_total",
			Help: "Requests Claude Code itself failed on this machine, read from its transcripts, by finding code (netcheck's catalogue, or OTHER); a request retried counts once."},
			[]string{"code"})
		m.reg.MustRegister(m.ccErrors.vec)
		for _, c := range netcheck.Codes() {
			m.ccErrors.vec.WithLabelValues(string(c))
		}
		m.ccErrors.vec.WithLabelValues(OtherCode)
	})
	for _, c := range codes {
		code := string(c)
		if _, ok := netcheck.Lookup(c); !ok {
			code = OtherCode
		}
		m.ccErrors.vec.WithLabelValues(code).Inc()
	}
	m.mu.Lock()
	m.gen++
	m.mu.Unlock()
}
