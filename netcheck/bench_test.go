package netcheck_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// plainRequest is the baseline: one plain POST /v1/messages (max_tokens 1)
// on a fresh client, as curl would do it.
func plainRequest(b *testing.B, url string, roots *x509.CertPool) {
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}, ForceAttemptHTTP2: true}
	defer tr.CloseIdleConnections()
	body := `{"model":"` + netcheck.DefaultModel + `","max_tokens":1,"messages":[{"role":"user","content":"hi"}]}`
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/messages", strings.NewReader(body))
	req.Header.Set("x-api-key", netchecktest.TestKey)
	req.Header.Set("anthropic-version", netcheck.AnthropicVersion)
	req.Header.Set("content-type", "application/json")
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		b.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("status %d", resp.StatusCode)
	}
}

// BenchmarkHealthy compares the whole default check set against a healthy
// fake with one plain POST /v1/messages on a fresh client; ratio is
// run/plain. "api" serves count_tokens (the check makes one request);
// "relay" is a router that serves only POST /v1/messages (the check's
// count_tokens gets a 404 and POST /v1/messages follows on the same
// connection).
func BenchmarkHealthy(b *testing.B) {
	for _, bc := range []struct {
		name string
		sc   netchecktest.Scenario
	}{{"api", netchecktest.Healthy}, {"relay", netchecktest.RelayMessagesOnly}} {
		b.Run(bc.name, func(b *testing.B) {
			srv := netchecktest.Start(b, bc.sc)
			target, opts := srv.Target(), srv.Options()
			pem, err := os.ReadFile(srv.CAFile())
			if err != nil {
				b.Fatal(err)
			}
			roots := x509.NewCertPool()
			roots.AppendCertsFromPEM(pem)
			netcheck.Run(context.Background(), target, opts) // warm the system roots, once per process
			var run, plain time.Duration
			var ratios []float64
			b.ResetTimer()
			for b.Loop() {
				t0 := time.Now()
				plainRequest(b, srv.URL(), roots)
				t1 := time.Now()
				if r := netcheck.Run(context.Background(), target, opts); r.Verdict != netcheck.VerdictOK {
					b.Fatalf("verdict %s", r.Verdict)
				}
				t2 := time.Now()
				run, plain = run+t2.Sub(t1), plain+t1.Sub(t0)
				ratios = append(ratios, float64(t2.Sub(t1))/float64(t1.Sub(t0)))
			}
			n := float64(b.N)
			slices.Sort(ratios)
			b.ReportMetric(float64(run.Microseconds())/n, "run-µs/op")
			b.ReportMetric(float64(plain.Microseconds())/n, "plain-µs/op")
			b.ReportMetric(float64(run)/float64(plain), "ratio")  // of the means
			b.ReportMetric(ratios[len(ratios)/2], "median-ratio") // robust to a loaded machine's spikes
		})
	}
}

// BenchmarkVerdict measures the time to a verdict when the connect is
// blackholed or the TLS handshake stalls, with Timeout 2s, and on the paths
// that make one more handshake to prove a cause (IPV6_BROKEN,
// TLS_PQ_BLOCKED). netchecktest's BenchmarkRetryBound covers those retries
// meeting a blackhole.
func BenchmarkVerdict(b *testing.B) {
	for _, sc := range []netchecktest.Scenario{netchecktest.TCPTimeout, netchecktest.TLSHandshakeTimeout,
		netchecktest.IPv6Broken, netchecktest.TLSPQBlocked} {
		b.Run(string(sc), func(b *testing.B) {
			srv := netchecktest.Start(b, sc)
			target, opts := srv.Target(), srv.Options()
			opts.Timeout = 2 * time.Second
			var worst time.Duration
			for b.Loop() {
				t0 := time.Now()
				r := netcheck.Run(context.Background(), target, opts)
				if !r.Has(sc.Code()) {
					b.Fatalf("no %s: %v", sc.Code(), r.Findings)
				}
				worst = max(worst, time.Since(t0))
			}
			b.ReportMetric(worst.Seconds(), "worst-s")
		})
	}
}
