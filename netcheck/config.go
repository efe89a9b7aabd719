package netcheck

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"claudemedic/claudesettings"
)

// config is what the config check resolved for the network checks.
type config struct {
	base       *url.URL       // the base URL; nil when it is not valid
	raw        string         // the base URL as Claude Code joins paths to it (white space trimmed)
	pathIssue  *Finding       // BASE_URL_PATH: the base URL's path, query or fragment breaks Claude Code's request path
	pending    *pendingConfig // the config check's result, held until the network says whether pathIssue is real
	trust      trust          // the roots Claude Code would trust (trust.go)
	apiTimeout time.Duration  // API_TIMEOUT_MS, or Claude Code's default
	timeoutSet bool           // API_TIMEOUT_MS is set and read (not ignored for Claude Code's default)
}

// checkConfig runs the config check: the problems claudecfg found, the base
// URL, API_TIMEOUT_MS and the extra CA file.
func (r *run) checkConfig() config {
	t0 := time.Now()
	cfg := config{}
	var fs []Finding
	bad := func(en, zh string) {
		fs = append(fs, newFinding(ConfigInvalid, CheckConfig, claudesettings.Text{EN: en, ZH: zh}))
	}
	for _, p := range r.target.Problems {
		zh := p.MessageZH
		if zh == "" {
			zh = p.Message
		}
		bad(fmt.Sprintf("%s: %s", p.Path, p.Message), fmt.Sprintf("%s：%s", p.Path, zh))
		if p.Works {
			fs[len(fs)-1].Severity = SeverityWarn
		}
	}

	base, br := r.target.EffectiveBaseURL()
	if br.URL == nil {
		fs = append(fs, newFinding(ConfigInvalid, CheckConfig, br.Problem.Text))
	} else if u := br.URL; u != nil {
		cfg.base, cfg.raw = u, claudesettings.TrimBaseURL(base.Value)
		if t, ok := claudesettings.BaseURLPathIssue(u, base.Value); ok {
			f := newFinding(BaseURLPath, CheckConfig, t)
			cfg.pathIssue = &f
		}
		if u.User != nil {
			fs = append(fs, newFinding(BaseURLCredentials, CheckConfig, claudesettings.Text{EN: fmt.Sprintf("ANTHROPIC_BASE_URL %s holds a user name and password: Claude Code sends them as HTTP Basic auth on every request beside an API key (and drops them when ANTHROPIC_AUTH_TOKEN is set).", u.Redacted()), ZH: fmt.Sprintf("ANTHROPIC_BASE_URL %s 中含有用户名和密码：Claude Code 会在每个请求中把它们作为 HTTP Basic 认证与 API 密钥一起发送（设置了 ANTHROPIC_AUTH_TOKEN 时则丢弃它们）。", u.Redacted())}))
		}
	}

	// API_TIMEOUT_MS as Claude Code reads it (the table): a value it reads
	// otherwise than written is a problem, and the timeout it will use counts.
	timeout := r.target.Read(claudesettings.VarAPITimeout)
	cfg.apiTimeout, cfg.timeoutSet = timeout.Duration(), !timeout.Defaulted
	p := timeout.Problem
	if !p.None() {
		f := newFinding(ConfigInvalid, CheckConfig, p.Text)
		plain, perr := strconv.ParseInt(strings.TrimSpace(timeout.Raw), 10, 64)
		outOfRange := perr == nil && (plain < 0 || plain > claudesettings.MaxAPITimeoutMS) // written out of range: a failure, as before
		if timeout.Number >= 1000 && timeout.Number <= claudesettings.MaxAPITimeoutMS && !outOfRange {
			// Claude Code works with the value it reads ("5000ms", "+5000",
			// "abc" or a quoted value read as its default: each answered after
			// 7 s; 2.1.332, scripts/differential.sh): a warning, not a verdict
			// of down. Under a second, every request times out: a failure.
			f.Severity = SeverityWarn
		}
		fs = append(fs, f)
	}

	// NO_PROXY as Claude Code reads it (the table): an entry that can match
	// no host as written is a warning (what it should exempt goes through
	// the proxy; Claude Code still works if the proxy does).
	if _, np := r.target.EffectiveNoProxy(); !np.Problem.None() {
		f := newFinding(ConfigInvalid, CheckConfig, np.Problem.Text)
		f.Severity = SeverityWarn
		fs = append(fs, f)
	}

	cfg.trust = trustFor(r.target)
	if cfg.trust.problem.Code != "" {
		fs = append(fs, cfg.trust.problem)
	}

	summary := claudesettings.Text{EN: "Settings are valid.", ZH: "设置有效。"}
	if cfg.timeoutSet && p.None() {
		summary = claudesettings.Text{EN: fmt.Sprintf("Settings are valid; API_TIMEOUT_MS is %d ms.", cfg.apiTimeout.Milliseconds()), ZH: fmt.Sprintf("设置有效；API_TIMEOUT_MS 为 %d 毫秒。", cfg.apiTimeout.Milliseconds())}

	}
	cfg.pending = &pendingConfig{took: time.Since(t0), summary: summary, findings: fs}
	if cfg.pathIssue == nil || !r.wantsAny(networkChecks...) {
		r.endConfig(&cfg, false)
	}
	return cfg
}

// pendingConfig is the config check's outcome before it is recorded.
type pendingConfig struct {
	took     time.Duration
	summary  claudesettings.Text
	findings []Finding
}

// endConfig records the config check, once. A base URL whose path looks
// wrong (BASE_URL_PATH) is held back until the request to it is answered:
// worked is true when the endpoint answered there after all, and the
// finding is then dropped; otherwise it stands.
func (r *run) endConfig(cfg *config, worked bool) {
	p := cfg.pending
	if p == nil {
		return
	}
	cfg.pending = nil
	fs := p.findings
	if cfg.pathIssue != nil && !worked {
		fs = append(fs, *cfg.pathIssue)
	}
	summary := p.summary
	if len(fs) > 0 {
		summary = claudesettings.Text{EN: plural(len(fs), "setting problem"), ZH: fmt.Sprintf("%d 个设置问题。", len(fs))}
	}
	r.finish(CheckConfig, StatusPass, p.took, summary, fs...)
}

// hostPort returns the base URL's host and port, the scheme's default port
// when none is written.
func hostPort(u *url.URL) (string, string) {
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	return u.Hostname(), port
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// isLocalHost reports whether host is a local relay rather than the Claude
// API: localhost, a loopback, private or link-local address, a single-label
// name, or a name under a local-only domain (.local, .lan, .internal,
// .home.arpa, .localdomain). It never resolves the name: with a proxy set,
// Claude Code does not either.
func isLocalHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	if ip := net.ParseIP(h); ip != nil {
		return ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsUnspecified()
	}
	if h == "" || !strings.Contains(h, ".") {
		return true
	}
	for _, d := range []string{"localhost", "local", "lan", "internal", "home.arpa", "localdomain"} {
		if strings.HasSuffix(h, "."+d) {
			return true
		}
	}
	return false
}

// plural is "1 setting problem." or "3 setting problems.".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s.", noun)
	}
	return fmt.Sprintf("%d %ss.", n, noun)
}
