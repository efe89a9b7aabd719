package netchecktest_test

import (
	"context"
	"testing"

	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// The extra handshakes that prove a cause (without the post-quantum share,
// over the other address family) happen only when the first one fails, and
// each once: the fake counts the connections it accepts.
func TestExtraHandshakesOnlyOnFailure(t *testing.T) {
	for _, tt := range []struct {
		sc     netchecktest.Scenario
		stream bool
		conns  int
	}{
		{netchecktest.Healthy, false, 1},
		{netchecktest.Healthy, true, 1}, // the stream check reuses the connection
		{netchecktest.ProxyCredentials, false, 1},
		{netchecktest.TLSUntrusted, false, 1}, // a verification failure is not retried
		{netchecktest.TLSReset, false, 2},     // once more without the PQ share
		{netchecktest.TLSPQBlocked, false, 2},
		{netchecktest.IPv6Broken, false, 3}, // without the PQ share over IPv6, then over IPv4
	} {
		t.Run(string(tt.sc), func(t *testing.T) {
			t.Parallel()
			srv := netchecktest.Start(t, tt.sc)
			opts := srv.Options()
			opts.Stream = opts.Stream || tt.stream
			r := netcheck.Run(context.Background(), srv.Target(), opts)
			if got := srv.Connections(); got != tt.conns {
				t.Errorf("%d connections, want %d (findings %v)", got, tt.conns, codes(r, netcheck.SeverityFail))
			}
		})
	}
}

// Environ is what makes Claude Code use the scenario's Target: the
// lower-case https_proxy (the working one) beside a dead HTTPS_PROXY.
func TestEnvironProxyLowerCase(t *testing.T) {
	srv := netchecktest.Start(t, netchecktest.ProxyLowerCase)
	env := map[string]bool{}
	for _, e := range srv.Environ() {
		env[e] = true
	}
	tg := srv.Target()
	if !env["https_proxy="+tg.Proxy.Value] || !env["ANTHROPIC_BASE_URL="+tg.BaseURL.Value] || !env["NODE_EXTRA_CA_CERTS="+tg.CAFile.Value] {
		t.Errorf("Environ() = %q for target proxy %s", srv.Environ(), tg.Proxy.Value)
	}
}
