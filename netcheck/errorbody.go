package netcheck

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"claudemedic/claudesettings"
)

const maxMessage = 300 // the most of a server's message a summary quotes

// clip cuts s to at most n bytes on a rune boundary, on one line, and
// replaces invalid UTF-8.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

var secretLike = regexp.MustCompile(`sk-ant-[A-Za-z0-9]+-[A-Za-z0-9_\-]{8,}`)

// scrub removes secret, and anything shaped like an Anthropic credential,
// from a text a server sent, so that a report never holds a key.
func scrub(s, secret string) string {
	if secret != "" && len(secret) >= 8 {
		s = strings.ReplaceAll(s, secret, claudesettings.MaskKey(secret))
	}
	return secretLike.ReplaceAllStringFunc(s, claudesettings.MaskKey)
}

// ErrorShape names the JSON shape an error answer came in.
type ErrorShape string

// The error shapes relays, routers and gateways answer with.
const (
	ShapeAnthropic ErrorShape = "anthropic" // {"type":"error","error":{"type","message"}}: the Claude API, faithful relays
	ShapeOpenAI    ErrorShape = "openai"    // {"error":{"message","type","param","code"}}: OpenAI, one-api/new-api, LiteLLM, claude-code-router
	ShapeOther     ErrorShape = "other"     // {"error":"…"}, {"message","error","statusCode"} (a web framework's 404), {"detail"}, {"msg"}
)

// ErrorBody is an error answer in whatever shape it came: the Claude API's,
// a relay's own (one-api and new-api answer {"error":{"message":"无效的令牌
// (request id: …)","type":"new_api_error"}}), or a router's that wraps its
// upstream provider's answer.
type ErrorBody struct {
	Shape   ErrorShape
	Type    string // "authentication_error", "new_api_error", "invalid_request_error", …
	Message string // cut to a sentence's length, one line of valid UTF-8
	Code    string // OpenAI's "code", when set: "model_not_found", "401", …
	// OpenAIParam is set when the body carries OpenAI's "param" key, a sign
	// of an endpoint that speaks the OpenAI chat format.
	OpenAIParam bool
	// Upstream is the provider's own error that a router passed on in its
	// message (claude-code-router: "Error from provider(NAME,MODEL: 401): …").
	Upstream *UpstreamError
}

// UpstreamError is an upstream provider's answer passed through a router.
type UpstreamError struct {
	Provider string // the router's name for it, e.g. "anthropic", "deepseek"
	Model    string
	Status   int // 0 when the router did not say
	Type     string
	Message  string
}

// Detail is the error's type and message for a summary: "authentication_error:
// invalid x-api-key".
func (e ErrorBody) Detail() string {
	switch {
	case e.Message == "":
		return e.Type
	case e.Type == "":
		return strings.TrimRight(e.Message, ".")
	}
	return e.Type + ": " + strings.TrimRight(e.Message, ".")
}

// Detail is the upstream error's type and message.
func (u UpstreamError) Detail() string {
	return ErrorBody{Type: u.Type, Message: u.Message}.Detail()
}

var providerErrorRE = regexp.MustCompile(`(?s)^\s*Error from provider\(([^,()]*),([^()]*?)(?::\s*(\d{3}))?\):?\s*(.*)$`)

// ParseErrorBody reads an error answer in any of the shapes of ErrorShape.
// It returns false for HTML, for JSON that holds no error, and for garbage.
func ParseErrorBody(body []byte) (ErrorBody, bool) {
	return parseErrorBody(body, 0)
}

func parseErrorBody(body []byte, depth int) (ErrorBody, bool) {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil || top == nil {
		return ErrorBody{}, false
	}
	str := func(raw json.RawMessage) string {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		var n json.Number
		if json.Unmarshal(raw, &n) == nil {
			return n.String()
		}
		return ""
	}
	var e ErrorBody
	if raw, ok := top["error"]; ok {
		var obj map[string]json.RawMessage
		switch {
		case json.Unmarshal(raw, &obj) == nil && obj != nil:
			e.Type, e.Message, e.Code = str(obj["type"]), str(obj["message"]), str(obj["code"])
			_, e.OpenAIParam = obj["param"]
			e.Upstream = lastAttempt(obj["attempts"], depth)
			if e.Type == "" && e.Message == "" {
				return ErrorBody{}, false
			}
			e.Shape = ShapeOpenAI
			if str(top["type"]) == "error" || (!e.OpenAIParam && e.Code == "" && anthropicErrorTypes[e.Type]) {
				e.Shape = ShapeAnthropic
			}
		case str(raw) != "":
			e.Shape, e.Message = ShapeOther, str(raw)
			if m := str(top["message"]); m != "" { // {"message":"Route POST:/x not found","error":"Not Found","statusCode":404}
				e.Type, e.Message = str(raw), m
			}
		default:
			return ErrorBody{}, false
		}
	} else {
		for _, k := range []string{"detail", "msg", "message"} {
			if m := str(top[k]); m != "" {
				e.Shape, e.Message = ShapeOther, m
				break
			}
		}
		if e.Shape == "" {
			return ErrorBody{}, false
		}
	}
	if t := str(top["type"]); t != "" && t != "error" && e.Shape == ShapeAnthropic {
		return ErrorBody{}, false
	}
	if m := providerErrorRE.FindStringSubmatch(e.Message); m != nil && e.Upstream == nil {
		u := &UpstreamError{Provider: clip(m[1], 64), Model: clip(m[2], 64)}
		fmt.Sscan(m[3], &u.Status)
		if inner, ok := parseErrorBody([]byte(m[4]), depth+1); ok && depth == 0 {
			u.Type, u.Message = inner.Type, inner.Message
		} else {
			u.Message = clip(m[4], maxMessage)
		}
		e.Upstream = u
	}
	e.Type, e.Message, e.Code = clip(e.Type, 64), clip(e.Message, maxMessage), clip(e.Code, 64)
	return e, true
}

// anthropicErrorTypes are the error types of the Claude API.
var anthropicErrorTypes = map[string]bool{
	"invalid_request_error": true, "authentication_error": true, "permission_error": true,
	"not_found_error": true, "request_too_large": true, "rate_limit_error": true, "api_error": true,
	"overloaded_error": true, "billing_error": true, "timeout_error": true, "forbidden": true,
}

// lastAttempt reads claude-code-router 3.x's "All target providers failed."
// answer, {"error":{"message","target_providers","attempts":[{"provider",
// "provider_name","stage","message","status","details"}]}}: its last
// attempt is the upstream's error (the answer's status is that attempt's).
func lastAttempt(raw json.RawMessage, depth int) *UpstreamError {
	var attempts []struct {
		Provider     string          `json:"provider"`
		ProviderName string          `json:"provider_name"`
		Message      json.RawMessage `json:"message"`
		Status       int             `json:"status"`
	}
	if len(raw) == 0 || json.Unmarshal(raw, &attempts) != nil || len(attempts) == 0 {
		return nil
	}
	a := attempts[len(attempts)-1]
	u := &UpstreamError{Provider: clip(a.Provider, 64), Status: a.Status}
	if a.ProviderName != "" {
		u.Provider = clip(a.ProviderName, 64)
	}
	var msg string
	if json.Unmarshal(a.Message, &msg) != nil {
		msg = string(a.Message)
	}
	if inner, ok := parseErrorBody([]byte(msg), depth+1); ok && depth == 0 {
		u.Type, u.Message = inner.Type, inner.Message
	} else {
		u.Message = clip(msg, maxMessage)
	}
	return u
}
