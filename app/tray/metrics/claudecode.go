package metrics

import (
	"claudemedic/netcheck"
)

// ObserveClaudeCodeErrors counts failed requests of Claude Code, one code
// each, in claudemedic_claude_code_api_errors_total: the requests Claude Code
// itself failed on this machine (read from its transcripts), by code. A code
// the catalogue lacks counts as OTHER, so the label's values stay a bounded
// set. The series appear on the first call, every code of the catalogue at
// zero; with no codes, that is all it does.
func (m *Metrics) ObserveClaudeCodeErrors(codes []netcheck.Code) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ccErrors == nil {
		m.ccErrors = newFamily(typeCounter, "claudemedic_claude_code_api_errors_total",
			"Requests Claude Code itself failed on this machine, read from its transcripts, by finding code (netcheck's catalogue, or OTHER); a request retried counts once.",
			"code")
		m.families = append(m.families, m.ccErrors)
		for _, c := range netcheck.Codes() {
			m.ccErrors.with(string(c))
		}
		m.ccErrors.with(OtherCode)
	}
	for _, c := range codes {
		code := string(c)
		if _, ok := netcheck.Lookup(c); !ok {
			code = OtherCode
		}
		m.ccErrors.with(code).inc()
	}
	m.gen++
}
