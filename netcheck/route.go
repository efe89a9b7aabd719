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
		// What Claude Code does with it is the proxy variable's reader's sentence (the table).
		_, pr := r.target.EffectiveProxy()
		if errors.Is(err, claudesettings.ErrProxySOCKS) {
			return fail(ProxySocksUnsupported, pr.Problem.EN, pr.Problem.ZH)
		}
		return fail(ProxyURLInvalid, pr.Problem.EN, pr.Problem.ZH)
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
