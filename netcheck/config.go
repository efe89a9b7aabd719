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

	"golang.org/x/net/idna"
)

// MaxAPITimeoutMS is the largest API_TIMEOUT_MS Claude Code accepts (a
// JavaScript timer's limit).
const MaxAPITimeoutMS = 2147483647

// config is what the config check resolved for the network checks.
type config struct {
	base       *url.URL       // the base URL; nil when it is not valid
	raw        string         // the base URL as Claude Code joins paths to it (white space trimmed)
	pathIssue  *Finding       // BASE_URL_PATH: the base URL's path, query or fragment breaks Claude Code's request path
	pending    *pendingConfig // the config check's result, held until the network says whether pathIssue is real
	trust      trust          // the roots Claude Code would trust (trust.go)
	apiTimeout time.Duration  // API_TIMEOUT_MS, or Claude Code's default
	timeoutSet bool           // API_TIMEOUT_MS was set (and valid)
}

// checkConfig runs the config check: the problems claudecfg found, the base
// URL, API_TIMEOUT_MS and the extra CA file.
func (r *run) checkConfig() config {
	t0 := time.Now()
	cfg := config{apiTimeout: DefaultAPITimeout}
	var fs []Finding
	bad := func(en, zh string) { fs = append(fs, newFinding(ConfigInvalid, CheckConfig, Text{en, zh})) }
	for _, p := range r.target.Problems {
		bad(fmt.Sprintf("%s: %s", p.Path, p.Message), fmt.Sprintf("%s：%s", p.Path, p.Message))
	}

	raw := r.target.BaseURL.Value
	if strings.TrimSpace(raw) == "" {
		raw = DefaultBaseURL
	}
	if u, err := ParseBaseURL(raw); err != nil {
		shown := RedactProxyURL(strings.TrimSpace(raw))
		var be *BaseURLError
		zh := err.Error()
		if errors.As(err, &be) {
			zh = be.Text.ZH
		}
		bad(fmt.Sprintf("ANTHROPIC_BASE_URL %q is not a usable URL: %v; Claude Code answers \"API Error: Invalid URL\".", shown, err),
			fmt.Sprintf("ANTHROPIC_BASE_URL %q 不是可用的 URL：%s；Claude Code 会报 “API Error: Invalid URL”。", shown, zh))
	} else {
		cfg.base, cfg.raw = u, strings.TrimSpace(raw)
		if t, ok := baseURLPathIssue(u, raw); ok {
			f := newFinding(BaseURLPath, CheckConfig, t)
			cfg.pathIssue = &f
		}
		if u.User != nil {
			fs = append(fs, newFinding(BaseURLCredentials, CheckConfig, Text{
				fmt.Sprintf("ANTHROPIC_BASE_URL %s holds a user name and password: Claude Code sends them as HTTP Basic auth on every request beside an API key (and drops them when ANTHROPIC_AUTH_TOKEN is set).", u.Redacted()),
				fmt.Sprintf("ANTHROPIC_BASE_URL %s 中含有用户名和密码：Claude Code 会在每个请求中把它们作为 HTTP Basic 认证与 API 密钥一起发送（设置了 ANTHROPIC_AUTH_TOKEN 时则丢弃它们）。", u.Redacted())}))
		}
	}

	if v := strings.TrimSpace(r.target.APITimeout.Value); r.target.APITimeout.Set() {
		n, err := strconv.ParseInt(v, 10, 64)
		switch {
		case err != nil || strings.HasPrefix(v, "+"):
			bad(fmt.Sprintf("API_TIMEOUT_MS=%q is not a whole number of milliseconds.", r.target.APITimeout.Value),
				fmt.Sprintf("API_TIMEOUT_MS=%q 不是以毫秒计的整数。", r.target.APITimeout.Value))
		case n <= 0 || n > MaxAPITimeoutMS:
			bad(fmt.Sprintf("API_TIMEOUT_MS=%d is out of range: it must be between 1 and %d.", n, MaxAPITimeoutMS),
				fmt.Sprintf("API_TIMEOUT_MS=%d 超出范围：必须在 1 到 %d 之间。", n, MaxAPITimeoutMS))
		default:
			cfg.apiTimeout, cfg.timeoutSet = time.Duration(n)*time.Millisecond, true
		}
	}

	cfg.trust = trustFor(r.target)
	if cfg.trust.problem.Code != "" {
		fs = append(fs, cfg.trust.problem)
	}

	summary := Text{"Settings are valid.", "设置有效。"}
	if cfg.timeoutSet {
		summary = Text{fmt.Sprintf("Settings are valid; API_TIMEOUT_MS is %d ms.", cfg.apiTimeout.Milliseconds()),
			fmt.Sprintf("设置有效；API_TIMEOUT_MS 为 %d 毫秒。", cfg.apiTimeout.Milliseconds())}
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
	summary  Text
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
		summary = Text{fmt.Sprintf("%d setting problem(s).", len(fs)), fmt.Sprintf("%d 个设置问题。", len(fs))}
	}
	r.finish(CheckConfig, StatusPass, p.took, summary, fs...)
}

// BaseURLError is why ANTHROPIC_BASE_URL cannot be used at all, in both languages.
type BaseURLError struct{ Text Text }

func (e *BaseURLError) Error() string { return e.Text.EN }

func baseURLErr(en, zh string) error { return &BaseURLError{Text{en, zh}} }

// ParseBaseURL reads ANTHROPIC_BASE_URL as Claude Code does (a WHATWG URL
// parser), and is the one rule for it: claudecfg's value check calls it
// too. White space and control characters around the value are dropped, and
// tabs and line breaks inside it, as Claude Code drops them (measured). It
// fails, as Claude Code does ("API Error: Invalid URL"), when the value is
// not an absolute http or https URL with a valid host and port, holds
// another control character, or a space or another forbidden character in
// the host. A path (a space in it is sent as %20), a query string, a
// fragment or user info pass: Claude Code uses them, and CheckBaseURL says
// what they do.
func ParseBaseURL(raw string) (*url.URL, error) {
	s := strings.TrimFunc(raw, func(r rune) bool { return r <= ' ' })
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	if i := strings.IndexFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }); i >= 0 {
		return nil, baseURLErr(fmt.Sprintf("it holds a control character at character %d", len([]rune(s[:i]))+1),
			fmt.Sprintf("第 %d 个字符是控制字符", len([]rune(s[:i]))+1))
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, baseURLErr(err.Error(), "无法解析（"+err.Error()+"）")
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, baseURLErr("the scheme must be https:// or http://", "必须以 https:// 或 http:// 开头")
	case u.Opaque != "" || u.Hostname() == "":
		return nil, baseURLErr("there is no host name", "没有主机名")
	}
	if h := u.Hostname(); net.ParseIP(h) == nil {
		ascii, err := hostProfile.ToASCII(h)
		if err != nil || strings.ContainsAny(ascii, " #%/:<>?@[\\]^|") {
			return nil, baseURLErr(fmt.Sprintf("the host name %q is not valid", h), fmt.Sprintf("主机名 %q 无效", h))
		}
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, baseURLErr(fmt.Sprintf("port %q is not valid", p), fmt.Sprintf("端口 %q 无效", p))
		}
	}
	return u, nil
}

// hostProfile maps a host name as a WHATWG URL parser does (UTS #46,
// non-transitional, underscores allowed).
var hostProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.StrictDomainName(false), idna.Transitional(false))

// CheckBaseURL is ParseBaseURL's verdict on a value, and also fails when
// the base URL is usable but breaks Claude Code's request path: it ends in
// /v1 or /v1/messages, or carries a query string or a fragment (BASE_URL_PATH).
func CheckBaseURL(raw string) error {
	u, err := ParseBaseURL(raw)
	if err != nil {
		return err
	}
	if t, ok := baseURLPathIssue(u, raw); ok {
		return &BaseURLError{t}
	}
	return nil
}

// baseURLPathIssue says how the base URL breaks the path Claude Code adds to
// it, measured with Claude Code 2.1.330: …/v1 makes it call /v1/v1/messages;
// a query string swallows the path (…?x=1/v1/messages); a fragment drops it
// (every request goes to the base URL itself).
func baseURLPathIssue(u *url.URL, raw string) (Text, bool) {
	shown := u.Redacted()
	path := strings.TrimRight(u.Path, "/")
	switch {
	case u.RawQuery != "" || u.ForceQuery:
		return Text{fmt.Sprintf("ANTHROPIC_BASE_URL %s carries a query string: Claude Code appends /v1/messages after it, inside the query, so its requests go to %s with a garbled query and miss the API.", shown, nonEmpty(u.Path, "/")),
			fmt.Sprintf("ANTHROPIC_BASE_URL %s 带有查询字符串：Claude Code 会把 /v1/messages 接在它后面、落进查询参数里，于是请求发往 %s，查询参数错乱，到不了 API。", shown, nonEmpty(u.Path, "/"))}, true
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return Text{fmt.Sprintf("ANTHROPIC_BASE_URL %s carries a fragment (#…): everything Claude Code appends after it is dropped, so every request goes to %s instead of /v1/messages.", shown, nonEmpty(u.Path, "/")),
			fmt.Sprintf("ANTHROPIC_BASE_URL %s 带有片段（#…）：Claude Code 接在后面的路径都会被丢掉，于是所有请求都发往 %s，而不是 /v1/messages。", shown, nonEmpty(u.Path, "/"))}, true
	case strings.HasSuffix(path, "/v1") || strings.HasSuffix(path, "/v1/messages"):
		return Text{fmt.Sprintf("ANTHROPIC_BASE_URL %s ends in %s: Claude Code adds /v1/messages itself, so it calls %s/v1/messages.", shown, path[strings.LastIndex(path, "/v1"):], path),
			fmt.Sprintf("ANTHROPIC_BASE_URL %s 以 %s 结尾：Claude Code 会自己加上 /v1/messages，于是它请求的是 %s/v1/messages。", shown, path[strings.LastIndex(path, "/v1"):], path)}, true
	}
	return Text{}, false
}

func nonEmpty(s, or string) string {
	if s == "" {
		return or
	}
	return s
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
