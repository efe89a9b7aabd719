package netcheck

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"claudemedic/claudesettings"
)

// What gateways, firewalls and routers answer to the request Claude Code
// makes now (issue 15): each answer is read once here, before the answer
// checks, and named by its own code.

// systemRoleRefused: a gateway that validates messages' roles refused the
// system role Claude Code 2.1.33x puts inside messages (LiteLLM and other
// pydantic gateways: 422 {"detail":[{"msg":"Input should be 'user' or
// 'assistant'",…}]}).
func systemRoleRefused(a answer, body []byte) bool {
	if a.status != http.StatusUnprocessableEntity && a.status != http.StatusBadRequest {
		return false
	}
	m := strings.ToLower(string(body[:min(len(body), 8<<10)]))
	return strings.Contains(m, "input should be 'user' or 'assistant'") ||
		strings.Contains(m, `input should be \"user\" or \"assistant\"`) ||
		(strings.Contains(m, "role") && strings.Contains(m, "system") && (strings.Contains(m, "messages") || strings.Contains(m, "roles")) &&
			(strings.Contains(m, "user' or 'assistant") || strings.Contains(m, "unexpected role") || strings.Contains(m, "invalid role") || strings.Contains(m, "not supported")))
}

// MinSystemRoleRetry is the first Claude Code release known to send its
// request again without the system message when a gateway refuses it: 2.1.330
// and 2.1.332 both did (measured, a fake answering 422 to a system role);
// users reported failures through 2.1.263.
const MinSystemRoleRetry = "2.1.330"

// CopesWithSystemRole reports whether Claude Code version retries without the
// system message; false when the version is unknown.
func CopesWithSystemRole(version string) bool {
	return version != "" && CompareVersions(version, MinSystemRoleRetry) >= 0
}

// CompareVersions compares two dotted versions ("2.1.332"), numerically part
// by part; a part that is not a number compares as 0.
func CompareVersions(a, b string) int {
	pa, pb := strings.Split(strings.TrimPrefix(a, "v"), "."), strings.Split(strings.TrimPrefix(b, "v"), ".")
	for i := range max(len(pa), len(pb)) {
		var x, y int
		if i < len(pa) {
			x, _ = strconv.Atoi(strings.TrimFunc(pa[i], func(r rune) bool { return r < '0' || r > '9' }))
		}
		if i < len(pb) {
			y, _ = strconv.Atoi(strings.TrimFunc(pb[i], func(r rune) bool { return r < '0' || r > '9' }))
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// copingFix is SYSTEM_ROLE_REJECTED's fix when Claude Code copes.
var copingFix = claudesettings.Text{
	EN: "Nothing to do for Claude Code: it sends the request again without the system message and works (this check did the same); each request costs one more round trip. To spare it, ask the gateway's operator to accept role \"system\" in messages, as the Claude API does.",
	ZH: "Claude Code 这边无需处理：它会去掉 system 消息后重发请求并正常工作（本检查也是这样做的）；只是每个请求多一次往返。若想省掉这次往返，请网关维护者像 Claude API 一样接受 messages 中的 \"system\" 角色。",
}

// systemRoleFinding is SYSTEM_ROLE_REJECTED for a request that worked once
// sent again without the system message: advice when the Claude Code whose
// request it is copes, a failure otherwise (or when its version is unknown:
// the front end that knows the installed version calls AdjustForClaudeCode).
func (r *run) systemRoleFinding(x exchange) Finding {
	v := ""
	if r.shape.From == ShapeTranscript {
		v = r.shape.Version
	}
	f := newFinding(SystemRoleRejected, CheckHTTP, claudesettings.Text{
		EN: fmt.Sprintf("The endpoint at %s refused the system-role message inside messages (\"Input should be 'user' or 'assistant'\"); sent again without it, the request worked.", x.url.Host),
		ZH: fmt.Sprintf("%s 上的端点拒绝了 messages 中的 system 角色消息（“Input should be 'user' or 'assistant'”）；去掉它重发后请求成功。", x.url.Host)})
	if CopesWithSystemRole(v) {
		f.Severity, f.Fix = SeverityWarn, copingFix
	}
	return f
}

// AdjustForClaudeCode fits the findings whose weight depends on the installed
// Claude Code to its version (the front ends know it once claudeinstall has
// looked): SYSTEM_ROLE_REJECTED is advice for a Claude Code that retries
// without the system message. The verdict follows.
func AdjustForClaudeCode(r *Report, version string) {
	if r == nil || !CopesWithSystemRole(version) {
		return
	}
	for i, f := range r.Findings {
		if f.Code == SystemRoleRejected && f.Severity == SeverityFail {
			r.Findings[i].Severity, r.Findings[i].Fix = SeverityWarn, copingFix
		}
	}
	for i, c := range r.Checks {
		if c.Status != StatusFail {
			continue
		}
		worst := StatusPass
		for _, f := range r.Findings {
			if f.Check == c.ID {
				if f.Severity == SeverityFail {
					worst = StatusFail
				} else if worst != StatusFail {
					worst = StatusWarn
				}
			}
		}
		if worst != StatusFail {
			r.Checks[i].Status = worst
		}
	}
	r.Verdict = VerdictOf(r.Findings)
}

// Claude Code's body parameters, which a gateway may not know.
var claudeParams = []string{"context_management", "output_config", "thinking", "metadata", "cache_control", "effort", "adaptive"}

// paramRefused names the parameter of Claude Code's request a gateway
// refused (400 or 422, "Extra inputs are not permitted", "Unknown parameter
// …", "thinking: unsupported …"), or "".
func paramRefused(a answer, body []byte) string {
	if a.status != http.StatusBadRequest && a.status != http.StatusUnprocessableEntity {
		return ""
	}
	m := strings.ToLower(string(body[:min(len(body), 8<<10)])) + " " + a.message()
	if strings.Contains(m, "anthropic-beta") || strings.Contains(m, "anthropic-version") {
		return ""
	}
	refusal := false
	for _, w := range []string{"extra inputs are not permitted", "extra_forbidden", "unknown parameter", "unknown field", "unrecognized",
		"not permitted", "not supported", "unsupported", "unexpected", "not allowed", "invalid", "does not support", "不支持", "未知参数"} {
		refusal = refusal || strings.Contains(m, w)
	}
	if !refusal {
		return ""
	}
	for _, p := range claudeParams {
		if strings.Contains(m, p) {
			return p
		}
	}
	return ""
}

// needsNewerClaudeCode: the answer asks for a newer Claude Code (a model
// that older releases cannot drive: "requires a newer version of Claude
// Code", "please update Claude Code").
func needsNewerClaudeCode(a answer) bool {
	if a.status < 400 || a.status >= 500 {
		return false
	}
	m := a.message()
	if !strings.Contains(m, "claude code") && !strings.Contains(m, "claude-code") && !strings.Contains(m, "claude-cli") {
		return false
	}
	for _, w := range []string{"newer version", "update claude code", "upgrade claude code", "please update", "please upgrade", "minimum version",
		"version is too old", "requires claude code", "requires a newer", "no longer supported", "升级", "更新"} {
		if strings.Contains(m, w) {
			return true
		}
	}
	return false
}

// wafPage names the web application firewall or gateway whose block page
// came back instead of an API answer, or "".
func wafPage(a answer, body []byte, h http.Header) string {
	if a.isAPI {
		return ""
	}
	switch {
	case h.Get("cf-mitigated") != "" || h.Get("Cf-Ray") != "" && a.status >= 400:
		return "Cloudflare"
	case h.Get("x-amzn-waf-action") != "":
		return "AWS WAF"
	}
	m := strings.ToLower(a.title + " " + string(body[:min(len(body), 16<<10)]))
	for _, w := range []struct{ marker, name string }{
		{"attention required! | cloudflare", "Cloudflare"}, {"just a moment...", "Cloudflare"}, {"cf-chl", "Cloudflare"},
		{"cloudflare ray id", "Cloudflare"}, {"request blocked", "a firewall"}, {"web application firewall", "a web application firewall"},
		{"access denied", "a firewall"}, {"incapsula", "Imperva"}, {"akamai", "Akamai"}, {"sucuri", "Sucuri"},
		{"the requested url was rejected", "F5 BIG-IP"}, {"aliyun waf", "Alibaba Cloud WAF"}, {"waf", "a web application firewall"},
		{"您的访问被阻断", "a firewall"}, {"拦截", "a firewall"}, {"安全防护", "a firewall"}, {"防火墙", "a firewall"},
	} {
		if strings.Contains(m, w.marker) {
			return w.name
		}
	}
	return ""
}

// refusal reads the answer to the request for what only the request Claude
// Code makes meets: a block page, a body too large, a refused parameter or
// system role, a model that needs a newer Claude Code, a router's upstream
// refusal. ok is false when the answer is for the answer checks.
func (r *run) refusal(x exchange, cfg config) (Finding, bool) {
	if x.resp == nil {
		return Finding{}, false
	}
	a := readAnswer(x.resp, x.body, r.target.Credential.Secret)
	asked, askedZH := x.asked()
	en, zh := a.describe()
	text := func(enS, zhS string) claudesettings.Text { return claudesettings.Text{EN: enS, ZH: zhS} }
	switch {
	case a.status == http.StatusRequestEntityTooLarge:
		size := x.resp.Request.ContentLength
		return newFinding(BodyTooLarge, CheckHTTP, text(
			fmt.Sprintf("%s (%d bytes) answered 413: %s.", asked, size, en),
			fmt.Sprintf("%s（%d 字节）回复 413：%s。", askedZH, size, zh))), true
	case wafPage(a, x.body, x.resp.Header) != "":
		who := wafPage(a, x.body, x.resp.Header)
		return newFinding(GatewayPage, CheckHTTP, text(
			fmt.Sprintf("%s got a block page of %s instead of the API's answer: %s.", asked, who, en),
			fmt.Sprintf("%s 得到的是 %s 的拦截页面，而不是 API 的回应：%s。", askedZH, who, zh))), true
	case systemRoleRefused(a, x.body):
		f := newFinding(SystemRoleRejected, CheckHTTP, text(
			fmt.Sprintf("%s answered %d: the endpoint refuses the system-role message Claude Code puts inside messages (%s).", asked, a.status, clip(scrub(string(x.body), r.target.Credential.Secret), 160)),
			fmt.Sprintf("%s 回复 %d：端点拒绝 Claude Code 放在 messages 中的 system 角色消息（%s）。", askedZH, a.status, clip(scrub(string(x.body), r.target.Credential.Secret), 160))))
		return f, true
	case needsNewerClaudeCode(a):
		return newFinding(ClaudeCodeVersionTooOld, CheckHTTP, text(
			fmt.Sprintf("%s (model %s, as Claude Code %s sends it) answered %d %s.", asked, x.req.model, x.req.shape.version(), a.status, a.errorDetail()),
			fmt.Sprintf("%s（模型 %s，按 Claude Code %s 的方式发送）回复 %d %s。", askedZH, x.req.model, x.req.shape.version(), a.status, a.errorDetail()))), true
	case paramRefused(a, x.body) != "" && !isModelError(a, x.req.model) && !isBilling(a):
		p := paramRefused(a, x.body)
		return newFinding(ParamRejected, CheckHTTP, text(
			fmt.Sprintf("%s answered %d: the endpoint refuses the %q parameter Claude Code sends (%s).", asked, a.status, p, a.errorDetail()),
			fmt.Sprintf("%s 回复 %d：端点拒绝 Claude Code 发送的 %q 参数（%s）。", askedZH, a.status, p, a.errorDetail()))), true
	}
	if f, ok := r.upstreamRefusal(a, x); ok {
		return f, true
	}
	if x.req.endpoint == messages && (a.status == http.StatusBadRequest || a.status == http.StatusUnprocessableEntity) &&
		!isModelError(a, x.req.model) && !isBilling(a) && !betaRejected(a) && !schemeMismatch(a) && !strings.Contains(a.message(), "anthropic-version") {
		// Claude Code fails on any other 400 or 422 to its POST /v1/messages
		// ("API Error: 400 Bad request", 2.1.332 and 2.1.330; scripts/differential.sh).
		return newFinding(RequestRefused, CheckHTTP, text(
			fmt.Sprintf("%s answered %d %s: Claude Code fails on this answer.", asked, a.status, a.errorDetail()),
			fmt.Sprintf("%s 回复 %d %s：Claude Code 遇到这个回应就会失败。", askedZH, a.status, a.errorDetail()))), true
	}
	return Finding{}, false
}

// upstreamRefusal is UPSTREAM_ERROR: a router's upstream refused the request
// for a reason the other codes do not name (its key refusal stays
// AUTH_INVALID, its 5xx SERVER_ERROR or OVERLOADED, its model
// MODEL_UNAVAILABLE, its bill BILLING), named as the upstream's, with its
// words; and claude-code-router's "All target providers failed".
func (r *run) upstreamRefusal(a answer, x exchange) (Finding, bool) {
	u := a.err.Upstream
	allFailed := strings.Contains(a.message(), "all target providers failed")
	switch {
	case u == nil && !allFailed:
		return Finding{}, false
	case u != nil && (a.status == http.StatusUnauthorized || u.Status == http.StatusUnauthorized || u.Status == 529 || a.status >= 500 && u.Status == 0 || u.Status >= 500):
		return Finding{}, false
	case isModelError(a, x.req.model) || isBilling(a) || a.status == http.StatusTooManyRequests || a.status < 400:
		return Finding{}, false
	}
	if u == nil {
		f := newFinding(UpstreamRejected, CheckHTTP, claudesettings.Text{
			EN: fmt.Sprintf("The router at %s answered %d: every provider it forwards to failed (%s).", x.url.Host, a.status, a.errorDetail()),
			ZH: fmt.Sprintf("%s 上的路由服务回复 %d：它转发到的所有服务商都失败了（%s）。", x.url.Host, a.status, a.errorDetail())})
		return f, true
	}
	return newFinding(UpstreamRejected, CheckHTTP, claudesettings.Text{
		EN: fmt.Sprintf("The router at %s passed on its upstream provider's refusal: %s%s answered %s.", x.url.Host, u.Provider, u.modelNote(), upstreamStatus(u, a)),
		ZH: fmt.Sprintf("%s 上的路由服务转达了其上游服务商的拒绝：%s%s回复 %s。", x.url.Host, u.Provider, u.modelNoteZH(), upstreamStatus(u, a))}), true
}

// modelNote is " (model NAME)" when the router named the upstream's model.
func (u *UpstreamError) modelNote() string {
	if u.Model == "" {
		return ""
	}
	return " (model " + u.Model + ")"
}

func (u *UpstreamError) modelNoteZH() string {
	if u.Model == "" {
		return " "
	}
	return "（模型 " + u.Model + "）"
}
