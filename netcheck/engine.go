package netcheck

import (
	"context"
	"time"
)

// Options choose what a run checks and how long each check may take.
type Options struct {
	Timeout   time.Duration     // bound for each check; 0 means 10s. The whole run ends within about this.
	Stream    bool              // run the opt-in stream check (spends a few tokens)
	Status    bool              // run the opt-in status-page check
	StatusURL string            // the Statuspage summary URL; "" means https://status.claude.com/api/v2/summary.json
	Only      []CheckID         // run only these checks (and what they need); nil means the default set
	Progress  func(CheckResult) // called as each check ends (from any goroutine), for live progress
}

// Run checks target and returns the report. It never panics on bad input: a
// garbled URL or an unreadable CA file becomes a finding. It returns within
// about opts.Timeout even when the network swallows every packet.
func Run(ctx context.Context, target Target, opts Options) *Report {
	// TODO(netcheck): the engine. This placeholder only reports the key check.
	start := time.Now()
	r := &Report{Schema: Schema, Target: target.View(), StartedAt: start.UTC()}
	r.Findings = append(r.Findings, InspectKey(target.Credential.Secret, target.Credential.Kind)...)
	r.Verdict = VerdictOf(r.Findings)
	r.Duration = time.Since(start)
	_ = ctx
	return r
}

// newFinding builds a finding of code from check with the catalogue's severity
// and fix, and a summary that says what was seen.
func newFinding(code Code, check CheckID, summary Text) Finding {
	// TODO(netcheck): severity and fix from the catalogue.
	return Finding{Code: code, Severity: SeverityFail, Check: check, Summary: summary}
}
