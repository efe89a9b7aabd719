package netcheck

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"time"

	"claudemedic/claudesettings"
)

// The request Claude Code makes, copied from what Claude Code 2.1.332 sent
// to a logging fake API (claude -p hi, an API key, ANTHROPIC_CUSTOM_HEADERS,
// offline on loopback; 2.1.330 sent the same with its own version; the betas
// per credential kind and with CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS were
// measured for 2.1.330, see scripts/agree-claude-code.sh). When Claude Code
// changes its request, change these values and the version with them; a
// transcript of the installed Claude Code overrides them (shape.go).
const (
	// ClaudeCodeVersion is the Claude Code release whose request the checks copy.
	ClaudeCodeVersion = "2.1.332"
	// UserAgent is the user agent of `claude -p` (an interactive session
	// sends "(external, cli)").
	UserAgent = "claude-cli/" + ClaudeCodeVersion + " (external, " + entrypoint + ")"
	// entrypoint is what the user agent and the billing block name.
	entrypoint = "sdk-cli"
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

	shape    Shape // the request Claude Code makes (a transcript's, or the built-in copy)
	full     bool  // the whole shape: tools and texts at their lengths (check --full), not the compact one
	noSystem bool  // without the system-role message, as Claude Code retries when a gateway refuses it
	timeout  time.Duration
	headers  []Header // ANTHROPIC_CUSTOM_HEADERS, parsed as Claude Code parses it
}

func (r *run) newAPIRequest(cfg config, e endpoint, stream bool) apiRequest {
	t := r.target
	model := ModelFor(t)
	if !t.Model.Set() && r.shape.Model != "" && r.shape.From == ShapeTranscript {
		model = r.shape.Model // the default of the Claude Code that wrote the transcript
	}
	return apiRequest{endpoint: e, url: apiURL(cfg.raw, e.path()+"?beta=true"), model: model, stream: stream, reduced: reducedBetas(t),
		shape: r.shape, full: r.opts.Full, timeout: cfg.apiTimeout, headers: r.headers}
}

// betas is the anthropic-beta value the request carries: the shape's (a
// transcript's list, with the oauth beta as the credential needs it), or
// the built-in list.
func (q apiRequest) betas(kind claudesettings.CredentialKind) string {
	if q.endpoint == messages && !q.reduced && q.shape.From == ShapeTranscript && len(q.shape.Betas) > 0 {
		var list []string
		for _, b := range q.shape.Betas {
			if b != claudesettings.OAuthBeta {
				list = append(list, b)
			}
		}
		if kind == claudesettings.KindOAuth && len(list) > 0 {
			list = append([]string{list[0], claudesettings.OAuthBeta}, list[1:]...)
		}
		return strings.Join(list, ",")
	}
	return betasFor(q.endpoint, kind, q.reduced)
}

// what names the request for summaries: "POST /v1/messages/count_tokens".
func (q apiRequest) what() string { return "POST " + q.endpoint.path() }

// body is the JSON body: count_tokens carries only the model, one message
// and no tools (as Claude Code's does); a message is Claude Code's request
// (shape.go) asking for one token.
func (q apiRequest) body(session string) []byte {
	if q.endpoint == countTokens {
		type message struct {
			Role    string `json:"role"`
			Content any    `json:"content"`
		}
		b, _ := json.Marshal(struct {
			Model    string    `json:"model"`
			Messages []message `json:"messages"`
			Tools    []any     `json:"tools"`
		}{q.model, []message{{"user", "hi"}}, []any{}})
		return b
	}
	return q.shape.body(q.model, session, q.stream, q.full, q.noSystem)
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
	for _, c := range q.headers { // Claude Code's own headers win over custom ones of the same name
		h[c.Name] = []string{c.Value}
	}
	h.Set("Accept", "application/json")
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", q.shape.userAgent())
	h.Set("anthropic-version", AnthropicVersion)
	h.Set("anthropic-beta", q.betas(t.Credential.Kind))
	h.Set("anthropic-dangerous-direct-browser-access", "true")
	h.Set("x-app", "cli")
	h.Set("X-Claude-Code-Session-Id", session)
	for k, v := range stainlessHeaders(q.timeout) {
		h.Set(k, v)
	}
	if usable { // the headers Claude Code 2.1.330 sent for this credential, and those it shadows (measured)
		for _, c := range t.CredentialHeaders() {
			h.Set(c.Name, c.Value)
		}
	}
	return req, nil
}

// stainlessHeaders are the SDK's x-stainless-* headers as Claude Code 2.1.332
// sent them (X-Stainless-Retry-Count stays 0 on its retries too; the timeout
// is API_TIMEOUT_MS in seconds).
func stainlessHeaders(timeout time.Duration) map[string]string {
	arch := map[string]string{"amd64": "x64", "386": "ia32", "arm64": "arm64", "arm": "arm"}[runtime.GOARCH]
	if arch == "" {
		arch = "other:" + runtime.GOARCH
	}
	osName := map[string]string{"linux": "Linux", "darwin": "MacOS", "windows": "Windows", "freebsd": "FreeBSD"}[runtime.GOOS]
	if osName == "" {
		osName = "Other:" + runtime.GOOS
	}
	if timeout <= 0 {
		timeout = claudesettings.DefaultAPITimeout
	}
	return map[string]string{
		"X-Stainless-Arch": arch, "X-Stainless-Lang": "js", "X-Stainless-OS": osName,
		"X-Stainless-Package-Version": stainlessPackageVersion, "X-Stainless-Retry-Count": "0",
		"X-Stainless-Runtime": "node", "X-Stainless-Runtime-Version": stainlessRuntimeVersion,
		"X-Stainless-Timeout": strconv.FormatInt(int64(timeout/time.Second), 10),
	}
}

// The SDK and runtime versions Claude Code 2.1.332 named (measured).
const (
	stainlessPackageVersion = "0.128.0"
	stainlessRuntimeVersion = "v26.12.1"
)

// apiURL joins the base URL and a path as Claude Code does: the base as
// written (trailing slashes dropped) followed by the path, so a base URL's
// path is kept, and a query string or fragment in it swallows the path.
func apiURL(base, path string) string {
	return strings.TrimRight(base, "/") + path
}

func newSessionID() string {
	b := make([]byte, 16)
	rand.Read(b)
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[:4], b[4:6], b[6:8], b[8:10], b[10:])
}
