package netcheck

import (
	"encoding/json"
	"regexp"
	"strings"
	"unicode/utf8"
)

// APIError is the error an API answer carries in its body:
// {"type":"error","error":{"type":"…","message":"…"},"request_id":"…"}.
type APIError struct {
	Type      string // e.g. "authentication_error", "rate_limit_error"
	Message   string // the API's message, cut to a sentence's length
	RequestID string
}

const maxMessage = 300 // the most of a server's message a summary quotes

// ParseAPIError reads the Claude API's error shape from body. It returns
// false when body is not that shape (HTML, another API's JSON, garbage).
// The message is cut to a readable length and holds only valid UTF-8.
func ParseAPIError(body []byte) (APIError, bool) {
	var v struct {
		Type  string `json:"type"`
		Error *struct {
			Type    string `json:"type"`
			Message string `json:"message"`
		} `json:"error"`
		RequestID string `json:"request_id"`
	}
	if json.Unmarshal(body, &v) != nil || v.Error == nil || strings.TrimSpace(v.Error.Type) == "" {
		return APIError{}, false
	}
	if v.Type != "" && v.Type != "error" {
		return APIError{}, false
	}
	return APIError{Type: clip(v.Error.Type, 64), Message: clip(v.Error.Message, maxMessage), RequestID: clip(v.RequestID, 128)}, true
}

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
		s = strings.ReplaceAll(s, secret, MaskKey(secret))
	}
	return secretLike.ReplaceAllStringFunc(s, MaskKey)
}
