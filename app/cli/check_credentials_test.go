package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"claudemedic/internal/exitcode"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// fullReport is `check --json` with the parts these tests read.
type fullReport struct {
	Verdict string `json:"verdict"`
	Target  struct {
		BaseURL   string  `json:"base_url"`
		Key       *string `json:"key"`
		KeySource string  `json:"key_source"`
		KeyKind   string  `json:"key_kind"`
		KeyLabel  string  `json:"key_label"`
		KeyError  string  `json:"key_error"`
		Shadowed  []struct {
			Label string `json:"label"`
		} `json:"shadowed"`
		Provider *struct {
			Name         string `json:"name"`
			Region       string `json:"region"`
			RegionSource string `json:"region_source"`
			Credentials  string `json:"credentials"`
		} `json:"provider"`
	} `json:"target"`
	Checks []struct {
		ID      string `json:"id"`
		Status  string `json:"status"`
		Summary string `json:"summary"`
	} `json:"checks"`
	Findings []struct {
		Code    string `json:"code"`
		Summary string `json:"summary"`
	} `json:"findings"`
}

func (r fullReport) codes() []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Code)
	}
	return out
}

func (r fullReport) status(id string) string {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

// runCheckJSON runs `check --json` against srv with HOME in a temp dir.
func runCheckJSON(t *testing.T, srv *netchecktest.Server, stdin string, args ...string) (int, fullReport, string) {
	t.Helper()
	testOptions = func(o *netcheck.Options) { o.Resolver = srv.Options().Resolver }
	t.Cleanup(func() { testOptions = nil })
	code, out, errOut := runCLI(t, stdin, append([]string{"check", "--json", "--proxy", "none"}, args...)...)
	var r fullReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	for _, secret := range []string{netchecktest.TestKey, netchecktest.TestToken, netchecktest.RefusedToken} {
		if strings.Contains(out+errOut, secret) {
			t.Fatalf("a whole secret was printed")
		}
	}
	return code, r, out
}

const loginFile = `{"claudeAiOauth":{"accessToken":"` + netchecktest.TestToken + `","refreshToken":"sk-ant-ort01-x","expiresAt":4102444800000,"scopes":["user:inference","user:profile"],"subscriptionType":"max"}}`

// A claude.ai subscriber with nothing but the login /login saved: no
// KEY_MISSING, the login sent as Claude Code sends it, and the API takes it.
func TestCheckSubscriber(t *testing.T) {
	home := isolate(t)
	srv := netchecktest.Start(t, netchecktest.OAuthLogin)
	writeSettings(t, filepath.Join(home, ".claude", ".credentials.json"), loginFile)
	code, r, _ := runCheckJSON(t, srv, "", "--base-url", srv.URL(), "--ca-file", srv.CAFile())
	if code != exitcode.OK || r.Verdict != "ok" || r.Target.KeyLabel != "claude.ai login (Max)" || r.Target.KeyKind != "oauth" ||
		r.Target.KeySource != "credentials file" || r.status("auth") != "pass" || len(r.Findings) > 0 {
		t.Errorf("exit %d, target %+v, findings %v", code, r.Target, r.codes())
	}
}

// A relay user: base URL and token in the settings, as a relay's docs say.
func TestCheckRelayUser(t *testing.T) {
	home := isolate(t)
	srv := netchecktest.Start(t, netchecktest.Healthy)
	writeSettings(t, filepath.Join(home, ".claude", "settings.json"), `{"env": {"ANTHROPIC_BASE_URL": "`+srv.URL()+`", "ANTHROPIC_AUTH_TOKEN": "`+netchecktest.TestToken+`", "NODE_EXTRA_CA_CERTS": "`+srv.CAFile()+`"}}`)
	code, r, _ := runCheckJSON(t, srv, "")
	if code != exitcode.OK || r.Target.KeyLabel != "ANTHROPIC_AUTH_TOKEN" || r.Target.KeyKind != "bearer" || r.Target.BaseURL != srv.URL() || r.status("auth") != "pass" {
		t.Errorf("exit %d, target %+v, findings %v", code, r.Target, r.codes())
	}
}

// A Bedrock user with an SSO profile and a stale Anthropic key in the shell:
// the endpoint is reached, nothing Anthropic is judged, no KEY_MISSING.
func TestCheckBedrockUser(t *testing.T) {
	home := isolate(t)
	srv := netchecktest.Start(t, netchecktest.Healthy)
	writeSettings(t, filepath.Join(home, ".aws", "config"), "[profile work]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\nregion = eu-west-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n")
	t.Setenv("CLAUDE_CODE_USE_BEDROCK", "1")
	t.Setenv("AWS_PROFILE", "work")
	t.Setenv("ANTHROPIC_BEDROCK_BASE_URL", srv.URL())
	t.Setenv("ANTHROPIC_API_KEY", netchecktest.TestKey)
	code, r, _ := runCheckJSON(t, srv, "", "--ca-file", srv.CAFile())
	p := r.Target.Provider
	if code != exitcode.OK || p == nil || p.Name != "bedrock" || p.Region != "eu-west-1" || !strings.Contains(p.Credentials, "AWS_PROFILE=work: AWS SSO") ||
		r.Target.Key != nil || len(r.Target.Shadowed) != 1 || r.Target.Shadowed[0].Label != "ANTHROPIC_API_KEY" {
		t.Fatalf("exit %d, target %+v, findings %v", code, r.Target, r.codes())
	}
	for id, want := range map[string]string{"key": "pass", "dns": "pass", "tcp": "pass", "tls": "pass", "http": "skip", "auth": "skip", "ratelimit": "skip"} {
		if got := r.status(id); got != want {
			t.Errorf("%s: %s, want %s", id, got, want)
		}
	}
	// The table names the provider's endpoint, region and credentials too.
	_, text, _ := runCLI(t, "", "check", "--proxy", "none", "--ca-file", srv.CAFile(), "--lang", "en")
	for _, want := range []string{srv.URL(), "provider Amazon Bedrock (CLAUDE_CODE_USE_BEDROCK)", "region eu-west-1", "credentials AWS_PROFILE=work: AWS SSO"} {
		if !strings.Contains(text, want) {
			t.Errorf("check's table lacks %q:\n%s", want, text)
		}
	}

	// The same with a config file that does not parse: a finding with the line.
	writeSettings(t, filepath.Join(home, ".aws", "config"), "[profile work\nregion = eu-west-1\n")
	code, r, _ = runCheckJSON(t, srv, "", "--ca-file", srv.CAFile())
	if code != exitcode.Down || !slices.Equal(r.codes(), []string{"CLOUD_REGION_MISSING", "CLOUD_CREDENTIALS_MISSING"}) || !strings.Contains(r.Findings[1].Summary, "config line 1 opens a [section] that does not close") {
		t.Errorf("broken AWS config: exit %d, findings %+v", code, r.Findings)
	}
}

// Bad input in the places credentials come from: a finding with a fix, the
// run ends about on time, and nothing is printed whole.
func TestCheckCredentialBadInput(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("apiKeyHelper runs through sh")
	}
	srv := netchecktest.Start(t, netchecktest.Healthy)
	for _, tc := range []struct {
		name   string
		login  string
		helper string
		codes  []string
		says   string
		slow   bool // may take seconds on a loaded machine
	}{
		{name: "a login file that is not JSON", login: `{"claudeAiOauth": {"accessToken": "` + netchecktest.TestToken + `"`, codes: []string{"KEY_MISSING"}, says: "is not valid JSON"},
		{name: "a login file with no claudeAiOauth", login: `{"mcpOAuth": {}}`, codes: []string{"KEY_MISSING"}, says: "no claudeAiOauth"},
		{name: "expiresAt not a number: the login works", login: strings.Replace(loginFile, "4102444800000", `"next week"`, 1)},
		{name: "a helper that never exits", helper: "sleep 600", codes: []string{"KEY_HELPER_FAILED"}, says: "did not finish within 1.0 s"},
		{name: "a helper that prints megabytes", helper: "head -c 8000000 /dev/zero | tr '\\\\0' k", codes: []string{"KEY_HELPER_FAILED"}, says: "printed more than 64 KiB", slow: true},
		{name: "a helper that prints a banner", helper: "echo Welcome; echo " + netchecktest.TestKey, codes: []string{"KEY_HELPER_FAILED"}, says: "it contains a line break at character 8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			home := isolate(t)
			if tc.login != "" {
				writeSettings(t, filepath.Join(home, ".claude", ".credentials.json"), tc.login)
			}
			if tc.helper != "" {
				writeSettings(t, filepath.Join(home, ".claude", "settings.json"), `{"apiKeyHelper": "`+tc.helper+`"}`)
			}
			timeout := "1s"
			if tc.slow {
				timeout = "30s"
			}
			start := time.Now()
			_, r, out := runCheckJSON(t, srv, "", "--base-url", srv.URL(), "--ca-file", srv.CAFile(), "--timeout", timeout)
			t.Logf("the check took %s", time.Since(start).Round(time.Millisecond))
			if !slices.Equal(r.codes(), tc.codes) || tc.says != "" && !strings.Contains(out, tc.says) {
				t.Errorf("findings %+v, want %v saying %q", r.Findings, tc.codes, tc.says)
			}
			if r.status("dns") != "pass" || r.status("http") != "pass" {
				t.Errorf("the network checks did not run: dns %s, http %s", r.status("dns"), r.status("http"))
			}
		})
	}
}

// --key-stdin tests the key given: no apiKeyHelper runs, no login is read.
func TestCheckKeyStdinRunsNoHelper(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("apiKeyHelper runs through sh")
	}
	home := isolate(t)
	srv := netchecktest.Start(t, netchecktest.Healthy)
	marker := filepath.Join(home, "helper-ran")
	writeSettings(t, filepath.Join(home, ".claude", "settings.json"), `{"apiKeyHelper": "touch `+marker+`; echo x"}`)
	writeSettings(t, filepath.Join(home, ".claude", ".credentials.json"), loginFile)
	code, r, _ := runCheckJSON(t, srv, netchecktest.TestKey+"\n", "--key-stdin", "--base-url", srv.URL(), "--ca-file", srv.CAFile())
	if _, err := os.Stat(marker); err == nil || code != exitcode.OK || r.Target.KeySource != "stdin" || len(r.Target.Shadowed) > 0 {
		t.Errorf("helper ran %v, exit %d, target %+v, findings %v", err == nil, code, r.Target, r.codes())
	}
}
