package netcheck

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"claudemedic/claudesettings"
)

// CheckVersion is Claude Code's own install and version. It is not a check of
// the connection, so Run never runs it: claudeinstall does (netcheck knows
// nothing of executables or npm), and a front end adds its result to the
// report with AddAdvice.
const CheckVersion CheckID = "version"

// ClaudeCodeView is the Claude Code installed on this machine as a report
// carries it (claudeinstall fills it), for the front ends and the metrics.
// Its findings are advice about the tool, kept apart from the report's: the
// report's findings say why requests fail, and its verdict is theirs alone.
type ClaudeCodeView struct {
	Path     string    `json:"path,omitempty"`    // the claude a shell runs; "" when none is found
	Install  string    `json:"install,omitempty"` // how it was installed: npm, native, local or other
	Version  string    `json:"version,omitempty"` // "" when it did not say
	Latest   string    `json:"latest,omitempty"`  // the latest published version; "" when unknown or not asked
	Others   []string  `json:"others,omitempty"`  // the other installs found, "path (install version)"
	Findings []Finding `json:"findings"`          // CLAUDE_CODE_OUTDATED, _MULTIPLE, _NOT_FOUND, _VERSION_UNKNOWN
}

// Has reports whether the view holds a finding with this code.
func (v *ClaudeCodeView) Has(c Code) bool {
	if v == nil {
		return false
	}
	for _, f := range v.Findings {
		if f.Code == c {
			return true
		}
	}
	return false
}

// AddAdvice adds the result of a check that Run does not run (CheckVersion)
// and the install it saw, with its findings in the view (view.Findings). The
// check's row shows with the others, its status raised by those findings,
// but the report's findings and verdict stay what the connection's checks
// said: advice about the tool never makes the API "degraded" or "down".
func (r *Report) AddAdvice(res CheckResult, view *ClaudeCodeView) {
	if view != nil {
		for _, f := range view.Findings {
			switch {
			case f.Severity == SeverityFail:
				res.Status = StatusFail
			case f.Severity == SeverityWarn && res.Status != StatusFail:
				res.Status = StatusWarn
			}
		}
		r.ClaudeCode = view
	}
	r.Checks = append(r.Checks, res)
}

// Advice returns the advice findings (about Claude Code's install): the ones
// that do not count in the verdict.
func (r *Report) Advice() []Finding {
	if r.ClaudeCode == nil {
		return nil
	}
	return r.ClaudeCode.Findings
}

// HTTPClient returns a client that reaches rawURL the way the checks reach
// the API: the Target's proxy unless NO_PROXY exempts the host, the roots
// Claude Code would trust (CLAUDE_CODE_CERT_STORE, NODE_EXTRA_CA_CERTS), TLS
// 1.2 or newer, no redirects followed, and every dial and handshake bounded
// by timeout. For Claude Medic's other requests (the npm registry), so they
// go where Claude Code's go. rawURL must be an absolute http(s) URL.
func HTTPClient(t claudesettings.Target, rawURL string, timeout time.Duration) (*http.Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, err
	}
	if (u.Scheme != "https" && u.Scheme != "http") || u.Hostname() == "" {
		return nil, fmt.Errorf("%q is not an http:// or https:// URL with a host", rawURL)
	}
	cfg := config{apiTimeout: claudesettings.DefaultAPITimeout, trust: trustFor(t)} // the roots Claude Code would trust, as the checks build them
	host, port := hostPort(u)
	c := newClient(cfg, routeFor(t, host, port), Options{}, time.Now().Add(timeout))
	c.http.Timeout = timeout
	return c.http, nil
}
