package netchecktest_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

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

// The marks are offsets from the start of the request, in order, and
// survive the JSON round trip (schema 1, additive fields).
func TestTimingsMarks(t *testing.T) {
	for _, sc := range []netchecktest.Scenario{netchecktest.Healthy, netchecktest.ProxyCredentials} {
		srv := netchecktest.Start(t, sc)
		opts := srv.Options()
		r := netcheck.Run(context.Background(), srv.Target(), opts)
		tm := r.Timings
		if sc == netchecktest.Healthy && tm.DNSDoneAt != 0 { // an IP address: nothing resolved
			t.Errorf("%s: DNS mark %v for an IP address", sc, tm.DNSDoneAt)
		}
		if !(0 < tm.ConnectedAt && tm.ConnectedAt <= tm.TLSDoneAt && tm.TLSDoneAt <= tm.FirstByteAt && tm.FirstByteAt <= tm.EndAt) {
			t.Errorf("%s: marks out of order: %+v", sc, tm)
		}
		if tm.EndAt != tm.Total || tm.TLSDoneAt-tm.TLS > tm.ConnectedAt+time.Millisecond*50 {
			t.Errorf("%s: marks disagree with the phases: %+v", sc, tm)
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back netcheck.Report
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if d := back.Timings.TLSDoneAt - tm.TLSDoneAt; d < -time.Microsecond || d > time.Microsecond || !strings.Contains(string(b), `"first_byte_at_ms":`) {
			t.Errorf("%s: marks lost in JSON: %s", sc, b)
		}
	}
	var old netcheck.Timings // a report written before the marks
	if err := json.Unmarshal([]byte(`{"dns_ms":1,"connect_ms":2,"tls_ms":3,"first_byte_ms":4,"total_ms":10}`), &old); err != nil || old.TLS != 3*time.Millisecond || old.EndAt != 0 {
		t.Errorf("old timings: %+v, %v", old, err)
	}
}

// Through a proxy, the handshake without the post-quantum share goes
// through the proxy's tunnel too.
func TestPQBlockedThroughProxy(t *testing.T) {
	srv := netchecktest.Start(t, netchecktest.ProxyLowerCase)
	tg := srv.Target() // api.claudemedic.test through the fake's proxy
	srv.SetScenario(netchecktest.TLSPQBlocked)
	r := netcheck.Run(context.Background(), tg, srv.Options())
	if fails := codes(r, netcheck.SeverityFail); len(fails) != 1 || fails[0] != netcheck.TLSPQBlocked {
		t.Errorf("fails %v, want [TLS_PQ_BLOCKED]", fails)
		for _, c := range r.Checks {
			t.Logf("  %-9s %-4s %s", c.ID, c.Status, c.Summary.EN)
		}
	}
	if got := srv.Connections(); got != 2 {
		t.Errorf("%d connections, want 2", got)
	}
}
