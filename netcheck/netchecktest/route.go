package netchecktest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// The scenarios of the route Claude Code takes: address families, the
// post-quantum key share, NODE_EXTRA_CA_CERTS and the proxy's credentials
// and variables.
const (
	// IPv6Broken: the host resolves to ::1 and 127.0.0.1; ::1 accepts and
	// resets each connection, 127.0.0.1 serves the API. It needs
	// Options().Resolver, and IPv6 on ::1 (SetScenario skips the test when
	// the kernel has none).
	IPv6Broken Scenario = Scenario(netcheck.IPv6Broken)
	// TLSPQBlocked: a middlebox resets every connection whose first TLS
	// record is over 1400 bytes, as a ClientHello with a post-quantum key
	// share is (Claude Code's is 1477 bytes).
	TLSPQBlocked Scenario = Scenario(netcheck.TLSPQBlocked)
	// CAFileInvalid: NODE_EXTRA_CA_CERTS is the fake's CA in DER form, which
	// Claude Code ignores, so the chain is untrusted too (TLS_UNTRUSTED).
	CAFileInvalid Scenario = Scenario(netcheck.CAFileInvalid)
	// CAFileMissing: NODE_EXTRA_CA_CERTS names a file that does not exist:
	// CA_FILE_INVALID and TLS_UNTRUSTED.
	CAFileMissing Scenario = "CA_FILE_MISSING"
	// ProxyCredentials: healthy through a proxy that demands Basic
	// credentials whose password holds @ : / %, percent-encoded in the URL.
	ProxyCredentials Scenario = "PROXY_CREDENTIALS"
	// ProxyLowerCase: healthy through the proxy of https_proxy, while
	// HTTPS_PROXY names a dead one (Environ holds both; Target the winner).
	ProxyLowerCase Scenario = "PROXY_LOWER_CASE"
)

var routeScenarios = []Scenario{IPv6Broken, TLSPQBlocked, CAFileInvalid, CAFileMissing, ProxyCredentials, ProxyLowerCase}

func init() {
	scenarios = append(scenarios, routeScenarios...)
	variantCode[CAFileMissing] = netcheck.CAFileInvalid
	variantCode[ProxyCredentials] = ""
	variantCode[ProxyLowerCase] = ""
	also[CAFileInvalid] = []netcheck.Code{netcheck.TLSUntrusted} // Claude Code ignores the file, so the chain is untrusted
	also[CAFileMissing] = []netcheck.Code{netcheck.TLSUntrusted}
}

// The credentials the proxy of ProxyCredentials demands, decoded.
const (
	ProxyUser     = "medic"
	ProxyPassword = "p@ss:w/rd%"
	proxyUserinfo = "medic:p%40ss%3Aw%2Frd%25"
)

// dualHost resolves to ::1 and 127.0.0.1 on the fake DNS.
const dualHost = "dual.claudemedic.test"

// pqLimit is the largest first TLS record the PQ middlebox lets through.
const pqLimit = 1400

// errNoIPv6 is a kernel without IPv6 on ::1.
var errNoIPv6 = errors.New("this machine has no IPv6 on ::1")

// prepareRoute makes the sockets and files the route scenarios need, once.
// s.mu is held.
func (s *Server) prepareRoute(sc Scenario) error {
	var err error
	switch sc {
	case IPv6Broken:
		if s.v6 == nil {
			s.v6, err = s.listenResetting6(s.ln.Addr().(*net.TCPAddr).Port)
		}
	case CAFileInvalid:
		if s.caDER == "" {
			s.caDER = filepath.Join(filepath.Dir(s.caFile), "netchecktest-ca.cer")
			err = os.WriteFile(s.caDER, s.caCert, 0o600)
		}
	case ProxyCredentials:
		if s.authProxy == nil {
			s.authProxy, err = startAuthProxy(ProxyUser, ProxyPassword)
		}
	case ProxyLowerCase:
		if s.refused == nil {
			s.refused, err = refusingPort()
		}
		if err == nil && s.proxies[200] == nil {
			var p *proxyServer
			if p, err = startProxy(200); err == nil {
				s.proxies[200] = p
			}
		}
	}
	return err
}

// routeTarget sets what the route scenarios change in the Target. s.mu is held.
func (s *Server) routeTarget(sc Scenario, t *claudesettings.Target, port string) {
	flag := func(v string) claudesettings.Setting {
		return claudesettings.Setting{Value: v, Source: claudesettings.SourceFlag}
	}
	switch sc {
	case IPv6Broken:
		t.BaseURL = flag("https://" + net.JoinHostPort(dualHost, port))
	case CAFileInvalid:
		t.CAFile = flag(s.caDER)
	case CAFileMissing:
		t.CAFile = flag(filepath.Join(filepath.Dir(s.caFile), "missing-ca.pem"))
	case ProxyCredentials:
		t.BaseURL = flag("https://" + net.JoinHostPort(testHost, port))
		t.Proxy = flag("http://" + proxyUserinfo + "@" + s.authProxy.ln.Addr().String())
	case ProxyLowerCase:
		t.BaseURL = flag("https://" + net.JoinHostPort(testHost, port))
		t.Proxy = flag(s.proxies[200].url())
	}
}

// Environ returns the environment that makes Claude Code (or
// claudecfg.Resolve) use the current scenario's Target: ANTHROPIC_BASE_URL,
// ANTHROPIC_API_KEY, NODE_EXTRA_CA_CERTS, the proxy and API_TIMEOUT_MS. For
// ProxyLowerCase it sets https_proxy to the working proxy and HTTPS_PROXY to
// a dead one, as Claude Code picks the lower-case variable.
func (s *Server) Environ() []string {
	t := s.Target()
	env := []string{"ANTHROPIC_BASE_URL=" + t.BaseURL.Value, "ANTHROPIC_API_KEY=" + TestKey}
	if t.CAFile.Set() {
		env = append(env, "NODE_EXTRA_CA_CERTS="+t.CAFile.Value)
	}
	if t.APITimeout.Set() {
		env = append(env, "API_TIMEOUT_MS="+t.APITimeout.Value)
	}
	switch {
	case s.Scenario() == ProxyLowerCase:
		s.mu.Lock()
		dead := "http://" + s.refused.addr()
		s.mu.Unlock()
		env = append(env, "https_proxy="+t.Proxy.Value, "HTTPS_PROXY="+dead)
	case t.Proxy.Set():
		env = append(env, "HTTPS_PROXY="+t.Proxy.Value)
	}
	return env
}

// Connections returns how many TCP connections the fake API has accepted
// (on 127.0.0.1 and ::1): each carries one TLS handshake, so a test can
// see that a check makes no extra handshake when nothing fails.
func (s *Server) Connections() int { return int(s.conns.Load()) }

// listenResetting6 listens on [::1] at port (the API's) and resets each
// connection once its ClientHello arrives, as a broken IPv6 path that
// accepts does.
func (s *Server) listenResetting6(port int) (net.Listener, error) {
	ln, err := net.Listen("tcp6", net.JoinHostPort("::1", strconv.Itoa(port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRNOTAVAIL) || errors.Is(err, syscall.EAFNOSUPPORT) || errors.Is(err, syscall.EPROTONOSUPPORT) {
			return nil, errNoIPv6
		}
		return nil, err
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.conns.Add(1)
			s.wg.Add(1)
			go func() { defer s.wg.Done(); resetAfterHello(c) }()
		}
	}()
	return ln, nil
}

// resetAfterHello reads the ClientHello and answers with a TCP reset.
func resetAfterHello(c net.Conn) {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	buf := make([]byte, 4096)
	c.Read(buf)
	c.(*net.TCPConn).SetLinger(0)
	c.Close()
}

// pqMiddlebox is the TLSPQBlocked fault in front of the API: it reads the
// first TLS record's header and resets the connection when the record is
// over pqLimit bytes; a smaller one is served as usual. It returns the
// connection to serve, or nil when it reset it.
func pqMiddlebox(c net.Conn) net.Conn {
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	head := make([]byte, 5)
	if _, err := io.ReadFull(c, head); err != nil || int(head[3])<<8|int(head[4]) > pqLimit {
		c.(*net.TCPConn).SetLinger(0)
		c.Close()
		return nil
	}
	c.SetReadDeadline(time.Time{})
	return &prefixConn{Conn: c, r: io.MultiReader(bytes.NewReader(head), c)}
}

// prefixConn is a connection whose first bytes were already read.
type prefixConn struct {
	net.Conn
	r io.Reader
}

func (p *prefixConn) Read(b []byte) (int, error) { return p.r.Read(b) }
