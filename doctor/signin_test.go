package doctor

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/internal/i18n"
)

// TestSignInOf says what Claude Code signs in with for each kind of
// credential and for a cloud provider, in both languages, from the target as
// a report keeps it on disk (TargetView after a JSON round trip, as the tray
// reads the last report).
func TestSignInOf(t *testing.T) {
	expires := time.Date(2026, 11, 21, 18, 0, 0, 0, time.UTC)
	login := claudesettings.Credential{Secret: "sk-ant-oat01-" + strings.Repeat("L", 80) + "-AA", Kind: claudesettings.KindOAuth,
		Source: claudesettings.SourceCredentialsFile, Label: "claude.ai login (Max)", File: "/home/u/.claude/.credentials.json", ExpiresAt: expires}
	key := claudesettings.Credential{Secret: "sk-ant-api03-" + strings.Repeat("K", 80) + "-AA", Kind: claudesettings.KindAPIKey, Source: claudesettings.SourceShell, Var: "ANTHROPIC_API_KEY"}
	when := expires.Local().Format("2006-01-02 15:04") // the front ends show the local time
	for _, tc := range []struct {
		name   string
		target claudesettings.Target
		en, zh string
		has    []string // in Details and Unused, English
		flags  SignIn   // Login, Subscriber, Provider, Missing
	}{
		{"a claude.ai Max subscriber", claudesettings.Target{Credential: login},
			"Signed in with claude.ai (Max)", "已用 claude.ai 登录（Max）",
			[]string{"Its access token expires at " + when, "from Claude Code's .credentials.json, sent as Authorization: Bearer + anthropic-beta: oauth-2025-04-20"},
			SignIn{Login: true, Subscriber: true}},
		{"a login of a plan Claude Medic does not know", claudesettings.Target{Credential: claudesettings.Credential{Secret: login.Secret, Kind: claudesettings.KindOAuth,
			Source: claudesettings.SourceCredentialsFile, Label: "claude.ai login (unknown plan)"}},
			"Signed in with claude.ai (unknown plan)", "已用 claude.ai 登录（未知套餐）", nil, SignIn{Login: true, Subscriber: true}},
		{"a login without a plan", claudesettings.Target{Credential: claudesettings.Credential{Secret: login.Secret, Kind: claudesettings.KindOAuth,
			Source: claudesettings.SourceLoginKeychain, Label: "claude.ai login"}},
			"Signed in with claude.ai", "已用 claude.ai 登录", []string{"from Claude Code's login keychain item"}, SignIn{Login: true, Subscriber: true}},
		{"CLAUDE_CODE_OAUTH_TOKEN", claudesettings.Target{Credential: claudesettings.Credential{Secret: login.Secret, Kind: claudesettings.KindOAuth, Source: claudesettings.SourceShell, Var: "CLAUDE_CODE_OAUTH_TOKEN"}},
			"claude.ai token from CLAUDE_CODE_OAUTH_TOKEN", "来自 CLAUDE_CODE_OAUTH_TOKEN 的 claude.ai 令牌", nil, SignIn{Login: true, Subscriber: true}},
		{"ANTHROPIC_AUTH_TOKEN", claudesettings.Target{Credential: claudesettings.Credential{Secret: "gateway-token-0123456789abcdef", Kind: claudesettings.KindBearer, Source: claudesettings.SourceUserSettings, Var: "ANTHROPIC_AUTH_TOKEN"}},
			"Token from ANTHROPIC_AUTH_TOKEN", "来自 ANTHROPIC_AUTH_TOKEN 的令牌", []string{"from your Claude Code settings, sent as Authorization: Bearer"}, SignIn{}},
		{"ANTHROPIC_API_KEY over the login", claudesettings.Target{Credential: key, Shadowed: []claudesettings.Credential{login}},
			"API key from ANTHROPIC_API_KEY", "来自 ANTHROPIC_API_KEY 的 API 密钥",
			[]string{"claude.ai login (Max) " + claudesettings.MaskKey(login.Secret) + " (Claude Code's .credentials.json): set, not used"}, SignIn{Subscriber: true}},
		{"apiKeyHelper", claudesettings.Target{Credential: claudesettings.Credential{Secret: key.Secret, Kind: claudesettings.KindKeyAndBearer, Source: claudesettings.SourceAPIKeyHelper, Var: "apiKeyHelper"}},
			"API key from apiKeyHelper", "来自 apiKeyHelper 的 API 密钥", []string{"from the apiKeyHelper command, sent as x-api-key + Authorization: Bearer"}, SignIn{}},
		{"the key a Console /login saved", claudesettings.Target{Credential: claudesettings.Credential{Secret: key.Secret, Kind: claudesettings.KindAPIKey, Source: claudesettings.SourceStateFile,
			Var: "primaryApiKey", Label: "the API key /login saved"}},
			"API key saved by Claude Code's /login (Claude Console)", "Claude Code 的 /login 保存的 API 密钥（Claude Console）", []string{"from Claude Code's .claude.json, sent as x-api-key"}, SignIn{}},
		{"a failing apiKeyHelper", claudesettings.Target{Credential: claudesettings.Credential{Kind: claudesettings.KindKeyAndBearer, Source: claudesettings.SourceAPIKeyHelper, Var: "apiKeyHelper",
			Err: errors.New("exited 1: SSO session expired")}},
			"apiKeyHelper cannot be used", "apiKeyHelper 无法使用", []string{"exited 1: SSO session expired"}, SignIn{Missing: true}},
		{"nothing at all", claudesettings.Target{}, "Not signed in: no claude.ai login or API key", "未登录：没有 claude.ai 登录，也没有 API 密钥", nil, SignIn{Missing: true}},
		{"Amazon Bedrock", claudesettings.Target{Shadowed: []claudesettings.Credential{key}, Provider: claudesettings.Provider{Name: claudesettings.ProviderBedrock, Var: "CLAUDE_CODE_USE_BEDROCK", Source: claudesettings.SourceShell,
			Region:      claudesettings.Setting{Value: "us-east-1", Source: claudesettings.SourceShell},
			Endpoint:    claudesettings.Setting{Value: "https://bedrock-runtime.us-east-1.amazonaws.com", Source: claudesettings.SourceShell},
			Credentials: claudesettings.Setting{Value: "AWS_PROFILE=work: AWS SSO in /home/u/.aws/config", Source: claudesettings.SourceShell}}},
			"Amazon Bedrock, us-east-1", "Amazon Bedrock，us-east-1",
			[]string{"Endpoint: https://bedrock-runtime.us-east-1.amazonaws.com", "Region: us-east-1 (your shell profile", "Credentials: AWS_PROFILE=work: AWS SSO in /home/u/.aws/config",
				"ANTHROPIC_API_KEY " + claudesettings.MaskKey(key.Secret) + " (your shell profile (~/.bashrc, ~/.zshrc or ~/.profile)): set, not used"}, SignIn{Provider: true}},
		{"Vertex at its default region, through a gateway that signs", claudesettings.Target{Provider: claudesettings.Provider{Name: claudesettings.ProviderVertex, Var: "CLAUDE_CODE_USE_VERTEX",
			Region:   claudesettings.Setting{Value: "us-east5", Source: claudesettings.SourceDefault},
			Endpoint: claudesettings.Setting{Value: "https://gw.example.com/vertex", Source: claudesettings.SourceUserSettings}, SkipAuth: true}},
			"Google Vertex AI, us-east5", "Google Vertex AI，us-east5",
			[]string{"Region: us-east5 (Claude Code's default: none is set)", "Credentials: not needed here (a gateway signs the requests)"}, SignIn{Provider: true}},
		{"Foundry without an endpoint", claudesettings.Target{Provider: claudesettings.Provider{Name: claudesettings.ProviderFoundry, Var: "CLAUDE_CODE_USE_FOUNDRY"}},
			"Microsoft Foundry", "Microsoft Foundry",
			[]string{"Endpoint: none (set ANTHROPIC_FOUNDRY_RESOURCE or ANTHROPIC_FOUNDRY_BASE_URL)", "Credentials: none found where Claude Code looks"}, SignIn{Provider: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data, err := json.Marshal(tc.target.View())
			if err != nil {
				t.Fatal(err)
			}
			var view claudesettings.TargetView // as the tray reads the last report
			if err := json.Unmarshal(data, &view); err != nil {
				t.Fatal(err)
			}
			en, zh := SignInOf(i18n.For("en"), view), SignInOf(i18n.For("zh"), view)
			if en.Line != tc.en || zh.Line != tc.zh {
				t.Errorf("Line: %q / %q, want %q / %q", en.Line, zh.Line, tc.en, tc.zh)
			}
			if en.Login != tc.flags.Login || en.Subscriber != tc.flags.Subscriber || en.Provider != tc.flags.Provider || en.Missing != tc.flags.Missing {
				t.Errorf("login %v subscriber %v provider %v missing %v, want %+v", en.Login, en.Subscriber, en.Provider, en.Missing, tc.flags)
			}
			all := strings.Join(slices.Concat(en.Details, en.Unused), "\n")
			for _, want := range tc.has {
				if !strings.Contains(all, want) {
					t.Errorf("the details lack %q:\n%s", want, all)
				}
			}
			if len(zh.Details) != len(en.Details) || len(zh.Unused) != len(en.Unused) {
				t.Errorf("the Chinese details differ in number: %q / %q", zh.Details, en.Details)
			}
			for _, c := range append([]claudesettings.Credential{tc.target.Credential}, tc.target.Shadowed...) {
				if c.Secret != "" && (strings.Contains(all, c.Secret) || strings.Contains(strings.Join(zh.Details, ""), c.Secret)) {
					t.Errorf("a secret shows whole:\n%s", all)
				}
			}
		})
	}
}

// TestSignInOfOldReport: a last report written before credentials had names
// (no key_label, as DESIGN's first schema-1 example) still reads well.
func TestSignInOfOldReport(t *testing.T) {
	var view claudesettings.TargetView
	if err := json.Unmarshal([]byte(`{"base_url": "https://api.anthropic.com", "base_url_source": "default", "proxy": null, "ca_file": null, "key": "sk-ant-api03-…Wx9Q", "key_source": "keychain"}`), &view); err != nil {
		t.Fatal(err)
	}
	if got := SignInOf(i18n.For("en"), view).Line; got != "API key from the keychain" {
		t.Errorf("Line %q", got)
	}
}
