package netcheck_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// The request the check sends is the one Claude Code 2.1.332 sends (measured
// against a logging fake): path and ?beta=true, version, betas, user agent,
// x-app, the model, and the credential headers. Cases without generate run
// with the generating request off (the preference), as on the first-party
// API: count_tokens first.
func TestRequestShape(t *testing.T) {
	const (
		countAPIKey   = "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,token-counting-2024-11-01"
		countOAuth    = "claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14,context-management-2025-06-27,token-counting-2024-11-01"
		countReduced  = "claude-code-20250219,interleaved-thinking-2025-05-14,token-counting-2024-11-01"
		messagesFull  = "claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,per-turn-control-2026-07-01,mid-conversation-tool-changes-2026-07-01,thinking-token-count-2026-05-13,advanced-tool-use-2025-11-20,effort-2025-11-24"
		messagesOAuth = "claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14,context-management-2025-06-27,per-turn-control-2026-07-01,mid-conversation-tool-changes-2026-07-01,thinking-token-count-2026-05-13,advanced-tool-use-2025-11-20,effort-2025-11-24,extended-cache-ttl-2025-04-11"
		messagesLess  = "claude-code-20250219,interleaved-thinking-2025-05-14,effort-2025-11-24"
	)
	otherKey := strings.Replace(netchecktest.TestKey, "netchecktest", "shadowedkey0", 1)
	tests := []struct {
		name     string
		sc       netchecktest.Scenario
		edit     func(*claudesettings.Target, *netcheck.Options)
		paths    []string // the requests sent, in order
		betas    []string
		model    string
		apiKey   string // the x-api-key header of the first request
		bearer   string // its Authorization header
		wantFail netcheck.Code
		generate bool // the default on a relay: one streamed POST /v1/messages
	}{
		{name: "a relay, by default: one streamed POST /v1/messages of Claude Code's shape", sc: netchecktest.Healthy, generate: true,
			paths: []string{"/v1/messages?beta=true"}, betas: []string{messagesFull}, model: netcheck.DefaultModel, apiKey: netchecktest.TestKey},
		{name: "a relay, by default, OAuth token: the oauth beta and the extended cache beta", sc: netchecktest.OAuthToken, generate: true,
			paths: []string{"/v1/messages?beta=true"}, betas: []string{messagesOAuth}, model: netcheck.DefaultTokenOnlyModel, bearer: "Bearer " + netchecktest.TestToken},
		{name: "a relay, by default, a gateway that drops experimental betas", sc: netchecktest.BetaExperimentalRejected, generate: true,
			paths: []string{"/v1/messages?beta=true", "/v1/messages?beta=true"}, betas: []string{messagesFull, messagesLess},
			model: netcheck.DefaultModel, apiKey: netchecktest.TestKey},
		{name: "api key on the first-party shape: count_tokens only", sc: netchecktest.Healthy,
			paths: []string{"/v1/messages/count_tokens?beta=true"}, betas: []string{countAPIKey}, model: netcheck.DefaultModel, apiKey: netchecktest.TestKey},
		{name: "ANTHROPIC_AUTH_TOKEN: Bearer, no oauth beta", sc: netchecktest.Healthy,
			edit: func(t *claudesettings.Target, _ *netcheck.Options) {
				t.Credential = claudesettings.Credential{Secret: netchecktest.TestToken, Kind: claudesettings.KindBearer, Var: "ANTHROPIC_AUTH_TOKEN"}
			},
			paths: []string{"/v1/messages/count_tokens?beta=true"}, betas: []string{countAPIKey}, model: netcheck.DefaultModel, bearer: "Bearer " + netchecktest.TestToken},
		{name: "a token shadowing an API key: both headers, as Claude Code 2.1.330 sent them", sc: netchecktest.Healthy,
			edit: func(t *claudesettings.Target, _ *netcheck.Options) {
				t.Credential = claudesettings.Credential{Secret: netchecktest.TestToken, Kind: claudesettings.KindBearer, Var: "ANTHROPIC_AUTH_TOKEN"}
				t.Shadowed = []claudesettings.Credential{{Secret: otherKey, Kind: claudesettings.KindAPIKey, Var: "ANTHROPIC_API_KEY"}}
			},
			paths: []string{"/v1/messages/count_tokens?beta=true"}, betas: []string{countAPIKey}, model: netcheck.DefaultModel,
			apiKey: otherKey, bearer: "Bearer " + netchecktest.TestToken},
		{name: "CLAUDE_CODE_OAUTH_TOKEN: Bearer, the oauth beta, Claude Code's default for it", sc: netchecktest.OAuthToken,
			paths: []string{"/v1/messages/count_tokens?beta=true"}, betas: []string{countOAuth}, model: netcheck.DefaultTokenOnlyModel, bearer: "Bearer " + netchecktest.TestToken},
		{name: "OAuth token, stream: Claude Code's system prompt", sc: netchecktest.OAuthToken,
			edit:  func(_ *claudesettings.Target, o *netcheck.Options) { o.Stream = true },
			paths: []string{"/v1/messages/count_tokens?beta=true", "/v1/messages?beta=true"}, betas: []string{countOAuth, messagesOAuth},
			model: netcheck.DefaultTokenOnlyModel, bearer: "Bearer " + netchecktest.TestToken},
		{name: "a saved login: the default model; its 401 asked again once, as Claude Code retries a 401", sc: netchecktest.LoginExpired,
			paths: []string{"/v1/messages/count_tokens?beta=true", "/v1/messages/count_tokens?beta=true"}, betas: []string{countOAuth, countOAuth}, model: netcheck.DefaultModel,
			bearer: "Bearer " + netchecktest.TestToken, wantFail: netcheck.LoginExpired},
		{name: "an OAuth token sent without the oauth beta is refused, as by the real API", sc: netchecktest.OAuthToken,
			edit:  func(t *claudesettings.Target, _ *netcheck.Options) { t.Credential.Kind = claudesettings.KindBearer },
			paths: []string{"/v1/messages/count_tokens?beta=true", "/v1/messages/count_tokens?beta=true"}, betas: []string{countAPIKey, countAPIKey}, model: netcheck.DefaultModel,
			bearer: "Bearer " + netchecktest.TestToken, wantFail: netcheck.AuthInvalid},
		{name: "ANTHROPIC_MODEL alias and experimental betas off", sc: netchecktest.Healthy,
			edit: func(t *claudesettings.Target, _ *netcheck.Options) {
				t.Model, t.DisableBetas = flag("sonnet"), flag("1")
			},
			paths: []string{"/v1/messages/count_tokens?beta=true"}, betas: []string{countReduced}, model: "claude-sonnet-5-5", apiKey: netchecktest.TestKey},
		{name: "a relay without count_tokens: one POST /v1/messages", sc: netchecktest.RelayMessagesOnly,
			paths: []string{"/v1/messages/count_tokens?beta=true", "/v1/messages?beta=true"}, betas: []string{countAPIKey, messagesFull},
			model: netcheck.DefaultModel, apiKey: netchecktest.TestKey},
		{name: "a relay without count_tokens, stream check", sc: netchecktest.RelayMessagesOnly,
			edit:  func(_ *claudesettings.Target, o *netcheck.Options) { o.Stream = true },
			paths: []string{"/v1/messages/count_tokens?beta=true", "/v1/messages?beta=true", "/v1/messages?beta=true"},
			betas: []string{countAPIKey, messagesFull, messagesFull}, model: netcheck.DefaultModel, apiKey: netchecktest.TestKey},
		{name: "a gateway that drops experimental betas: retried with the essential ones", sc: netchecktest.BetaExperimentalRejected,
			paths: []string{"/v1/messages/count_tokens?beta=true", "/v1/messages?beta=true"}, betas: []string{countAPIKey, messagesLess},
			model: netcheck.DefaultModel, apiKey: netchecktest.TestKey},
		{name: "the first-party host never gets POST /v1/messages", sc: netchecktest.TLSIntercepted, generate: true,
			paths: []string{"/v1/messages/count_tokens?beta=true"}, betas: []string{countAPIKey}, model: netcheck.DefaultModel, apiKey: netchecktest.TestKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := netchecktest.Start(t, tt.sc)
			target, opts := srv.Target(), srv.Options()
			opts.NoGenerate = !tt.generate
			if tt.edit != nil {
				tt.edit(&target, &opts)
			}
			r := netcheck.Run(context.Background(), target, opts)
			if got := fails(r); tt.wantFail == "" && len(got) > 0 || tt.wantFail != "" && !slices.Equal(got, []netcheck.Code{tt.wantFail}) {
				t.Errorf("fails %v, want %v", got, tt.wantFail)
			}
			reqs := srv.Requests()
			var paths, betas []string
			for _, q := range reqs {
				paths, betas = append(paths, q.Path), append(betas, q.Header.Get("anthropic-beta"))
				if q.Method != "POST" || q.Header.Get("anthropic-version") != "2023-06-01" || q.Header.Get("User-Agent") != "claude-cli/2.1.332 (external, sdk-cli)" ||
					q.Header.Get("x-app") != "cli" || q.Header.Get("Content-Type") != "application/json" {
					t.Errorf("%s %s: headers %v", q.Method, q.Path, q.Header)
				}
				var body struct {
					Model     string `json:"model"`
					MaxTokens *int   `json:"max_tokens"`
					System    []struct {
						Text string `json:"text"`
					} `json:"system"`
				}
				if err := json.Unmarshal(q.Body, &body); err != nil || body.Model != tt.model {
					t.Errorf("%s: body %s, want model %s", q.Path, q.Body, tt.model)
				}
				if strings.HasPrefix(q.Path, "/v1/messages?") && (body.MaxTokens == nil || *body.MaxTokens != 1 ||
					len(body.System) < 2 || !strings.HasPrefix(body.System[0].Text, "x-anthropic-billing-header: cc_version=2.1.332") ||
					body.System[1].Text != netcheck.AgentSDKSystemPrompt) {
					t.Errorf("%s: body %s, want max_tokens 1 and Claude Code's system prompt", q.Path, q.Body)
				}
			}
			if !slices.Equal(paths, tt.paths) || !slices.Equal(betas, tt.betas) {
				t.Errorf("sent %q with betas %q, want %q with %q", paths, betas, tt.paths, tt.betas)
			}
			if len(reqs) > 0 && (reqs[0].Header.Get("x-api-key") != tt.apiKey || reqs[0].Header.Get("Authorization") != tt.bearer) {
				t.Errorf("credential headers x-api-key %q, Authorization %q", claudesettings.MaskKey(reqs[0].Header.Get("x-api-key")), claudesettings.MaskKey(reqs[0].Header.Get("Authorization")))
			}
		})
	}
}

func TestModelFor(t *testing.T) {
	for in, want := range map[string]string{
		"": netcheck.DefaultModel, "opus": "claude-opus-5-5", "Sonnet": "claude-sonnet-5-5", "haiku": "claude-haiku-5-5",
		"opus[1m]": "claude-opus-5-5", "opusplan": "claude-sonnet-5-5", "claude-opus-4-9-lab": "claude-opus-4-9-lab",
		"deepseek-chat[1m]": "deepseek-chat", " kimi-k2 ": "kimi-k2",
	} {
		if got := netcheck.ModelFor(claudesettings.Target{Model: flag(in)}); got != want {
			t.Errorf("ModelFor(%q) = %q, want %q", in, got, want)
		}
	}
}

// ParseBaseURL and CheckBaseURL are the one rule for ANTHROPIC_BASE_URL:
// claudecfg's value check (config show, config set) says the same as the
// config check of a run, for the same values.
func TestBaseURLOneRule(t *testing.T) {
	tests := []struct {
		raw    string
		usable bool          // ParseBaseURL accepts it (Claude Code does not say "Invalid URL")
		code   netcheck.Code // what the config check finds: "" for nothing
	}{
		{"https://api.anthropic.com", true, ""},
		{"  https://relay.example.com/  ", true, ""}, // Claude Code trims white space (measured)
		{"HTTP://127.0.0.1:3456", true, ""},
		{"https://api.example.com/anthropic", true, ""},
		{"https://relay.example.com/v1", true, netcheck.BaseURLPath},
		{"https://relay.example.com/api/v1/", true, netcheck.BaseURLPath},
		{"https://relay.example.com/v1/messages", true, netcheck.BaseURLPath},
		{"https://relay.example.com?token=abc", true, netcheck.BaseURLPath},
		{"https://relay.example.com/?", true, netcheck.BaseURLPath},
		{"https://relay.example.com#top", true, netcheck.BaseURLPath},
		{"https://relay.example.com/#", true, netcheck.BaseURLPath},
		{"https://user:pa%40ss@relay.example.com", true, netcheck.BaseURLCredentials},
		{"https://relay example.com", false, netcheck.ConfigInvalid},
		{"https://relay.example.com/a b", true, ""}, // sent as /a%20b (measured)
		{"https://relay.example.com\t", true, ""},
		{"https://relay.exa\tmple.com/\n", true, ""}, // tabs and line breaks inside are dropped
		{"https://my_relay.lan:8080", true, ""},
		{"https://réseau.example", true, ""},
		{"https://re\u00a0lay.example.com", false, netcheck.ConfigInvalid},
		{"relay.example.com", false, netcheck.ConfigInvalid},
		{"ftp://relay.example.com", false, netcheck.ConfigInvalid},
		{"https://", false, netcheck.ConfigInvalid},
		{"https://:443", false, netcheck.ConfigInvalid},
		{"https://relay.example.com:", true, ""}, // an empty port is the default one
		{"https://relay.example.com:3456:", false, netcheck.ConfigInvalid},
		{"https://relay.example.com:0", false, netcheck.ConfigInvalid},
		{"https://relay.example.com:99999", false, netcheck.ConfigInvalid},
		{"https://[::1", false, netcheck.ConfigInvalid},
		{"https://\x00/", false, netcheck.ConfigInvalid},
		{"mailto:me@example.com", false, netcheck.ConfigInvalid},
	}
	for _, tt := range tests {
		_, err := claudesettings.ParseBaseURL(tt.raw)
		if (err == nil) != tt.usable {
			t.Errorf("ParseBaseURL(%q): %v, want usable %v", tt.raw, err, tt.usable)
		}
		checkErr := claudesettings.CheckBaseURL(tt.raw)
		valueErr := claudesettings.CheckValue(claudesettings.VarBaseURL, tt.raw)
		if (checkErr == nil) != (valueErr == nil) {
			t.Errorf("%q: CheckBaseURL %v but claudesettings.CheckValue %v", tt.raw, checkErr, valueErr)
		}
		if bad := tt.code == netcheck.ConfigInvalid || tt.code == netcheck.BaseURLPath; bad != (checkErr != nil) {
			t.Errorf("CheckBaseURL(%q) = %v, want an error %v", tt.raw, checkErr, bad)
		}
		if valueErr != nil && strings.Contains(valueErr.Error(), "pa%40ss") {
			t.Errorf("the value check shows the password: %v", valueErr)
		}
		r := netcheck.Run(context.Background(), claudesettings.Target{BaseURL: flag(tt.raw)}, only(netcheck.CheckConfig))
		var got []netcheck.Code
		for _, f := range r.Findings {
			got = append(got, f.Code)
		}
		if want := []netcheck.Code{tt.code}; tt.code == "" && len(got) > 0 || tt.code != "" && !slices.Equal(got, want) {
			t.Errorf("config check of %q: %v, want %v", tt.raw, got, tt.code)
		}
		if b, _ := json.Marshal(r); strings.Contains(string(b), "pa%40ss") || strings.Contains(string(b), "pa@ss") {
			t.Errorf("the report shows the password: %s", b)
		}
	}
}

// FuzzParseBaseURL: any value parses or fails without a panic, and what
// parses is an absolute http(s) URL with a host.
func FuzzParseBaseURL(f *testing.F) {
	for _, s := range []string{"https://api.anthropic.com", "http://127.0.0.1:3456/v1", "https://u:p@h?q#f", " https://h ", "https://[::1]:8080", "https://h:", "\x00", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := claudesettings.ParseBaseURL(raw)
		claudesettings.CheckBaseURL(raw)
		if err != nil {
			return
		}
		if u.Scheme != "https" && u.Scheme != "http" || u.Hostname() == "" {
			t.Fatalf("ParseBaseURL(%q) = %v", raw, u)
		}
	})
}
