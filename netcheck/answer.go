package netcheck

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"claudemedic/claudesettings"
)

// ClockSkewLimit is how far the local clock may be from the server's.
const ClockSkewLimit = 60 * time.Second

// DefaultSlowAfter is the time to first byte above which an answer is slow.
const DefaultSlowAfter = 3 * time.Second

// answer is what the endpoint's reply says, read once for every check.
type answer struct {
	status    int
	proto     string
	ctype     string
	requestID string
	// isAPI: the body has the Messages API's shape (a message, a token count)
	// or an error shape (the API's, a relay's, a router's). A relay that sends
	// no request-id is still an API answer; HTML never is.
	isAPI   bool
	counted bool // {"input_tokens": N}: count_tokens was served
	err     ErrorBody
	hasErr  bool
	size    int
	title   string // an HTML page's <title>
	text    string // the start of a plain-text body, one line
}

func readAnswer(resp *http.Response, body []byte, secret string) answer {
	a := answer{status: resp.StatusCode, proto: resp.Proto, size: len(body)}
	a.ctype, _, _ = mime.ParseMediaType(resp.Header.Get("Content-Type"))
	a.requestID = firstHeader(resp.Header, "request-id", "x-request-id")
	a.err, a.hasErr = ParseErrorBody(body)
	a.err.Message = scrub(a.err.Message, secret)
	if u := a.err.Upstream; u != nil {
		u.Message = scrub(u.Message, secret)
	}
	// The body decides, not the content type: Claude Code 2.1.332 reads a
	// JSON or SSE body served as text/html, text/plain or with no type at all
	// (scripts/differential.sh); a page is a page by what it holds.
	html := bytes.HasPrefix(bytes.TrimSpace(body), []byte("<"))
	var ok struct {
		Type        string          `json:"type"`
		Role        string          `json:"role"`
		InputTokens json.RawMessage `json:"input_tokens"`
	}
	if !html && json.Unmarshal(body, &ok) == nil {
		a.counted = len(ok.InputTokens) > 0 && ok.Type == ""
		a.isAPI = a.hasErr || a.counted || ok.Type == "message" && ok.Role == "assistant"
	}
	if m := titleRE.FindSubmatch(body); m != nil {
		a.title = clip(scrub(string(m[1]), secret), 80)
	}
	if !html && !a.hasErr && !a.isAPI {
		line, _, _ := strings.Cut(strings.TrimSpace(string(body)), "\n")
		a.text = clip(scrub(line, secret), 120)
	}
	return a
}

var titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

func firstHeader(h http.Header, names ...string) string {
	for _, n := range names {
		if v := h.Get(n); v != "" {
			return clip(v, 128)
		}
	}
	return ""
}

// describe says what came back, for summaries: "HTTP 200, text/html, 121
// bytes, no request-id, page "Guest Wi-Fi"".
func (a answer) describe() (string, string) {
	ct := a.ctype
	if ct == "" {
		ct = "no content type"
	}
	en := fmt.Sprintf("HTTP %d, %s, %d bytes", a.status, ct, a.size)
	zh := fmt.Sprintf("HTTP %d，%s，%d 字节", a.status, ct, a.size)
	if a.requestID == "" {
		en, zh = en+", no request-id", zh+"，没有 request-id"
	} else {
		en, zh = en+", request-id "+a.requestID, zh+"，request-id "+a.requestID
	}
	if a.title != "" {
		en, zh = en+fmt.Sprintf(", page %q", a.title), zh+fmt.Sprintf("，页面标题 %q", a.title)
	}
	return en, zh
}

// errorDetail is the error's type and message, for summaries.
func (a answer) errorDetail() string {
	switch {
	case a.hasErr:
		return a.err.Detail()
	case a.text != "":
		return strconv.Quote(a.text)
	}
	return http.StatusText(a.status)
}

// message is the error's message in lower case, with a router's upstream
// message after it, for matching.
func (a answer) message() string {
	m := a.err.Message
	if u := a.err.Upstream; u != nil {
		m += " " + u.Type + " " + u.Message
	}
	return strings.ToLower(m + " " + a.text)
}

// exchange is one request and its answer, timed.
type exchange struct {
	req          apiRequest
	url          *url.URL // where it went, for summaries (user info never shown)
	resp         *http.Response
	body         []byte
	start        time.Time
	wrote        time.Time
	firstByte    time.Time
	end          time.Time
	countAnswer  *answer       // count_tokens' answer when it did not decide, and POST /v1/messages was asked after it
	firstParty   bool          // the base URL is the Claude API's own host
	betasDropped bool          // the full beta list was rejected; this request carried the essential ones
	fromBaseURL  bool          // the base URL carries a path (a relay's prefix)
	sse          *streamResult // the generating request's stream, read (probe)
}

// ttfb is the time from the request written to the first byte of the answer.
func (x exchange) ttfb() time.Duration {
	switch {
	case x.firstByte.IsZero():
		return x.end.Sub(x.start)
	case x.wrote.IsZero() || !x.firstByte.After(x.wrote): // HTTP/2 may report the write after the answer began
		return x.firstByte.Sub(x.start)
	}
	return x.firstByte.Sub(x.wrote)
}

// path is the request's path as sent, for summaries.
func (x exchange) path() string {
	if x.url == nil {
		return x.req.endpoint.path()
	}
	p := x.url.EscapedPath()
	if p == "" {
		p = "/"
	}
	return p
}

// conclusive reports whether count_tokens' answer decides the checks as
// POST /v1/messages would: it was served, or refused the credential, the
// betas, the version, the model, the scheme, or the bill. Anything else (a
// 404 or 405, a 5xx, a page) on a relay means the relay may not serve
// count_tokens, which Claude Code can do without: ask POST /v1/messages.
func conclusive(a answer, model string) bool {
	switch {
	case a.status < 300 && a.counted:
		return true
	case a.status == http.StatusUnauthorized, a.status == http.StatusForbidden && a.isAPI, a.status == http.StatusPaymentRequired,
		a.status == http.StatusProxyAuthRequired, a.status == http.StatusTooManyRequests, a.status == 529:
		return true
	case schemeMismatch(a), isModelError(a, model):
		return true
	case a.status == http.StatusBadRequest && a.isAPI:
		m := a.message()
		return strings.Contains(m, "anthropic-beta") || strings.Contains(m, "anthropic-version") || isBilling(a)
	}
	return false
}

// betaRejected: a gateway refused the anthropic-beta values.
func betaRejected(a answer) bool {
	return a.status == http.StatusBadRequest && a.isAPI && strings.Contains(a.message(), "anthropic-beta")
}

// schemeMismatch: a plain-http request reached a port that speaks TLS (Go's
// and nginx's answers).
func schemeMismatch(a answer) bool {
	m := strings.ToLower(a.text + " " + a.title + " " + a.err.Message)
	return a.status == http.StatusBadRequest && (strings.Contains(m, "http request to an https server") ||
		strings.Contains(m, "plain http request was sent to https port"))
}

// plainHTTPPort reports whether a TLS handshake failed because the port
// answered in plain HTTP: an https:// base URL on a port without TLS (Claude
// Code prints "Unable to connect to API (EPROTO)").
func plainHTTPPort(err error) bool {
	var rh tls.RecordHeaderError
	return errors.As(err, &rh) || err != nil && strings.Contains(err.Error(), "first record does not look like a TLS handshake")
}

// speaksTLS reports whether host:port answers a TLS handshake, verified
// or not (a certificate error is an answer in TLS too): asked only when a
// plain http:// request there was dropped, as some servers drop a plain
// request to their TLS port instead of answering 400.
func speaksTLS(resolver *net.Resolver, host, port string, within time.Duration) bool {
	if within <= 0 {
		return false
	}
	d := &tls.Dialer{NetDialer: &net.Dialer{Resolver: resolver},
		Config: &tls.Config{ServerName: host, MinVersion: tls.VersionTLS10}}
	ctx, cancel := context.WithTimeout(context.Background(), min(within, 2*time.Second))
	defer cancel()
	c, err := d.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err == nil {
		c.Close()
		return true
	}
	var (
		unknown  x509.UnknownAuthorityError
		hostname x509.HostnameError
		invalid  x509.CertificateInvalidError
		verify   *tls.CertificateVerificationError
	)
	return errors.As(err, &unknown) || errors.As(err, &hostname) || errors.As(err, &invalid) || errors.As(err, &verify)
}

// isModelError reports whether the answer refuses the model: the Claude
// API's 404 not_found_error "model: …", or a relay's "model not found",
// "model_not_found", "Invalid model name", "无可用渠道" (new-api, one-api:
// no channel for this model), "无权访问模型" and the like.
func isModelError(a answer, model string) bool {
	if a.status < 400 || a.status >= 500 && a.status != http.StatusServiceUnavailable || !a.hasErr && a.text == "" {
		return false
	}
	m := a.message()
	notFoundModel := func(typ, msg string) bool {
		return typ == "not_found_error" && strings.HasPrefix(strings.TrimSpace(strings.ToLower(msg)), "model:")
	}
	if notFoundModel(a.err.Type, a.err.Message) || a.err.Upstream != nil && notFoundModel(a.err.Upstream.Type, a.err.Upstream.Message) {
		return true
	}
	if strings.Contains(strings.ToLower(a.err.Code), "model_not_found") || strings.Contains(m, "model_not_found") ||
		strings.Contains(m, "无可用渠道") || strings.Contains(m, "invalid model") || strings.Contains(m, "unknown model") {
		return true
	}
	if strings.Contains(m, "模型") && (strings.Contains(m, "无权") || strings.Contains(m, "不存在") || strings.Contains(m, "不支持") || strings.Contains(m, "不可用")) {
		return true
	}
	if !strings.Contains(m, "model") && !strings.Contains(m, strings.ToLower(model)) {
		return false
	}
	for _, w := range []string{"not found", "does not exist", "not exist", "not supported", "unsupported", "not available",
		"unavailable", "no available", "not allowed", "no access"} {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}

func isBilling(a answer) bool {
	m := a.message()
	switch {
	case a.err.Type == "billing_error" || a.status == http.StatusPaymentRequired:
		return true
	case a.status == http.StatusBadRequest || a.status == http.StatusForbidden:
		for _, w := range []string{"credit balance", "spend limit", "billing", "usage limit", "quota", "额度", "余额"} {
			if strings.Contains(m, w) {
				return true
			}
		}
	case a.status == http.StatusTooManyRequests: // "insufficient_quota", "用户额度不足": not a rate limit
		return strings.Contains(m, "quota") || strings.Contains(m, "额度") || strings.Contains(m, "余额")
	}
	return false
}

// answerChecks ends http, clock, auth and ratelimit from the endpoint's
// answer. It returns whether the credential was accepted (the stream check
// may follow).
func (r *run) answerChecks(s *phases, x exchange, cfg config, rt route, usable bool) bool {
	secret := r.target.Credential.Secret
	resp := x.resp
	a := readAnswer(resp, x.body, secret)
	ttfb := x.ttfb()
	d := x.end.Sub(x.start)
	notAPI := claudesettings.Text{EN: "Skipped: the answer is not the Claude API's (see http).", ZH: "已跳过：回应不是来自 Claude API（见 http）。"}

	// A plain-http request through a proxy gets the proxy's own refusal as the answer.
	if rt.proxy != nil && cfg.base.Scheme == "http" {
		pu := claudesettings.RedactedURL(rt.proxy)
		if a.status == http.StatusProxyAuthRequired {
			f := newFinding(ProxyAuthRequired, CheckProxy, claudesettings.Text{EN: fmt.Sprintf("The proxy %s answered 407: it wants a user name and password.", pu), ZH: fmt.Sprintf("代理 %s 回复 407：需要用户名和密码。", pu)})
			r.finish(CheckProxy, StatusFail, d, f.Summary, f)
			r.skip(claudesettings.Text{EN: "Skipped: the proxy check failed.", ZH: "已跳过：proxy 检查失败。"}, networkChecks...)
			return false
		}
		r.proxyPassed(rt, s.connDone.Sub(s.connStart), claudesettings.Text{EN: fmt.Sprintf("Requests go through the proxy %s.", pu), ZH: fmt.Sprintf("请求经由代理 %s。", pu)})
	}

	r.checkClock(resp, x)

	// http: is it the Messages API, at the right address, and is it well?
	en, zh := a.describe()
	retries, _ := r.target.EffectiveMaxRetries() // the table's reader (claudesettings)
	slow := append(r.retryFindings(), timeoutFindings(x.headersAfter(), ttfb, cfg, r.opts.SlowAfter, retries)...)
	asked, askedZH := x.asked()
	failHTTP := func(code Code, t claudesettings.Text) bool {
		f := newFinding(code, CheckHTTP, t)
		r.finish(CheckHTTP, StatusFail, ttfb, f.Summary, append([]Finding{f}, slow...)...)
		r.skip(claudesettings.Text{EN: "Skipped: the request did not reach an API that could judge the key (see http).", ZH: "已跳过：请求没有到达能校验密钥的 API（见 http）。"}, CheckAuth, CheckRateLimit)
		return false
	}
	model := x.req.model
	notFound := (a.status == http.StatusNotFound || a.status == http.StatusMethodNotAllowed) && !isModelError(a, model)
	upstream := a.err.Upstream
	switch {
	case schemeMismatch(a) && cfg.base.Scheme == "http":
		host, port := hostPort(cfg.base)
		return failHTTP(BaseURLScheme, claudesettings.Text{EN: fmt.Sprintf("%s:%s speaks TLS, but ANTHROPIC_BASE_URL starts with http://: it answered %d %s.", host, port, a.status, a.errorDetail()), ZH: fmt.Sprintf("%s:%s 使用 TLS，但 ANTHROPIC_BASE_URL 以 http:// 开头：它回复了 %d %s。", host, port, a.status, a.errorDetail())})
	case !a.isAPI:
		f := newFinding(NotAnthropicAPI, CheckHTTP, claudesettings.Text{EN: "The answer is not from the Claude API: " + en + ".", ZH: "回应不是来自 Claude API：" + zh + "。"})
		r.finish(CheckHTTP, StatusFail, ttfb, f.Summary, append([]Finding{f}, slow...)...)
		r.skip(notAPI, CheckAuth, CheckRateLimit)
		return false
	case notFound && (a.err.OpenAIParam || strings.HasPrefix(a.err.Message, "Invalid URL (")):
		return failHTTP(NotAnthropicFormat, claudesettings.Text{EN: fmt.Sprintf("%s answered %d %s: the endpoint speaks the OpenAI format, not Anthropic's Messages API.", asked, a.status, a.errorDetail()), ZH: fmt.Sprintf("%s 回复 %d %s：这个端点使用 OpenAI 格式，而不是 Anthropic 的 Messages API。", askedZH, a.status, a.errorDetail())})
	case notFound && cfg.pathIssue != nil:
		f := claudesettings.Text{EN: fmt.Sprintf("%s answered %d %s, as the base URL's path predicts (see config).", asked, a.status, a.errorDetail()), ZH: fmt.Sprintf("%s 回复 %d %s，与基础 URL 的路径问题相符（见 config）。", askedZH, a.status, a.errorDetail())}

		r.finish(CheckHTTP, StatusFail, ttfb, f, slow...)
		r.skip(claudesettings.Text{EN: "Skipped: the request path is wrong (see config).", ZH: "已跳过：请求路径不对（见 config）。"}, CheckAuth, CheckRateLimit)
		return false
	case notFound && x.fromBaseURL:
		return failHTTP(BaseURLPath, claudesettings.Text{EN: fmt.Sprintf("%s answered %d %s: this server does not serve the Messages API under the path of ANTHROPIC_BASE_URL (%s).", asked, a.status, a.errorDetail(), cfg.base.Path), ZH: fmt.Sprintf("%s 回复 %d %s：这个服务器没有在 ANTHROPIC_BASE_URL 的路径（%s）下提供 Messages API。", askedZH, a.status, a.errorDetail(), cfg.base.Path)})
	case notFound && x.req.endpoint == messages:
		return failHTTP(NotAnthropicFormat, claudesettings.Text{EN: fmt.Sprintf("%s answered %d %s: this endpoint does not serve Anthropic's Messages API.", asked, a.status, a.errorDetail()), ZH: fmt.Sprintf("%s 回复 %d %s：这个端点不提供 Anthropic 的 Messages API。", askedZH, a.status, a.errorDetail())})
	case a.status == 529 || upstream != nil && upstream.Status == 529:
		return failHTTP(Overloaded, withRetryNote(r.target, claudesettings.Text{EN: fmt.Sprintf("The API is overloaded: %d %s%s.", a.status, a.errorDetail(), answeredBy(a)), ZH: fmt.Sprintf("API 过载：%d %s%s。", a.status, a.errorDetail(), answeredByZH(a))}, 529))
	case a.status >= 500 && !isModelError(a, model) && !isBilling(a):
		if upstream != nil {
			return failHTTP(ServerError, claudesettings.Text{EN: fmt.Sprintf("The router passed on its upstream provider's error: %s%s answered %s.", upstream.Provider, upstream.modelNote(), upstreamStatus(upstream, a)), ZH: fmt.Sprintf("路由服务转达了其上游服务商的错误：%s%s回复 %s。", upstream.Provider, upstream.modelNoteZH(), upstreamStatus(upstream, a))})
		}
		return failHTTP(ServerError, withRetryNote(r.target, claudesettings.Text{EN: fmt.Sprintf("The API answered %d %s%s.", a.status, a.errorDetail(), answeredBy(a)), ZH: fmt.Sprintf("API 回复 %d %s%s。", a.status, a.errorDetail(), answeredByZH(a))}, a.status))
	}
	served, servedZH := "The Claude API answered", "Claude API 已回应"
	if !x.firstParty {
		served, servedZH = "The endpoint answers in the Messages API's format", "端点以 Messages API 的格式回应"
	}
	r.finish(CheckHTTP, StatusPass, ttfb, claudesettings.Text{EN: fmt.Sprintf("%s: %s → %s, %s, in %s.", served, asked, en, a.proto, FormatDuration(ttfb)), ZH: fmt.Sprintf("%s：%s → %s，%s，用时 %s。", servedZH, askedZH, zh, a.proto, FormatDuration(ttfb))},

		slow...)
	if a.status < 300 {
		r.baseWorked = true
	}

	r.checkRateLimit(resp, a)

	if !usable {
		r.skip(claudesettings.Text{EN: "Skipped: there is no usable credential (see key).", ZH: "已跳过：没有可用的凭据（见 key）。"}, CheckAuth)
		return false
	}
	return r.checkAuth(a, x, d)
}

// asked names the request that was answered, and the one count_tokens
// handed over to, for summaries.
func (x exchange) asked() (string, string) {
	en := "POST " + x.path()
	zh := en
	if u := x.countAnswer; u != nil {
		en = fmt.Sprintf("POST %s (count_tokens is not served here: %d)", x.path(), u.status)
		zh = fmt.Sprintf("POST %s（这里不提供 count_tokens：%d）", x.path(), u.status)
	}
	return en, zh
}

func upstreamStatus(u *UpstreamError, a answer) string {
	st := u.Status
	if st == 0 {
		st = a.status
	}
	return fmt.Sprintf("%d %s", st, u.Detail())
}

// answeredBy names the request-id, when there is one.
func answeredBy(a answer) string {
	if a.requestID == "" {
		return ""
	}
	return " (request-id " + a.requestID + ")"
}

func answeredByZH(a answer) string {
	if a.requestID == "" {
		return ""
	}
	return "（request-id " + a.requestID + "）"
}

// checkClock ends the clock check: the server's Date against ours, at the
// moment the answer came.
func (r *run) checkClock(resp *http.Response, x exchange) {
	date, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		r.finish(CheckClock, StatusSkip, 0, claudesettings.Text{EN: "The answer has no Date header to compare the clock with.", ZH: "回应中没有可用于对时的 Date 头。"})
		return
	}
	at := x.firstByte
	if at.IsZero() {
		at = x.end
	}
	skew := date.Sub(at.Truncate(time.Second))
	if skew.Abs() > ClockSkewLimit {
		way, wayZH := "behind", "慢"
		if skew < 0 {
			way, wayZH = "ahead of", "快"
		}
		f := newFinding(ClockSkew, CheckClock, claudesettings.Text{EN: fmt.Sprintf("This machine's clock is %s %s the server's (server time: %s).", roundSkew(skew), way, date.UTC().Format(time.RFC1123)), ZH: fmt.Sprintf("本机时钟比服务器%s了 %s（服务器时间：%s）。", wayZH, roundSkew(skew), date.UTC().Format(time.RFC1123))})
		r.finish(CheckClock, StatusPass, 0, f.Summary, f) // raised to warn by the finding
		return
	}
	r.finish(CheckClock, StatusPass, 0, claudesettings.Text{EN: fmt.Sprintf("The clock is within %s of the server's.", roundSkew(skew.Abs()+time.Second)), ZH: fmt.Sprintf("本机时钟与服务器相差不超过 %s。", roundSkew(skew.Abs()+time.Second))})
}

// MinAPITimeout is the least API_TIMEOUT_MS that leaves room for an answer
// that is slow to start: under a minute, a busy API or a relay that queues
// requests makes Claude Code give up on answers that would have come.
const MinAPITimeout = 60 * time.Second

// timeoutFindings judges how long the answer took to start as Claude Code's
// client does (claudeCodeTimesOut): took is the time from the request's start
// to the answer's first byte, ttfb the server's part of it (from the request
// written). An answer slower than API_TIMEOUT_MS is TIMEOUT_TOO_LOW, a
// failure: Claude Code gives up on every request here. Under a minute, or
// with less than half of it to spare, it is a warning. A slow answer the
// timeout leaves room for is SLOW_RESPONSE, whose fix is not the timeout.
func timeoutFindings(took, ttfb time.Duration, cfg config, slowAfter time.Duration, retries int) []Finding {
	if slowAfter <= 0 {
		slowAfter = DefaultSlowAfter
	}
	t, ms := cfg.apiTimeout, cfg.apiTimeout.Milliseconds()
	tookS := FormatDuration(took)
	switch {
	case claudeCodeTimesOut(took, t):
		wait := FormatDuration(claudeCodeWait(t, retries))
		f := newFinding(TimeoutTooLow, CheckHTTP, claudesettings.Text{
			EN: fmt.Sprintf("The answer took %s to start, longer than API_TIMEOUT_MS (%d ms): Claude Code gives up on each try at %d ms, tries again (CLAUDE_CODE_MAX_RETRIES: %d more tries, about %s in all) and prints \"Request timed out … set API_TIMEOUT_MS above %d\".", tookS, ms, ms, retries, wait, ms),
			ZH: fmt.Sprintf("回应用了 %s 才开始，超过了 API_TIMEOUT_MS（%d 毫秒）：Claude Code 每次尝试到 %d 毫秒就放弃，然后重试（CLAUDE_CODE_MAX_RETRIES：再试 %d 次，总共约 %s），最后显示 “Request timed out … set API_TIMEOUT_MS above %d”。", tookS, ms, ms, retries, wait, ms)})
		f.Severity, f.Fix = SeverityFail, raiseTimeoutFix(took, t)
		return []Finding{f}
	case cfg.timeoutSet && (t < MinAPITimeout || took >= t/2):
		why := claudesettings.Text{EN: fmt.Sprintf("under a minute, an answer that is slow to start (a busy API, a relay that queues requests) makes Claude Code give up; this one started after %s", tookS), ZH: fmt.Sprintf("不到一分钟时，开始得慢的回答（API 繁忙、中转排队）会让 Claude Code 放弃；本次回答在 %s 后开始", tookS)}
		if t >= MinAPITimeout {
			why = claudesettings.Text{EN: fmt.Sprintf("this answer took %s to start, over half of it: a little slower and Claude Code gives up (\"Request timed out\")", tookS), ZH: fmt.Sprintf("本次回答用了 %s 才开始，已超过它的一半：再慢一点，Claude Code 就会放弃（“Request timed out”）", tookS)}
		}
		f := newFinding(TimeoutTooLow, CheckHTTP, claudesettings.Text{EN: fmt.Sprintf("API_TIMEOUT_MS is %d ms: %s.", ms, why.EN), ZH: fmt.Sprintf("API_TIMEOUT_MS 为 %d 毫秒：%s。", ms, why.ZH)})
		f.Fix = raiseTimeoutFix(took, t)
		return []Finding{f}
	case ttfb >= slowAfter || took >= t/4:
		f := newFinding(SlowResponse, CheckHTTP, claudesettings.Text{EN: fmt.Sprintf("The first byte of the answer took %s (API_TIMEOUT_MS is %d ms, which leaves room for it).", FormatDuration(ttfb), ms), ZH: fmt.Sprintf("回应的第一个字节用了 %s（API_TIMEOUT_MS 为 %d 毫秒，足够等待它）。", FormatDuration(ttfb), ms)})
		f.Fix = claudesettings.Text{
			EN: fmt.Sprintf("The timeout is not the cause: Claude Code waits up to API_TIMEOUT_MS (%d ms) for an answer to start, so raising it changes nothing here. A slow network path, a busy relay or a distant proxy adds the wait: try a closer network path, or ask the relay's operator.", ms),
			ZH: fmt.Sprintf("原因不在超时：Claude Code 最多等待 API_TIMEOUT_MS（%d 毫秒）让回答开始，调大它在这里没有作用。网络链路慢、中转繁忙或代理距离远都会增加等待：条件允许时换一条更近的网络线路，或联系中转服务的运营方。", ms)}
		return []Finding{f}
	}
	return nil
}

// noAnswer is the finding for a request that was sent and got no answer
// before the check's own time limit, waited after its start. When Claude
// Code would have given up by then too (API_TIMEOUT_MS at most waited), it
// is NO_RESPONSE, a failure: Claude Code prints "Request timed out" after its
// retries. Otherwise the check's time limit, not the network, ended the
// wait, and Claude Code would still be waiting: NO_RESPONSE as a warning
// that says so, never a verdict of down on the check's own budget (measured:
// a 12 s answer, API_TIMEOUT_MS unset, and Claude Code answered "Hi" in 13 s).
func noAnswer(waited time.Duration, cfg config) Finding {
	ms := cfg.apiTimeout.Milliseconds()
	w := FormatDuration(waited)
	if claudeCodeTimesOut(waited, cfg.apiTimeout) || waited == cfg.apiTimeout {
		return newFinding(NoResponse, CheckHTTP, claudesettings.Text{
			EN: fmt.Sprintf("The request was sent, but no answer came within %s; Claude Code gives up on it at API_TIMEOUT_MS (%d ms) too, and prints \"Request timed out\" after its retries.", w, ms),
			ZH: fmt.Sprintf("请求已发出，但 %s 内没有收到回应；Claude Code 也会在 API_TIMEOUT_MS（%d 毫秒）时放弃，重试之后显示 “Request timed out”。", w, ms)})
	}
	f := newFinding(NoResponse, CheckHTTP, claudesettings.Text{
		EN: fmt.Sprintf("The request was sent, but no answer came within %s, the check's time limit. Claude Code waits longer, up to API_TIMEOUT_MS (%d ms): whether an answer comes is not known yet.", w, ms),
		ZH: fmt.Sprintf("请求已发出，但在本次检查的时限 %s 内没有收到回应。Claude Code 会等得更久，最长到 API_TIMEOUT_MS（%d 毫秒）：是否会有回应目前还不知道。", w, ms)})
	f.Severity = SeverityWarn
	f.Fix = claudesettings.Text{
		EN: "Check again with a longer time limit (claudemedic check --timeout 60s). If an answer comes then, the endpoint is only slow: Claude Code works, slowly. If none comes, the relay or proxy in between holds the request: check it, or try without it.",
		ZH: "用更长的时限再检查一次（claudemedic check --timeout 60s）。如果那时有了回应，说明端点只是慢：Claude Code 能用，只是慢。如果仍然没有，说明中间的中转或代理扣住了请求：请检查它，或者绕开它试试。"}
	return f
}

// raiseTimeoutFix is TIMEOUT_TOO_LOW's fix when the answer took took to
// start and API_TIMEOUT_MS is current: every number in it says where it
// comes from, and it never proposes the value already set.
func raiseTimeoutFix(took, current time.Duration) claudesettings.Text {
	def := claudesettings.DefaultAPITimeout.Milliseconds()
	en := fmt.Sprintf("Raise API_TIMEOUT_MS in Claude Code's settings env well above the %s this answer took to start (Claude Medic can do it: claudemedic doctor, or its Settings page, proposes a value from this and the last week's measurements and says why).", FormatDuration(took))
	zh := fmt.Sprintf("在 Claude Code 设置的 env 中把 API_TIMEOUT_MS 调到远高于本次回答开始所用的 %s（Claude Medic 可以完成：claudemedic doctor 或窗口的“设置”页面会根据本次和最近一周的测量给出数值并说明理由）。", FormatDuration(took))
	if current < claudesettings.DefaultAPITimeout && took < claudesettings.DefaultAPITimeout/3 {
		en += fmt.Sprintf(" Removing it restores Claude Code's default, %d ms (10 minutes), which leaves room for long answers.", def)
		zh += fmt.Sprintf("删除它即恢复 Claude Code 的默认值 %d 毫秒（10 分钟），足以应付长回答。", def)
	}
	return claudesettings.Text{EN: en, ZH: zh}
}

func roundSkew(d time.Duration) string {
	d = d.Abs().Round(time.Second)
	if d >= time.Hour {
		return d.Truncate(time.Minute).String()
	}
	return d.String()
}

// checkAuth ends the auth check from the answer to the request Claude Code
// makes with the credential it would pick.
func (r *run) checkAuth(a answer, x exchange, d time.Duration) bool {
	cred := r.target.Credential
	kind := cred.Kind.SentAs()
	host := x.url.Hostname()
	fail := func(code Code, t claudesettings.Text) *Finding {
		f := newFinding(code, CheckAuth, t)
		return &f
	}
	end := func(f *Finding) bool {
		r.finish(CheckAuth, StatusFail, d, f.Summary, *f)
		return false
	}
	detail := a.errorDetail()
	msg := a.message()
	model := x.req.model
	asked, askedZH := x.asked()
	upstream := a.err.Upstream
	switch {
	case a.status < 300:
		sum := claudesettings.Text{EN: fmt.Sprintf("The credential was accepted (%s, %s, model %s: %d).", kind, asked, model, a.status), ZH: fmt.Sprintf("凭据已被接受（%s，%s，模型 %s：%d）。", kind, askedZH, model, a.status)}

		if x.betasDropped {
			sum.EN += " The endpoint rejects Claude Code's experimental anthropic-beta values; Claude Code drops them and retries, as this check did (CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1 spares it the retries)."
			sum.ZH += "端点拒绝 Claude Code 的实验性 anthropic-beta 值；Claude Code 会去掉它们后重试，本检查也是这样做的（设置 CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1 可免去重试）。"
		}
		r.finish(CheckAuth, StatusPass, d, sum)
		return true
	case a.status == http.StatusTooManyRequests && !isBilling(a):
		r.finish(CheckAuth, StatusPass, d, claudesettings.Text{EN: "The credential was accepted, but the request was rate limited (see ratelimit).", ZH: "凭据已被接受，但请求被限流（见 ratelimit）。"})
		return false
	case isModelError(a, model):
		return end(fail(ModelUnavailable, claudesettings.Text{EN: fmt.Sprintf("The endpoint does not offer %s, the model Claude Code would use (%s): %d %s.", model, r.modelSource(), a.status, detail), ZH: fmt.Sprintf("端点不提供 Claude Code 将使用的模型 %s（%s）：%d %s。", model, r.modelSourceZH(), a.status, detail)}))
	case a.status == http.StatusUnauthorized && upstream != nil:
		f := fail(AuthInvalid, claudesettings.Text{EN: fmt.Sprintf("The router at %s let Claude Code's credential in, but its upstream provider %s%s refused the key the router sends: %s.", host, upstream.Provider, upstream.modelNote(), upstreamStatus(upstream, a)), ZH: fmt.Sprintf("%s 上的路由服务接受了 Claude Code 的凭据，但它的上游服务商 %s%s拒绝了路由服务发送的密钥：%s。", host, upstream.Provider, upstream.modelNoteZH(), upstreamStatus(upstream, a))})
		f.Fix = claudesettings.Text{EN: fmt.Sprintf("Fix the API key of the provider %q in the router's own configuration (claude-code-router: the provider's \"api_key\" in ~/.claude-code-router/config.json), restart the router, and check again. Claude Code's own key is not the problem.", upstream.Provider), ZH: fmt.Sprintf("在路由服务自己的配置中改正服务商 %q 的 API 密钥（claude-code-router：~/.claude-code-router/config.json 中该服务商的 \"api_key\"），重启路由服务后再检查。问题不在 Claude Code 自己的密钥。", upstream.Provider)}

		return end(f)
	case a.status == http.StatusUnauthorized && cred.Kind == claudesettings.KindOAuth && (strings.Contains(msg, "expired") || strings.Contains(msg, "revoked")):
		return end(fail(LoginExpired, claudesettings.Text{EN: fmt.Sprintf("The API refused the %s's token: 401 %s.", credName(cred), detail), ZH: fmt.Sprintf("API 拒绝了%s的令牌：401 %s。", credNameZH(cred), detail)}))
	case a.status == http.StatusUnauthorized:
		f := fail(AuthInvalid, withRetryNote(r.target, claudesettings.Text{EN: fmt.Sprintf("%s rejected the credential sent as %s: 401 %s.", r.who(x), kind, detail), ZH: fmt.Sprintf("%s拒绝了以 %s 发送的凭据：401 %s。", r.whoZH(x), kind, detail)}, a.status))
		if !x.firstParty {
			f.Fix = claudesettings.Text{EN: fmt.Sprintf("The relay at %s does not accept this key or token. Copy it again from the relay's own dashboard (a relay's keys are not console.anthropic.com keys), and check that no stale ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN in your shell profile or Claude Code's settings overrides it.", host), ZH: fmt.Sprintf("%s 上的中转服务不接受这个密钥或令牌。请从该中转服务自己的控制台重新复制（中转服务的密钥不是 console.anthropic.com 的密钥），并确认 shell 配置文件或 Claude Code 设置中没有旧的 ANTHROPIC_API_KEY 或 ANTHROPIC_AUTH_TOKEN 把它覆盖掉。", host)}

		}
		return end(f)
	case isBilling(a):
		return end(fail(Billing, claudesettings.Text{EN: fmt.Sprintf("%s refuses for billing reasons: %d %s.", r.who(x), a.status, detail), ZH: fmt.Sprintf("%s因计费原因拒绝：%d %s。", r.whoZH(x), a.status, detail)}))
	case a.status == http.StatusForbidden && (a.err.Type == "forbidden" || strings.Contains(msg, "request not allowed") ||
		strings.Contains(msg, "region") || strings.Contains(msg, "country")):
		return end(fail(RegionBlocked, claudesettings.Text{EN: "The API refuses requests from here: 403 " + detail + ".", ZH: "API 拒绝来自这里的请求：403 " + detail + "。"}))
	case a.status == http.StatusForbidden:
		return end(fail(AuthForbidden, claudesettings.Text{EN: "The key is valid but not allowed to do this: 403 " + detail + ".", ZH: "密钥有效，但没有执行此操作的权限：403 " + detail + "。"}))
	case a.status == http.StatusBadRequest && strings.Contains(msg, "anthropic-version"):
		return end(fail(APIVersionRejected, claudesettings.Text{EN: "The API rejected the anthropic-version header " + AnthropicVersion + ": 400 " + detail + ".", ZH: "API 拒绝了 anthropic-version 请求头 " + AnthropicVersion + "：400 " + detail + "。"}))
	case betaRejected(a):
		sent := x.req.betas(cred.Kind)
		return end(fail(BetaRejected, claudesettings.Text{EN: fmt.Sprintf("%s rejected even the anthropic-beta values Claude Code cannot do without (%s): 400 %s.", r.who(x), sent, detail), ZH: fmt.Sprintf("%s连 Claude Code 必需的 anthropic-beta 值（%s）也拒绝了：400 %s。", r.whoZH(x), sent, detail)}))
	}
	f := newFinding(UnexpectedResponse, CheckAuth, claudesettings.Text{EN: fmt.Sprintf("%s answered %d %s.", asked, a.status, detail), ZH: fmt.Sprintf("%s 回复 %d %s。", askedZH, a.status, detail)})
	r.finish(CheckAuth, StatusWarn, d, f.Summary, f)
	return false
}

// who names what answered: the Claude API, or the relay at a host.
func (r *run) who(x exchange) string {
	if x.firstParty {
		return "The API"
	}
	return "The endpoint at " + x.url.Host
}

func (r *run) whoZH(x exchange) string {
	if x.firstParty {
		return "API "
	}
	return x.url.Host + " 上的端点"
}

func credName(c claudesettings.Credential) string {
	if c.Label != "" {
		return c.Label
	}
	if c.Var != "" {
		return c.Var
	}
	return "OAuth login"
}

func credNameZH(c claudesettings.Credential) string {
	if c.Label != "" {
		return " " + c.Label + " "
	}
	if c.Var != "" {
		return " " + c.Var + " "
	}
	return " OAuth 登录"
}

// modelSource says where the model comes from.
func (r *run) modelSource() string {
	if m := r.target.Model; m.Set() {
		if m.Source != "" {
			return fmt.Sprintf("%q from %s", m.Value, m.Source)
		}
		return fmt.Sprintf("%q", m.Value)
	}
	return "Claude Code's default"
}

func (r *run) modelSourceZH() string {
	if m := r.target.Model; m.Set() {
		if m.Source != "" {
			return fmt.Sprintf("%q，来自 %s", m.Value, m.Source)
		}
		return fmt.Sprintf("%q", m.Value)
	}
	return "Claude Code 的默认模型"
}

// checkRateLimit ends the ratelimit check from the anthropic-ratelimit-*
// and retry-after headers.
func (r *run) checkRateLimit(resp *http.Response, a answer) {
	h := resp.Header
	var parts, partsZH []string
	for _, kind := range []struct{ key, en, zh string }{
		{"requests", "requests", "请求"}, {"tokens", "tokens", "令牌"},
		{"input-tokens", "input tokens", "输入令牌"}, {"output-tokens", "output tokens", "输出令牌"}} {
		lim, rem := h.Get("anthropic-ratelimit-"+kind.key+"-limit"), h.Get("anthropic-ratelimit-"+kind.key+"-remaining")
		if lim == "" || rem == "" {
			continue
		}
		lim, rem = clip(lim, 20), clip(rem, 20)
		p, pz := fmt.Sprintf("%s %s of %s left", kind.en, rem, lim), fmt.Sprintf("%s剩余 %s/%s", kind.zh, rem, lim)
		if reset, err := time.Parse(time.RFC3339, h.Get("anthropic-ratelimit-"+kind.key+"-reset")); err == nil {
			in := time.Until(reset).Round(time.Second)
			if in > 0 {
				p, pz = p+fmt.Sprintf(" (resets in %s)", in), pz+fmt.Sprintf("（%s 后重置）", in)
			}
		}
		parts, partsZH = append(parts, p), append(partsZH, pz)
	}
	limits, limitsZH := "no rate-limit headers", "没有限流相关的响应头"
	if len(parts) > 0 {
		limits, limitsZH = strings.Join(parts, ", "), strings.Join(partsZH, "，")
	}
	if a.status != http.StatusTooManyRequests || isBilling(a) {
		r.finish(CheckRateLimit, StatusPass, 0, claudesettings.Text{EN: "Not rate limited: " + limits + ".", ZH: "未被限流：" + limitsZH + "。"})
		return
	}
	retry, retryZH := "no retry-after header", "没有 retry-after 头"
	if v := h.Get("retry-after"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			retry, retryZH = fmt.Sprintf("retry after %d s", n), fmt.Sprintf("需在 %d 秒后重试", n)
		} else {
			retry, retryZH = "retry-after: "+clip(v, 40), "retry-after："+clip(v, 40)
		}
	}
	f := newFinding(RateLimited, CheckRateLimit, claudesettings.Text{EN: fmt.Sprintf("429 %s; %s; %s.", a.errorDetail(), retry, limits), ZH: fmt.Sprintf("429 %s；%s；%s。", a.errorDetail(), retryZH, limitsZH)})
	r.finish(CheckRateLimit, StatusFail, 0, f.Summary, f)
}
