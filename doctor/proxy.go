package doctor

import (
	"context"
	"slices"
	"strings"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// proxyChecks are the checks that say whether a proxy carries traffic to the API.
var proxyChecks = []netcheck.CheckID{netcheck.CheckDNS, netcheck.CheckTCP, netcheck.CheckProxy, netcheck.CheckTLS, netcheck.CheckHTTP}

// TestProxy runs the network checks through proxy (with noProxy) against
// target's base URL and CA, and returns the report and the failures that mean
// the proxy should not be saved (a 401 from the API is not the proxy's fault).
func TestProxy(ctx context.Context, target claudesettings.Target, proxy, noProxy string, opts netcheck.Options) (*netcheck.Report, []netcheck.Finding) {
	target.Proxy = claudesettings.Setting{Value: proxy, Source: claudesettings.SourceFlag}
	target.NoProxy = claudesettings.Setting{Value: noProxy, Source: claudesettings.SourceFlag}
	opts.Only = proxyChecks
	r := netcheck.Run(ctx, target, opts)
	var blocking []netcheck.Finding
	for _, f := range r.Findings {
		if f.Severity == netcheck.SeverityFail && slices.Contains(proxyChecks, f.Check) {
			blocking = append(blocking, f)
		}
	}
	return r, blocking
}

// ProxyTestError is a proxy that failed its test, so it was not saved.
type ProxyTestError struct {
	Findings []netcheck.Finding // the failures that block the save, each with its fix
	Lang     string             // the language Error words the first finding in; "" lists every code in English
}

func (e *ProxyTestError) Error() string {
	if e.Lang != "" && len(e.Findings) > 0 {
		return e.Findings[0].Summary.In(e.Lang) + " " + e.Findings[0].Fix.In(e.Lang)
	}
	msgs := make([]string, len(e.Findings))
	for i, f := range e.Findings {
		msgs[i] = string(f.Code) + ": " + f.Summary.EN
	}
	return "the proxy does not work, so it was not saved: " + strings.Join(msgs, "; ")
}

// SetProxy saves the proxy in the settings file as Claude Code reads it
// (claudecfg.ProxyEdits: https_proxy, the variable it reads first; NO_PROXY
// too when noProxy is not nil), only after the proxy URL checks out and the
// API answers through it (TestProxy with target's base URL and CA); proxy ""
// removes every proxy variable from the file untested. A failed test is a
// *ProxyTestError and nothing is written; the report is returned either way
// for its warnings (PROXY_CATCHES_LOCAL, say).
func SetProxy(ctx context.Context, file string, target claudesettings.Target, proxy string, noProxy *string, opts netcheck.Options) (*Change, *netcheck.Report, error) {
	if proxy == "" {
		c, err := Edit(file, claudecfg.ProxyEdits("", noProxy)...)
		return c, nil, err
	}
	if err := claudesettings.CheckProxyURL(proxy); err != nil {
		return nil, nil, err
	}
	np := target.NoProxy.Value
	if noProxy != nil {
		np = *noProxy
	}
	r, blocking := TestProxy(ctx, target, proxy, np, opts)
	if len(blocking) > 0 {
		return nil, r, &ProxyTestError{Findings: blocking}
	}
	c, err := Edit(file, claudecfg.ProxyEdits(proxy, noProxy)...)
	return c, r, err
}
