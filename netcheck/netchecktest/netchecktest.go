// Package netchecktest serves a fault-injecting fake Claude API on 127.0.0.1
// over real TLS, for tests, as net/http/httptest serves plain HTTP. Each
// Scenario is one fault, made for real at the socket, TLS or HTTP level:
//
//	srv := netchecktest.Start(t, netchecktest.TLSExpired)
//	r := netcheck.Run(ctx, srv.Target(), srv.Options())
//	// r.Has(netcheck.TLSExpired)
//
// The server generates a throwaway CA at start and writes it to a temporary
// PEM file (the Target's CAFile). Every socket it opens is on 127.0.0.1, and
// its proxy only ever connects to loopback: a test never reaches the network.
package netchecktest

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// Scenario is one fault the fake API serves. Its value is the finding code it
// makes the engine report (a few variants have their own name).
type Scenario string

// The scenarios. Each gives exactly its code among the fail findings of a
// run with Target and Options; the warning scenarios (ProxyCatchesLocal,
// TLSIntercepted, HTTP2Unavailable, SlowResponse, TimeoutTooLow,
// StreamBuffered, UpstreamIncident) give their code as the only warning and no
// fail. Healthy gives neither.
const (
	Healthy               Scenario = "HEALTHY"
	DNSFailed             Scenario = Scenario(netcheck.DNSFailed) // needs Options().Resolver: the host is NXDOMAIN on the fake DNS
	TCPTimeout            Scenario = Scenario(netcheck.TCPTimeout)
	TCPRefused            Scenario = Scenario(netcheck.TCPRefused)
	ProxyURLInvalid       Scenario = Scenario(netcheck.ProxyURLInvalid)
	ProxyUnreachable      Scenario = Scenario(netcheck.ProxyUnreachable)
	ProxyAuthRequired     Scenario = Scenario(netcheck.ProxyAuthRequired)
	ProxyRefused          Scenario = Scenario(netcheck.ProxyRefused)      // the proxy answers CONNECT with 403
	ProxyBadGateway       Scenario = "PROXY_REFUSED_502"                  // the proxy answers CONNECT with 502: PROXY_REFUSED
	ProxyCatchesLocal     Scenario = Scenario(netcheck.ProxyCatchesLocal) // a working proxy set for a 127.0.0.1 base URL
	ProxySocksUnsupported Scenario = Scenario(netcheck.ProxySocksUnsupported)
	TLSHandshakeTimeout   Scenario = Scenario(netcheck.TLSHandshakeTimeout) // TCP accepted, no ServerHello ever
	TLSReset              Scenario = Scenario(netcheck.TLSReset)            // RST right after the ClientHello
	TLSOldVersion         Scenario = Scenario(netcheck.TLSOldVersion)       // TLS 1.0 and 1.1 only
	TLSUntrusted          Scenario = Scenario(netcheck.TLSUntrusted)        // a chain from a CA nobody configured
	TLSHostnameMismatch   Scenario = Scenario(netcheck.TLSHostnameMismatch)
	TLSExpired            Scenario = Scenario(netcheck.TLSExpired)
	TLSIntercepted        Scenario = Scenario(netcheck.TLSIntercepted) // api.anthropic.com through an inspecting proxy whose CA is the extra CA
	HTTP2Unavailable      Scenario = Scenario(netcheck.HTTP2Unavailable)
	ClockSkew             Scenario = Scenario(netcheck.ClockSkew) // the Date header is 2 hours ahead: a warning (Claude Code answers)
	NotAnthropicAPI       Scenario = Scenario(netcheck.NotAnthropicAPI)
	BadGatewayHTML        Scenario = "BAD_GATEWAY_HTML" // a gateway's 502 HTML page: NOT_ANTHROPIC_API
	AuthInvalid           Scenario = Scenario(netcheck.AuthInvalid)
	AuthForbidden         Scenario = Scenario(netcheck.AuthForbidden)
	RegionBlocked         Scenario = Scenario(netcheck.RegionBlocked)
	Billing               Scenario = Scenario(netcheck.Billing) // 402 billing_error
	BillingCreditBalance  Scenario = "BILLING_CREDIT_BALANCE"   // 400 "credit balance is too low": BILLING
	APIVersionRejected    Scenario = Scenario(netcheck.APIVersionRejected)
	RateLimited           Scenario = Scenario(netcheck.RateLimited) // 429 with retry-after: 17
	Overloaded            Scenario = Scenario(netcheck.Overloaded)
	ServerError           Scenario = Scenario(netcheck.ServerError)
	SlowResponse          Scenario = Scenario(netcheck.SlowResponse)  // answers after 600 ms; its Options().SlowAfter is 250 ms
	TimeoutTooLow         Scenario = Scenario(netcheck.TimeoutTooLow) // API_TIMEOUT_MS=5000
	StreamEmpty           Scenario = Scenario(netcheck.StreamEmpty)
	StreamTruncated       Scenario = Scenario(netcheck.StreamTruncated)
	StreamErrorEvent      Scenario = Scenario(netcheck.StreamErrorEvent)
	StreamBuffered        Scenario = Scenario(netcheck.StreamBuffered)
	StreamStalled         Scenario = Scenario(netcheck.StreamStalled)
	UpstreamIncident      Scenario = Scenario(netcheck.UpstreamIncident)
)

var scenarios = []Scenario{Healthy, DNSFailed, TCPTimeout, TCPRefused, ProxyURLInvalid,
	ProxyUnreachable, ProxyAuthRequired, ProxyRefused, ProxyBadGateway, ProxyCatchesLocal,
	ProxySocksUnsupported, TLSHandshakeTimeout, TLSReset, TLSOldVersion, TLSUntrusted,
	TLSHostnameMismatch, TLSExpired, TLSIntercepted, HTTP2Unavailable, ClockSkew,
	NotAnthropicAPI, BadGatewayHTML, AuthInvalid, AuthForbidden, RegionBlocked, Billing,
	BillingCreditBalance, APIVersionRejected, RateLimited, Overloaded, ServerError,
	SlowResponse, TimeoutTooLow, StreamEmpty, StreamTruncated, StreamErrorEvent,
	StreamBuffered, StreamStalled, UpstreamIncident}

// Scenarios returns every scenario, Healthy first, for table tests.
func Scenarios() []Scenario { return append([]Scenario(nil), scenarios...) }

// Code returns the finding code the scenario makes the engine report, and ""
// for Healthy and the healthy variants.
func (sc Scenario) Code() netcheck.Code {
	if c, ok := variantCode[sc]; ok {
		return c
	}
	return netcheck.Code(sc)
}

// variantCode is the code of each scenario whose name is not its code.
var variantCode = map[Scenario]netcheck.Code{
	Healthy:              "",
	ProxyBadGateway:      netcheck.ProxyRefused,
	BadGatewayHTML:       netcheck.NotAnthropicAPI,
	BillingCreditBalance: netcheck.Billing,
}

// Also returns the codes a scenario gives beside its own (a second cause
// Claude Code meets too, or a companion warning); nil for most.
func (sc Scenario) Also() []netcheck.Code { return also[sc] }

// also lists the companion codes of the scenarios that have any. A file
// that adds scenarios adds their companions here, in an init func.
var also = map[Scenario][]netcheck.Code{}

// Want returns the fail and warn codes a run of the scenario gives, each
// sorted: its own code (a warning for the warning scenarios) and Also's,
// each with the catalogue's severity. A healthy scenario wants none.
func (sc Scenario) Want() (fails, warns []netcheck.Code) {
	add := func(c netcheck.Code, warn bool) {
		if warn {
			warns = append(warns, c)
		} else {
			fails = append(fails, c)
		}
	}
	if c := sc.Code(); c != "" {
		e, _ := netcheck.Lookup(c)
		add(c, sc.Warning() || e.Severity == netcheck.SeverityWarn)
	}
	for _, c := range sc.Also() {
		e, _ := netcheck.Lookup(c)
		add(c, e.Severity == netcheck.SeverityWarn)
	}
	slices.Sort(fails)
	slices.Sort(warns)
	return fails, warns
}

// Warning reports whether the scenario's code is a warning rather than a failure.
func (sc Scenario) Warning() bool {
	switch sc {
	case ProxyCatchesLocal, TLSIntercepted, HTTP2Unavailable, SlowResponse, TimeoutTooLow,
		StreamBuffered, UpstreamIncident:
		return true
	}
	return false
}

// Credentials the fake accepts: TestKey as x-api-key, TestToken as a Bearer
// token (ANTHROPIC_AUTH_TOKEN) or, with the oauth beta, as an OAuth login's
// token (claudesettings.KindOAuth; in the oauthStrict scenarios only so, as the
// API takes a claude.ai login). When an Authorization header is sent the
// fake judges it, not x-api-key, as the API answered Claude Code 2.1.330
// ("401 Invalid bearer token" with both set).
const (
	TestKey   = "sk-ant-api03-netchecktest-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789-AA"
	TestToken = "sk-ant-oat01-netchecktest-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789-AA"
)

// Host names the fake DNS and the fake proxy resolve to 127.0.0.1.
const (
	testHost = "api.claudemedic.test"
	nxHost   = "nxdomain.claudemedic.test"
	realHost = "api.anthropic.com" // only ever through the fake proxy or the fake DNS
)

// Timing of the slow scenarios, and the limits Options sets to catch them fast.
const (
	slowDelay     = 600 * time.Millisecond
	slowAfter     = 250 * time.Millisecond
	streamIdle    = 600 * time.Millisecond
	bufferedDelay = 300 * time.Millisecond
	faultTimeout  = time.Second // Options().Timeout for the scenarios that time out
)

// Server is a running fake Claude API. Start makes one; t.Cleanup closes it.
type Server struct {
	tb      testing.TB
	caFile  string
	ln      net.Listener // raw TCP on 127.0.0.1, TLS chosen per connection
	http    *http.Server
	tlsCh   chan net.Conn
	dns     *dnsServer
	quit    chan struct{}
	tls     map[Scenario]*tls.Config
	handler http.Handler
	wg      sync.WaitGroup

	mu       sync.Mutex
	scenario Scenario
	held     map[net.Conn]bool
	refused  *rawSocket
	blackout *rawSocket
	proxies  map[int]*proxyServer // by the status they answer CONNECT with
	plain    net.Listener         // the API in plain HTTP, for an https:// base URL to a plain port
	closed   bool
	requests []Request

	// The route scenarios' parts (route.go).
	caCert    []byte       // the CA, DER
	caDER     string       // the CA in a DER file (CAFileInvalid)
	v6        net.Listener // [::1] at the API's port, resetting (IPv6Broken)
	authProxy *proxyServer // a proxy that demands credentials (ProxyCredentials)
	conns     atomic.Int64 // TCP connections accepted
	reqID     int
}

// Start starts a fake Claude API serving scenario s, closed by tb.Cleanup.
// Call it (and SetScenario) from the test goroutine: setup errors are fatal.
func Start(tb testing.TB, s Scenario) *Server {
	tb.Helper()
	srv, err := start(tb)
	if err != nil {
		tb.Fatalf("netchecktest: %v", err)
	}
	tb.Cleanup(srv.Close)
	srv.SetScenario(s)
	return srv
}

func start(tb testing.TB) (*Server, error) {
	ca, err := NewAuthority("netchecktest CA", nil)
	if err != nil {
		return nil, err
	}
	rogue, err := NewAuthority("Unknown Inspection CA", nil)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	hosts := []string{"127.0.0.1", "::1", "localhost", testHost, realHost, dualHost}
	good, err := ca.Leaf(hosts, now.Add(-time.Hour), now.Add(24*time.Hour))
	if err != nil {
		return nil, err
	}
	other, err := ca.Leaf([]string{"other.example.net"}, now.Add(-time.Hour), now.Add(24*time.Hour))
	if err != nil {
		return nil, err
	}
	expired, err := ca.Leaf(hosts, now.Add(-60*24*time.Hour), now.Add(-30*24*time.Hour))
	if err != nil {
		return nil, err
	}
	untrusted, err := rogue.Leaf(hosts, now.Add(-time.Hour), now.Add(24*time.Hour))
	if err != nil {
		return nil, err
	}
	caFile := filepath.Join(tb.TempDir(), "netchecktest-ca.pem")
	if err := os.WriteFile(caFile, ca.PEM(), 0o600); err != nil {
		return nil, err
	}
	cfg := func(c tls.Certificate, protos ...string) *tls.Config {
		return &tls.Config{Certificates: []tls.Certificate{c}, NextProtos: protos, MinVersion: tls.VersionTLS12}
	}
	h2 := []string{"h2", "http/1.1"}
	old := cfg(good, "http/1.1")
	old.MinVersion, old.MaxVersion = tls.VersionTLS10, tls.VersionTLS11
	s := &Server{
		tb: tb, caFile: caFile, caCert: ca.Cert().Raw, tlsCh: make(chan net.Conn), quit: make(chan struct{}),
		held: map[net.Conn]bool{}, proxies: map[int]*proxyServer{},
		tls: map[Scenario]*tls.Config{
			Healthy:             cfg(good, h2...),
			TLSOldVersion:       old,
			TLSUntrusted:        cfg(untrusted, h2...),
			TLSHostnameMismatch: cfg(other, h2...),
			TLSExpired:          cfg(expired, h2...),
			HTTP2Unavailable:    cfg(good, "http/1.1"),
		},
	}
	if s.ln, err = net.Listen("tcp4", "127.0.0.1:0"); err != nil {
		return nil, err
	}
	if s.dns, err = startDNS([]string{testHost, realHost, "localhost"}, []string{dualHost}); err != nil {
		s.ln.Close()
		return nil, err
	}
	s.handler = http.HandlerFunc(s.serveAPI)
	s.http = &http.Server{Handler: s.handler, ErrorLog: log.New(io.Discard, "", 0)}
	s.wg.Add(2)
	go func() { defer s.wg.Done(); s.http.Serve(chanListener{s}) }()
	go func() { defer s.wg.Done(); s.accept() }()
	return s, nil
}

// Close shuts the server down and releases every socket it holds.
func (s *Server) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.quit)
	for c := range s.held {
		c.Close()
	}
	for _, p := range s.proxies {
		p.close()
	}
	if s.authProxy != nil {
		s.authProxy.close()
	}
	if s.v6 != nil {
		s.v6.Close()
	}
	for _, r := range []*rawSocket{s.refused, s.blackout} {
		if r != nil {
			r.close()
		}
	}
	if s.plain != nil {
		s.plain.Close()
	}
	s.mu.Unlock()
	s.ln.Close()
	s.http.Close()
	s.dns.close()
	s.wg.Wait()
}

// SetScenario switches the fault live. Faults served on the server's own
// address (HTTP answers, streams, TLS faults, a stalled or reset handshake,
// the clock) change for the next connection at once; faults that are another
// address (a refused or blackholed port, a proxy, an unresolvable host) take
// effect through Target, so read Target again after switching to them.
func (s *Server) SetScenario(sc Scenario) {
	s.tb.Helper()
	known := false
	for _, k := range scenarios {
		known = known || k == sc
	}
	if !known {
		s.tb.Fatalf("netchecktest: unknown scenario %q", sc)
	}
	if err := s.prepare(sc); errors.Is(err, errNoIPv6) {
		s.tb.Skipf("netchecktest: scenario %s needs IPv6: %v", sc, err)
	} else if err != nil {
		s.tb.Fatalf("netchecktest: scenario %s: %v", sc, err)
	}
	s.mu.Lock()
	s.scenario = sc
	s.mu.Unlock()
}

// Scenario returns the scenario being served.
func (s *Server) Scenario() Scenario {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.scenario
}

// prepare makes the extra sockets a scenario needs, once.
func (s *Server) prepare(sc Scenario) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.prepareRequest(sc); err != nil {
		return err
	}
	var err error
	switch sc {
	case TCPRefused, ProxyUnreachable, ProxySocksUnsupported:
		if s.refused == nil {
			s.refused, err = refusingPort()
		}
	case TCPTimeout:
		if s.blackout == nil {
			s.blackout, err = blackholePort()
		}
	case ProxyAuthRequired, ProxyRefused, ProxyBadGateway, ProxyCatchesLocal, TLSIntercepted:
		status := proxyStatus(sc)
		if s.proxies[status] == nil {
			var p *proxyServer
			if p, err = startProxy(status); err == nil {
				s.proxies[status] = p
			}
		}
	default:
		err = s.prepareRoute(sc)
	}
	return err
}

func proxyStatus(sc Scenario) int {
	switch sc {
	case ProxyAuthRequired:
		return http.StatusProxyAuthRequired
	case ProxyRefused:
		return http.StatusForbidden
	case ProxyBadGateway:
		return http.StatusBadGateway
	}
	return http.StatusOK
}

// URL returns the fake API's base URL on 127.0.0.1 (what Target uses for
// the scenarios served on the server's own address).
func (s *Server) URL() string { return "https://" + s.ln.Addr().String() }

// CAFile returns the path of the PEM file holding the throwaway CA.
func (s *Server) CAFile() string { return s.caFile }

// Target returns what netcheck.Run should check for the current scenario:
// BaseURL, CAFile, the credential TestKey (x-api-key), and Proxy or
// APITimeout when the scenario uses one. Every Source is SourceFlag.
func (s *Server) Target() claudesettings.Target {
	sc := s.Scenario()
	s.mu.Lock()
	defer s.mu.Unlock()
	port := strconv.Itoa(s.ln.Addr().(*net.TCPAddr).Port)
	flag := func(v string) claudesettings.Setting {
		return claudesettings.Setting{Value: v, Source: claudesettings.SourceFlag}
	}
	t := claudesettings.Target{
		BaseURL:    flag(s.URL()),
		CAFile:     flag(s.caFile),
		Credential: claudesettings.Credential{Secret: TestKey, Kind: claudesettings.KindAPIKey, Source: claudesettings.SourceFlag, Var: "ANTHROPIC_API_KEY"},
	}
	named := func(host string) claudesettings.Setting { return flag("https://" + net.JoinHostPort(host, port)) }
	switch sc {
	case DNSFailed:
		t.BaseURL = named(nxHost)
	case TCPRefused:
		t.BaseURL = flag("https://" + s.refused.addr())
	case TCPTimeout:
		t.BaseURL = flag("https://" + s.blackout.addr())
	case ProxyURLInvalid:
		t.BaseURL, t.Proxy = named(testHost), flag("http://corp proxy:8080")
	case ProxySocksUnsupported:
		t.BaseURL, t.Proxy = named(testHost), flag("socks5://"+s.refused.addr())
	case ProxyUnreachable:
		t.BaseURL, t.Proxy = named(testHost), flag("http://"+s.refused.addr())
	case ProxyAuthRequired, ProxyRefused, ProxyBadGateway:
		t.BaseURL, t.Proxy = named(testHost), flag(s.proxies[proxyStatus(sc)].url())
	case ProxyCatchesLocal:
		t.Proxy = flag(s.proxies[http.StatusOK].url())
	case TLSIntercepted:
		t.BaseURL, t.Proxy = named(realHost), flag(s.proxies[http.StatusOK].url())
	case TimeoutTooLow:
		t.APITimeout = flag("5000")
	default:
		s.routeTarget(sc, &t, port)
	}
	requestTarget(sc, &t, s)
	credentialTarget(sc, &t, s.URL())
	return t
}

// Options returns the options a run against the current scenario needs: the
// fake DNS as Resolver and the fake status page always; a short Timeout,
// stream-idle or slowness limit for the scenarios that need one (so a loaded
// machine does not turn a healthy run slow); Stream or Status on for the
// scenarios that need them.
func (s *Server) Options() netcheck.Options {
	sc := s.Scenario()
	o := netcheck.Options{
		Resolver:  s.dns.resolver(),
		StatusURL: s.URL() + "/status/api/v2/summary.json",
	}
	switch sc {
	case TCPTimeout, TLSHandshakeTimeout:
		o.Timeout = faultTimeout
	case SlowResponse:
		o.SlowAfter = slowAfter
	case StreamStalled:
		o.Stream, o.StreamIdle = true, streamIdle
	case UpstreamIncident:
		o.Status = true
	}
	gatewayOptions(sc, &o) // the stream scenarios need no opt-in: on this relay the default check streams
	return o
}

// accept takes each TCP connection and serves the current scenario's
// handshake: a stall, a reset, or TLS with the scenario's certificate.
func (s *Server) accept() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.conns.Add(1)
		switch sc := s.Scenario(); sc {
		case TLSHandshakeTimeout:
			s.hold(c)
		case BaseURLScheme: // a plain request to the TLS port, answered as nginx does: read, 400, close
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				defer c.Close()
				c.SetDeadline(time.Now().Add(5 * time.Second))
				req, err := http.ReadRequest(bufio.NewReader(c))
				if err != nil {
					return
				}
				io.Copy(io.Discard, req.Body)
				io.WriteString(c, "HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\nClient sent an HTTP request to an HTTPS server.\n")
			}()
		case TLSPQBlocked:
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				if c := pqMiddlebox(c); c != nil {
					select {
					case s.tlsCh <- tls.Server(c, s.tls[Healthy]):
					case <-s.quit:
						c.Close()
					}
				}
			}()
		case TLSReset:
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				c.SetReadDeadline(time.Now().Add(5 * time.Second))
				buf := make([]byte, 512)
				c.Read(buf) // the ClientHello
				c.(*net.TCPConn).SetLinger(0)
				c.Close()
			}()
		default:
			cfg := s.tls[sc]
			if cfg == nil {
				cfg = s.tls[Healthy]
			}
			select {
			case s.tlsCh <- tls.Server(c, cfg):
			case <-s.quit:
				c.Close()
				return
			}
		}
	}
}

// hold keeps c open, never answering, until the server closes.
func (s *Server) hold(c net.Conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		c.Close()
		return
	}
	s.held[c] = true
}

// chanListener hands the TLS connections made by accept to the http.Server.
type chanListener struct{ s *Server }

func (l chanListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.s.tlsCh:
		return c, nil
	case <-l.s.quit:
		return nil, net.ErrClosed
	}
}

func (l chanListener) Close() error   { return nil }
func (l chanListener) Addr() net.Addr { return l.s.ln.Addr() }

func (s *Server) nextRequestID() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reqID++
	return fmt.Sprintf("req_011netchecktest%08d", s.reqID)
}
