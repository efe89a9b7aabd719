package gui

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"

	"claudemedic/netcheck"
)

// MarkdownReport is the report a person pastes into a support request: the
// system, the versions, the effective settings with where each came from,
// every check and every finding, in lang. The key shows only masked (as
// TargetView holds it): never the key itself.
func MarkdownReport(r *netcheck.Report, lang, claudeCode string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Claude Medic report\n\n")
	fmt.Fprintf(&b, "- Verdict: **%s**\n", r.Verdict)
	fmt.Fprintf(&b, "- Checked: %s (%s)\n", r.StartedAt.UTC().Format("2006-01-02 15:04:05 UTC"), netcheck.FormatDuration(r.Duration))
	fmt.Fprintf(&b, "- System: %s (%s/%s)\n", osName(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(&b, "- Versions: Claude Medic %s (%s), Claude Code %s\n", Version, runtime.Version(), orDash(claudeCode))

	t := r.Target
	b.WriteString("\n## Effective settings\n\n| setting | value | from |\n|---|---|---|\n")
	row := func(name string, v *string, src netcheck.Source) {
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
	fmt.Fprintf(&b, "| credential | %s | %s |\n", key, orDash(string(t.KeySource)))

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

// ClaudeCodeVersion asks `claude --version` (bounded by ctx); "" when
// Claude Code is not on the PATH or does not answer.
func ClaudeCodeVersion(ctx context.Context) string {
	path, err := exec.LookPath("claude")
	if err != nil {
		return ""
	}
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return ""
	}
	v, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
	return v
}

// osName is the distribution's PRETTY_NAME on Linux, else the GOOS.
func osName() string {
	f, err := os.Open("/etc/os-release")
	if err != nil {
		return runtime.GOOS
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if v, ok := strings.CutPrefix(s.Text(), "PRETTY_NAME="); ok {
			return strings.Trim(v, `"`)
		}
	}
	return runtime.GOOS
}
