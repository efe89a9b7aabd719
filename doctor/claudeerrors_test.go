package doctor_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"claudemedic/doctor"
	"claudemedic/doctor/doctortest"
	"claudemedic/internal/i18n"
	"claudemedic/internal/prefs"
	"claudemedic/netcheck"
)

func TestClassifyClaudeError(t *testing.T) {
	cases := []struct {
		status  int
		network string
		text    string
		ssl     bool
		want    netcheck.Code
	}{
		{529, "", "529 Overloaded", false, netcheck.Overloaded},
		{401, "", "401 invalid x-api-key \n Invalid API key · Fix external API key", false, netcheck.AuthInvalid},
		{401, "", "OAuth token has expired. Please run /login", false, netcheck.LoginExpired},
		{403, "", "Request not allowed", false, netcheck.RegionBlocked},
		{403, "", "403 permission_error", false, netcheck.AuthForbidden},
		{403, "", "Failed to authenticate. API Error: 403 Just a moment...", false, netcheck.NotAnthropicAPI},
		{400, "", "Credit balance is too low", false, netcheck.Billing},
		{400, "", "Unexpected value(s) for the anthropic-beta header", false, netcheck.BetaRejected},
		{429, "", "429 rate_limit_error", false, netcheck.RateLimited},
		{502, "", "502 Bad Gateway", false, netcheck.ServerError},
		{404, "", "There's an issue with the selected model", false, netcheck.ModelUnavailable},
		{0, "ECONNREFUSED", "Connection refused", false, netcheck.TCPRefused},
		{0, "ENOTFOUND", "Can't reach the API server", false, netcheck.DNSFailed},
		{0, "ECONNRESET", "Connection dropped (ECONNRESET)", false, netcheck.NoResponse},
		{0, "ECONNRESET", "Connection dropped", true, netcheck.TLSReset},
		{0, "ETIMEDOUT", "Request timed out", false, netcheck.TCPTimeout},
		{0, "", "Request timed out. set API_TIMEOUT_MS above 8000", false, netcheck.NoResponse},
		{0, "SELF_SIGNED_CERT_IN_CHAIN", "Self-signed certificate detected", true, netcheck.TLSUntrusted},
		{0, "CERT_HAS_EXPIRED", "SSL certificate has expired", true, netcheck.TLSExpired},
		{0, "", "Unable to connect to API: SSL certificate hostname mismatch", true, netcheck.TLSHostnameMismatch},
		{0, "ERR_PROXY_TUNNEL", "Couldn't connect through your proxy", false, netcheck.ProxyRefused},
		{0, "", "Unable to connect to API (UnsupportedProxyProtocol)", false, netcheck.ProxySocksUnsupported},
		{200, "", "API returned an empty or malformed response (HTTP 200) — content-type event-stream, empty body", false, netcheck.StreamEmpty},
		{200, "", "API returned an empty or malformed response (HTTP 200) — body is an HTML page", false, netcheck.NotAnthropicAPI},
		{0, "ECONNRESET", "Connection to the API was lost (ECONNRESET)", false, netcheck.StreamTruncated},
		{400, "", "claude_code_version_too_old: please update Claude Code", false, netcheck.ClaudeCodeVersionTooOld},
	}
	for _, c := range cases {
		if got := doctor.ClassifyClaudeError(c.status, c.network, c.text, c.ssl); got != c.want {
			t.Errorf("%d %s %q: %s; want %s", c.status, c.network, c.text, got, c.want)
		}
		if _, ok := netcheck.Lookup(c.want); !ok {
			t.Errorf("%s is not in the catalogue", c.want)
		}
	}
}

// TestReadClaudeErrors reads the real Claude Code's transcripts: one row per
// failed request, with its code, request-id, folder, tries and symptom.
func TestReadClaudeErrors(t *testing.T) {
	home := doctortest.Isolate(t)
	cfg := filepath.Join(home, ".claude")
	now := time.Now()
	doctortest.Transcript(t, cfg, doctortest.Transcript401, "/src/a", "", now.Add(-30*time.Minute))
	doctortest.Transcript(t, cfg, doctortest.Transcript529, "/src/b", "", now.Add(-20*time.Minute))
	doctortest.Transcript(t, cfg, doctortest.TranscriptRefused, "/src/c_d", "", now.Add(-10*time.Minute))
	doctortest.Transcript(t, cfg, doctortest.TranscriptRecover, "/src/a", "", now.Add(-5*time.Minute))
	doctortest.Transcript(t, cfg, doctortest.TranscriptOK, "/src/a", "", now.Add(-2*time.Minute))
	doctortest.Transcript(t, cfg, doctortest.Transcript529, "/src/old", "11111111-2222-4333-8444-555555555555", now.Add(-3*time.Hour))

	errs, err := doctor.ReadClaudeErrors(context.Background(), doctor.ClaudeErrorQuery{Since: now.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		code      netcheck.Code
		project   string
		status    int
		network   string
		recovered bool
		symptom   doctor.Symptom
	}
	want := []row{
		{netcheck.Overloaded, "/src/a", 529, "", true, doctor.SymptomOverloaded},
		{netcheck.TCPRefused, "/src/c_d", 0, "ECONNREFUSED", false, doctor.SymptomConnection},
		{netcheck.Overloaded, "/src/b", 529, "", false, doctor.SymptomOverloaded},
		{netcheck.AuthInvalid, "/src/a", 401, "", false, doctor.SymptomAuth},
	}
	if len(errs) != len(want) {
		t.Fatalf("%d rows; want %d: %+v", len(errs), len(want), errs)
	}
	for i, w := range want {
		e := errs[i]
		got := row{e.Code, e.Project, e.Status, e.Network, e.Recovered, e.Symptom()}
		if got != w {
			t.Errorf("row %d = %+v; want %+v", i, got, w)
		}
		if e.Status != 0 && !strings.HasPrefix(e.RequestID, "req_") {
			t.Errorf("row %d: request id %q", i, e.RequestID)
		}
		if !e.Recovered && (e.Attempt != 3 || e.MaxRetries != 2) {
			t.Errorf("row %d: attempt %d of %d; want 3 of 2 retries", i, e.Attempt, e.MaxRetries)
		}
		if e.Version != "2.1.332" || e.Session == "" {
			t.Errorf("row %d: version %q session %q", i, e.Version, e.Session)
		}
	}
	if !strings.Contains(errs[3].Message, "Invalid API key") {
		t.Errorf("the 401's message is %q; want the words Claude Code printed", errs[3].Message)
	}

	// --project: the folder and below, by cwd or by the transcripts' folder.
	only, _ := doctor.ReadClaudeErrors(context.Background(), doctor.ClaudeErrorQuery{Since: now.Add(-time.Hour), Project: "/src/c_d"})
	if len(only) != 1 || only[0].Code != netcheck.TCPRefused {
		t.Errorf("--project /src/c_d: %+v", only)
	}

	sum := doctor.Summarize(errs)
	if sum[0].Code != netcheck.Overloaded || sum[0].Count != 2 || !sum[0].Last.Equal(errs[0].Time) {
		t.Errorf("summary %+v", sum)
	}

	// The JSON row: status null for a network error, network named.
	b, _ := json.Marshal(errs[1])
	for _, s := range []string{`"status":null`, `"network":"ECONNREFUSED"`, `"request_id":null`, `"project":"/src/c_d"`, `"code":"TCP_REFUSED"`, `"claude_code_version":"2.1.332"`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("JSON %s lacks %s", b, s)
		}
	}

	last, ok, err := doctor.NewestClaudeError(context.Background(), time.Hour)
	if err != nil || !ok || last.Code != netcheck.TCPRefused {
		t.Errorf("newest (not recovered) = %+v %v %v; want the refused port", last, ok, err)
	}
	if h := last.Headline(i18n.For("en"), now); !strings.Contains(h, "/src/c_d") || !strings.Contains(h, "ECONNREFUSED") {
		t.Errorf("headline %q", h)
	}
}

func TestReadClaudeErrorsOff(t *testing.T) {
	home := doctortest.Isolate(t)
	doctortest.Transcript(t, filepath.Join(home, ".claude"), doctortest.Transcript529, "/src/b", "", time.Now())
	if err := prefs.Save(prefs.Prefs{CheckInterval: prefs.DefaultCheckInterval, NoTranscripts: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := doctor.ReadClaudeErrors(context.Background(), doctor.ClaudeErrorQuery{}); !errors.Is(err, doctor.ErrTranscriptsOff) {
		t.Errorf("err = %v; want ErrTranscriptsOff", err)
	}
	if r := doctor.RecentErrors(context.Background(), time.Hour); r == nil || !r.Off || r.Count != 0 {
		t.Errorf("RecentErrors = %+v; want off", r)
	}
}

// A request Claude Code stopped retrying (killed mid-retry, then resumed with
// a new prompt that was answered) is a failure, abandoned, not recovered: in
// the row, its JSON and its headline.
func TestReadClaudeErrorsAbandoned(t *testing.T) {
	home := doctortest.Isolate(t)
	cfg := filepath.Join(home, ".claude")
	now := time.Now()
	doctortest.Transcript(t, cfg, doctortest.TranscriptRecover, "/src/rec", "", now.Add(-30*time.Minute))
	doctortest.Transcript(t, cfg, doctortest.TranscriptKilledHup, "/src/hup", "", now.Add(-20*time.Minute))
	doctortest.Transcript(t, cfg, doctortest.TranscriptKilledInt, "/src/int", "", now.Add(-10*time.Minute))
	errs, err := doctor.ReadClaudeErrors(context.Background(), doctor.ClaudeErrorQuery{Since: now.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		project              string
		recovered, abandoned bool
		attempts             int
		json, headlineEN     string
		headlineZH           string
	}{
		{"/src/int", false, true, 3, `"recovered":false,"abandoned":true`, "Claude Code stopped while retrying at", "重试途中停止"},
		{"/src/hup", false, true, 3, `"recovered":false,"abandoned":true`, "Claude Code stopped while retrying at", "重试途中停止"},
		{"/src/rec", true, false, 1, `"recovered":true,"abandoned":false`, "(it worked on retry)", "重试后成功"},
	}
	if len(errs) != len(tests) {
		t.Fatalf("%d rows; want %d: %+v", len(errs), len(tests), errs)
	}
	for i, tt := range tests {
		e := errs[i]
		if e.Project != tt.project || e.Recovered != tt.recovered || e.Abandoned != tt.abandoned || e.Open || e.Attempt != tt.attempts || e.Code != netcheck.Overloaded {
			t.Errorf("row %d = %+v; want %+v", i, e, tt)
		}
		b, _ := json.Marshal(e)
		if !strings.Contains(string(b), tt.json) {
			t.Errorf("row %d: JSON %s lacks %s", i, b, tt.json)
		}
		var back doctor.ClaudeError
		if err := json.Unmarshal(b, &back); err != nil || back.Abandoned != e.Abandoned || back.Recovered != e.Recovered {
			t.Errorf("row %d: read back %+v %v", i, back, err)
		}
		if h := e.Headline(i18n.For("en"), now); !strings.Contains(h, tt.headlineEN) || !strings.Contains(h, "529") {
			t.Errorf("row %d: headline %q", i, h)
		}
		if h := e.Headline(i18n.For("zh"), now); !strings.Contains(h, tt.headlineZH) {
			t.Errorf("row %d: Chinese headline %q", i, h)
		}
	}
	if last, ok, err := doctor.NewestClaudeError(context.Background(), time.Hour); err != nil || !ok || !last.Abandoned || last.Project != "/src/int" {
		t.Errorf("newest = %+v %v %v; want the abandoned request", last, ok, err)
	}
}
