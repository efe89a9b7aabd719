package netcheck

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
)

// route is how Claude Code would send its requests: through a proxy or not.
type route struct {
	proxy   *url.URL // the proxy that applies to the base URL; nil for a direct connection
	blocked bool     // the proxy setting stops Claude Code (invalid URL, SOCKS)
	local   Finding  // PROXY_CATCHES_LOCAL, when the proxy catches a local base URL
}

// checkRoute reads the proxy settings and decides the route. It ends the
// proxy check when there is nothing to test on the network; otherwise the
// probe ends it with the CONNECT's outcome.
func (r *run) checkRoute(cfg config) route {
	t0 := time.Now()
	raw := strings.TrimSpace(r.target.Proxy.Value)
	if raw == "" {
		r.finish(CheckProxy, StatusPass, time.Since(t0), Text{"No proxy is set: requests go straight to the API.", "未设置代理：请求直接发往 API。"})
		return route{}
	}
	u, err := parseProxyURL(raw)
	if err != nil {
		fail := func(code Code, en, zh string) route {
			r.finish(CheckProxy, StatusFail, time.Since(t0), Text{en, zh}, newFinding(code, CheckProxy, Text{en, zh}))
			return route{blocked: true}
		}
		if err == errSOCKS {
			return fail(ProxySocksUnsupported,
				fmt.Sprintf("The proxy %s is a SOCKS proxy; Claude Code supports HTTP and HTTPS proxies only.", redactProxy(raw)),
				fmt.Sprintf("代理 %s 是 SOCKS 代理；Claude Code 只支持 HTTP 和 HTTPS 代理。", redactProxy(raw)))
		}
		return fail(ProxyURLInvalid,
			fmt.Sprintf("The proxy URL %q cannot be parsed (%v); Claude Code refuses to start with it.", redactProxy(raw), err),
			fmt.Sprintf("代理地址 %q 无法解析（%v），Claude Code 会因此无法启动。", redactProxy(raw), err))
	}
	if cfg.base == nil {
		r.finish(CheckProxy, StatusPass, time.Since(t0), Text{"The proxy URL is valid.", "代理地址有效。"})
		return route{}
	}
	host, port := hostPort(cfg.base)
	if NoProxyMatches(r.target.NoProxy.Value, host, port) {
		r.finish(CheckProxy, StatusPass, time.Since(t0), Text{
			fmt.Sprintf("NO_PROXY exempts %s: requests go straight to it, not through %s.", host, u.Redacted()),
			fmt.Sprintf("NO_PROXY 豁免了 %s：请求直接发往它，不经过 %s。", host, u.Redacted())})
		return route{}
	}
	rt := route{proxy: u}
	if isLocalHost(host) {
		rt.local = newFinding(ProxyCatchesLocal, CheckProxy, Text{
			fmt.Sprintf("The base URL's host %s is local, but requests to it go through the proxy %s: NO_PROXY does not exempt it.", host, u.Redacted()),
			fmt.Sprintf("基础 URL 的主机 %s 在本地，但发往它的请求会经过代理 %s：NO_PROXY 没有豁免它。", host, u.Redacted())})
	}
	return rt
}

var errSOCKS = fmt.Errorf("a SOCKS proxy")

// parseProxyURL parses a proxy setting as Claude Code does: a complete
// http:// or https:// URL with a host.
func parseProxyURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		if ue, ok := err.(*url.Error); ok {
			return nil, ue.Err
		}
		return nil, err
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	case "socks", "socks4", "socks4a", "socks5", "socks5h":
		return nil, errSOCKS
	case "":
		return nil, fmt.Errorf("there is no scheme such as http://")
	default:
		if u.Opaque != "" {
			return nil, fmt.Errorf("there is no scheme such as http://")
		}
		return nil, fmt.Errorf("the scheme %q is not http or https", u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("there is no host name")
	}
	return u, nil
}

// redactProxy hides a password in a proxy setting that may not parse.
func redactProxy(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	if at := strings.LastIndex(raw, "@"); at >= 0 {
		if scheme := strings.Index(raw, "://"); scheme >= 0 && scheme < at {
			return raw[:scheme+3] + "xxxxx" + raw[at:]
		}
		return "xxxxx" + raw[at:]
	}
	return raw
}

// NoProxyMatches reports whether the NO_PROXY list exempts host:port from
// the proxy, as Claude Code reads it: entries separated by commas or spaces;
// "*" exempts everything; an entry may carry a port; "example.com",
// ".example.com" and "*.example.com" exempt example.com and its subdomains;
// an IP address matches only itself. Unlike Go's http.ProxyFromEnvironment,
// localhost and loopback addresses are not exempt unless listed.
func NoProxyMatches(noProxy, host, port string) bool {
	host = strings.ToLower(strings.TrimSuffix(strings.Trim(host, "[]"), "."))
	for _, e := range strings.FieldsFunc(noProxy, func(c rune) bool { return c == ',' || c == ' ' || c == '\t' || c == '\n' }) {
		e = strings.ToLower(strings.TrimSpace(e))
		if e == "*" {
			return true
		}
		if h, p, err := net.SplitHostPort(e); err == nil {
			if p != port {
				continue
			}
			e = h
		}
		e = strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(strings.Trim(e, "[]"), "*"), "."), ".")
		if e == "" {
			continue
		}
		if host == e || (net.ParseIP(e) == nil && strings.HasSuffix(host, "."+e)) {
			return true
		}
	}
	return false
}
