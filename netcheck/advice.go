package netcheck

import (
	"net/http"
	"time"
)

// CheckVersion is Claude Code's own install and version. It is not a check of
// the connection, so Run never runs it: claudeinstall does (netcheck knows
// nothing of executables or npm), and a front end adds its result to the
// report with AddAdvice.
const CheckVersion CheckID = "version"

// ClaudeCodeView is the Claude Code installed on this machine as a report
// carries it (claudeinstall fills it), for the front ends and the metrics.
type ClaudeCodeView struct {
	Path    string   `json:"path,omitempty"`    // the claude a shell runs; "" when none is found
	Install string   `json:"install,omitempty"` // how it was installed: npm, native, local or other
	Version string   `json:"version,omitempty"` // "" when it did not say
	Latest  string   `json:"latest,omitempty"`  // the latest published version; "" when unknown or not asked
	Others  []string `json:"others,omitempty"`  // the other installs found, "path (install version)"
}

// AddAdvice adds the result of a check that Run does not run (CheckVersion)
// with its findings, and the install it saw. They show with the other checks
// and findings, but the verdict stays what the connection's checks said:
// advice about the tool never makes the API "degraded" or "down".
func (r *Report) AddAdvice(res CheckResult, view *ClaudeCodeView, fs ...Finding) {
	for _, f := range fs {
		switch {
		case f.Severity == SeverityFail:
			res.Status = StatusFail
		case f.Severity == SeverityWarn && res.Status != StatusFail:
			res.Status = StatusWarn
		}
	}
	r.Checks = append(r.Checks, res)
	r.Findings = append(r.Findings, fs...)
	if view != nil {
		r.ClaudeCode = view
	}
}

// Advice returns the findings of the advice checks (CheckVersion): the ones
// that do not count in the verdict.
func (r *Report) Advice() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Check == CheckVersion {
			out = append(out, f)
		}
	}
	return out
}

// HTTPClient returns a client that reaches rawURL the way the checks reach
// the API: the Target's proxy unless NO_PROXY exempts the host, the roots
// Claude Code would trust (CLAUDE_CODE_CERT_STORE, NODE_EXTRA_CA_CERTS), TLS
// 1.2 or newer, no redirects followed,
// and every dial and handshake bounded by timeout. For Claude Medic's other
// requests (the npm registry), so they go where Claude Code's go.
func HTTPClient(t Target, rawURL string, timeout time.Duration) (*http.Client, error) {
	u, err := parseBaseURL(rawURL)
	if err != nil {
		return nil, err
	}
	cfg := config{apiTimeout: DefaultAPITimeout, trust: trustFor(t)} // the roots Claude Code would trust, as the checks build them
	host, port := hostPort(u)
	c := newClient(cfg, routeFor(t, host, port), Options{}, time.Now().Add(timeout))
	c.http.Timeout = timeout
	return c.http, nil
}
