package claudecfg

import (
	"context"
	"testing"

	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// The proxy and NO_PROXY Claude Code picks from the variables set, in its
// order (each measured with Claude Code 2.1.330): https_proxy, HTTPS_PROXY,
// http_proxy, HTTP_PROXY, all_proxy, ALL_PROXY; no_proxy, else NO_PROXY.
func TestProxyOrder(t *testing.T) {
	tests := []struct {
		env            []string
		proxy, noProxy string
	}{
		{nil, "", ""},
		{[]string{"HTTPS_PROXY=http://upper:1", "https_proxy=http://lower:1"}, "http://lower:1", ""},
		{[]string{"HTTPS_PROXY=http://https:1", "http_proxy=http://http:1"}, "http://https:1", ""},
		{[]string{"HTTP_PROXY=http://upper:1", "http_proxy=http://lower:1"}, "http://lower:1", ""},
		{[]string{"HTTP_PROXY=http://http:1"}, "http://http:1", ""},
		{[]string{"ALL_PROXY=http://all:1", "all_proxy=http://lower-all:1"}, "http://lower-all:1", ""},
		{[]string{"ALL_PROXY=http://all:1", "HTTP_PROXY=http://http:1"}, "http://http:1", ""},
		{[]string{"https_proxy=", "HTTPS_PROXY=http://upper:1"}, "http://upper:1", ""}, // empty is unset
		{[]string{"NO_PROXY=upper", "no_proxy=lower"}, "", "lower"},
		{[]string{"NO_PROXY=upper"}, "", "upper"},
		{[]string{"NO_PROXY=upper", "no_proxy="}, "", "upper"},
	}
	for _, tt := range tests {
		testHome(t)
		tgt, err := Resolve(context.Background(), ResolveOptions{Environ: tt.env})
		if err != nil {
			t.Fatal(err)
		}
		if tgt.Proxy.Value != tt.proxy || tgt.NoProxy.Value != tt.noProxy {
			t.Errorf("%q: proxy %q, NO_PROXY %q; want %q, %q", tt.env, tgt.Proxy.Value, tgt.NoProxy.Value, tt.proxy, tt.noProxy)
		}
		if tt.proxy != "" && tgt.Proxy.Source != netcheck.SourceShell {
			t.Errorf("%q: proxy source %q", tt.env, tgt.Proxy.Source)
		}
	}
}

// A lower-case https_proxy in the shell wins over HTTPS_PROXY in a settings
// env: Claude Code sees both variables and takes the lower-case one.
func TestProxyOrderAcrossSources(t *testing.T) {
	dir := testHome(t)
	writeFile(t, dir+"/settings.json", `{"env": {"HTTPS_PROXY": "http://settings:1"}}`)
	tgt, err := Resolve(context.Background(), ResolveOptions{Environ: []string{"https_proxy=http://shell:1"}})
	if err != nil {
		t.Fatal(err)
	}
	if tgt.Proxy != (netcheck.Setting{Value: "http://shell:1", Source: netcheck.SourceShell}) {
		t.Errorf("proxy %+v", tgt.Proxy)
	}
}

// End to end: with https_proxy (working) and HTTPS_PROXY (dead) both set,
// the resolved target goes through the working one and the check is
// healthy, as Claude Code is.
func TestProxyLowerCaseWins(t *testing.T) {
	testHome(t)
	srv := netchecktest.Start(t, netchecktest.ProxyLowerCase)
	tgt, err := Resolve(context.Background(), ResolveOptions{Environ: srv.Environ()})
	if err != nil {
		t.Fatal(err)
	}
	if tgt.Proxy.Value != srv.Target().Proxy.Value {
		t.Fatalf("proxy %q, want the lower-case %q", tgt.Proxy.Value, srv.Target().Proxy.Value)
	}
	if r := netcheck.Run(context.Background(), tgt, srv.Options()); r.Verdict != netcheck.VerdictOK {
		t.Errorf("verdict %s: %+v", r.Verdict, r.Findings)
	}
}
