package netcheck

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"time"

	"claudemedic/claudesettings"
)

// AnthropicVersion is the anthropic-version header every request sends.
const AnthropicVersion = "2023-06-01"

const maxBody = 1 << 20 // the most of an answer a check reads

// phases is what httptrace saw of one request, written by the transport's
// goroutines and read under mu.
type phases struct {
	mu                  sync.Mutex
	ctx                 context.Context // the request's, for the handshakes that prove a failure's cause
	start               time.Time
	dnsStart, dnsDone   time.Time
	dnsAddrs            []net.IPAddr
	dnsErr              error
	connStart, connDone time.Time
	connAddr            string
	connErr             error
	connected           bool
	tlsStart, tlsDone   time.Time
	tlsState            *tls.ConnectionState
	tlsErr              error
	proxyDone           time.Time
	proxyStatus         int
	proxyStatusText     string
	wrote, firstByte    time.Time
}

func (p *phases) snapshot() *phases {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := &phases{ctx: p.ctx}
	c.start, c.dnsStart, c.dnsDone, c.dnsAddrs, c.dnsErr = p.start, p.dnsStart, p.dnsDone, p.dnsAddrs, p.dnsErr
	c.connStart, c.connDone, c.connAddr, c.connErr, c.connected = p.connStart, p.connDone, p.connAddr, p.connErr, p.connected
	c.tlsStart, c.tlsDone, c.tlsState, c.tlsErr = p.tlsStart, p.tlsDone, p.tlsState, p.tlsErr
	c.proxyDone, c.proxyStatus, c.proxyStatusText = p.proxyDone, p.proxyStatus, p.proxyStatusText
	c.wrote, c.firstByte = p.wrote, p.firstByte
	return c
}

func (p *phases) set(f func(p *phases)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	f(p)
}

// timings turns the phases into the report's waterfall, ending at end.
func (p *phases) timings(end time.Time) Timings {
	span := func(a, b time.Time) time.Duration {
		if a.IsZero() || b.IsZero() || b.Before(a) {
			return 0
		}
		return b.Sub(a)
	}
	connected := p.connDone
	if p.proxyDone.After(connected) {
		connected = p.proxyDone // through a proxy, the tunnel is part of connecting
	}
	mark := func(t time.Time) time.Duration {
		if p.dnsErr != nil && t.Equal(p.dnsDone) || p.tlsErr != nil && t.Equal(p.tlsDone) {
			return 0 // it ended the request rather than a phase
		}
		return span(p.start, t)
	}
	connectedAt := mark(connected)
	if !p.connected {
		connectedAt = 0
	}
	return Timings{
		DNS:       span(p.dnsStart, p.dnsDone),
		Connect:   span(p.connStart, connected),
		TLS:       span(p.tlsStart, p.tlsDone),
		FirstByte: span(p.wrote, p.firstByte),
		Total:     span(p.start, end),

		DNSDoneAt:   mark(p.dnsDone),
		ConnectedAt: connectedAt,
		TLSDoneAt:   mark(p.tlsDone),
		FirstByteAt: mark(p.firstByte),
		EndAt:       span(p.start, end),
	}
}

// client is a fresh transport for one run, routed and trusting as Claude
// Code would: the proxy unless NO_PROXY exempts the host, loopback included;
// the system roots plus the extra CA.
type client struct {
	http *http.Client
	tr   *http.Transport
}

// phasesKey carries a request's phases in its context, to the transport's
// CONNECT hook (the dial keeps the request context's values).
type phasesKey struct{}

func newClient(cfg config, proxy *url.URL, opts Options, deadline time.Time) *client {
	tr := &http.Transport{
		Proxy: func(*http.Request) (*url.URL, error) { return proxy, nil },
		DialContext: (&net.Dialer{Resolver: opts.Resolver, Deadline: deadline,
			KeepAliveConfig: net.KeepAliveConfig{Enable: false}}).DialContext,
		TLSClientConfig:     &tls.Config{RootCAs: cfg.trust.pool, MinVersion: tls.VersionTLS12, CurvePreferences: claudeCurves},
		TLSHandshakeTimeout: time.Until(deadline) + time.Second,
		ForceAttemptHTTP2:   true,
		MaxIdleConns:        4,
		IdleConnTimeout:     time.Until(deadline) + time.Second,
		OnProxyConnectResponse: func(ctx context.Context, _ *url.URL, _ *http.Request, res *http.Response) error {
			log, ok := ctx.Value(phasesKey{}).(*phases)
			if !ok {
				return nil
			}
			log.set(func(p *phases) {
				p.proxyDone, p.proxyStatus, p.proxyStatusText = time.Now(), res.StatusCode, res.Status
			})
			return nil
		},
	}
	return &client{http: &http.Client{Transport: tr, CheckRedirect: claudeCodeRedirect}, tr: tr} // redirects as Claude Code follows them (retry.go)
}

// trace returns ctx traced into a fresh phases, which also gets the
// proxy's CONNECT answer. live is called as a phase ends well.
func trace(ctx context.Context, live func(*phases, string)) (context.Context, *phases) {
	p := &phases{start: time.Now(), ctx: ctx}
	ctx = context.WithValue(ctx, phasesKey{}, p)
	ct := &httptrace.ClientTrace{
		DNSStart: func(httptrace.DNSStartInfo) { p.set(func(p *phases) { p.dnsStart = time.Now() }) },
		DNSDone: func(i httptrace.DNSDoneInfo) {
			p.set(func(p *phases) { p.dnsDone, p.dnsAddrs, p.dnsErr = time.Now(), i.Addrs, i.Err })
			if i.Err == nil && live != nil {
				live(p, "dns")
			}
		},
		ConnectStart: func(_, addr string) {
			p.set(func(p *phases) {
				if p.connStart.IsZero() {
					p.connStart = time.Now()
				}
				p.connAddr = addr
			})
		},
		ConnectDone: func(_, addr string, err error) {
			p.set(func(p *phases) {
				if err == nil {
					p.connDone, p.connAddr, p.connected = time.Now(), addr, true
				} else if !p.connected {
					p.connDone, p.connErr = time.Now(), err
				}
			})
			if err == nil && live != nil {
				live(p, "tcp")
			}
		},
		TLSHandshakeStart: func() { p.set(func(p *phases) { p.tlsStart = time.Now() }) },
		TLSHandshakeDone: func(cs tls.ConnectionState, err error) {
			p.set(func(p *phases) {
				p.tlsDone, p.tlsErr = time.Now(), err
				if err == nil {
					p.tlsState = &cs
				}
			})
		},
		WroteRequest:         func(httptrace.WroteRequestInfo) { p.set(func(p *phases) { p.wrote = time.Now() }) },
		GotFirstResponseByte: func() { p.set(func(p *phases) { p.firstByte = time.Now() }) },
	}
	return httptrace.WithClientTrace(ctx, ct), p
}

// probe runs the network checks on the request Claude Code makes. On the
// Claude API that is count_tokens (free, and it validates the credential, the
// model and the betas); a relay that does not serve it is asked POST
// /v1/messages with max_tokens 1 on the same connection. On any other host
// (generates) it is one streamed POST /v1/messages of Claude Code's shape,
// max_tokens 1, whose stream is the stream check: a router answers
// count_tokens itself, so only this reaches its upstream. dns, tcp, proxy and
// tls are the first request's traced phases. A refused beta list, or a
// refused system role inside messages, is sent again without it, as Claude
// Code does.
func (r *run) probe(ctx context.Context, cfg config, rt route, usable bool) {
	deadline, _ := ctx.Deadline()
	c := newClient(cfg, rt.proxy, r.opts, deadline)
	defer c.tr.CloseIdleConnections()
	host, port := hostPort(cfg.base)
	proxied := rt.proxy != nil

	live := func(p *phases, phase string) {
		s := p.snapshot()
		switch {
		case phase == "dns" && !proxied:
			r.finish(CheckDNS, StatusPass, s.dnsDone.Sub(s.dnsStart), dnsSummary(host, s.dnsAddrs))
		case phase == "tcp" && !proxied:
			r.finish(CheckTCP, StatusPass, s.connDone.Sub(s.connStart), claudesettings.Text{EN: fmt.Sprintf("Connected to %s in %s.", s.connAddr, FormatDuration(s.connDone.Sub(s.connStart))), ZH: fmt.Sprintf("已连接到 %s，用时 %s。", s.connAddr, FormatDuration(s.connDone.Sub(s.connStart)))})
		}
	}
	tctx, p := trace(ctx, live)
	generate := r.generates(host)
	q := r.newAPIRequest(cfg, countTokens, false)
	if generate {
		q = r.newAPIRequest(cfg, messages, true)
	}
	x, err := r.exchangeRetrying(tctx, c, q, usable) // retried as Claude Code retries (retry.go)
	if err == errNoRequest {
		r.skipAll("The request could not be built from the base URL.", "无法用基础 URL 构造请求。")
		return
	}
	s := p.snapshot()
	x.wrote, x.firstByte = s.wrote, s.firstByte
	r.setTimings(s.timings(x.end))

	if !r.connectionChecks(s, err, cfg, rt, host, port) {
		return
	}
	x.firstParty = isAnthropicHost(host)
	x.fromBaseURL = strings.Trim(cfg.base.Path, "/") != ""
	systemDropped := false
	for range 3 { // at most: count_tokens → POST /v1/messages → the essential betas → without the system message
		a := readAnswer(x.resp, x.body, r.target.Credential.Secret)
		next, dropped := r.nextRequest(cfg, x, a)
		if next == nil {
			break
		}
		x2, err := r.tracedExchange(ctx, c, *next, usable)
		if err != nil {
			f := newFinding(NoResponse, CheckHTTP, claudesettings.Text{EN: fmt.Sprintf("POST %s answered %d, but POST %s then got no answer: %s.", x.path(), a.status, next.endpoint.path(), errText(err, r.opts.Timeout)), ZH: fmt.Sprintf("POST %s 回复了 %d，但随后的 POST %s 没有回应：%s。", x.path(), a.status, next.endpoint.path(), errTextZH(err, r.opts.Timeout))})
			r.finish(CheckHTTP, StatusFail, time.Since(x2.start), f.Summary, f)
			r.skip(claudesettings.Text{EN: "Skipped: the http check failed.", ZH: "已跳过：http 检查失败。"}, networkChecks...)
			return
		}
		systemDropped = systemDropped || next.noSystem && !x.req.noSystem
		x2.firstParty, x2.fromBaseURL, x2.countAnswer, x2.betasDropped = x.firstParty, x.fromBaseURL, x.countAnswer, x.betasDropped || dropped
		if x.req.endpoint == countTokens && next.endpoint == messages && !dropped {
			x2.countAnswer = &a
		}
		x = x2
		r.mu.Lock()
		r.timings.FirstByte, r.timings.Total = x.ttfb(), x.end.Sub(s.start)
		r.mu.Unlock()
	}
	if f, ok := r.refusal(x, cfg); ok {
		r.finish(CheckHTTP, StatusFail, x.ttfb(), f.Summary, f)
		r.skip(claudesettings.Text{EN: "Skipped: the request was refused before the key could be judged (see http).", ZH: "已跳过：请求在校验密钥之前就被拒绝（见 http）。"}, CheckAuth, CheckRateLimit, CheckStream)
		r.skipNetwork()
		return
	}
	ok := r.answerChecks(s, x, cfg, rt, usable)
	if systemDropped {
		r.addLate(CheckHTTP, r.systemRoleFinding(x))
	}
	switch {
	case x.sse != nil:
		r.streamFallback = func() bool { return r.nonStreamingWorks(ctx, c, cfg) }
		r.finishStream(*x.sse)
	case generate && x.req.stream && ok:
		r.streamRefused(readAnswer(x.resp, x.body, r.target.Credential.Secret), x.req, x.start)
	case generate:
		r.skip(claudesettings.Text{EN: "Skipped: the generating request was refused (see http and auth).", ZH: "已跳过：生成请求被拒绝（见 http 和 auth）。"}, CheckStream)
	case r.want[CheckStream]:
		if !ok {
			r.skip(claudesettings.Text{EN: "Skipped: the API did not accept the key (see auth).", ZH: "已跳过：API 没有接受密钥（见 auth）。"}, CheckStream)
			return
		}
		r.checkStream(ctx, c, cfg)
	}
}

// generates reports whether this run's request is the generating one: a
// streamed POST /v1/messages of Claude Code's shape, max_tokens 1, on any
// host but the Claude API's own (where count_tokens is free and proves as
// much), unless Options.NoGenerate. A router answers count_tokens itself
// (claude-code-router 2.0.0 and 3.1.1, measured), so only a generating
// request reaches its upstream; and only a stream shows a relay that breaks
// streams ("request ended without sending any chunks"). Its stream is the
// stream check.
func (r *run) generates(host string) bool {
	if r.opts.NoGenerate || isAnthropicHost(host) || r.target.Provider.Name != "" || !r.want[CheckHTTP] {
		return false
	}
	r.mu.Lock()
	r.want[CheckStream] = true
	r.mu.Unlock()
	return true
}

// skipNetwork ends what is left of the network checks after a refusal.
func (r *run) skipNetwork() {
	r.skip(claudesettings.Text{EN: "Skipped: the http check failed.", ZH: "已跳过：http 检查失败。"}, CheckClock)
}

var errNoRequest = errors.New("the request could not be built")

// nextRequest says what to ask after answer a to x, as Claude Code would go
// on, or nil when a decides. A rejection of the betas is retried with the
// essential betas, as Claude Code retries (count_tokens again on the
// first-party API, where it is free; POST /v1/messages elsewhere). A
// count_tokens answer that does not decide, from an endpoint that is not
// the first-party API, hands over to POST /v1/messages.
func (r *run) nextRequest(cfg config, x exchange, a answer) (next *apiRequest, dropped bool) {
	switch {
	case systemRoleRefused(a, x.body) && x.req.endpoint == messages && !x.req.noSystem && x.req.shape.HasSystemMessage():
		n := x.req
		n.noSystem = true
		return &n, false
	case betaRejected(a) && !x.req.reduced:
		n := x.req
		if !x.firstParty && n.endpoint == countTokens {
			n = r.newAPIRequest(cfg, messages, false)
		}
		n.reduced = true
		return &n, true
	case x.req.endpoint == countTokens && !x.firstParty && !conclusive(a, x.req.model):
		n := r.newAPIRequest(cfg, messages, false)
		n.reduced = x.req.reduced
		return &n, false
	}
	return nil, false
}

// exchange sends q on c and reads the answer (at most maxBody of it).
func (r *run) exchange(ctx context.Context, c *client, q apiRequest, usable bool) (exchange, error) {
	x := exchange{req: q, start: time.Now()}
	req, err := q.build(ctx, r.target, usable)
	if err != nil {
		return x, errNoRequest
	}
	x.url = req.URL
	var timer *time.Timer
	if q.stream { // a silence of StreamIdle ends the stream as the deadline does
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		defer cancel()
		timer = time.AfterFunc(r.streamIdle(), cancel)
		defer timer.Stop()
		req = req.WithContext(ctx)
	}
	resp, err := c.http.Do(req)
	var body io.Reader
	isSSE := false
	if err == nil {
		body, isSSE = eventStream(resp)
	}
	if err == nil && q.stream && isSSE {
		res := readStream(body, timer, r.streamIdle(), x.start)
		resp.Body.Close()
		x.sse, x.resp, x.body = &res, resp, res.message
		if !res.started || len(x.body) == 0 { // the 200 stream is the API's answer, whatever the stream check finds in it
			x.body = []byte(`{"type":"message","role":"assistant","content":[]}`)
		}
		x.end = time.Now()
		return x, nil
	}
	if err == nil {
		x.body, err = io.ReadAll(io.LimitReader(body, maxBody))
		resp.Body.Close()
		if err == nil {
			x.resp = resp
		}
	}
	x.end = time.Now()
	return x, err
}

// tracedExchange is exchange with the time to first byte measured.
func (r *run) tracedExchange(ctx context.Context, c *client, q apiRequest, usable bool) (exchange, error) {
	tctx, p := trace(ctx, nil)
	x, err := r.exchangeRetrying(tctx, c, q, usable)
	s := p.snapshot()
	x.wrote, x.firstByte = s.wrote, s.firstByte
	return x, err
}

func (r *run) setTimings(t Timings) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.timings = t
}

func dnsSummary(host string, addrs []net.IPAddr) claudesettings.Text {
	var v4, v6 int
	for _, a := range addrs {
		if a.IP.To4() != nil {
			v4++
		} else {
			v6++
		}
	}
	return claudesettings.Text{EN: fmt.Sprintf("%s resolves to %d address(es): %d IPv4, %d IPv6.", host, len(addrs), v4, v6), ZH: fmt.Sprintf("%s 解析到 %d 个地址：IPv4 %d 个，IPv6 %d 个。", host, len(addrs), v4, v6)}

}

// connectionChecks ends dns, tcp, proxy and tls from the request's phases
// and error. It returns whether the request got an answer to read.
func (r *run) connectionChecks(s *phases, err error, cfg config, rt route, host, port string) bool {
	proxied := rt.proxy != nil
	after := func(check string) claudesettings.Text {
		return claudesettings.Text{EN: "Skipped: the " + check + " check failed.", ZH: "已跳过：" + check + " 检查失败。"}
	}
	failAt := func(id CheckID, d time.Duration, f Finding) bool {
		r.finish(id, StatusFail, d, f.Summary, f)
		r.skip(after(string(id)), networkChecks...)
		return false
	}
	timeout := r.opts.Timeout

	// The route: straight to the host, or through the proxy.
	if proxied {
		viaProxy := claudesettings.Text{EN: "Requests go through the proxy (see proxy), which resolves and connects.", ZH: "请求经由代理（见 proxy），由代理解析与连接。"}
		r.skip(viaProxy, CheckDNS, CheckTCP)
		pu := claudesettings.RedactedURL(rt.proxy)
		d := s.connDone.Sub(s.connStart)
		unreachable := func(en, zh string) bool {
			return failAt(CheckProxy, d, newFinding(ProxyUnreachable, CheckProxy, claudesettings.Text{EN: en, ZH: zh}))
		}
		switch {
		case s.dnsErr != nil || (!s.dnsStart.IsZero() && s.dnsDone.IsZero()):
			return unreachable(fmt.Sprintf("The proxy's host name in %s does not resolve.", pu),
				fmt.Sprintf("代理 %s 的主机名无法解析。", pu))
		case !s.connected && isRefused(s.connErr):
			return unreachable(fmt.Sprintf("The proxy %s refuses connections: nothing listens there.", pu),
				fmt.Sprintf("代理 %s 拒绝连接：那里没有程序在监听。", pu))
		case !s.connected && (s.connErr != nil || !s.connStart.IsZero()):
			return unreachable(fmt.Sprintf("The proxy %s cannot be reached: %s.", pu, errText(s.connErr, timeout)),
				fmt.Sprintf("无法连接代理 %s：%s。", pu, errTextZH(s.connErr, timeout)))
		case !s.connected:
			return unreachable(fmt.Sprintf("The proxy %s cannot be reached: %s.", pu, errText(err, timeout)),
				fmt.Sprintf("无法连接代理 %s：%s。", pu, errTextZH(err, timeout)))
		case s.proxyStatus == http.StatusProxyAuthRequired:
			return failAt(CheckProxy, s.proxyDone.Sub(s.connStart), newFinding(ProxyAuthRequired, CheckProxy, claudesettings.Text{EN: fmt.Sprintf("The proxy %s answered CONNECT %s:%s with %s: it wants a user name and password.", pu, host, port, s.proxyStatusText), ZH: fmt.Sprintf("代理 %s 对 CONNECT %s:%s 回复 %s：需要用户名和密码。", pu, host, port, s.proxyStatusText)}))
		case s.proxyStatus != 0 && s.proxyStatus != http.StatusOK:
			return failAt(CheckProxy, s.proxyDone.Sub(s.connStart), newFinding(ProxyRefused, CheckProxy, claudesettings.Text{EN: fmt.Sprintf("The proxy %s refused CONNECT %s:%s with %s.", pu, host, port, s.proxyStatusText), ZH: fmt.Sprintf("代理 %s 拒绝了 CONNECT %s:%s，回复 %s。", pu, host, port, s.proxyStatusText)}))
		case cfg.base.Scheme == "https" && s.proxyStatus == 0:
			return unreachable(fmt.Sprintf("The proxy %s accepted the connection but never answered CONNECT %s:%s (%s).", pu, host, port, errText(err, timeout)),
				fmt.Sprintf("代理 %s 接受了连接，却一直没有回应 CONNECT %s:%s（%s）。", pu, host, port, errTextZH(err, timeout)))
		}
		if cfg.base.Scheme == "https" { // a plain-http request's answer says how the proxy took it
			r.proxyPassed(rt, s.proxyDone.Sub(s.connStart), claudesettings.Text{EN: fmt.Sprintf("The proxy %s opened a tunnel to %s:%s.", pu, host, port), ZH: fmt.Sprintf("代理 %s 已打通到 %s:%s 的隧道。", pu, host, port)})
		}
	} else {
		if net.ParseIP(host) != nil {
			r.finish(CheckDNS, StatusPass, 0, claudesettings.Text{EN: host + " is an IP address: nothing to resolve.", ZH: host + " 是 IP 地址，无需解析。"})
		}
		switch {
		case s.dnsErr != nil:
			return failAt(CheckDNS, s.dnsDone.Sub(s.dnsStart), newFinding(DNSFailed, CheckDNS, dnsFailure(host, s.dnsErr, timeout)))
		case !s.dnsStart.IsZero() && s.dnsDone.IsZero():
			return failAt(CheckDNS, time.Since(s.dnsStart), newFinding(DNSFailed, CheckDNS, claudesettings.Text{EN: fmt.Sprintf("No DNS answer for %s within %s.", host, timeout), ZH: fmt.Sprintf("%s 内没有得到 %s 的 DNS 应答。", timeout, host)}))
		case !s.connected && isRefused(s.connErr):
			return failAt(CheckTCP, s.connDone.Sub(s.connStart), newFinding(TCPRefused, CheckTCP, claudesettings.Text{EN: fmt.Sprintf("Connection to %s refused: nothing listens on port %s, or a firewall rejects it.", s.connAddr, port), ZH: fmt.Sprintf("连接 %s 被拒绝：端口 %s 上没有程序在监听，或被防火墙拒绝。", s.connAddr, port)}))
		case !s.connected && !s.connStart.IsZero() && (s.connErr == nil || isTimeout(s.connErr)):
			return failAt(CheckTCP, time.Since(s.connStart), newFinding(TCPTimeout, CheckTCP, claudesettings.Text{EN: fmt.Sprintf("Connecting to %s timed out after %s: no answer at all, as when a firewall drops the packets.", s.connAddr, FormatDuration(time.Since(s.connStart))), ZH: fmt.Sprintf("连接 %s 在 %s 后超时：完全没有回应，像是被防火墙丢弃了数据包。", s.connAddr, FormatDuration(time.Since(s.connStart)))}))
		case !s.connected && s.connErr != nil:
			return failAt(CheckTCP, s.connDone.Sub(s.connStart), newFinding(TCPRefused, CheckTCP, claudesettings.Text{EN: fmt.Sprintf("Connecting to %s failed: %s.", s.connAddr, errText(s.connErr, timeout)), ZH: fmt.Sprintf("连接 %s 失败：%s。", s.connAddr, errTextZH(s.connErr, timeout))}))
		case !s.connected && err != nil:
			return failAt(CheckTCP, time.Since(s.start), newFinding(TCPTimeout, CheckTCP, claudesettings.Text{EN: fmt.Sprintf("No connection to %s:%s: %s.", host, port, errText(err, timeout)), ZH: fmt.Sprintf("未能连接 %s:%s：%s。", host, port, errTextZH(err, timeout))}))
		}
		r.finish(CheckDNS, StatusPass, s.dnsDone.Sub(s.dnsStart), dnsSummary(host, s.dnsAddrs))
		r.finish(CheckTCP, StatusPass, s.connDone.Sub(s.connStart), claudesettings.Text{EN: fmt.Sprintf("Connected to %s in %s.", s.connAddr, FormatDuration(s.connDone.Sub(s.connStart))), ZH: fmt.Sprintf("已连接到 %s，用时 %s。", s.connAddr, FormatDuration(s.connDone.Sub(s.connStart)))})
	}

	// TLS.
	if cfg.base.Scheme == "http" {
		r.finish(CheckTLS, StatusSkip, 0, claudesettings.Text{EN: "The base URL is plain http://: no TLS.", ZH: "基础 URL 是明文 http://，不使用 TLS。"})
	} else {
		switch {
		case s.tlsStart.IsZero() && err != nil:
			return failAt(CheckTLS, 0, newFinding(TLSHandshakeFailed, CheckTLS, claudesettings.Text{EN: "The TLS handshake did not start: " + errText(err, timeout) + ".", ZH: "TLS 握手没有开始：" + errTextZH(err, timeout) + "。"}))
		case !s.tlsStart.IsZero() && (s.tlsDone.IsZero() || isTimeout(s.tlsErr)):
			return failAt(CheckTLS, time.Since(s.tlsStart), newFinding(TLSHandshakeTimeout, CheckTLS, claudesettings.Text{EN: fmt.Sprintf("%s:%s accepted the TCP connection, but the TLS handshake did not finish in %s: no ServerHello came back.", host, port, FormatDuration(time.Since(s.tlsStart))), ZH: fmt.Sprintf("%s:%s 接受了 TCP 连接，但 TLS 握手在 %s 内没有完成：没有收到 ServerHello。", host, port, FormatDuration(time.Since(s.tlsStart)))}))
		case s.tlsErr != nil && plainHTTPPort(s.tlsErr): // BASE_URL_SCHEME: see answer.go
			return failAt(CheckTLS, s.tlsDone.Sub(s.tlsStart), newFinding(BaseURLScheme, CheckTLS, claudesettings.Text{EN: fmt.Sprintf("%s:%s answered the TLS handshake in plain HTTP: ANTHROPIC_BASE_URL starts with https://, but this port speaks http:// (%s).", host, port, alertText(s.tlsErr.Error())), ZH: fmt.Sprintf("%s:%s 以明文 HTTP 回应了 TLS 握手：ANTHROPIC_BASE_URL 以 https:// 开头，但这个端口使用 http://（%s）。", host, port, alertText(s.tlsErr.Error()))}))
		case s.tlsErr != nil:
			f := r.proveCause(s, tlsFailure(s.tlsErr, host, port, cfg.trust), cfg, rt, host, port)
			return failAt(CheckTLS, s.tlsDone.Sub(s.tlsStart), f)
		case s.tlsState != nil:
			sum, fs := r.tlsSuccess(s.tlsState, cfg, host)
			r.finish(CheckTLS, StatusPass, s.tlsDone.Sub(s.tlsStart), sum, fs...)
		}
	}

	if err != nil {
		d := time.Since(s.start)
		if !s.wrote.IsZero() {
			d = time.Since(s.wrote)
		}
		var f Finding
		if isTimeout(err) && !s.wrote.IsZero() {
			f = noAnswer(time.Since(s.start), cfg) // Claude Code's timeout against the check's own (answer.go)
		} else if cfg.base.Scheme == "http" && !proxied && speaksTLS(r.opts.Resolver, host, port, time.Until(r.start.Add(r.opts.Timeout))) { // BASE_URL_SCHEME: see answer.go
			f = newFinding(BaseURLScheme, CheckHTTP, claudesettings.Text{EN: fmt.Sprintf("%s:%s speaks TLS, but ANTHROPIC_BASE_URL starts with http://: the server dropped the plain request (%s).", host, port, errText(err, timeout)), ZH: fmt.Sprintf("%s:%s 使用 TLS，但 ANTHROPIC_BASE_URL 以 http:// 开头：服务器断开了明文请求（%s）。", host, port, errTextZH(err, timeout))})
		} else {
			f = newFinding(NoResponse, CheckHTTP, claudesettings.Text{EN: "The connection was dropped before an answer came: " + errText(err, timeout) + ".", ZH: "收到回应前连接就断开了：" + errTextZH(err, timeout) + "。"})
		}
		return failAt(CheckHTTP, d, f)
	}
	return true
}

// isRefused reports whether err is a refused or reset connect.
func isRefused(err error) bool { return isAny(err, refusedErrnos) || isAny(err, resetErrnos) }

// isReset reports whether err is a connection reset or closed under us.
func isReset(err error) bool {
	return isAny(err, resetErrnos) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

func isAny(err error, targets []error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}

func isTimeout(err error) bool {
	if err == nil {
		return false
	}
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) || (errors.As(err, &ne) && ne.Timeout())
}

// errText says what err was in a few words, without Go's wrapping.
func errText(err error, timeout time.Duration) string {
	switch {
	case err == nil:
		return "no answer"
	case isTimeout(err):
		return "no answer within " + timeout.String()
	case isAny(err, refusedErrnos):
		return "connection refused"
	case isAny(err, resetErrnos):
		return "connection reset"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return "no route to host"
	case errors.Is(err, syscall.ENETUNREACH):
		return "network unreachable"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "the connection was closed"
	}
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err.Error()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// errTextZH is errText in Chinese for the errors it knows.
func errTextZH(err error, timeout time.Duration) string {
	switch {
	case err == nil:
		return "没有回应"
	case isTimeout(err):
		return timeout.String() + " 内没有回应"
	case isAny(err, refusedErrnos):
		return "连接被拒绝"
	case isAny(err, resetErrnos):
		return "连接被重置"
	case errors.Is(err, syscall.EHOSTUNREACH):
		return "没有到主机的路由"
	case errors.Is(err, syscall.ENETUNREACH):
		return "网络不可达"
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return "连接被关闭"
	}
	return errText(err, timeout)
}

func dnsFailure(host string, err error, timeout time.Duration) claudesettings.Text {
	var de *net.DNSError
	if errors.As(err, &de) && de.IsNotFound {
		return claudesettings.Text{EN: fmt.Sprintf("%s does not resolve: the DNS server says no such host.", host), ZH: fmt.Sprintf("%s 无法解析：DNS 服务器回答没有这个主机。", host)}

	}
	return claudesettings.Text{EN: fmt.Sprintf("%s does not resolve: %s.", host, errText(err, timeout)), ZH: fmt.Sprintf("%s 无法解析：%s。", host, errTextZH(err, timeout))}

}

// proxyPassed ends the proxy check when the proxy carried the request,
// with PROXY_CATCHES_LOCAL when it should not have been asked to.
func (r *run) proxyPassed(rt route, d time.Duration, sum claudesettings.Text) {
	var fs []Finding
	if rt.local.Code != "" {
		fs = append(fs, rt.local)
	}
	r.finish(CheckProxy, StatusPass, d, sum, fs...)
}
