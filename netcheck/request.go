package netcheck

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"claudemedic/claudesettings"
)

// The request Claude Code makes, copied from what Claude Code 2.1.330 sent
// to a logging fake API (claude -p and an interactive session, each
// credential kind, CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS on and off; see
// scripts/agree-claude-code.sh). When Claude Code changes its request, change
// these values and the version with them.
const (
	// ClaudeCodeVersion is the Claude Code release whose request the checks copy.
	ClaudeCodeVersion = "2.1.330"
	// UserAgent is the user agent of an interactive Claude Code session
	// (claude -p sends "(external, sdk-cli)").
	UserAgent = "claude-cli/" + ClaudeCodeVersion + " (external, cli)"
	// DefaultModel is the model Claude Code uses when ANTHROPIC_MODEL and the
	// settings' "model" are unset (measured for 2.1.330, with an API key and
	// with a saved claude.ai login of every plan).
	DefaultModel = "claude-opus-5-5"
	// DefaultTokenOnlyModel is Claude Code's default with CLAUDE_CODE_OAUTH_TOKEN
	// and no saved login, which would say the plan (measured for 2.1.330).
	DefaultTokenOnlyModel = "claude-sonnet-5-5"
	// ClaudeCodeSystemPrompt opens the system prompt of a request that
	// generates: the API accepts an OAuth login's token on POST /v1/messages
	// only from Claude Code ("This credential is only authorized for use with
	// Claude Code"), and some relays admit only Claude Code's requests.
	ClaudeCodeSystemPrompt = "You are Claude Code, Anthropic's official CLI for Claude."
)

// The anthropic-beta values Claude Code sends (OAuthBeta is in target.go).
const (
	BetaClaudeCode       = "claude-code-20250219"
	BetaExtendedCacheTTL = "extended-cache-ttl-2025-04-11"
	BetaTokenCounting    = "token-counting-2024-11-01"
)

var (
	// messagesBetas is what POST /v1/messages carries; OAuth adds OAuthBeta
	// after the first and BetaExtendedCacheTTL at the end.
	messagesBetas = []string{BetaClaudeCode, "interleaved-thinking-2025-05-14", "context-management-2025-06-27",
		"per-turn-control-2026-07-01", "mid-conversation-tool-changes-2026-07-01", "thinking-token-count-2026-05-13",
		"advanced-tool-use-2025-11-20", "effort-2025-11-24"}
	// essentialBetas is what is left with CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS=1,
	// and what Claude Code retries with when a gateway rejects the full list.
	essentialBetas = []string{BetaClaudeCode, "interleaved-thinking-2025-05-14", "effort-2025-11-24"}
	// countBetas is what POST /v1/messages/count_tokens carries.
	countBetas          = []string{BetaClaudeCode, "interleaved-thinking-2025-05-14", "context-management-2025-06-27", BetaTokenCounting}
	essentialCountBetas = []string{BetaClaudeCode, "interleaved-thinking-2025-05-14", BetaTokenCounting}
)

// modelAliases are the names Claude Code resolves before it sends them
// (measured: "sonnet" went out as claude-sonnet-5-5); any other name goes out
// as written.
var modelAliases = map[string]string{
	"opus": "claude-opus-5-5", "best": "claude-opus-5-5",
	"sonnet": "claude-sonnet-5-5", "opusplan": "claude-sonnet-5-5",
	"haiku": "claude-haiku-5-5",
}

// ModelFor returns the model Claude Code would put in its request for t:
// ANTHROPIC_MODEL or the settings' "model" with an alias resolved and a
// "[1m]" suffix dropped, else DefaultModel (DefaultTokenOnlyModel with
// CLAUDE_CODE_OAUTH_TOKEN).
func ModelFor(t claudesettings.Target) string {
	m := strings.TrimSpace(t.Model.Value)
	switch {
	case m == "" && t.Credential.Kind == claudesettings.KindOAuth && t.Credential.Var == "CLAUDE_CODE_OAUTH_TOKEN":
		return DefaultTokenOnlyModel
	case m == "":
		return DefaultModel
	}
	base := strings.TrimSuffix(strings.ToLower(m), "[1m]")
	if full, ok := modelAliases[base]; ok {
		return full
	}
	return strings.TrimSuffix(m, "[1m]")
}

// reducedBetas reports whether CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS is set
// the way Claude Code reads a switch: 1, true, yes or on.
func reducedBetas(t claudesettings.Target) bool {
	switch strings.ToLower(strings.TrimSpace(t.DisableBetas.Value)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

// endpoint is one of the two requests the checks make as Claude Code does.
type endpoint int

const (
	countTokens endpoint = iota // POST /v1/messages/count_tokens: free on the first-party API
	messages                    // POST /v1/messages, max_tokens 1 (or the stream check's stream)
)

func (e endpoint) path() string {
	if e == countTokens {
		return "/v1/messages/count_tokens"
	}
	return "/v1/messages"
}

// betasFor is the anthropic-beta list Claude Code sends to e.
func betasFor(e endpoint, kind claudesettings.CredentialKind, reduced bool) string {
	var list []string
	switch {
	case e == countTokens && reduced:
		list = essentialCountBetas
	case e == countTokens:
		list = countBetas
	case reduced:
		list = essentialBetas
	default:
		list = messagesBetas
	}
	if kind == claudesettings.KindOAuth {
		out := append([]string{list[0], claudesettings.OAuthBeta}, list[1:]...)
		if e == messages && !reduced {
			out = append(out, BetaExtendedCacheTTL)
		}
		list = out
	}
	return strings.Join(list, ",")
}

// apiRequest is one request as Claude Code would make it to the base URL.
type apiRequest struct {
	endpoint endpoint
	url      string // the base URL joined with the path and ?beta=true, as Claude Code joins them
	model    string
	stream   bool
	reduced  bool // only the betas Claude Code cannot do without
}

func newAPIRequest(cfg config, t claudesettings.Target, e endpoint, stream bool) apiRequest {
	return apiRequest{endpoint: e, url: apiURL(cfg.raw, e.path()+"?beta=true"), model: ModelFor(t), stream: stream, reduced: reducedBetas(t)}
}

// betas is the anthropic-beta value the request carries.
func (q apiRequest) betas(kind claudesettings.CredentialKind) string {
	return betasFor(q.endpoint, kind, q.reduced)
}

// what names the request for summaries: "POST /v1/messages/count_tokens".
func (q apiRequest) what() string { return "POST " + q.endpoint.path() }

// body is the JSON body: count_tokens carries only the model, one message
// and no tools (as Claude Code's does); a message asks for one token with
// Claude Code's system prompt and metadata.
func (q apiRequest) body(session string) []byte {
	type text struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	type message struct {
		Role    string `json:"role"`
		Content any    `json:"content"`
	}
	if q.endpoint == countTokens {
		b, _ := json.Marshal(struct {
			Model    string    `json:"model"`
			Messages []message `json:"messages"`
			Tools    []any     `json:"tools"`
		}{q.model, []message{{"user", "hi"}}, []any{}})
		return b
	}
	userID, _ := json.Marshal(map[string]string{"device_id": randomHex(32), "account_uuid": "", "session_id": session})
	b, _ := json.Marshal(struct {
		Model     string            `json:"model"`
		MaxTokens int               `json:"max_tokens"`
		Messages  []message         `json:"messages"`
		System    []text            `json:"system"`
		Metadata  map[string]string `json:"metadata"`
		Stream    bool              `json:"stream,omitempty"`
	}{q.model, 1, []message{{"user", []text{{"text", "hi"}}}}, []text{{"text", ClaudeCodeSystemPrompt}},
		map[string]string{"user_id": string(userID)}, q.stream})
	return b
}

// build makes the HTTP request with Claude Code's headers and, when usable,
// the credential as Claude Code sends it.
func (q apiRequest) build(ctx context.Context, t claudesettings.Target, usable bool) (*http.Request, error) {
	session := newSessionID()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, q.url, strings.NewReader(string(q.body(session))))
	if err != nil {
		return nil, err
	}
	h := req.Header
	h.Set("Accept", "application/json")
	if q.stream {
		h.Set("Accept", "text/event-stream")
	}
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", UserAgent)
	h.Set("anthropic-version", AnthropicVersion)
	h.Set("anthropic-beta", q.betas(t.Credential.Kind))
	h.Set("anthropic-dangerous-direct-browser-access", "true")
	h.Set("x-app", "cli")
	h.Set("X-Claude-Code-Session-Id", session)
	hs, _ := t.CustomHeaderLines() // ANTHROPIC_CUSTOM_HEADERS, as Claude Code sends them (a gateway's own key, often)
	for _, c := range hs {
		h.Set(c.Name, c.Value)
	}
	if usable { // the headers Claude Code 2.1.330 sent for this credential, and those it shadows (measured)
		for _, c := range t.CredentialHeaders() {
			h.Set(c.Name, c.Value)
		}
	}
	return req, nil
}

// apiURL joins the base URL and a path as Claude Code does: the base as
// written (trailing slashes dropped) followed by the path, so a base URL's
// path is kept, and a query string or fragment in it swallows the path.
func apiURL(base, path string) string {
	return strings.TrimRight(base, "/") + path
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func newSessionID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[:4], b[4:6], b[6:8], b[8:10], b[10:])
}
