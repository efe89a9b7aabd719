//go:build unix

package netchecktest

import (
	"context"
	"io"
	"net"
	"strconv"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// BenchmarkRetryBound measures the time to a verdict, with Timeout 2s, on
// the paths where the handshakes that prove a cause meet a blackhole: the
// IPv6 address accepts and resets while IPv4 drops every SYN; both families
// drop every SYN; a middlebox resets the post-quantum ClientHello and holds
// the small one. Each should end within Timeout + 0.5 s (worst-s).
func BenchmarkRetryBound(b *testing.B) {
	const timeout = 2 * time.Second
	for _, tc := range []struct {
		name string
		make func(b *testing.B, s *Server) string // returns the base URL
		want netcheck.Code
	}{
		{"v6-resets-v4-blackholed", func(b *testing.B, s *Server) string {
			v4 := blackhole(b, false, 0)
			ln, err := s.listenResetting6(v4.port)
			if err != nil {
				b.Skip(err)
			}
			b.Cleanup(func() { ln.Close() })
			return "https://" + net.JoinHostPort(dualHost, strconv.Itoa(v4.port))
		}, netcheck.TLSReset},
		{"both-families-blackholed", func(b *testing.B, s *Server) string {
			v4 := blackhole(b, false, 0)
			blackhole(b, true, v4.port)
			return "https://" + net.JoinHostPort(dualHost, strconv.Itoa(v4.port))
		}, netcheck.TCPTimeout},
		{"pq-reset-then-held", func(b *testing.B, s *Server) string {
			ln, err := net.Listen("tcp4", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { ln.Close() })
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					head := make([]byte, 5)
					if _, err := io.ReadFull(c, head); err == nil && int(head[3])<<8|int(head[4]) > pqLimit {
						c.(*net.TCPConn).SetLinger(0)
						c.Close()
						continue
					}
					s.hold(c) // the small hello: never answered
				}
			}()
			return "https://" + ln.Addr().String()
		}, netcheck.TLSReset},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, err := start(b)
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(s.Close)
			target := claudesettings.Target{BaseURL: claudesettings.Setting{Value: tc.make(b, s)}, CAFile: claudesettings.Setting{Value: s.caFile},
				Credential: claudesettings.Credential{Secret: TestKey, Kind: claudesettings.KindAPIKey}}
			opts := netcheck.Options{Resolver: s.dns.resolver(), Timeout: timeout}
			var worst time.Duration
			for b.Loop() {
				t0 := time.Now()
				r := netcheck.Run(context.Background(), target, opts)
				worst = max(worst, time.Since(t0))
				if !r.Has(tc.want) {
					b.Fatalf("findings %+v, want %s", r.Findings, tc.want)
				}
			}
			b.ReportMetric(worst.Seconds(), "worst-s")
		})
	}
}

func blackhole(b *testing.B, v6 bool, port int) *rawSocket {
	s, err := blackholeAt(v6, port)
	if err != nil {
		b.Skipf("cannot blackhole %v port %d: %v", v6, port, err)
	}
	b.Cleanup(s.close)
	return s
}
