package netcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"sync"
	"time"
)

// proveCause is called when the handshake of the request failed fast (a
// reset, a refused handshake): Claude Code fails there too, but one more
// handshake tells why. A reset that goes away without the post-quantum key
// share is TLS_PQ_BLOCKED; a failure over IPv6 that goes away over IPv4 is
// IPV6_BROKEN. The extra handshakes happen only here, each once, within
// the run's deadline; f is returned unchanged (or with a note) when neither
// proves a cause.
func (r *run) proveCause(s *phases, f Finding, cfg config, rt route, host, port string) Finding {
	if f.Code != TLSReset && f.Code != TLSHandshakeFailed || s.ctx == nil {
		return f
	}
	deadline, ok := s.ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(r.opts.Timeout)
	}
	ctx, cancel := context.WithDeadline(context.Background(), deadline) // no trace: the request's phases stay its own
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()

	addr := ""
	if rt.proxy == nil {
		addr = s.connAddr
	}
	other := ""
	if rt.proxy == nil {
		other = otherFamily(s.dnsAddrs, addr, port)
	}
	if f.Code == TLSReset {
		pctx, pcancel := ctx, context.CancelFunc(func() {})
		if other != "" { // leave the other family its share of the time
			pctx, pcancel = context.WithDeadline(ctx, time.Now().Add(time.Until(deadline)/2))
		}
		err := handshakeOnce(pctx, cfg, rt.proxy, addr, classicalCurves, r.opts.Resolver)
		pcancel()
		if err == nil {
			return pqBlocked(host, port, addr)
		}
	}
	if other == "" {
		return f
	}
	if err := handshakeOnce(ctx, cfg, nil, other, claudeCurves, r.opts.Resolver); err != nil {
		return f
	}
	if isIPv6(addr) {
		return ipv6Broken(f, host, addr, other)
	}
	f.Summary.EN += fmt.Sprintf(" Over IPv6 (%s) the handshake succeeds, but Claude Code connected over IPv4 and does not fall back once connected.", other)
	f.Summary.ZH += fmt.Sprintf("通过 IPv6（%s）握手可以成功，但 Claude Code 已经通过 IPv4 连接，连接建立后不会再回退。", other)
	return f
}

// handshakeOnce makes one TLS handshake with the base URL's host as the
// request does (to addr when set, else to the host; through proxy when
// set), offering curves, and says whether the server answered it: nil when
// it did, even with a certificate the trust does not accept (the route is
// then proved, and the tls check says what is wrong with the certificate).
// It sends no request.
func handshakeOnce(ctx context.Context, cfg config, proxy *url.URL, addr string, curves []tls.CurveID, resolver *net.Resolver) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	dialer := &net.Dialer{Resolver: resolver, KeepAliveConfig: net.KeepAliveConfig{Enable: false}}
	tr := &http.Transport{
		Proxy:             func(*http.Request) (*url.URL, error) { return proxy, nil },
		DialContext:       dialer.DialContext,
		TLSClientConfig:   &tls.Config{RootCAs: cfg.trust.pool, MinVersion: tls.VersionTLS12, CurvePreferences: curves},
		ForceAttemptHTTP2: true,
		DisableKeepAlives: true,
	}
	defer tr.CloseIdleConnections()
	if addr != "" {
		tr.DialContext = func(ctx context.Context, network, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, network, addr)
		}
	}
	handshakes := 1
	if proxy != nil && proxy.Scheme == "https" {
		handshakes = 2 // the proxy's own, then the host's through the tunnel
	}
	var (
		mu     sync.Mutex
		done   bool
		result error
	)
	trace := &httptrace.ClientTrace{TLSHandshakeDone: func(_ tls.ConnectionState, err error) {
		mu.Lock()
		defer mu.Unlock()
		if handshakes--; handshakes > 0 && err == nil {
			return
		}
		done, result = true, err
		cancel() // proved: send nothing
	}}
	u := *cfg.base
	u.Path, u.RawPath, u.RawQuery, u.Fragment = "/", "", "", ""
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), http.MethodHead, u.String(), nil)
	if err != nil {
		return err
	}
	resp, err := tr.RoundTrip(req)
	if resp != nil {
		resp.Body.Close()
	}
	mu.Lock()
	defer mu.Unlock()
	if !done {
		return err
	}
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	if result != nil && (errors.As(result, &verify) || errors.As(result, &unknown) || errors.As(result, &hostname) || errors.As(result, &invalid)) {
		return nil
	}
	return result
}
