package netcheck

import (
	"fmt"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ClockSkewLimit is how far the local clock may be from the server's.
const ClockSkewLimit = 60 * time.Second

// DefaultSlowAfter is the time to first byte above which an answer is slow.
const DefaultSlowAfter = 3 * time.Second

// answer is what the API's reply says, read once for every check.
type answer struct {
	status    int
	proto     string
	ctype     string
	requestID string
	isAPI     bool // JSON with a request-id: the Claude API (or a faithful relay)
	apiErr    APIError
	hasErr    bool
	size      int
	title     string // an HTML page's <title>
}

func readAnswer(resp *http.Response, body []byte, secret string) answer {
	a := answer{status: resp.StatusCode, proto: resp.Proto, size: len(body)}
	a.ctype, _, _ = mime.ParseMediaType(resp.Header.Get("Content-Type"))
	a.requestID = firstHeader(resp.Header, "request-id", "x-request-id")
	json := a.ctype == "application/json" || strings.HasSuffix(a.ctype, "+json")
	a.apiErr, a.hasErr = ParseAPIError(body)
	a.apiErr.Message = scrub(a.apiErr.Message, secret)
	a.isAPI = json && a.requestID != "" && (a.hasErr || (resp.StatusCode < 300 && looksJSON(body)))
	if m := titleRE.FindSubmatch(body); m != nil {
		a.title = clip(scrub(string(m[1]), secret), 80)
	}
	return a
}

var titleRE = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)

func looksJSON(b []byte) bool {
	s := strings.TrimSpace(string(b))
	return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}")
}

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

// errorDetail is the API's error type and message, for summaries.
func (a answer) errorDetail() string {
	if !a.hasErr {
		return http.StatusText(a.status)
	}
	if a.apiErr.Message == "" {
		return a.apiErr.Type
	}
	return a.apiErr.Type + ": " + strings.TrimRight(a.apiErr.Message, ".")
}

// answerChecks ends http, clock, auth and ratelimit from the API's answer.
// It returns whether the key was accepted (the stream check may follow).
func (r *run) answerChecks(s *phases, resp *http.Response, body []byte, cfg config, rt route, usable bool, end time.Time) bool {
	secret := r.target.Credential.Secret
	a := readAnswer(resp, body, secret)
	ttfb := s.firstByte.Sub(s.wrote)
	if s.wrote.IsZero() || s.firstByte.IsZero() {
		ttfb = end.Sub(s.start)
	}
	d := end.Sub(s.start)
	notAPI := Text{"Skipped: the answer is not the Claude API's (see http).", "已跳过：回应不是来自 Claude API（见 http）。"}

	// A plain-http request through a proxy gets the proxy's own refusal as the answer.
	if rt.proxy != nil && cfg.base.Scheme == "http" {
		pu := redactedProxy(rt.proxy)
		if a.status == http.StatusProxyAuthRequired {
			f := newFinding(ProxyAuthRequired, CheckProxy, Text{
				fmt.Sprintf("The proxy %s answered 407: it wants a user name and password.", pu),
				fmt.Sprintf("代理 %s 回复 407：需要用户名和密码。", pu)})
			r.finish(CheckProxy, StatusFail, d, f.Summary, f)
			r.skip(Text{"Skipped: the proxy check failed.", "已跳过：proxy 检查失败。"}, networkChecks...)
			return false
		}
		r.proxyPassed(rt, s.connDone.Sub(s.connStart), Text{fmt.Sprintf("Requests go through the proxy %s.", pu), fmt.Sprintf("请求经由代理 %s。", pu)})
	}

	// clock: the server's Date against ours, at the moment the answer came.
	if date, err := http.ParseTime(resp.Header.Get("Date")); err == nil {
		at := s.firstByte
		if at.IsZero() {
			at = end
		}
		skew := date.Sub(at.Truncate(time.Second))
		if skew.Abs() > ClockSkewLimit {
			way, wayZH := "behind", "慢"
			if skew < 0 {
				way, wayZH = "ahead of", "快"
			}
			f := newFinding(ClockSkew, CheckClock, Text{
				fmt.Sprintf("This machine's clock is %s %s the server's (server time: %s).", roundSkew(skew), way, date.UTC().Format(time.RFC1123)),
				fmt.Sprintf("本机时钟比服务器%s了 %s（服务器时间：%s）。", wayZH, roundSkew(skew), date.UTC().Format(time.RFC1123))})
			r.finish(CheckClock, StatusFail, 0, f.Summary, f)
		} else {
			r.finish(CheckClock, StatusPass, 0, Text{
				fmt.Sprintf("The clock is within %s of the server's.", roundSkew(skew.Abs()+time.Second)),
				fmt.Sprintf("本机时钟与服务器相差不超过 %s。", roundSkew(skew.Abs()+time.Second))})
		}
	} else {
		r.finish(CheckClock, StatusSkip, 0, Text{"The answer has no Date header to compare the clock with.", "回应中没有可用于对时的 Date 头。"})
	}

	// http: is it the Claude API, and is it well?
	en, zh := a.describe()
	var slow []Finding
	slowAfter := r.opts.SlowAfter
	if slowAfter <= 0 {
		slowAfter = DefaultSlowAfter
	}
	if ttfb >= slowAfter || ttfb >= cfg.apiTimeout/4 {
		slow = append(slow, newFinding(SlowResponse, CheckHTTP, Text{
			fmt.Sprintf("The first byte of the answer took %s (API_TIMEOUT_MS is %d).", FormatDuration(ttfb), cfg.apiTimeout.Milliseconds()),
			fmt.Sprintf("回应的第一个字节用了 %s（API_TIMEOUT_MS 为 %d）。", FormatDuration(ttfb), cfg.apiTimeout.Milliseconds())}))
	}
	if need := max(MinAPITimeout, 10*ttfb); cfg.timeoutSet && cfg.apiTimeout < need {
		slow = append(slow, newFinding(TimeoutTooLow, CheckHTTP, Text{
			fmt.Sprintf("API_TIMEOUT_MS is %d, less than the %d a full answer needs here (this request took %s to its first byte).", cfg.apiTimeout.Milliseconds(), need.Milliseconds(), FormatDuration(ttfb)),
			fmt.Sprintf("API_TIMEOUT_MS 为 %d，低于这里完整回答所需的 %d（本次请求首字节用了 %s）。", cfg.apiTimeout.Milliseconds(), need.Milliseconds(), FormatDuration(ttfb))}))
	}
	switch {
	case !a.isAPI:
		f := newFinding(NotAnthropicAPI, CheckHTTP, Text{
			"The answer is not from the Claude API: " + en + ".", "回应不是来自 Claude API：" + zh + "。"})
		r.finish(CheckHTTP, StatusFail, ttfb, f.Summary, append([]Finding{f}, slow...)...)
		r.skip(notAPI, CheckAuth, CheckRateLimit)
		return false
	case a.status == 529:
		f := newFinding(Overloaded, CheckHTTP, Text{
			fmt.Sprintf("The API is overloaded: 529 %s (request-id %s).", a.errorDetail(), a.requestID),
			fmt.Sprintf("API 过载：529 %s（request-id %s）。", a.errorDetail(), a.requestID)})
		r.finish(CheckHTTP, StatusFail, ttfb, f.Summary, append([]Finding{f}, slow...)...)
		r.skip(Text{"Skipped: the API failed before checking the key (see http).", "已跳过：API 在校验密钥前就出错了（见 http）。"}, CheckAuth, CheckRateLimit)
		return false
	case a.status >= 500:
		f := newFinding(ServerError, CheckHTTP, Text{
			fmt.Sprintf("The API answered %d %s (request-id %s).", a.status, a.errorDetail(), a.requestID),
			fmt.Sprintf("API 回复 %d %s（request-id %s）。", a.status, a.errorDetail(), a.requestID)})
		r.finish(CheckHTTP, StatusFail, ttfb, f.Summary, append([]Finding{f}, slow...)...)
		r.skip(Text{"Skipped: the API failed before checking the key (see http).", "已跳过：API 在校验密钥前就出错了（见 http）。"}, CheckAuth, CheckRateLimit)
		return false
	}
	r.finish(CheckHTTP, StatusPass, ttfb, Text{
		fmt.Sprintf("The Claude API answered (%s, %s) in %s.", en, a.proto, FormatDuration(ttfb)),
		fmt.Sprintf("Claude API 已回应（%s，%s），用时 %s。", zh, a.proto, FormatDuration(ttfb))}, slow...)

	// ratelimit
	r.checkRateLimit(resp, a)

	// auth
	if !usable {
		r.skip(Text{"Skipped: there is no usable credential (see key).", "已跳过：没有可用的凭据（见 key）。"}, CheckAuth)
		return false
	}
	return r.checkAuth(a, d)
}

// MinAPITimeout is the least API_TIMEOUT_MS that leaves room for a long answer.
const MinAPITimeout = 60 * time.Second

func roundSkew(d time.Duration) string {
	d = d.Abs().Round(time.Second)
	if d >= time.Hour {
		return d.Truncate(time.Minute).String()
	}
	return d.String()
}

// checkAuth ends the auth check from the answer to the credential.
func (r *run) checkAuth(a answer, d time.Duration) bool {
	kind := r.target.Credential.Kind.SentAs()
	fail := func(code Code, en, zh string) bool {
		f := newFinding(code, CheckAuth, Text{en, zh})
		r.finish(CheckAuth, StatusFail, d, f.Summary, f)
		return false
	}
	detail := a.errorDetail()
	msg := strings.ToLower(a.apiErr.Message)
	switch {
	case a.status < 300:
		r.finish(CheckAuth, StatusPass, d, Text{
			fmt.Sprintf("The key was accepted (%s, %d).", kind, a.status),
			fmt.Sprintf("密钥已被接受（%s，%d）。", kind, a.status)})
		return true
	case a.status == http.StatusTooManyRequests:
		r.finish(CheckAuth, StatusPass, d, Text{
			"The key was accepted, but the request was rate limited (see ratelimit).",
			"密钥已被接受，但请求被限流（见 ratelimit）。"})
		return false
	case a.status == http.StatusUnauthorized:
		return fail(AuthInvalid, fmt.Sprintf("The API rejected the key sent as %s: 401 %s.", kind, detail),
			fmt.Sprintf("API 拒绝了以 %s 发送的密钥：401 %s。", kind, detail))
	case a.status == http.StatusForbidden && (a.apiErr.Type == "forbidden" || strings.Contains(msg, "request not allowed") ||
		strings.Contains(msg, "region") || strings.Contains(msg, "country")):
		return fail(RegionBlocked, "The API refuses requests from here: 403 "+detail+".", "API 拒绝来自这里的请求：403 "+detail+"。")
	case a.status == http.StatusForbidden:
		return fail(AuthForbidden, "The key is valid but not allowed to do this: 403 "+detail+".", "密钥有效，但没有执行此操作的权限：403 "+detail+"。")
	case a.status == http.StatusPaymentRequired || a.apiErr.Type == "billing_error" ||
		a.status == http.StatusBadRequest && (strings.Contains(msg, "credit balance") || strings.Contains(msg, "spend limit") ||
			strings.Contains(msg, "billing") || strings.Contains(msg, "usage limit")):
		return fail(Billing, fmt.Sprintf("The API refuses for billing reasons: %d %s.", a.status, detail),
			fmt.Sprintf("API 因计费原因拒绝：%d %s。", a.status, detail))
	case a.status == http.StatusBadRequest && strings.Contains(msg, "anthropic-version"):
		return fail(APIVersionRejected, "The API rejected the anthropic-version header "+AnthropicVersion+": 400 "+detail+".",
			"API 拒绝了 anthropic-version 请求头 "+AnthropicVersion+"：400 "+detail+"。")
	}
	f := newFinding(UnexpectedResponse, CheckAuth, Text{
		fmt.Sprintf("GET /v1/models answered %d %s.", a.status, detail),
		fmt.Sprintf("GET /v1/models 回复 %d %s。", a.status, detail)})
	r.finish(CheckAuth, StatusWarn, d, f.Summary, f)
	return false
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
	if a.status != http.StatusTooManyRequests {
		r.finish(CheckRateLimit, StatusPass, 0, Text{"Not rate limited: " + limits + ".", "未被限流：" + limitsZH + "。"})
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
	f := newFinding(RateLimited, CheckRateLimit, Text{
		fmt.Sprintf("429 %s; %s; %s.", a.errorDetail(), retry, limits),
		fmt.Sprintf("429 %s；%s；%s。", a.errorDetail(), retryZH, limitsZH)})
	r.finish(CheckRateLimit, StatusFail, 0, f.Summary, f)
}
