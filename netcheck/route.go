package netcheck

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"claudemedic/claudesettings"
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
		r.finish(CheckProxy, StatusPass, time.Since(t0), claudesettings.Text{EN: "No proxy is set: requests go straight to the API.", ZH: "未设置代理：请求直接发往 API。"})
		return route{}
	}
	u, err := claudesettings.ParseProxyURL(raw)
	if err != nil {
		fail := func(code Code, en, zh string) route {
			r.finish(CheckProxy, StatusFail, time.Since(t0), claudesettings.Text{EN: en, ZH: zh}, newFinding(code, CheckProxy, claudesettings.Text{EN: en, ZH: zh}))
			return route{blocked: true}
		}
		shown := claudesettings.RedactProxyURL(raw)
		if errors.Is(err, claudesettings.ErrProxySOCKS) {
			return fail(ProxySocksUnsupported,
				fmt.Sprintf("The proxy %s is a SOCKS proxy; Claude Code supports HTTP and HTTPS proxies only.", shown),
				fmt.Sprintf("代理 %s 是 SOCKS 代理；Claude Code 只支持 HTTP 和 HTTPS 代理。", shown))
		}
		var pe *claudesettings.ProxyURLError
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
		r.finish(CheckProxy, StatusPass, time.Since(t0), claudesettings.Text{EN: "The proxy URL is valid.", ZH: "代理地址有效。"})
		return route{}
	}
	host, port := hostPort(cfg.base)
	if claudesettings.NoProxyMatches(r.target.NoProxy.Value, host, port) {
		r.finish(CheckProxy, StatusPass, time.Since(t0), claudesettings.Text{EN: fmt.Sprintf("NO_PROXY exempts %s: requests go straight to it, not through %s.", host, claudesettings.RedactedURL(u)), ZH: fmt.Sprintf("NO_PROXY 豁免了 %s：请求直接发往它，不经过 %s。", host, claudesettings.RedactedURL(u))})
		return route{}
	}
	rt := route{proxy: u}
	if isLocalHost(host) {
		rt.local = newFinding(ProxyCatchesLocal, CheckProxy, claudesettings.Text{EN: fmt.Sprintf("The base URL's host %s is local, but requests to it go through the proxy %s: NO_PROXY does not exempt it.", host, claudesettings.RedactedURL(u)), ZH: fmt.Sprintf("基础 URL 的主机 %s 在本地，但发往它的请求会经过代理 %s：NO_PROXY 没有豁免它。", host, claudesettings.RedactedURL(u))})
	}
	return rt
}
