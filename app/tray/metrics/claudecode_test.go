package metrics

import (
	"strings"
	"testing"

	"claudemedic/netcheck"
)

// TestClaudeCodeErrors: the counter appears at zero for every code, counts
// each failed request once by its code, and a code the catalogue lacks as OTHER.
func TestClaudeCodeErrors(t *testing.T) {
	m := New()
	if body := scrape(t, m.Handler()); strings.Contains(body, "claudemedic_claude_code_api_errors_total") {
		t.Error("the counter shows before the tray reads transcripts")
	}
	m.ObserveClaudeCodeErrors(nil)
	body := scrape(t, m.Handler())
	for _, s := range []string{`claudemedic_claude_code_api_errors_total{code="OVERLOADED"} 0`, `claudemedic_claude_code_api_errors_total{code="OTHER"} 0`} {
		if !strings.Contains(body, s) {
			t.Errorf("lacks %s", s)
		}
	}
	m.ObserveClaudeCodeErrors([]netcheck.Code{netcheck.Overloaded, netcheck.Overloaded, netcheck.TCPRefused, "SOMETHING_NEW"})
	body = scrape(t, m.Handler())
	for _, s := range []string{`{code="OVERLOADED"} 2`, `{code="TCP_REFUSED"} 1`, `{code="OTHER"} 1`} {
		if !strings.Contains(body, "claudemedic_claude_code_api_errors_total"+s) {
			t.Errorf("lacks %s:\n%s", s, body)
		}
	}
	if strings.Contains(body, "SOMETHING_NEW") {
		t.Error("an unknown code became a label value")
	}
}
