package doctor

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode"

	"claudemedic/claudesettings"
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

// WriteJSON writes v as one indented JSON object, as every --json of the
// command line does (no HTML escaping: the texts are read in a terminal).
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// ANSI colours for a terminal.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

// Paint colours text for a terminal, or leaves it when color is false.
type Paint bool

func (p Paint) with(code, s string) string {
	if !p {
		return s
	}
	return code + s + ansiReset
}

// Bold is s in bold.
func (p Paint) Bold(s string) string { return p.with(ansiBold, s) }

// Dim is s dimmed.
func (p Paint) Dim(s string) string { return p.with(ansiDim, s) }

// Verdict is s in the verdict's colour.
func (p Paint) Verdict(v netcheck.Verdict, s string) string {
	return p.with(ansiBold+map[netcheck.Verdict]string{netcheck.VerdictOK: ansiGreen, netcheck.VerdictDegraded: ansiYellow, netcheck.VerdictDown: ansiRed}[v], s)
}

// VerdictLine is the verdict as the terminal says it.
func VerdictLine(tr i18n.Printer, v netcheck.Verdict) string {
	switch v {
	case netcheck.VerdictOK:
		return tr.X("report.ok", "OK: Claude will answer from this machine.")
	case netcheck.VerdictDegraded:
		return tr.X("report.degraded", "DEGRADED: requests work but may be slow or flaky.")
	case netcheck.VerdictDown:
		return tr.X("report.down", "DOWN: requests from this machine will fail.")
	}
	return tr.X("report.unknown", "UNKNOWN: nothing was checked.")
}

// WriteText renders a report for a person in a terminal: what was checked,
// a row per check with its time, the waterfall of the request's phases, the
// verdict, then each finding with its fix.
func WriteText(w io.Writer, r *netcheck.Report, tr i18n.Printer, paint Paint) {
	WriteTarget(w, r.Target, tr, paint)
	if r.RequestFrom != "" {
		fmt.Fprintln(w, paint.Dim(tr.X("report.request_from", "Request: Claude Code's, {{.From}}", "From", r.RequestFrom)))
	}
	fmt.Fprintln(w)
	for _, c := range r.Checks {
		WriteCheck(w, c, tr, paint)
	}
	WriteWaterfall(w, r.Timings, tr)
	fmt.Fprintf(w, "\n%s  %s\n", paint.Verdict(r.Verdict, VerdictLine(tr, r.Verdict)), paint.Dim("("+netcheck.FormatDuration(r.Duration)+")"))
	for _, f := range append(slices.Clip(r.Findings), r.Advice()...) { // then Claude Code's own install, outside the verdict
		WriteFinding(w, f, tr, paint)
	}
}

// WriteTarget is what a report checked: the base URL (or the cloud
// provider), the proxy, the extra CA and the credential that wins, each with
// where it came from, and the credentials it hides.
func WriteTarget(w io.Writer, t claudesettings.TargetView, tr i18n.Printer, paint Paint) {
	fmt.Fprintf(w, "%s %s (%s)\n", paint.Bold("Claude Medic:"), t.BaseURL, t.BaseURLSource)
	if p := t.Provider; p != nil {
		fmt.Fprintf(w, "  %s %s (%s)\n", tr.X("report.provider", "provider"), p.Name.Title(), p.Var)
		if p.Region != "" {
			fmt.Fprintf(w, "  %s %s (%s)\n", tr.X("report.region", "region"), p.Region, p.RegionSource)
		}
		if p.Credentials != "" {
			fmt.Fprintf(w, "  %s %s (%s)\n", tr.X("report.cloud_credentials", "credentials"), p.Credentials, p.CredentialsSource)
		}
	}
	if t.Proxy != nil {
		fmt.Fprintf(w, "  %s %s (%s)\n", tr.X("report.proxy", "proxy"), *t.Proxy, t.ProxySource)
	}
	if t.CAFile != nil {
		fmt.Fprintf(w, "  %s %s (%s)\n", tr.X("report.ca", "extra CA"), *t.CAFile, t.CAFileSource)
	}
	switch {
	case t.Key != nil:
		fmt.Fprintf(w, "  %s %s (%s)\n", tr.X("report.key", "key"), credentialText(*t.Key, t.KeyLabel), t.KeySource)
	case t.KeyError != "":
		fmt.Fprintf(w, "  %s %s (%s): %s\n", tr.X("report.key", "key"), t.KeyLabel, t.KeySource, t.KeyError)
	}
	for _, c := range t.Shadowed {
		key := ""
		if c.Key != nil {
			key = *c.Key
		}
		fmt.Fprintf(w, "  %s %s (%s)\n", tr.X("report.shadowed", "also set, not sent:"), credentialText(key, c.Label), c.Source)
	}
}

// credentialText is a masked credential with its name, when the name says
// more than the key: "sk-ant-oat01…AA, claude.ai login (Max)".
func credentialText(masked, label string) string {
	switch {
	case label == "":
		return masked
	case masked == "":
		return label
	}
	return masked + ", " + label
}

// WriteCheck is one row: the check's mark, name, time and summary.
func WriteCheck(w io.Writer, c netcheck.CheckResult, tr i18n.Printer, paint Paint) {
	mark, col := "✓", ansiGreen
	switch c.Status {
	case netcheck.StatusWarn:
		mark, col = "!", ansiYellow
	case netcheck.StatusFail:
		mark, col = "✗", ansiRed
	case netcheck.StatusSkip:
		mark, col = "-", ansiDim
	}
	dur := ""
	if c.Status != netcheck.StatusSkip {
		dur = netcheck.FormatDuration(c.Duration)
	}
	fmt.Fprintf(w, "  %s %-10s %9s  %s\n", paint.with(col, mark), c.ID, dur, c.Summary.In(tr.Lang()))
}

// WriteFinding is one finding with its fix.
func WriteFinding(w io.Writer, f netcheck.Finding, tr i18n.Printer, paint Paint) {
	col := ansiRed
	if f.Severity == netcheck.SeverityWarn {
		col = ansiYellow
	}
	fmt.Fprintf(w, "\n%s  %s\n", paint.with(col, string(f.Code)), f.Summary.In(tr.Lang()))
	fix := strings.ReplaceAll(f.Fix.In(tr.Lang()), "\n", "\n       ")
	fmt.Fprintf(w, "  %s %s\n", paint.Bold(tr.X("report.fix", "Fix:")), fix)
}

// barWidth is how many columns the terminal waterfall's axis takes.
const barWidth = 40

// WriteWaterfall draws the request's phases on one axis (Waterfall), a bar
// per phase, as the window does; nothing when no request reached a server.
func WriteWaterfall(w io.Writer, t netcheck.Timings, tr i18n.Printer) {
	phases, axis := Waterfall(t)
	if axis <= 0 {
		return
	}
	names := make([]string, len(phases))
	nameWidth := 0
	for i, p := range phases {
		names[i] = PhaseName(tr, p.ID)
		nameWidth = max(nameWidth, displayWidth(names[i]))
	}
	fmt.Fprintf(w, "\n  %s\n", tr.X("status.section.timings", "Where the time goes"))
	col := func(d time.Duration) int { return int((d*barWidth + axis/2) / axis) }
	for i, p := range phases {
		from, to := col(p.From), col(p.From+p.Duration)
		if p.Duration > 0 && to == from {
			to = min(from+1, barWidth) // a phase of 0.1 ms still shows
			from = to - 1
		}
		bar := strings.Repeat(" ", from) + strings.Repeat("█", to-from) + strings.Repeat(" ", barWidth-to)
		fmt.Fprintf(w, "    %s%s │%s│ %8s\n", names[i], strings.Repeat(" ", nameWidth-displayWidth(names[i])), bar, netcheck.FormatDuration(p.Duration))
	}
}

// displayWidth is how many terminal columns s takes: two for a wide (CJK) character.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) || (r >= 0xFF00 && r <= 0xFF60) || (r >= 0x3000 && r <= 0x303F) {
			n++
		}
	}
	return n
}

// Markdown is the report a person pastes into a support request: the system,
// the versions, the effective settings with where each came from, every check
// and every finding, in lang. The key shows only masked (as TargetView holds
// it): never the key itself.
func Markdown(r *netcheck.Report, lang, claudeCode string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Claude Medic report\n\n")
	fmt.Fprintf(&b, "- Verdict: **%s**\n", r.Verdict)
	fmt.Fprintf(&b, "- Checked: %s (%s)\n", r.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC"), netcheck.FormatDuration(r.Duration))
	fmt.Fprintf(&b, "- System: %s (%s/%s)\n", osName(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "- Versions: Claude Medic %s (%s), Claude Code %s\n", Version, runtime.Version(), orDash(claudeCode))

	t := r.Target
	b.WriteString("\n## Effective settings\n\n| setting | value | from |\n|---|---|---|\n")
	row := func(name string, v *string, src claudesettings.Source) {
		val := "(unset)"
		if v != nil {
			val = "`" + *v + "`"
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", name, val, orDash(string(src)))
	}
	base := t.BaseURL
	row("ANTHROPIC_BASE_URL", &base, t.BaseURLSource)
	row("HTTPS_PROXY", t.Proxy, t.ProxySource)
	row("NO_PROXY", t.NoProxy, "")
	row("NODE_EXTRA_CA_CERTS", t.CAFile, t.CAFileSource)
	var timeout *string
	if t.APITimeoutMS != "" {
		timeout = &t.APITimeoutMS
	}
	row("API_TIMEOUT_MS", timeout, t.APITimeoutSource)
	key := "(none)"
	if t.Key != nil {
		key = fmt.Sprintf("`%s` (%s)", *t.Key, orDash(t.KeyKind))
	}
	if t.KeyLabel != "" {
		key += " " + cell(t.KeyLabel)
	}
	if t.KeyError != "" {
		key += ": " + cell(t.KeyError)
	}
	fmt.Fprintf(&b, "| credential | %s | %s |\n", key, orDash(string(t.KeySource)))
	for _, c := range t.Shadowed {
		masked := "–"
		if c.Key != nil {
			masked = "`" + *c.Key + "`"
		}
		fmt.Fprintf(&b, "| also set, not sent | %s %s | %s |\n", masked, cell(c.Label), orDash(string(c.Source)))
	}
	if p := t.Provider; p != nil {
		fmt.Fprintf(&b, "| cloud provider | %s (%s) | %s |\n", p.Name.Title(), p.Var, orDash(p.Region))
	}

	b.WriteString("\n## Checks\n\n| check | status | time | summary |\n|---|---|---|---|\n")
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", c.ID, c.Status, netcheck.FormatDuration(c.Duration), cell(c.Summary.In(lang)))
	}
	tm := r.Timings
	fmt.Fprintf(&b, "\nTimings: DNS %s · connect %s · TLS %s · first byte %s · total %s\n",
		netcheck.FormatDuration(tm.DNS), netcheck.FormatDuration(tm.Connect), netcheck.FormatDuration(tm.TLS), netcheck.FormatDuration(tm.FirstByte), netcheck.FormatDuration(tm.Total))

	b.WriteString("\n## Findings\n\n")
	if len(r.Findings) == 0 {
		b.WriteString("None.\n")
	}
	for _, f := range r.Findings {
		fmt.Fprintf(&b, "- **%s** (%s, %s): %s\n  Fix: %s\n", f.Code, f.Severity, f.Check, f.Summary.In(lang), f.Fix.In(lang))
	}
	return b.String()
}

func orDash(s string) string {
	if s == "" {
		return "–"
	}
	return s
}

func cell(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ") }
