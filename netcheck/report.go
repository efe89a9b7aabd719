package netcheck

import (
	"encoding/json"
	"fmt"
	"time"

	"claudemedic/claudesettings"
)

// Schema is the version of the JSON form of a Report (`claudemedic check --json`).
const Schema = 1

// Status is the outcome of one check.
type Status string

// The outcomes of a check.
const (
	StatusPass Status = "pass"
	StatusWarn Status = "warn"
	StatusFail Status = "fail"
	StatusSkip Status = "skip"
)

// Severity is how bad a Finding is.
type Severity string

// The severities of a finding.
const (
	SeverityWarn Severity = "warn"
	SeverityFail Severity = "fail"
)

// Verdict sums up a Report: down if any finding fails, degraded if any warns, else ok.
type Verdict string

// The verdicts of a report. VerdictUnknown is for front ends that have no report yet.
const (
	VerdictOK       Verdict = "ok"
	VerdictDegraded Verdict = "degraded"
	VerdictDown     Verdict = "down"
	VerdictUnknown  Verdict = "unknown"
)

// CheckID names a check of DESIGN.md's table.
type CheckID string

// The checks, in the order a report lists them.
const (
	CheckConfig    CheckID = "config"
	CheckKey       CheckID = "key"
	CheckDNS       CheckID = "dns"
	CheckTCP       CheckID = "tcp"
	CheckProxy     CheckID = "proxy"
	CheckTLS       CheckID = "tls"
	CheckClock     CheckID = "clock"
	CheckHTTP      CheckID = "http"
	CheckAuth      CheckID = "auth"
	CheckRateLimit CheckID = "ratelimit"
	CheckStream    CheckID = "stream"
	CheckStatus    CheckID = "status"
)

// AllChecks lists every check in report order.
var AllChecks = []CheckID{CheckConfig, CheckKey, CheckDNS, CheckTCP, CheckProxy, CheckTLS,
	CheckClock, CheckHTTP, CheckAuth, CheckRateLimit, CheckStream, CheckStatus}

// Finding is one diagnosed cause, with a fix. Codes are stable: see codes.go.
type Finding struct {
	Code     Code
	Severity Severity
	Check    CheckID
	Summary  claudesettings.Text
	Fix      claudesettings.Text
}

type findingJSON struct {
	Code      Code     `json:"code"`
	Severity  Severity `json:"severity"`
	Check     CheckID  `json:"check"`
	Summary   string   `json:"summary"`
	Fix       string   `json:"fix"`
	SummaryZH string   `json:"summary_zh,omitempty"`
	FixZH     string   `json:"fix_zh,omitempty"`
}

// MarshalJSON writes the schema-1 form: English summary and fix, with the
// Chinese texts beside them.
func (f Finding) MarshalJSON() ([]byte, error) {
	return json.Marshal(findingJSON{f.Code, f.Severity, f.Check, f.Summary.EN, f.Fix.EN, f.Summary.ZH, f.Fix.ZH})
}

// UnmarshalJSON reads the schema-1 form back (the tray's last report on disk).
func (f *Finding) UnmarshalJSON(b []byte) error {
	var j findingJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*f = Finding{j.Code, j.Severity, j.Check, claudesettings.Text{EN: j.Summary, ZH: j.SummaryZH}, claudesettings.Text{EN: j.Fix, ZH: j.FixZH}}
	return nil
}

// CheckResult is the outcome of one check.
type CheckResult struct {
	ID       CheckID
	Status   Status
	Duration time.Duration
	Summary  claudesettings.Text
}

type checkJSON struct {
	ID         CheckID `json:"id"`
	Status     Status  `json:"status"`
	DurationMS float64 `json:"duration_ms"`
	Summary    string  `json:"summary"`
	SummaryZH  string  `json:"summary_zh,omitempty"`
}

// MarshalJSON writes the schema-1 form of a check.
func (c CheckResult) MarshalJSON() ([]byte, error) {
	return json.Marshal(checkJSON{c.ID, c.Status, ms(c.Duration), c.Summary.EN, c.Summary.ZH})
}

// UnmarshalJSON reads the schema-1 form of a check.
func (c *CheckResult) UnmarshalJSON(b []byte) error {
	var j checkJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*c = CheckResult{j.ID, j.Status, fromMS(j.DurationMS), claudesettings.Text{EN: j.Summary, ZH: j.SummaryZH}}
	return nil
}

// Timings are the phases of the request to the API, from net/http/httptrace,
// for the waterfall. A phase that did not happen is zero. The marks (…At)
// are offsets from the start of the request, as httpstat and curl's
// time_namelookup, time_connect, time_pretransfer, time_starttransfer and
// time_total give them, so a waterfall draws each bar where it really
// started; the durations are each phase's own length.
type Timings struct {
	DNS       time.Duration
	Connect   time.Duration // through a proxy, up to its answer to CONNECT
	TLS       time.Duration
	FirstByte time.Duration // from the request written to the first response byte
	Total     time.Duration // from start to the whole response read

	DNSDoneAt   time.Duration // the host name resolved
	ConnectedAt time.Duration // TCP connected (through a proxy: its tunnel open)
	TLSDoneAt   time.Duration // the TLS handshake done
	FirstByteAt time.Duration // the first byte of the answer came
	EndAt       time.Duration // the whole answer read, or the request failed
}

type timingsJSON struct {
	DNS         float64 `json:"dns_ms"`
	Connect     float64 `json:"connect_ms"`
	TLS         float64 `json:"tls_ms"`
	FirstByte   float64 `json:"first_byte_ms"`
	Total       float64 `json:"total_ms"`
	DNSDoneAt   float64 `json:"dns_done_at_ms"`
	ConnectedAt float64 `json:"connected_at_ms"`
	TLSDoneAt   float64 `json:"tls_done_at_ms"`
	FirstByteAt float64 `json:"first_byte_at_ms"`
	EndAt       float64 `json:"end_at_ms"`
}

// MarshalJSON writes the phases and the marks in milliseconds.
func (t Timings) MarshalJSON() ([]byte, error) {
	return json.Marshal(timingsJSON{ms(t.DNS), ms(t.Connect), ms(t.TLS), ms(t.FirstByte), ms(t.Total),
		ms(t.DNSDoneAt), ms(t.ConnectedAt), ms(t.TLSDoneAt), ms(t.FirstByteAt), ms(t.EndAt)})
}

// UnmarshalJSON reads the phases back (a report written before the marks
// existed reads them as zero).
func (t *Timings) UnmarshalJSON(b []byte) error {
	var j timingsJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*t = Timings{fromMS(j.DNS), fromMS(j.Connect), fromMS(j.TLS), fromMS(j.FirstByte), fromMS(j.Total),
		fromMS(j.DNSDoneAt), fromMS(j.ConnectedAt), fromMS(j.TLSDoneAt), fromMS(j.FirstByteAt), fromMS(j.EndAt)}
	return nil
}

// Latency is how long the API took to start answering: the time to first
// byte, or the whole request when no first byte was timed.
func (t Timings) Latency() time.Duration {
	if t.FirstByte > 0 {
		return t.FirstByte
	}
	return t.Total
}

// FormatDuration shows a duration to a person, as every front end and every
// summary does: "–" for none, "<0.1 ms", "4.2 ms", "120 ms", "1.3 s".
func FormatDuration(d time.Duration) string {
	switch {
	case d <= 0:
		return "–"
	case d < 100*time.Microsecond:
		return "<0.1 ms"
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d.Microseconds())/1000)
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1f s", d.Seconds())
}

// Report is the result of one run of the checks.
type Report struct {
	Schema    int                       `json:"schema"`
	Target    claudesettings.TargetView `json:"target"`
	StartedAt time.Time                 `json:"started_at"`
	Duration  time.Duration             `json:"-"`
	Verdict   Verdict                   `json:"verdict"`
	Checks    []CheckResult             `json:"checks"`
	Findings  []Finding                 `json:"findings"`
	Timings   Timings                   `json:"timings"`
	// RequestFrom says whose request the network checks copied: "transcript
	// 2.1.332" (the installed Claude Code's newest) or "built-in 2.1.332".
	RequestFrom string `json:"request_from,omitempty"`
	// ClaudeCode is the Claude Code installed here, when the front end looked (AddAdvice).
	ClaudeCode *ClaudeCodeView `json:"claude_code,omitempty"`
}

type reportAlias Report

type reportJSON struct {
	*reportAlias
	DurationMS float64 `json:"duration_ms"`
}

// MarshalJSON writes schema 1 of DESIGN.md's command-line contract.
func (r Report) MarshalJSON() ([]byte, error) {
	a := reportAlias(r)
	if a.Checks == nil {
		a.Checks = []CheckResult{}
	}
	if a.Findings == nil {
		a.Findings = []Finding{}
	}
	return json.Marshal(reportJSON{&a, ms(r.Duration)})
}

// UnmarshalJSON reads a report written by MarshalJSON.
func (r *Report) UnmarshalJSON(b []byte) error {
	j := reportJSON{reportAlias: (*reportAlias)(r)}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	r.Duration = fromMS(j.DurationMS)
	return nil
}

// VerdictOf sums up findings: down if any fails, degraded if any warns, else ok.
func VerdictOf(findings []Finding) Verdict {
	v := VerdictOK
	for _, f := range findings {
		switch f.Severity {
		case SeverityFail:
			return VerdictDown
		case SeverityWarn:
			v = VerdictDegraded
		}
	}
	return v
}

// Has reports whether the report holds a finding with this code.
func (r *Report) Has(c Code) bool {
	for _, f := range r.Findings {
		if f.Code == c {
			return true
		}
	}
	return false
}

// Check returns the result of check id, and false when it did not run.
func (r *Report) Check(id CheckID) (CheckResult, bool) {
	for _, c := range r.Checks {
		if c.ID == id {
			return c, true
		}
	}
	return CheckResult{}, false
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func fromMS(v float64) time.Duration { return time.Duration(v * float64(time.Millisecond)) }
