package gui

import (
	"os"
	"strings"
	"testing"
)

// wantSymptom is the symptom each finding's message in
// testdata/claude-code-messages.md (copied from the shared notes: what
// Claude Code 2.1.330 really printed, fault by fault) must match.
var wantSymptom = map[string]Symptom{
	"API_VERSION_REJECTED":             SymptomBadRequest,
	"AUTH_FORBIDDEN":                   SymptomForbidden,
	"AUTH_INVALID":                     SymptomAuth,
	"BILLING":                          SymptomBadRequest,
	"CONFIG_INVALID":                   SymptomSettings,
	"DNS_FAILED":                       SymptomConnection,
	"KEY_MALFORMED":                    SymptomAuth,
	"KEY_MISSING":                      SymptomAuth,
	"KEY_WRONG_KIND":                   SymptomAuth,
	"NOT_ANTHROPIC_API":                SymptomEmpty,
	"NOT_ANTHROPIC_API / SERVER_ERROR": SymptomOverloaded,
	"OVERLOADED":                       SymptomOverloaded,
	"PROXY_AUTH_REQUIRED":              SymptomConnection,
	"PROXY_REFUSED":                    SymptomConnection,
	"PROXY_SOCKS_UNSUPPORTED":          SymptomConnection,
	"PROXY_UNREACHABLE":                SymptomConnection,
	"PROXY_URL_INVALID":                SymptomConnection,
	"RATE_LIMITED":                     SymptomRateLimit,
	"REGION_BLOCKED":                   SymptomForbidden,
	"SERVER_ERROR":                     SymptomOverloaded,
	"STREAM_EMPTY":                     SymptomEmpty,
	"STREAM_ERROR_EVENT":               SymptomEmpty,
	"STREAM_STALLED":                   SymptomSlow,
	"STREAM_TRUNCATED":                 SymptomConnection,
	"TCP_REFUSED":                      SymptomConnection,
	"TCP_TIMEOUT":                      SymptomTimeout,
	"TLS_EXPIRED":                      SymptomCertificate,
	"TLS_HANDSHAKE_TIMEOUT":            SymptomTimeout,
	"TLS_HOSTNAME_MISMATCH":            SymptomCertificate,
	"TLS_OLD_VERSION":                  SymptomCertificate,
	"TLS_RESET":                        SymptomConnection,
	"TLS_UNTRUSTED":                    SymptomCertificate,
}

// TestMatchSymptomEveryMessage matches every message of the table in
// claude-code-messages.md, and fails on a row this test does not know.
func TestMatchSymptomEveryMessage(t *testing.T) {
	data, err := os.ReadFile("testdata/claude-code-messages.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := 0
	for _, line := range strings.Split(string(data), "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 6 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`") {
			continue
		}
		code := strings.Trim(strings.TrimSpace(cells[1]), "`")
		code = strings.ReplaceAll(code, "` / `", " / ")
		msg := strings.TrimSpace(cells[3])
		want, ok := wantSymptom[code]
		if !ok {
			t.Errorf("a message for %s is not in this test's table: %q", code, msg)
			continue
		}
		rows++
		if got := MatchSymptom(msg); got != want {
			t.Errorf("%s: MatchSymptom(%q) = %s, want %s", code, msg, got, want)
		}
	}
	if rows < len(wantSymptom) {
		t.Errorf("matched %d rows of claude-code-messages.md, want %d", rows, len(wantSymptom))
	}
}

func TestMatchSymptomOtherTexts(t *testing.T) {
	for _, tc := range []struct {
		text string
		want Symptom
	}{
		{"API Error: request ended without sending any chunks", SymptomEmpty},
		{"ConnectionError: fetch failed", SymptomConnection},
		{"TimeoutError: The operation was aborted due to timeout", SymptomTimeout},
		{"API Error: Request timed out.", SymptomTimeout},
		{"UnsupportedAPIVersion", SymptomBadRequest},
		{"API Error: 401 {\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}", SymptomAuth},
		{"API Error: 429", SymptomRateLimit},
		{"API Error: 529 {\"type\":\"overloaded_error\"}", SymptomOverloaded},
		{"unable to get local issuer certificate", SymptomCertificate},
		{"it is just slow", SymptomSlow},
		{"请求超时", SymptomTimeout},
		{"证书错误", SymptomCertificate},
		{"", SymptomOther},
		{"something odd happened", SymptomOther},
	} {
		if got := MatchSymptom(tc.text); got != tc.want {
			t.Errorf("MatchSymptom(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}
