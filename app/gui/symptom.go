package gui

import (
	"regexp"
	"strings"

	"fyne.io/fyne/v2/lang"

	"claudemedic/netcheck"
)

// Symptom is what a person saw: it picks the checks the wizard runs. The
// text narrows the cause; only the checks tell the causes apart.
type Symptom string

// The symptoms the wizard offers, named after what Claude Code prints.
const (
	SymptomEmpty       Symptom = "empty"       // "request ended without sending any chunks", "empty or malformed response"
	SymptomConnection  Symptom = "connection"  // ConnectionError, ECONNREFUSED, ENOTFOUND, proxy errors
	SymptomTimeout     Symptom = "timeout"     // TimeoutError, "Request timed out"
	SymptomAuth        Symptom = "auth"        // 401, "Invalid API key", "Not logged in"
	SymptomForbidden   Symptom = "forbidden"   // 403
	SymptomBadRequest  Symptom = "badrequest"  // 400: UnsupportedAPIVersion, credit balance
	SymptomRateLimit   Symptom = "ratelimit"   // 429
	SymptomOverloaded  Symptom = "overloaded"  // 529 and other server errors
	SymptomCertificate Symptom = "certificate" // SSL / certificate errors
	SymptomSettings    Symptom = "settings"    // "These settings did not load"
	SymptomSlow        Symptom = "slow"        // it is just slow, or nothing comes back
	SymptomOther       Symptom = "other"       // something else: run every check
)

// Symptoms lists the wizard's choices in the order it shows them.
var Symptoms = []Symptom{SymptomEmpty, SymptomConnection, SymptomTimeout, SymptomAuth, SymptomForbidden,
	SymptomBadRequest, SymptomRateLimit, SymptomOverloaded, SymptomCertificate, SymptomSettings, SymptomSlow, SymptomOther}

// matchRules map error text to a symptom, first match wins: the order puts
// the specific before the general (a 403 says "authenticate" too, a timeout
// message says "slow").
var matchRules = []struct {
	symptom Symptom
	re      *regexp.Regexp
}{
	{SymptomSettings, regexp.MustCompile(`settings did not load|invalid or malformed json|设置.*未加载`)},
	{SymptomEmpty, regexp.MustCompile(`without sending any chunks|empty or malformed response|no chunks|空响应`)},
	{SymptomCertificate, regexp.MustCompile(`certificate|self[-_ ]signed|\bssl\b|\beproto\b|unable_to_verify|cert_|\btls\b|证书`)},
	{SymptomForbidden, regexp.MustCompile(`\b403\b|request not allowed|permission|forbidden|没有权限`)},
	{SymptomAuth, regexp.MustCompile(`\b401\b|invalid api key|not logged in|authentication_error|/login|x-api-key|invalid bearer|密钥无效|未登录`)},
	{SymptomBadRequest, regexp.MustCompile(`\b400\b|unsupportedapiversion|anthropic-version|credit balance|billing|\b402\b|余额`)},
	{SymptomRateLimit, regexp.MustCompile(`\b429\b|rate[ _-]?limit|too many requests|限流|速率`)},
	{SymptomOverloaded, regexp.MustCompile(`\b529\b|overloaded|\b5\d\d\b|server-side issue|bad gateway|internal server error|过载`)},
	{SymptomTimeout, regexp.MustCompile(`timed out|timeouterror|etimedout|timeout|超时`)},
	{SymptomConnection, regexp.MustCompile(`connectionerror|econnrefused|enotfound|econnreset|eai_again|connection|can't reach|cannot reach|proxy|unable to connect|\bdns\b|network|连接|代理|网络`)},
	{SymptomSlow, regexp.MustCompile(`slow|hang|no answer|nothing happens|stuck|慢|卡住|没有反应`)},
}

// MatchSymptom finds the symptom an error text describes; SymptomOther when
// none fits (every check runs).
func MatchSymptom(text string) Symptom {
	t := strings.ToLower(text)
	for _, r := range matchRules {
		if r.re.MatchString(t) {
			return r.symptom
		}
	}
	return SymptomOther
}

// Plan is what the wizard runs for a symptom.
func (s Symptom) Plan() (only []netcheck.CheckID, stream bool) {
	base := []netcheck.CheckID{netcheck.CheckConfig, netcheck.CheckKey, netcheck.CheckDNS, netcheck.CheckTCP,
		netcheck.CheckProxy, netcheck.CheckTLS, netcheck.CheckHTTP}
	with := func(ids ...netcheck.CheckID) []netcheck.CheckID { return append(base[:len(base):len(base)], ids...) }
	switch s {
	case SymptomEmpty:
		return with(netcheck.CheckAuth, netcheck.CheckStream), true
	case SymptomConnection, SymptomCertificate:
		return with(netcheck.CheckClock, netcheck.CheckAuth), false
	case SymptomTimeout, SymptomSlow:
		return with(netcheck.CheckAuth, netcheck.CheckStream), true
	case SymptomAuth, SymptomForbidden, SymptomBadRequest:
		return with(netcheck.CheckAuth), false
	case SymptomRateLimit, SymptomOverloaded:
		return with(netcheck.CheckAuth, netcheck.CheckRateLimit), false
	case SymptomSettings:
		return []netcheck.CheckID{netcheck.CheckConfig, netcheck.CheckKey}, false
	}
	return nil, false // every default check
}

// Label is the symptom as the wizard lists it: the text people see.
func (s Symptom) Label() string {
	switch s {
	case SymptomEmpty:
		return lang.X("symptom.empty", "“API Error: request ended without sending any chunks” or “empty or malformed response”")
	case SymptomConnection:
		return lang.X("symptom.connection", "ConnectionError, “Connection refused”, “Can't reach the API server”, a proxy error")
	case SymptomTimeout:
		return lang.X("symptom.timeout", "TimeoutError or “Request timed out”")
	case SymptomAuth:
		return lang.X("symptom.auth", "401: “Invalid API key” or “Not logged in”")
	case SymptomForbidden:
		return lang.X("symptom.forbidden", "403: “permission” or “Request not allowed”")
	case SymptomBadRequest:
		return lang.X("symptom.badrequest", "400: UnsupportedAPIVersion, “anthropic-version”, “Credit balance is too low”")
	case SymptomRateLimit:
		return lang.X("symptom.ratelimit", "429: “Request rejected”, rate limit")
	case SymptomOverloaded:
		return lang.X("symptom.overloaded", "529 Overloaded, 500 or 502: “server-side issue”")
	case SymptomCertificate:
		return lang.X("symptom.certificate", "A certificate error: SELF_SIGNED_CERT_IN_CHAIN, “SSL certificate”")
	case SymptomSettings:
		return lang.X("symptom.settings", "“These settings did not load”")
	case SymptomSlow:
		return lang.X("symptom.slow", "It is just slow, or nothing comes back")
	}
	return lang.X("symptom.other", "Something else: check everything")
}
