package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"claudemedic/netcheck"
)

// ANSI colours for the table on a terminal.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiGreen  = "\x1b[32m"
	ansiYellow = "\x1b[33m"
)

// tr picks the English or the Chinese text of a table label.
func tr(lang, en, zh string) string { return netcheck.Text{EN: en, ZH: zh}.In(lang) }

// writeTable renders a report for a person: what was checked, a row per check
// with its time, the phases of the request, the verdict, then each finding with its fix.
func writeTable(w io.Writer, r *netcheck.Report, lang string, color bool) {
	paint := func(code, s string) string {
		if !color {
			return s
		}
		return code + s + ansiReset
	}
	t := r.Target
	fmt.Fprintf(w, "%s %s (%s)\n", paint(ansiBold, "Claude Medic:"), t.BaseURL, t.BaseURLSource)
	if t.Proxy != nil {
		fmt.Fprintf(w, "  %s %s (%s)\n", tr(lang, "proxy", "代理"), *t.Proxy, t.ProxySource)
	}
	if t.CAFile != nil {
		fmt.Fprintf(w, "  %s %s (%s)\n", tr(lang, "extra CA", "额外 CA"), *t.CAFile, t.CAFileSource)
	}
	if t.Key != nil {
		fmt.Fprintf(w, "  %s %s (%s)\n", tr(lang, "key", "密钥"), *t.Key, t.KeySource)
	}
	fmt.Fprintln(w)

	for _, c := range r.Checks {
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
		fmt.Fprintf(w, "  %s %-10s %9s  %s\n", paint(col, mark), c.ID, dur, c.Summary.In(lang))
	}

	if tm := r.Timings; tm.Total > 0 {
		fmt.Fprintf(w, "\n  %s  DNS %s · %s %s · TLS %s · %s %s · %s %s\n", tr(lang, "timings", "耗时"),
			netcheck.FormatDuration(tm.DNS), tr(lang, "connect", "连接"), netcheck.FormatDuration(tm.Connect), netcheck.FormatDuration(tm.TLS),
			tr(lang, "first byte", "首字节"), netcheck.FormatDuration(tm.FirstByte), tr(lang, "total", "总计"), netcheck.FormatDuration(tm.Total))
	}

	verdict := map[netcheck.Verdict][3]string{
		netcheck.VerdictOK:       {ansiGreen, "OK: Claude will answer from this machine.", "正常：本机可以访问 Claude。"},
		netcheck.VerdictDegraded: {ansiYellow, "DEGRADED: requests work but may be slow or flaky.", "降级：请求可用，但可能很慢或不稳定。"},
		netcheck.VerdictDown:     {ansiRed, "DOWN: requests from this machine will fail.", "故障：本机的请求会失败。"},
	}[r.Verdict]
	fmt.Fprintf(w, "\n%s  %s\n", paint(ansiBold+verdict[0], tr(lang, verdict[1], verdict[2])),
		paint(ansiDim, "("+netcheck.FormatDuration(r.Duration)+")"))

	for _, f := range append(slices.Clip(r.Findings), r.Advice()...) { // then Claude Code's own install, outside the verdict
		col := ansiRed
		if f.Severity == netcheck.SeverityWarn {
			col = ansiYellow
		}
		fmt.Fprintf(w, "\n%s  %s\n", paint(col, string(f.Code)), f.Summary.In(lang))
		fix := strings.ReplaceAll(f.Fix.In(lang), "\n", "\n       ")
		fmt.Fprintf(w, "  %s %s\n", paint(ansiBold, tr(lang, "Fix:", "修复：")), fix)
	}
}
