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
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"claudemedic/claudesettings"
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

// Claude Code's client rules: how its client times out, retries and
// follows redirects, copied here once each. Each was measured with the real
// Claude Code 2.1.332 (`claude -p hi`, a loopback fake, a throwaway HOME;
// docs/client-rules.md has the runs), and each has a test that cites its
// measurement (retry_test.go).

// claudeCodeTimesOut reports whether Claude Code gives up on a request whose
// response began after took (from the request's start: the connection's
// set-up counts): API_TIMEOUT_MS bounds the wait for the response's headers,
// and only that. Measured: an answer after 5 s with API_TIMEOUT_MS=2000
// failed with "Request timed out. If the API is slow to answer, or a proxy
// or gateway holds responses, set API_TIMEOUT_MS above 2000."; one after
// 3 s with 5000 answered "Hi"; a stream whose message_start came at once and
// that then kept silent, or sent only pings, for 6 s with 2000 answered "Hi".
func claudeCodeTimesOut(took, apiTimeout time.Duration) bool { return took > apiTimeout }

// claudeCodeRetries reports whether Claude Code sends a request again after
// an answer of status (up to CLAUDE_CODE_MAX_RETRIES more times, 10 by
// default, with backoff). Measured with CLAUDE_CODE_MAX_RETRIES=2 (three
// requests when retried, one when not): 401, 408, 409, 429 (after its
// retry-after), 500, 502, 503, 504 and 529 are retried, as are a timed-out
// request and a connection reset; 400, 403, 404 and 413 are not.
func claudeCodeRetries(status int) bool {
	switch {
	case status == 401, status == 408, status == 409, status == 429:
		return true
	case status >= 500:
		return true
	}
	return false
}

// claudeCodeBackoff is Claude Code's pause before retry n (1, 2, …): 0.5 s
// doubled each time, at most 32 s, plus up to a quarter more of jitter
// (measured pauses: 0.5–0.65 s before the first retry, 1.0–1.1 s before the
// second). It does not wait less than a 429's retry-after.
func claudeCodeBackoff(n int) time.Duration {
	if n < 1 {
		return 0
	}
	return min(500*time.Millisecond<<min(n-1, 6), 32*time.Second)
}

// claudeCodeWait is about how long Claude Code takes to print "Request timed
// out" when no answer begins within apiTimeout: one try and retries more,
// each given apiTimeout, with the backoff between them (measured with
// API_TIMEOUT_MS=2000 and an answer after 5 s: 2 s with no retry, 4.5–5 s
// with one, 7.5–8 s with two, from the first request to the message).
func claudeCodeWait(apiTimeout time.Duration, retries int) time.Duration {
	w := time.Duration(retries+1) * apiTimeout
	for n := 1; n <= retries; n++ {
		w += claudeCodeBackoff(n)
	}
	return w
}

// defaultMaxRetries is CLAUDE_CODE_MAX_RETRIES when it is not set (the
// table's default: claudesettings reads the variable).
const defaultMaxRetries = 10

// headersAfter is the time from the exchange's start (its connection's
// set-up included) to the first byte of the answer: what API_TIMEOUT_MS
// bounds in Claude Code.
func (x exchange) headersAfter() time.Duration {
	if x.firstByte.IsZero() {
		return x.end.Sub(x.start)
	}
	return x.firstByte.Sub(x.start)
}

// maxRedirects is how many redirects fetch (Claude Code's client) follows
// before it fails: 20.
const maxRedirects = 20

// claudeCodeRedirect is the check client's redirect rule, Claude Code's:
// a 307 or 308 is followed with the method and body kept (measured: a relay
// answering 307 or 308 to another path answered "Hi" through it), a 301, 302
// or 303 is not followed but reported: Claude Code's fetch follows it as a
// GET, which the Messages API does not serve (measured: "There's an issue
// with the selected model (…)"), so the answer that decides is the
// redirect itself. After maxRedirects hops, the last redirect is the answer.
func claudeCodeRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects || req.Response == nil {
		return http.ErrUseLastResponse
	}
	switch req.Response.StatusCode {
	case http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return nil
	}
	return http.ErrUseLastResponse
}

// retryNote says, for a summary, that Claude Code retries an answer of
// status before it shows the error, and about how long that takes with
// retries more tries (CLAUDE_CODE_MAX_RETRIES; the backoff alone, each
// try's own time comes on top). Empty when Claude Code does not retry it.
func retryNote(status, retries int) claudesettings.Text {
	if !claudeCodeRetries(status) || retries <= 0 {
		return claudesettings.Text{}
	}
	w := claudeCodeWait(0, retries).Round(10 * time.Second)
	return claudesettings.Text{
		EN: fmt.Sprintf(" Claude Code retries this answer (CLAUDE_CODE_MAX_RETRIES: %d more tries, with a pause that doubles from 0.5 s), so it shows the error only after about %.0f s.", retries, w.Seconds()),
		ZH: fmt.Sprintf("Claude Code 会重试这种回应（CLAUDE_CODE_MAX_RETRIES：再试 %d 次，间隔从 0.5 秒起逐次加倍），所以大约 %.0f 秒后才显示错误。", retries, w.Seconds())}
}

// withRetryNote is t with retryNote(status) after it, for the retries of target.
func withRetryNote(target claudesettings.Target, t claudesettings.Text, status int) claudesettings.Text {
	retries, _ := target.EffectiveMaxRetries() // the table's reader (claudesettings)
	n := retryNote(status, retries)
	return claudesettings.Text{EN: t.EN + n.EN, ZH: t.ZH + n.ZH}
}

// retryShare: the check waits out a pause (a retry-after) of at most a
// third of the time its run has left.
const retryShare = 3

// checkRetries reports whether the check asks again after an answer of
// status: what Claude Code retries, a 401 included. Claude Code 2.1.332
// sends a request refused with 401 again (measured: three requests with
// CLAUDE_CODE_MAX_RETRIES=2, docs/client-rules.md), so a gateway whose first
// answer is a 401 and whose second is good answers Claude Code "Hi" (8 of
// the 13 disagreements left of 600 set-ups of scripts/differential.sh); a
// key that is really refused costs one more refused request and Claude
// Code's first pause (0.5 s).
func checkRetries(status int) bool { return claudeCodeRetries(status) }

// exchangeRetrying is exchange with Claude Code's retry: an answer Claude
// Code sends again (checkRetries: a 401, 408, 409, 429, 5xx or 529) is asked
// once more, after Claude Code's first pause (0.5 s, or a 429's
// retry-after when that is longer), when the run's time allows it (the pause
// at most a third of what is left). When the second answer is one Claude
// Code does not retry, it is the one judged, and the first is kept as a
// warning (retryFindings): Claude Code gets past it, a retry later
// (measured: one 529, 500, 429 or 401 before a good answer, and Claude Code
// 2.1.332 answered "Hi"; docs/client-rules.md, and the differential test). When both are retried answers, the second is
// judged: the same fault twice.
func (r *run) exchangeRetrying(ctx context.Context, c *client, q apiRequest, usable bool) (exchange, error) {
	var wrote atomic.Bool // the request went out (a drop after it is what Claude Code retries)
	tctx := httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(i httptrace.WroteRequestInfo) {
		if i.Err == nil {
			wrote.Store(true)
		}
	}})
	x, err := r.exchange(tctx, c, q, usable)
	if err != nil && wrote.Load() && !isTimeout(err) && ctx.Err() == nil {
		return r.retryDropped(ctx, c, q, usable, x, err)
	}
	if err != nil || x.resp == nil || !checkRetries(x.resp.StatusCode) {
		return x, err
	}
	pause := claudeCodeBackoff(1)
	if s, e := strconv.Atoi(strings.TrimSpace(x.resp.Header.Get("Retry-After"))); e == nil && s > 0 {
		pause = max(pause, time.Duration(s)*time.Second)
	}
	if deadline, ok := ctx.Deadline(); ok && pause > time.Until(deadline)/retryShare {
		return x, err
	}
	select {
	case <-time.After(pause):
	case <-ctx.Done():
		return x, err
	}
	x2, err2 := r.exchange(ctx, c, q, usable)
	if err2 != nil || x2.resp == nil {
		return x, err // the retry got no answer: the first one is what there is to judge
	}
	if !checkRetries(x2.resp.StatusCode) {
		r.mu.Lock()
		r.retried = append(r.retried, retriedPast(x, x2, pause, r.target.Credential.Secret))
		r.mu.Unlock()
	}
	return x2, nil
}

// retryDropped asks again, once, after the connection dropped with the
// request sent and no answer: Claude Code retries that too and answered on
// the retry (a reset once, 2.1.332; scripts/differential.sh). When the retry
// is answered, the drop is a warning (NO_RESPONSE); else the first error
// stands.
func (r *run) retryDropped(ctx context.Context, c *client, q apiRequest, usable bool, x exchange, err error) (exchange, error) {
	pause := claudeCodeBackoff(1)
	if deadline, ok := ctx.Deadline(); ok && pause > time.Until(deadline)/retryShare {
		return x, err
	}
	select {
	case <-time.After(pause):
	case <-ctx.Done():
		return x, err
	}
	x2, err2 := r.exchange(ctx, c, q, usable)
	if err2 != nil || x2.resp == nil {
		return x, err
	}
	f := newFinding(NoResponse, CheckHTTP, claudesettings.Text{
		EN: fmt.Sprintf("POST %s first lost its connection before an answer (%s); asked again after %s, as Claude Code does, it answered %d. Claude Code gets past such a drop by retrying; if it happens often, something between is unstable.", x.path(), errText(err, r.opts.Timeout), FormatDuration(pause), x2.resp.StatusCode),
		ZH: fmt.Sprintf("POST %s 第一次在得到回应前就断开了连接（%s）；按 Claude Code 的方式在 %s 后重试，它回复了 %d。Claude Code 会通过重试越过这类断开；如果经常发生，说明中间环节不稳定。", x.path(), errTextZH(err, r.opts.Timeout), FormatDuration(pause), x2.resp.StatusCode)})
	f.Severity = SeverityWarn
	r.mu.Lock()
	r.retried = append(r.retried, f)
	r.mu.Unlock()
	return x2, nil
}

// retriedPast is the warning for a first answer x that Claude Code's retry
// gets past: the code the answer would have had, as a warning.
func retriedPast(x, x2 exchange, pause time.Duration, secret string) Finding {
	a := readAnswer(x.resp, x.body, secret)
	code := UnexpectedResponse
	switch s := a.status; {
	case s == http.StatusUnauthorized:
		code = AuthInvalid
	case s == http.StatusTooManyRequests:
		code = RateLimited
	case s == 529:
		code = Overloaded
	case s >= 500:
		code = ServerError
	}
	f := newFinding(code, CheckHTTP, claudesettings.Text{
		EN: fmt.Sprintf("POST %s first answered %d %s; asked again after %s, as Claude Code does, it answered %d. Claude Code gets past such an answer by retrying, a little later; if it happens often, the endpoint is flaky.", x.path(), a.status, a.errorDetail(), FormatDuration(pause), x2.resp.StatusCode),
		ZH: fmt.Sprintf("POST %s 第一次回复 %d %s；像 Claude Code 那样在 %s 后再请求一次，得到 %d。Claude Code 会通过重试越过这种回应，只是稍慢；如果经常发生，说明端点不稳定。", x.path(), a.status, a.errorDetail(), FormatDuration(pause), x2.resp.StatusCode)})
	f.Severity = SeverityWarn
	return f
}

// retryFindings are the warnings of the answers a retry got past.
func (r *run) retryFindings() []Finding {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.retried)
}
