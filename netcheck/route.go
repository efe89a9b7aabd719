package netcheck

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"
	"unicode"
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
	u, err := ParseProxyURL(raw)
	if err != nil {
		fail := func(code Code, en, zh string) route {
			r.finish(CheckProxy, StatusFail, time.Since(t0), Text{en, zh}, newFinding(code, CheckProxy, Text{en, zh}))
			return route{blocked: true}
		}
		shown := RedactProxyURL(raw)
		if errors.Is(err, ErrProxySOCKS) {
			return fail(ProxySocksUnsupported,
				fmt.Sprintf("The proxy %s is a SOCKS proxy; Claude Code supports HTTP and HTTPS proxies only.", shown),
				fmt.Sprintf("代理 %s 是 SOCKS 代理；Claude Code 只支持 HTTP 和 HTTPS 代理。", shown))
		}
		var pe *ProxyURLError
		errors.As(err, &pe)
		if !pe.Unparsable {
			return fail(ProxyURLInvalid, fmt.Sprintf("The proxy URL %q cannot be used: %s.", shown, pe.Reason.EN),
				fmt.Sprintf("代理地址 %q 无法使用：%s。", shown, pe.Reason.ZH))
		}
		return fail(ProxyURLInvalid,
			fmt.Sprintf("The proxy URL %q cannot be parsed: %s; Claude Code refuses to start with it.", shown, pe.Reason.EN),
			fmt.Sprintf("代理地址 %q 无法解析：%s，Claude Code 会因此无法启动。", shown, pe.Reason.ZH))
	}
	if cfg.base == nil {
		r.finish(CheckProxy, StatusPass, time.Since(t0), Text{"The proxy URL is valid.", "代理地址有效。"})
		return route{}
	}
	host, port := hostPort(cfg.base)
	if NoProxyMatches(r.target.NoProxy.Value, host, port) {
		r.finish(CheckProxy, StatusPass, time.Since(t0), Text{
			fmt.Sprintf("NO_PROXY exempts %s: requests go straight to it, not through %s.", host, redactedProxy(u)),
			fmt.Sprintf("NO_PROXY 豁免了 %s：请求直接发往它，不经过 %s。", host, redactedProxy(u))})
		return route{}
	}
	rt := route{proxy: u}
	if isLocalHost(host) {
		rt.local = newFinding(ProxyCatchesLocal, CheckProxy, Text{
			fmt.Sprintf("The base URL's host %s is local, but requests to it go through the proxy %s: NO_PROXY does not exempt it.", host, redactedProxy(u)),
			fmt.Sprintf("基础 URL 的主机 %s 在本地，但发往它的请求会经过代理 %s：NO_PROXY 没有豁免它。", host, redactedProxy(u))})
	}
	return rt
}

// NoProxyMatches reports whether the NO_PROXY list exempts host:port from
// the proxy, as Claude Code 2.1.330 reads it (each rule measured with it):
// entries are separated by commas or white space and compared without
// regard to case; "*" exempts everything; an entry may carry a port
// ("host:8080", "[::1]:8080"), and then exempts only that port; a name
// exempts itself and its subdomains ("example.com", ".example.com" and
// "*.example.com" all exempt api.example.com, but "ample.com" does not); an
// IP address exempts only itself, and a CIDR range ("10.0.0.0/8") the
// addresses in it. Unlike Go's http.ProxyFromEnvironment, localhost and
// loopback addresses are not exempt unless listed, and "localhost" does not
// exempt 127.0.0.1.
func NoProxyMatches(noProxy, host, port string) bool {
	host = trimDots(strings.ToLower(strings.Trim(host, "[]")))
	hostIP := net.ParseIP(host)
	for _, e := range strings.FieldsFunc(strings.ToLower(noProxy), func(c rune) bool { return c == ',' || unicode.IsSpace(c) }) {
		if e == "*" {
			return true
		}
		name, p := e, ""
		switch {
		case strings.HasPrefix(e, "["):
			if end := strings.IndexByte(e, ']'); end > 0 {
				name, p = e[1:end], strings.TrimPrefix(e[end+1:], ":")
			}
		case strings.Count(e, ":") == 1:
			name, p, _ = strings.Cut(e, ":")
		}
		if p != "" && p != port {
			continue
		}
		name = trimDots(strings.TrimPrefix(strings.TrimPrefix(name, "*"), "."))
		switch {
		case name == "":
		case hostIP != nil:
			if ip := net.ParseIP(name); ip != nil && ip.Equal(hostIP) {
				return true
			}
			if _, n, err := net.ParseCIDR(name); err == nil && n.Contains(hostIP) {
				return true
			}
		case host == name || strings.HasSuffix(host, "."+name):
			return true
		}
	}
	return false
}

func trimDots(s string) string { return strings.TrimRight(s, ".") }
