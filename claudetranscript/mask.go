package claudetranscript

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	// An Anthropic key or token (sk-ant-api03-…, sk-ant-oat01-…) or any other sk-… secret
	// a relay may echo (sk-proj-…, sk-…): the kind prefix stays, the secret goes.
	skSecret = regexp.MustCompile(`sk-((?:ant-)?(?:[a-z]{2,5}[0-9]{0,3}-)?)[A-Za-z0-9_\-]{6,}`)
	// A Bearer token in a header or a message.
	bearer = regexp.MustCompile(`(?i)\b(bearer)\s+[A-Za-z0-9._~+/=\-]{6,}`)
	// key=…, "x-api-key": "…", token: … in an echoed request.
	named = regexp.MustCompile(`(?i)((?:x-api-key|api[_-]?key|access[_-]?token|auth[_-]?token|token|password|secret)["']?\s*[:=]\s*["']?)[^\s"',;}&]{6,}`)
)

// maxMessage bounds every kept message (in runes).
const maxMessage = 600

// Mask replaces what looks like a secret in s: sk-… keys and tokens keep their kind
// prefix ("sk-ant-api03-…"), Bearer tokens become "Bearer …", key=value pairs keep
// their name. Used on every message this package returns.
func Mask(s string) string {
	if s == "" {
		return s
	}
	s = skSecret.ReplaceAllString(s, "sk-${1}…")
	s = bearer.ReplaceAllString(s, "${1} …")
	s = named.ReplaceAllString(s, "${1}…")
	return s
}

// clean masks s, drops control characters and bounds its length.
func clean(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t' || r == '\r':
			return ' '
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(Mask(s))
	if utf8.RuneCountInString(s) > maxMessage {
		r := []rune(s)
		s = string(r[:maxMessage]) + "…"
	}
	return s
}
