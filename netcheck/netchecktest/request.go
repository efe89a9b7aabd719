package netchecktest

import (
	"io"
	"log"
	"net"
	"net/http"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// The scenarios of the request Claude Code makes, and of how relays,
// routers and gateways answer it.
const (
	// RelayMessagesOnly is healthy: a router that serves only POST
	// /v1/messages (claude-code-router: fastify's 404 for count_tokens and
	// /v1/models), passing the body on without request-id or rate limits.
	RelayMessagesOnly Scenario = "RELAY_MESSAGES_ONLY"
	// OAuthToken is healthy: CLAUDE_CODE_OAUTH_TOKEN (claudesettings.KindOAuth).
	// The fake answers as the API does: 401 without the oauth beta, and on
	// POST /v1/messages 400 without Claude Code's system prompt.
	OAuthToken Scenario = "OAUTH_TOKEN"
	// BetaExperimentalRejected is healthy: a gateway that rejects Claude
	// Code's experimental betas; Claude Code, and the check, retry with the
	// essential ones.
	BetaExperimentalRejected Scenario = "BETA_EXPERIMENTAL_REJECTED"
	// NotAnthropicFormat: an OpenAI-format endpoint, 404 "Invalid URL (POST /v1/messages)".
	NotAnthropicFormat Scenario = Scenario(netcheck.NotAnthropicFormat)
	// BetaRejected: a gateway that rejects every anthropic-beta value, the essential ones too.
	BetaRejected Scenario = Scenario(netcheck.BetaRejected)
	// ModelUnavailable: the API's 404 not_found_error "model: …".
	ModelUnavailable Scenario = Scenario(netcheck.ModelUnavailable)
	// ModelRestrictedRelay: new-api behind gin, 404 for count_tokens and 503
	// "当前分组 default 下对于模型 … 无可用渠道" for POST /v1/messages: MODEL_UNAVAILABLE.
	ModelRestrictedRelay Scenario = "MODEL_UNAVAILABLE_RELAY"
	// RelayAuthInvalid: new-api's own 401 {"error":{"message":"无效的令牌 …",
	// "type":"new_api_error"}} without request-id: AUTH_INVALID.
	RelayAuthInvalid Scenario = "AUTH_INVALID_RELAY"
	// RouterUpstream401: claude-code-router passing its upstream's 401
	// ("Error from provider(anthropic,…: 401): …"): AUTH_INVALID.
	RouterUpstream401 Scenario = "AUTH_INVALID_UPSTREAM"
	// BaseURLScheme: http:// to the TLS port, answered 400 "Client sent an
	// HTTP request to an HTTPS server."
	BaseURLScheme Scenario = Scenario(netcheck.BaseURLScheme)
	// BaseURLSchemeHTTPS: https:// to a plain-HTTP port ("first record does
	// not look like a TLS handshake"): BASE_URL_SCHEME.
	BaseURLSchemeHTTPS Scenario = "BASE_URL_SCHEME_HTTPS"
	// BaseURLPath: ANTHROPIC_BASE_URL ends in /v1, so Claude Code calls /v1/v1/messages: 404.
	BaseURLPath Scenario = Scenario(netcheck.BaseURLPath)
	// BaseURLCredentials: user:password@ in ANTHROPIC_BASE_URL, sent as Basic
	// auth; the endpoint works (a warning).
	BaseURLCredentials Scenario = Scenario(netcheck.BaseURLCredentials)
	// LoginExpired: a claude.ai login's token refused, 401 "OAuth token has expired".
	LoginExpired Scenario = Scenario(netcheck.LoginExpired)
)

func init() {
	scenarios = append(scenarios, RelayMessagesOnly, OAuthToken, BetaExperimentalRejected, NotAnthropicFormat,
		BetaRejected, ModelUnavailable, ModelRestrictedRelay, RelayAuthInvalid, RouterUpstream401, BaseURLScheme,
		BaseURLSchemeHTTPS, BaseURLPath, BaseURLCredentials, LoginExpired)
	for sc, c := range map[Scenario]netcheck.Code{RelayMessagesOnly: "", OAuthToken: "", BetaExperimentalRejected: "",
		ModelRestrictedRelay: netcheck.ModelUnavailable, RelayAuthInvalid: netcheck.AuthInvalid,
		RouterUpstream401: netcheck.AuthInvalid, BaseURLSchemeHTTPS: netcheck.BaseURLScheme} {
		variantCode[sc] = c
	}
	oauthStrict[OAuthToken], oauthStrict[LoginExpired], oauthStrict[OAuthLogin] = true, true, true
}

// oauthStrict are the scenarios where the fake takes TestToken as an OAuth
// login's token only, as the API does: with the oauth beta, and on POST
// /v1/messages with Claude Code's system prompt.
var oauthStrict = map[Scenario]bool{}

// requestTarget sets what these scenarios change of the Target. s.mu is held.
func requestTarget(sc Scenario, t *claudesettings.Target, s *Server) {
	flag := func(v string) claudesettings.Setting {
		return claudesettings.Setting{Value: v, Source: claudesettings.SourceFlag}
	}
	switch sc {
	case OAuthToken:
		t.Credential = claudesettings.Credential{Secret: TestToken, Kind: claudesettings.KindOAuth, Source: claudesettings.SourceFlag, Var: "CLAUDE_CODE_OAUTH_TOKEN"}
	case LoginExpired:
		t.Credential = savedLogin()
	case BaseURLScheme:
		t.BaseURL = flag("http://" + s.ln.Addr().String())
	case BaseURLSchemeHTTPS:
		t.BaseURL = flag("https://" + s.plain.Addr().String())
	case BaseURLPath:
		t.BaseURL = flag(s.URL() + "/v1")
	case BaseURLCredentials:
		t.BaseURL = flag("https://relay-user:relay-secret@" + s.ln.Addr().String())
	}
}

// prepareRequest makes the plain-HTTP port of BaseURLSchemeHTTPS, once: the
// API without TLS. s.mu is held.
func (s *Server) prepareRequest(sc Scenario) error {
	if sc != BaseURLSchemeHTTPS || s.plain != nil {
		return nil
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return err
	}
	s.plain = ln
	srv := &http.Server{Handler: s.handler, ErrorLog: log.New(io.Discard, "", 0)}
	s.wg.Add(1)
	go func() { defer s.wg.Done(); srv.Serve(ln); srv.Close() }()
	return nil
}
