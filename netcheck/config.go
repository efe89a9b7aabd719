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
)

// MaxAPITimeoutMS is the largest API_TIMEOUT_MS Claude Code accepts (a
// JavaScript timer's limit).
const MaxAPITimeoutMS = 2147483647

// config is what the config check resolved for the network checks.
type config struct {
	base       *url.URL      // the base URL; nil when it is not valid
	trust      trust         // the roots Claude Code would trust (trust.go)
	apiTimeout time.Duration // API_TIMEOUT_MS, or Claude Code's default
	timeoutSet bool          // API_TIMEOUT_MS was set (and valid)
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
	if raw == "" {
		raw = DefaultBaseURL
	}
	if u, err := parseBaseURL(raw); err != nil {
		bad(fmt.Sprintf("ANTHROPIC_BASE_URL %q is not a usable URL: %v.", raw, err),
			fmt.Sprintf("ANTHROPIC_BASE_URL %q 不是可用的 URL：%v。", raw, err))
	} else {
		cfg.base = u
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
	if len(fs) > 0 {
		summary = Text{fmt.Sprintf("%d setting problem(s).", len(fs)), fmt.Sprintf("%d 个设置问题。", len(fs))}
	}
	r.finish(CheckConfig, StatusPass, time.Since(t0), summary, fs...)
	return cfg
}

// parseBaseURL accepts what Claude Code accepts as ANTHROPIC_BASE_URL: an
// absolute http or https URL with a host and a valid port.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			return nil, ue.Err
		}
		return nil, err
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("the scheme must be https:// or http://")
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("there is no host name")
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("port %q is not valid", p)
		}
	}
	if u.User != nil {
		return nil, fmt.Errorf("it holds a user name or password")
	}
	u.RawQuery, u.Fragment = "", ""
	return u, nil
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
