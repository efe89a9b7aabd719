package doctor

import (
	"regexp"
	"strings"
	"sync"

	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

// Symptom is what a person saw: it picks the checks a diagnosis runs. The
// text narrows the cause; only the checks tell the causes apart.
type Symptom string

// The symptoms the wizard and `claudemedic doctor` offer, named after what
// Claude Code prints (../shared/claude-code-messages.md).
const (
	SymptomEmpty        Symptom = "empty"       // "request ended without sending any chunks", "empty or malformed response", an answer cut off
	SymptomConnection   Symptom = "connection"  // ConnectionError, ECONNREFUSED, ENOTFOUND, proxy errors
	SymptomTimeout      Symptom = "timeout"     // TimeoutError, "Request timed out"
	SymptomLogin        Symptom = "login"       // "Not logged in", "OAuth token has expired"
	SymptomAuth         Symptom = "auth"        // 401, "Invalid API key", "Failed to authenticate"
	SymptomAuthConflict Symptom = "conflict"    // "Auth conflict": a token and an API key both set
	SymptomKeyHelper    Symptom = "keyhelper"   // "apiKeyHelper failed"
	SymptomForbidden    Symptom = "forbidden"   // 403
	SymptomNotFound     Symptom = "notfound"    // 404, "Invalid URL", "There's an issue with the selected model"
	SymptomBadRequest   Symptom = "badrequest"  // 400: UnsupportedAPIVersion, credit balance
	SymptomBeta         Symptom = "beta"        // 400 about the anthropic-beta header
	SymptomRateLimit    Symptom = "ratelimit"   // 429
	SymptomOverloaded   Symptom = "overloaded"  // 529 and other server errors
	SymptomCertificate  Symptom = "certificate" // SSL / certificate errors
	SymptomSettings     Symptom = "settings"    // "These settings did not load"
	SymptomSlow         Symptom = "slow"        // it is just slow, or nothing comes back
	SymptomOther        Symptom = "other"       // something else: run every check
)

// Symptoms lists the choices in the order every front end shows them.
var Symptoms = []Symptom{SymptomEmpty, SymptomConnection, SymptomTimeout, SymptomLogin, SymptomAuth,
	SymptomAuthConflict, SymptomKeyHelper, SymptomForbidden, SymptomNotFound, SymptomBadRequest, SymptomBeta,
	SymptomRateLimit, SymptomOverloaded, SymptomCertificate, SymptomSettings, SymptomSlow, SymptomOther}

// ParseSymptom reads a symptom's name (as Symptoms holds it).
func ParseSymptom(name string) (Symptom, bool) {
	for _, s := range Symptoms {
		if string(s) == name {
			return s, true
		}
	}
	return "", false
}

type matchRule struct {
	symptom Symptom
	re      *regexp.Regexp
}

// matchRules map error text to a symptom, first match wins: the order puts
// the specific before the general (a 403 says "authenticate" too, a timeout
// message says "slow", an apiKeyHelper failure says "re-authenticate"). They
// are compiled on first use, so the tray agent, which links this package,
// does not pay for them at start.
var matchRules = sync.OnceValue(func() []matchRule {
	return []matchRule{
		{SymptomSettings, regexp.MustCompile(`settings did not load|invalid or malformed json|设置.*未加载`)},
		{SymptomKeyHelper, regexp.MustCompile(`apikeyhelper|api key helper`)},
		{SymptomAuthConflict, regexp.MustCompile(`auth conflict|both a token|认证冲突`)},
		{SymptomBeta, regexp.MustCompile(`anthropic-beta|\bbetas?\b`)},
		{SymptomEmpty, regexp.MustCompile(`without sending any chunks|empty or malformed response|no chunks|connection to the api was lost|空响应`)},
		{SymptomNotFound, regexp.MustCompile(`issue with the selected model|recognize the model|\b404\b|invalid url|not_found_error|http request to an https server|模型`)},
		{SymptomCertificate, regexp.MustCompile(`certificate|self[-_ ]signed|\bssl\b|\beproto\b|unable_to_verify|cert_|\btls\b|证书`)},
		{SymptomForbidden, regexp.MustCompile(`\b403\b|request not allowed|permission|forbidden|没有权限`)},
		{SymptomLogin, regexp.MustCompile(`not logged in|token has expired|/login|未登录|登录已过期`)},
		{SymptomAuth, regexp.MustCompile(`\b401\b|invalid api key|authentication_error|failed to authenticate|x-api-key|invalid bearer|could not load (aws )?credentials|密钥无效`)},
		{SymptomBadRequest, regexp.MustCompile(`\b400\b|unsupportedapiversion|anthropic-version|credit balance|billing|\b402\b|余额`)},
		{SymptomRateLimit, regexp.MustCompile(`\b429\b|rate[ _-]?limit|too many requests|限流|速率`)},
		{SymptomOverloaded, regexp.MustCompile(`\b529\b|overloaded|\b5\d\d\b|server-side issue|bad gateway|internal server error|过载`)},
		{SymptomTimeout, regexp.MustCompile(`timed out|timeouterror|etimedout|timeout|超时`)},
		{SymptomConnection, regexp.MustCompile(`connectionerror|econnrefused|enotfound|econnreset|eai_again|connection|can't reach|cannot reach|proxy|unable to connect|\bdns\b|network|连接|代理|网络`)},
		{SymptomSlow, regexp.MustCompile(`slow|hang|no answer|nothing happens|stuck|慢|卡住|没有反应`)},
	}
})

// MatchSymptom finds the symptom an error text describes, and whether one
// did: SymptomOther and false when none fits (every check runs then).
func MatchSymptom(text string) (Symptom, bool) {
	t := strings.ToLower(text)
	for _, r := range matchRules() {
		if r.re.MatchString(t) {
			return r.symptom, true
		}
	}
	return SymptomOther, false
}

// Plan is what a diagnosis runs for the symptom: the checks (nil: the
// default set) and whether the stream check runs.
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
	case SymptomLogin, SymptomAuth, SymptomAuthConflict, SymptomKeyHelper, SymptomForbidden,
		SymptomNotFound, SymptomBadRequest, SymptomBeta:
		return with(netcheck.CheckAuth), false
	case SymptomRateLimit, SymptomOverloaded:
		return with(netcheck.CheckAuth, netcheck.CheckRateLimit), false
	case SymptomSettings:
		return []netcheck.CheckID{netcheck.CheckConfig, netcheck.CheckKey}, false
	}
	return nil, false // every default check
}

// Label is the symptom as the lists show it: the text people see.
func (s Symptom) Label(tr i18n.Printer) string {
	switch s {
	case SymptomEmpty:
		return tr.X("symptom.empty", "“request ended without sending any chunks”, “empty or malformed response” or “Connection to the API was lost”")
	case SymptomConnection:
		return tr.X("symptom.connection", "ConnectionError, “Connection refused”, “Can't reach the API server”, a proxy error")
	case SymptomTimeout:
		return tr.X("symptom.timeout", "TimeoutError or “Request timed out”")
	case SymptomLogin:
		return tr.X("symptom.login", "“Not logged in · Please run /login” or “OAuth token has expired”")
	case SymptomAuth:
		return tr.X("symptom.auth", "401: “Invalid API key” or “Failed to authenticate”")
	case SymptomAuthConflict:
		return tr.X("symptom.conflict", "“Auth conflict”: a token and an API key are both set")
	case SymptomKeyHelper:
		return tr.X("symptom.keyhelper", "“apiKeyHelper failed” or “Your apiKeyHelper script is failing”")
	case SymptomForbidden:
		return tr.X("symptom.forbidden", "403: “permission” or “Request not allowed”")
	case SymptomNotFound:
		return tr.X("symptom.notfound", "404, “Invalid URL” or “There's an issue with the selected model”")
	case SymptomBadRequest:
		return tr.X("symptom.badrequest", "400: UnsupportedAPIVersion, “anthropic-version”, “Credit balance is too low”")
	case SymptomBeta:
		return tr.X("symptom.beta", "400 about “anthropic-beta”: “Unexpected value(s) … for the anthropic-beta header”")
	case SymptomRateLimit:
		return tr.X("symptom.ratelimit", "429: “Request rejected”, rate limit")
	case SymptomOverloaded:
		return tr.X("symptom.overloaded", "529 Overloaded, 500 or 502: “server-side issue”")
	case SymptomCertificate:
		return tr.X("symptom.certificate", "A certificate error: SELF_SIGNED_CERT_IN_CHAIN, “SSL certificate”")
	case SymptomSettings:
		return tr.X("symptom.settings", "“These settings did not load”")
	case SymptomSlow:
		return tr.X("symptom.slow", "It is just slow, or nothing comes back")
	}
	return tr.X("symptom.other", "Something else: check everything")
}
