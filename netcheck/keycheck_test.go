package netcheck_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// The key check's verdict and words for each kind of credential setup.
func TestKeyCheck(t *testing.T) {
	const (
		key   = netchecktest.TestKey
		token = netchecktest.TestToken
	)
	login := claudesettings.Credential{Secret: token, Kind: claudesettings.KindOAuth, Source: claudesettings.SourceCredentialsFile,
		Label: "claude.ai login (Max)", File: "/home/u/.claude/.credentials.json", ExpiresAt: time.Date(2020, 1, 2, 3, 4, 0, 0, time.UTC)}
	apiKey := claudesettings.Credential{Secret: key, Kind: claudesettings.KindAPIKey, Source: claudesettings.SourceShell, Var: "ANTHROPIC_API_KEY"}
	brokenLogin := claudesettings.Credential{Kind: claudesettings.KindOAuth, Source: claudesettings.SourceCredentialsFile, Label: "claude.ai login",
		Err: errors.New("/home/u/.claude/.credentials.json is not valid JSON (line 1: unexpected end of JSON input), so Claude Code sees no login")}
	aws := claudesettings.Provider{Name: claudesettings.ProviderBedrock, Var: "CLAUDE_CODE_USE_BEDROCK", Source: claudesettings.SourceShell,
		Region: claudesettings.Setting{Value: "eu-west-1", Source: claudesettings.SourceShell}, Endpoint: claudesettings.Setting{Value: "https://bedrock-runtime.eu-west-1.amazonaws.com", Source: claudesettings.SourceShell},
		Credentials: claudesettings.Setting{Value: "AWS_PROFILE=work: AWS SSO in /home/u/.aws/config", Source: claudesettings.SourceShell}}
	for _, tc := range []struct {
		name   string
		target claudesettings.Target
		status netcheck.Status
		codes  []netcheck.Code
		says   []string // parts of the summary (English)
		saysZH []string
	}{
		{name: "a subscriber", target: claudesettings.Target{Credential: login}, status: netcheck.StatusPass,
			says:   []string{"claude.ai login (Max) sk-ant-oat01", "sent as Authorization: Bearer + anthropic-beta: oauth-2025-04-20", "expired at 2020-01-02 03:04 UTC", "renews it by itself"},
			saysZH: []string{"claude.ai login (Max)", "已于 2020-01-02 03:04 UTC 过期"}},
		{name: "a subscriber through a relay", target: claudesettings.Target{Credential: login, BaseURL: claudesettings.Setting{Value: "https://relay.example.net/api"}}, status: netcheck.StatusPass,
			says: []string{"to relay.example.net (Claude Code sends the login to ANTHROPIC_BASE_URL too)"}},
		{name: "a stale key over a login", target: claudesettings.Target{Credential: apiKey, Shadowed: []claudesettings.Credential{login}}, status: netcheck.StatusWarn,
			codes: []netcheck.Code{netcheck.KeyOverridesLogin}, says: []string{"ANTHROPIC_API_KEY sk-ant-api03", "(shell) takes precedence over your claude.ai login (Max)"}},
		{name: "an auth conflict", target: claudesettings.Target{Credential: claudesettings.Credential{Secret: netchecktest.RefusedToken, Kind: claudesettings.KindBearer, Source: claudesettings.SourceUserSettings, Var: "ANTHROPIC_AUTH_TOKEN"},
			Shadowed: []claudesettings.Credential{apiKey}}, status: netcheck.StatusWarn, codes: []netcheck.Code{netcheck.AuthConflict},
			says: []string{"ANTHROPIC_AUTH_TOKEN gateway-toke", "(user settings env) and ANTHROPIC_API_KEY sk-ant-api03", "(shell) are both set"}},
		{name: "a helper failing over a login", target: claudesettings.Target{Credential: claudesettings.Credential{Kind: claudesettings.KindKeyAndBearer, Source: claudesettings.SourceAPIKeyHelper, Var: "apiKeyHelper",
			File: "/home/u/.claude/settings.json", Err: errors.New("exited 1: error: SSO session expired")}, Shadowed: []claudesettings.Credential{login}},
			status: netcheck.StatusFail, codes: []netcheck.Code{netcheck.KeyOverridesLogin, netcheck.KeyHelperFailed},
			says: []string{"apiKeyHelper (/home/u/.claude/settings.json) gives no usable key: exited 1: error: SSO session expired."}},
		{name: "nothing at all", target: claudesettings.Target{}, status: netcheck.StatusFail, codes: []netcheck.Code{netcheck.KeyMissing},
			says: []string{"Not logged in · Please run /login"}},
		{name: "a broken login file, and a key in the keychain", target: claudesettings.Target{Credential: brokenLogin, UnusedKeychainKey: true}, status: netcheck.StatusFail,
			codes: []netcheck.Code{netcheck.KeyMissing}, says: []string{"is not valid JSON", "Claude Medic's keychain holds a key, but Claude Code does not read it", "claudemedic key use-with-claude-code"}},
		{name: "a key, a broken login below it and an unused keychain key", target: claudesettings.Target{Credential: apiKey, Shadowed: []claudesettings.Credential{brokenLogin}, UnusedKeychainKey: true},
			status: netcheck.StatusPass, says: []string{"Also set, and not used: claude.ai login (credentials file): ", "not valid JSON", "Claude Medic's keychain holds a key that Claude Code does not read"}},
		{name: "an API key in CLAUDE_CODE_OAUTH_TOKEN", target: claudesettings.Target{Credential: claudesettings.Credential{Secret: key, Kind: claudesettings.KindOAuth, Source: claudesettings.SourceShell, Var: "CLAUDE_CODE_OAUTH_TOKEN"}},
			status: netcheck.StatusFail, codes: []netcheck.Code{netcheck.KeyWrongKind}},
		{name: "an OAuth token from apiKeyHelper", target: claudesettings.Target{Credential: claudesettings.Credential{Secret: token, Kind: claudesettings.KindKeyAndBearer, Source: claudesettings.SourceAPIKeyHelper, Var: "apiKeyHelper"}},
			status: netcheck.StatusFail, codes: []netcheck.Code{netcheck.KeyWrongKind}},
		{name: "Bedrock with SSO, a key left unused", target: claudesettings.Target{Provider: aws, Shadowed: []claudesettings.Credential{apiKey}}, status: netcheck.StatusPass,
			says: []string{"Amazon Bedrock (CLAUDE_CODE_USE_BEDROCK, shell): Claude Code calls https://bedrock-runtime.eu-west-1.amazonaws.com, region eu-west-1 (shell); credentials: AWS_PROFILE=work", "Not used with Amazon Bedrock: ANTHROPIC_API_KEY sk-ant-api03"}},
		{name: "Bedrock without credentials", target: claudesettings.Target{Provider: func() claudesettings.Provider {
			p := aws
			p.Credentials, p.CredentialsProblem = claudesettings.Setting{}, "/home/u/.aws/config line 3 opens a [section] that does not close"
			return p
		}()}, status: netcheck.StatusFail, codes: []netcheck.Code{netcheck.CloudCredentialsMissing},
			says: []string{"Amazon Bedrock is selected (CLAUDE_CODE_USE_BEDROCK, shell), but its credentials are nowhere Claude Code looks", "line 3 opens a [section]"}},
		{name: "Bedrock without a region", target: claudesettings.Target{Provider: func() claudesettings.Provider {
			p := aws
			p.Region = claudesettings.Setting{Value: "us-east-1", Source: claudesettings.SourceDefault}
			return p
		}()}, status: netcheck.StatusWarn, codes: []netcheck.Code{netcheck.CloudRegionMissing}, says: []string{"Claude Code calls us-east-1, its default", "Set AWS_REGION"}},
		{name: "Bedrock through a gateway that signs, no region", target: claudesettings.Target{Provider: func() claudesettings.Provider {
			p := aws
			p.Region, p.SkipAuth, p.Credentials = claudesettings.Setting{Value: "us-east-1", Source: claudesettings.SourceDefault}, true, claudesettings.Setting{}
			return p
		}()}, status: netcheck.StatusPass, says: []string{"a gateway signs the requests"}},
		{name: "Foundry with no resource", target: claudesettings.Target{Provider: claudesettings.Provider{Name: claudesettings.ProviderFoundry, Var: "CLAUDE_CODE_USE_FOUNDRY", Source: claudesettings.SourceShell,
			Credentials: claudesettings.Setting{Value: "ANTHROPIC_FOUNDRY_API_KEY"}}}, status: netcheck.StatusFail, codes: []netcheck.Code{netcheck.CloudRegionMissing},
			says: []string{"neither ANTHROPIC_FOUNDRY_RESOURCE nor ANTHROPIC_FOUNDRY_BASE_URL is set"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := netcheck.Run(context.Background(), tc.target, netcheck.Options{Only: []netcheck.CheckID{netcheck.CheckKey}})
			c, _ := r.Check(netcheck.CheckKey)
			var codes []netcheck.Code
			for _, f := range r.Findings {
				codes = append(codes, f.Code)
				if f.Summary.EN == "" || f.Summary.ZH == "" || f.Fix.EN == "" || f.Fix.ZH == "" {
					t.Errorf("%s: a text is empty", f.Code)
				}
			}
			if c.Status != tc.status || !slices.Equal(codes, tc.codes) {
				t.Errorf("status %s, codes %v; want %s, %v", c.Status, codes, tc.status, tc.codes)
			}
			text := c.Summary.EN
			for _, f := range r.Findings {
				text += "\n" + f.Summary.EN
			}
			for _, want := range tc.says {
				if !strings.Contains(text, want) {
					t.Errorf("the key check does not say %q:\n%s", want, text)
				}
			}
			for _, want := range tc.saysZH {
				if !strings.Contains(c.Summary.ZH, want) {
					t.Errorf("the key check does not say %q:\n%s", want, c.Summary.ZH)
				}
			}
			b, _ := json.Marshal(r)
			for _, secret := range []string{key, token, netchecktest.RefusedToken} {
				if strings.Contains(string(b), secret) {
					t.Errorf("the report holds a whole secret")
				}
			}
		})
	}
}

// The report's target names the winner, what it hides and the provider, masked.
func TestTargetViewCredentials(t *testing.T) {
	tg := claudesettings.Target{
		Credential: claudesettings.Credential{Secret: netchecktest.TestKey, Kind: claudesettings.KindAPIKey, Source: claudesettings.SourceShell, Var: "ANTHROPIC_API_KEY"},
		Shadowed: []claudesettings.Credential{
			{Secret: netchecktest.TestToken, Kind: claudesettings.KindOAuth, Source: claudesettings.SourceCredentialsFile, Label: "claude.ai login (Max)", ExpiresAt: time.UnixMilli(1767225600000)},
			{Kind: claudesettings.KindKeyAndBearer, Source: claudesettings.SourceAPIKeyHelper, Var: "apiKeyHelper", Err: errors.New("exited 1")},
		},
		UnusedKeychainKey: true,
	}
	b, err := json.Marshal(tg.View())
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Key      string `json:"key"`
		Label    string `json:"key_label"`
		Kind     string `json:"key_kind"`
		Shadowed []struct {
			Key       *string `json:"key"`
			Label     string  `json:"label"`
			Source    string  `json:"source"`
			ExpiresAt string  `json:"expires_at"`
			Error     string  `json:"error"`
		} `json:"shadowed"`
		Unused   bool            `json:"unused_keychain_key"`
		Provider json.RawMessage `json:"provider"`
	}
	json.Unmarshal(b, &v)
	if v.Label != "ANTHROPIC_API_KEY" || v.Kind != "api-key" || !v.Unused || len(v.Shadowed) != 2 || v.Provider != nil {
		t.Fatalf("view %s", b)
	}
	if s := v.Shadowed[0]; s.Key == nil || !strings.HasPrefix(*s.Key, "sk-ant-oat01") || s.Label != "claude.ai login (Max)" || s.ExpiresAt != "2026-01-01T00:00:00Z" {
		t.Errorf("shadowed login %+v", s)
	}
	if s := v.Shadowed[1]; s.Key != nil || s.Error != "exited 1" || s.Label != "apiKeyHelper" {
		t.Errorf("shadowed helper %+v", s)
	}
	if strings.Contains(string(b), netchecktest.TestKey) || strings.Contains(string(b), netchecktest.TestToken) {
		t.Errorf("the view holds a secret: %s", b)
	}

	tg = claudesettings.Target{Provider: claudesettings.Provider{Name: claudesettings.ProviderBedrock, Var: "CLAUDE_CODE_USE_BEDROCK", Source: claudesettings.SourceShell,
		Region: claudesettings.Setting{Value: "us-east-1", Source: claudesettings.SourceDefault}, Endpoint: claudesettings.Setting{Value: "https://u:pw@gw.corp/bedrock"}}}
	b, _ = json.Marshal(tg.View())
	if !strings.Contains(string(b), `"provider":{"name":"bedrock","var":"CLAUDE_CODE_USE_BEDROCK","region":"us-east-1","region_source":"default","endpoint":"https://u:xxxxx@gw.corp/bedrock"`) ||
		strings.Contains(string(b), "api.anthropic.com") {
		t.Errorf("provider view %s", b)
	}
}

// With a cloud provider the endpoint is reached, its answer is not judged,
// and no Anthropic credential goes to it.
func TestProviderRun(t *testing.T) {
	srv := netchecktest.Start(t, netchecktest.CloudCredentialsMissing)
	tg := srv.Target()
	tg.Shadowed = []claudesettings.Credential{{Secret: netchecktest.TestKey, Kind: claudesettings.KindAPIKey, Source: claudesettings.SourceShell, Var: "ANTHROPIC_API_KEY"}}
	if hs := tg.CredentialHeaders(); hs != nil {
		t.Errorf("headers for a provider: %v", hs)
	}
	r := netcheck.Run(context.Background(), tg, srv.Options())
	for id, want := range map[netcheck.CheckID]netcheck.Status{netcheck.CheckDNS: netcheck.StatusPass, netcheck.CheckTCP: netcheck.StatusPass, netcheck.CheckTLS: netcheck.StatusPass,
		netcheck.CheckHTTP: netcheck.StatusSkip, netcheck.CheckAuth: netcheck.StatusSkip, netcheck.CheckRateLimit: netcheck.StatusSkip, netcheck.CheckKey: netcheck.StatusFail} {
		if c, _ := r.Check(id); c.Status != want {
			t.Errorf("%s: %s (%s), want %s", id, c.Status, c.Summary.EN, want)
		}
	}
	// Foundry with no endpoint: nothing to reach.
	r = netcheck.Run(context.Background(), claudesettings.Target{Provider: claudesettings.Provider{Name: claudesettings.ProviderFoundry, Var: "CLAUDE_CODE_USE_FOUNDRY"}}, srv.Options())
	if c, _ := r.Check(netcheck.CheckDNS); c.Status != netcheck.StatusSkip || r.Target.BaseURL != "" {
		t.Errorf("dns %s, base URL %q", c.Status, r.Target.BaseURL)
	}
}

// A key sent beside the winner is checked too: Claude Code fails the
// request on it ("Invalid X-Api-Key header value from ANTHROPIC_API_KEY").
func TestKeyCheckSentBeside(t *testing.T) {
	tg := claudesettings.Target{
		Credential: claudesettings.Credential{Secret: netchecktest.TestToken, Kind: claudesettings.KindBearer, Source: claudesettings.SourceShell, Var: "ANTHROPIC_AUTH_TOKEN"},
		Shadowed:   []claudesettings.Credential{{Secret: netchecktest.TestKey + "\n", Kind: claudesettings.KindAPIKey, Source: claudesettings.SourceShell, Var: "ANTHROPIC_API_KEY"}},
	}
	r := netcheck.Run(context.Background(), tg, netcheck.Options{Only: []netcheck.CheckID{netcheck.CheckKey}})
	var codes []netcheck.Code
	for _, f := range r.Findings {
		codes = append(codes, f.Code)
	}
	if !slices.Equal(codes, []netcheck.Code{netcheck.KeyMalformed}) || !strings.Contains(r.Findings[0].Summary.EN, "ANTHROPIC_API_KEY sk-ant-api03") ||
		!strings.Contains(r.Findings[0].Summary.EN, "sent beside ANTHROPIC_AUTH_TOKEN") {
		t.Errorf("findings %+v", r.Findings)
	}
	if hs := tg.CredentialHeaders(); len(hs) != 1 || hs[0].Name != "Authorization" {
		t.Errorf("a value no header can carry went in: %v", hs)
	}
	// Under an OAuth winner nothing else is sent, so nothing else is judged.
	tg.Credential.Kind = claudesettings.KindOAuth
	if r := netcheck.Run(context.Background(), tg, netcheck.Options{Only: []netcheck.CheckID{netcheck.CheckKey}}); len(r.Findings) != 0 {
		t.Errorf("findings %+v", r.Findings)
	}
}
