package doctor

import (
	"testing"

	"claudemedic/doctor/doctortest"
	"claudemedic/internal/i18n"
)

// wantSymptom is the symptom each row of claude-code-messages.md (what
// Claude Code 2.1.330 really printed, fault by fault: both tables) must
// match, by the row's finding cell and fault.
var wantSymptom = map[string]Symptom{
	"API_VERSION_REJECTED":             SymptomBadRequest,
	"AUTH_FORBIDDEN":                   SymptomForbidden,
	"AUTH_INVALID":                     SymptomAuth,
	"BILLING":                          SymptomBadRequest,
	"CONFIG_INVALID":                   SymptomSettings,
	"DNS_FAILED":                       SymptomConnection,
	"KEY_MALFORMED":                    SymptomAuth,
	"KEY_MISSING":                      SymptomLogin, // "Not logged in · Please run /login"
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
	"STREAM_TRUNCATED":                 SymptomEmpty, // "Connection to the API was lost": only the stream check tells why
	"TCP_REFUSED":                      SymptomConnection,
	"TCP_TIMEOUT":                      SymptomTimeout,
	"TLS_EXPIRED":                      SymptomCertificate,
	"TLS_HANDSHAKE_TIMEOUT":            SymptomTimeout,
	"TLS_HOSTNAME_MISMATCH":            SymptomCertificate,
	"TLS_OLD_VERSION":                  SymptomCertificate,
	"TLS_RESET":                        SymptomConnection,
	"TLS_UNTRUSTED":                    SymptomCertificate,
	"LOGIN_EXPIRED":                    SymptomLogin,
	"KEY_OVERRIDES_LOGIN + BILLING":    SymptomBadRequest,
	"AUTH_CONFLICT + AUTH_INVALID":     SymptomAuth,
	"KEY_HELPER_FAILED":                SymptomKeyHelper,
	"KEY_HELPER_FAILED: `apiKeyHelper` never exits": SymptomSlow, // "(no answer in 60 s)": the checks find the hang
	"BASE_URL_PATH":        SymptomNotFound,
	"NOT_ANTHROPIC_FORMAT": SymptomNotFound,
	"MODEL_UNAVAILABLE":    SymptomNotFound,
	"BETA_REJECTED":        SymptomBeta,
	"NOT_ANTHROPIC_API: a Cloudflare challenge page (403 HTML)": SymptomForbidden,
	"BASE_URL_SCHEME: `http://` to a TLS port":                  SymptomNotFound,
	"BASE_URL_SCHEME: `https://` to a plain-HTTP port":          SymptomCertificate,
	"IPV6_BROKEN":               SymptomConnection,
	"TLS_PQ_BLOCKED":            SymptomConnection,
	"CA_FILE_INVALID":           SymptomCertificate,
	"CLOUD_CREDENTIALS_MISSING": SymptomAuth,
	"(healthy)":                 SymptomOther,
}

// expected is the symptom a row must match: by its finding and fault first
// (for the rows whose finding has several faults), else by its finding.
func expected(row doctortest.Row) (Symptom, bool) {
	if s, ok := wantSymptom[row.Finding+": "+row.Fault]; ok {
		return s, true
	}
	s, ok := wantSymptom[row.Finding]
	return s, ok
}

// TestMatchSymptomEveryMessage matches every message of both tables of
// claude-code-messages.md, and fails on a row this test does not know.
func TestMatchSymptomEveryMessage(t *testing.T) {
	rows, err := doctortest.Rows()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) < 55 {
		t.Fatalf("read only %d rows of claude-code-messages.md", len(rows))
	}
	for _, row := range rows {
		if len(row.Codes()) == 0 && row.Finding != "(healthy)" {
			t.Errorf("the row %q names no code of the catalogue", row.Finding)
		}
	}
	for _, row := range rows {
		want, ok := expected(row)
		if !ok {
			t.Errorf("a message for %s (%s) is not in this test's table: %q", row.Finding, row.Fault, row.Message)
			continue
		}
		got, matched := MatchSymptom(row.Message)
		if got != want || matched != (want != SymptomOther) {
			t.Errorf("%s (%s): MatchSymptom(%q) = %s, %v; want %s", row.Finding, row.Fault, row.Message, got, matched, want)
		}
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
		{"未登录", SymptomLogin},
		{"⚠ Auth conflict: Both a token (ANTHROPIC_AUTH_TOKEN) and an API key (ANTHROPIC_API_KEY) are set.", SymptomAuthConflict},
		{"API Error: 404 {\"type\":\"error\",\"error\":{\"type\":\"not_found_error\"}}", SymptomNotFound},
		{"TypeError: Invalid URL", SymptomNotFound},
		{"", SymptomOther},
		{"something odd happened", SymptomOther},
	} {
		if got, _ := MatchSymptom(tc.text); got != tc.want {
			t.Errorf("MatchSymptom(%q) = %s, want %s", tc.text, got, tc.want)
		}
	}
}

// TestSymptomsListed: every symptom has a plan, a label in both languages
// and a name ParseSymptom reads back.
func TestSymptomsListed(t *testing.T) {
	seen := map[string]Symptom{}
	for _, s := range Symptoms {
		if got, ok := ParseSymptom(string(s)); !ok || got != s {
			t.Errorf("ParseSymptom(%q) = %q, %v", s, got, ok)
		}
		en, zh := s.Label(i18n.For("en")), s.Label(i18n.For("zh"))
		if en == "" || zh == "" || en == zh {
			t.Errorf("%s: labels %q and %q", s, en, zh)
		}
		if prev, dup := seen[en]; dup {
			t.Errorf("%s and %s have the same label %q", s, prev, en)
		}
		seen[en] = s
		if only, _ := s.Plan(); s != SymptomOther && len(only) == 0 {
			t.Errorf("%s has no plan", s)
		}
	}
}
