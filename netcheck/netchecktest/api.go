package netchecktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Request is a request the fake API received, for tests that check what was
// sent (and for scripts that capture what Claude Code sends).
type Request struct {
	Method string
	Path   string // with the query, as sent: "/v1/messages?beta=true"
	Header http.Header
	Body   []byte
}

const maxLogged = 64 // the most requests Requests keeps

// Requests returns the requests received so far, oldest first (the last 64).
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

func (s *Server) logRequest(r *http.Request, body []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) == maxLogged {
		s.requests = s.requests[1:]
	}
	s.requests = append(s.requests, Request{Method: r.Method, Path: r.URL.RequestURI(), Header: r.Header.Clone(), Body: body})
}

// The betas a gateway that rejects only Claude Code's experimental betas
// (BetaExperimentalRejected) lets through: Claude Code's essential ones.
var essentialBetas = []string{"claude-code-20250219", "interleaved-thinking-2025-05-14", "effort-2025-11-24",
	"oauth-2025-04-20", "token-counting-2024-11-01"}

// apiBody is what the fake reads of a Messages API request.
type apiBody struct {
	Model     string          `json:"model"`
	Stream    bool            `json:"stream"`
	MaxTokens *int            `json:"max_tokens"`
	Messages  []any           `json:"messages"`
	System    json.RawMessage `json:"system"`
}

// serveAPI answers as the Claude API would, or as the relay, router or
// gateway of the current scenario, with the scenario's fault.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	sc := s.Scenario()
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if r.URL.Path != "/status/api/v2/summary.json" {
		s.logRequest(r, body)
	}
	h := w.Header()
	if sc == ClockSkew {
		h.Set("Date", time.Now().Add(2*time.Hour).UTC().Format(http.TimeFormat))
	}
	if r.URL.Path == "/status/api/v2/summary.json" {
		s.serveStatus(w, sc)
		return
	}
	if s.serveGateway(w, r, sc, body) {
		return
	}
	// What a gateway, a captive portal or a relay answers comes before the API sees anything.
	switch sc {
	case NotAnthropicAPI:
		h.Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!DOCTYPE html><html><head><title>Guest Wi-Fi: sign in</title></head><body><form>Accept the terms to continue</form></body></html>`)
		return
	case BadGatewayHTML:
		h.Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		io.WriteString(w, "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
		return
	case SlowResponse:
		select {
		case <-time.After(slowDelay):
		case <-r.Context().Done():
			return
		}
	case NotAnthropicFormat:
		s.serveOpenAI(w, r, body)
		return
	case RelayAuthInvalid: // one-api/new-api: the token check runs before anything else
		relayError(w, http.StatusUnauthorized, "无效的令牌 (request id: 20261201100000000123456)", "new_api_error", "")
		return
	case RelayMessagesOnly, RouterUpstream401:
		if r.Method != http.MethodPost || r.URL.Path != "/v1/messages" { // claude-code-router: a fastify server with one route
			h.Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, `{"message":"Route %s:%s not found","error":"Not Found","statusCode":404}`, r.Method, r.URL.RequestURI())
			return
		}
		if sc == RouterUpstream401 {
			var b apiBody
			json.Unmarshal(body, &b)
			upstream := `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011upstream"}`
			msg, _ := json.Marshal(fmt.Sprintf("Error from provider(anthropic,%s: 401): %s", b.Model, upstream))
			h.Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusUnauthorized)
			fmt.Fprintf(w, `{"error":{"message":%s,"type":"api_error","code":"provider_response_error"}}`, msg)
			return
		}
		s.serveAnthropic(w, r, sc, body, true)
		return
	case ModelRestrictedRelay:
		if r.Method != http.MethodPost || r.URL.Path != "/v1/messages" { // new-api behind gin: an unknown route is gin's own 404
			h.Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, "404 page not found")
			return
		}
		var b apiBody
		json.Unmarshal(body, &b)
		relayError(w, http.StatusServiceUnavailable, fmt.Sprintf("当前分组 default 下对于模型 %s 无可用渠道 (request id: 20261201100000000123457)", b.Model), "new_api_error", "")
		return
	}
	s.serveAnthropic(w, r, sc, body, false)
}

// relayError writes a one-api/new-api style error.
func relayError(w http.ResponseWriter, status int, msg, typ, code string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"message": msg, "type": typ, "code": code}})
}

// serveOpenAI answers as an OpenAI-format endpoint: chat completions only,
// OpenAI's 404 for every other path.
func (s *Server) serveOpenAI(w http.ResponseWriter, r *http.Request, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-request-id", "req_openai_netchecktest")
	if r.Method == http.MethodPost && r.URL.Path == "/v1/chat/completions" {
		io.WriteString(w, `{"id":"chatcmpl-netchecktest","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"length"}]}`)
		return
	}
	w.WriteHeader(http.StatusNotFound)
	msg, _ := json.Marshal(fmt.Sprintf("Invalid URL (%s %s)", r.Method, r.URL.Path))
	fmt.Fprintf(w, `{"error":{"message":%s,"type":"invalid_request_error","param":null,"code":null}}`, msg)
}

// serveAnthropic answers as the Claude API. Through a relay (relayed), the
// answer carries no request-id and no rate-limit headers, as
// claude-code-router passes only the body on.
func (s *Server) serveAnthropic(w http.ResponseWriter, r *http.Request, sc Scenario, body []byte, relayed bool) {
	h := w.Header()
	if !relayed {
		h.Set("request-id", s.nextRequestID())
		h.Set("anthropic-organization-id", "00000000-0000-4000-8000-000000000000")
	}
	apiError := func(status int, typ, msg string) {
		h.Set("Content-Type", "application/json")
		w.WriteHeader(status)
		e := map[string]any{"type": "error", "error": map[string]string{"type": typ, "message": msg}}
		if id := h.Get("request-id"); id != "" {
			e["request_id"] = id
		}
		json.NewEncoder(w).Encode(e)
	}
	switch sc {
	case Overloaded:
		apiError(529, "overloaded_error", "Overloaded")
		return
	case ServerError:
		apiError(http.StatusInternalServerError, "api_error", "Internal server error")
		return
	case APIVersionRejected:
		apiError(http.StatusBadRequest, "invalid_request_error", `anthropic-version: "`+r.Header.Get("anthropic-version")+`" is not a supported version`)
		return
	}
	if r.Header.Get("anthropic-version") == "" {
		apiError(http.StatusBadRequest, "invalid_request_error", "anthropic-version: header is required")
		return
	}
	betas := strings.Split(r.Header.Get("anthropic-beta"), ",")
	if sc == BetaRejected || sc == BetaExperimentalRejected {
		var bad []string
		for _, b := range betas {
			if b = strings.TrimSpace(b); b != "" && (sc == BetaRejected || !slices.Contains(essentialBetas, b)) {
				bad = append(bad, b)
			}
		}
		if len(bad) > 0 {
			apiError(http.StatusBadRequest, "invalid_request_error", "Unexpected value(s) `"+strings.Join(bad, ", ")+"` for the `anthropic-beta` header. Please consult our documentation at docs.claude.com or try again without the header.")
			return
		}
	}
	var b apiBody
	decodeErr := json.Unmarshal(body, &b)

	key, bearer := r.Header.Get("x-api-key"), r.Header.Get("Authorization")
	if !strings.HasPrefix(bearer, "Bearer ") {
		bearer = "" // Basic auth from a base URL's user info is the relay's business, not the API's
	}
	oauth := bearer == "Bearer "+TestToken && slices.Contains(betas, "oauth-2025-04-20")
	strict := oauthStrict[sc] // the API's own rules for an OAuth login's token
	switch {                  // with both headers, the API judges the Bearer token (measured: "401 Invalid bearer token")
	case sc == AuthInvalid:
		apiError(http.StatusUnauthorized, "authentication_error", "invalid x-api-key")
		return
	case bearer != "" && strict && bearer == "Bearer "+TestToken && !oauth:
		apiError(http.StatusUnauthorized, "authentication_error", "OAuth authentication is currently not supported.")
		return
	case bearer != "" && sc == LoginExpired && oauth:
		apiError(http.StatusUnauthorized, "authentication_error", "OAuth token has expired. Please obtain a new token or refresh your existing token.")
		return
	case bearer != "" && bearer != "Bearer "+TestToken:
		apiError(http.StatusUnauthorized, "authentication_error", "Invalid bearer token")
		return
	case bearer == "" && key != TestKey:
		apiError(http.StatusUnauthorized, "authentication_error", "invalid x-api-key")
		return
	}
	switch sc {
	case AuthForbidden:
		apiError(http.StatusForbidden, "permission_error", "Your API key does not have permission to use the specified resource.")
		return
	case RegionBlocked:
		apiError(http.StatusForbidden, "forbidden", "Request not allowed")
		return
	case Billing:
		apiError(http.StatusPaymentRequired, "billing_error", "This organization has been disabled for billing reasons.")
		return
	case BillingCreditBalance, KeyOverridesLogin:
		apiError(http.StatusBadRequest, "invalid_request_error", "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.")
		return
	}
	if !relayed {
		reset := time.Now().Add(17 * time.Second).UTC().Format(time.RFC3339)
		h.Set("anthropic-ratelimit-requests-limit", "50")
		h.Set("anthropic-ratelimit-requests-reset", reset)
		h.Set("anthropic-ratelimit-requests-remaining", "49")
	}
	if sc == RateLimited {
		h.Set("anthropic-ratelimit-requests-remaining", "0")
		h.Set("retry-after", "17")
		apiError(http.StatusTooManyRequests, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")
		return
	}
	post := r.Method == http.MethodPost
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v1/models":
		h.Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":[{"type":"model","id":"claude-opus-5-5","display_name":"Claude Opus 5.5","created_at":"2026-09-01T00:00:00Z"}],"has_more":true,"first_id":"claude-opus-5-5","last_id":"claude-opus-5-5"}`)
	case post && (r.URL.Path == "/v1/messages" || r.URL.Path == "/v1/messages/count_tokens"):
		count := r.URL.Path == "/v1/messages/count_tokens"
		switch {
		case decodeErr != nil:
			apiError(http.StatusBadRequest, "invalid_request_error", "The request body is not valid JSON")
			return
		case b.Model == "":
			apiError(http.StatusBadRequest, "invalid_request_error", "model: Field required")
			return
		case len(b.Messages) == 0:
			apiError(http.StatusBadRequest, "invalid_request_error", "messages: Field required")
			return
		case !count && b.MaxTokens == nil:
			apiError(http.StatusBadRequest, "invalid_request_error", "max_tokens: Field required")
			return
		case sc == ModelUnavailable:
			apiError(http.StatusNotFound, "not_found_error", "model: "+b.Model)
			return
		case oauth && !count && !claudeCodeSystem(b.System):
			apiError(http.StatusBadRequest, "invalid_request_error", "This credential is only authorized for use with Claude Code and cannot be used for other API requests.")
			return
		}
		h.Set("Content-Type", "application/json")
		switch {
		case count:
			io.WriteString(w, `{"input_tokens":8}`)
		case !b.Stream && (sc == StreamEmpty || sc == StreamTruncated || sc == StreamErrorEvent):
			// The broken relay answers Claude Code's non-streaming retry with
			// the same broken stream (as measured: "the non-streaming request
			// was answered with a stream").
			s.serveStream(w, r, sc, b.Model, b.stopReason())
		case !b.Stream:
			fmt.Fprintf(w, `{"id":"msg_netchecktest","type":"message","role":"assistant","model":%q,"content":[{"type":"text","text":"Hi"}],"stop_reason":%q,"stop_sequence":null,"usage":{"input_tokens":8,"output_tokens":1}}`, b.Model, b.stopReason())
		default:
			s.serveStream(w, r, sc, b.Model, b.stopReason())
		}
	default:
		apiError(http.StatusNotFound, "not_found_error", "Not Found")
	}
}

// stopReason is why the one-word answer "Hi" stops: the token limit for a
// request of max_tokens 1 (the checks'), the end of the turn otherwise
// (Claude Code's, which fails on a max_tokens stop).
func (b apiBody) stopReason() string {
	if b.MaxTokens != nil && *b.MaxTokens <= 1 {
		return "max_tokens"
	}
	return "end_turn"
}

// claudeCodeSystem reports whether a system prompt is Claude Code's, which
// the API demands with an OAuth login's token on POST /v1/messages: its
// billing header block, its opening line, or the Agent SDK's (claude -p).
func claudeCodeSystem(raw json.RawMessage) bool {
	s := string(raw)
	return strings.Contains(s, "You are Claude Code") || strings.Contains(s, "x-anthropic-billing-header") || strings.Contains(s, "Claude Agent SDK")
}

// SSEEvents is a whole healthy stream for a one-word answer, the events as
// the API sends them, ending with stop as the stop reason.
func SSEEvents(model, stop string) []string {
	return []string{
		`event: message_start` + "\n" + `data: {"type":"message_start","message":{"id":"msg_netchecktest","type":"message","role":"assistant","model":"` + model + `","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":8,"output_tokens":1}}}`,
		`event: content_block_start` + "\n" + `data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
		`event: ping` + "\n" + `data: {"type": "ping"}`,
		`event: content_block_delta` + "\n" + `data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}`,
		`event: content_block_stop` + "\n" + `data: {"type":"content_block_stop","index":0}`,
		`event: message_delta` + "\n" + `data: {"type":"message_delta","delta":{"stop_reason":"` + stop + `","stop_sequence":null},"usage":{"output_tokens":1}}`,
		`event: message_stop` + "\n" + `data: {"type":"message_stop"}`,
	}
}

// serveStream writes the SSE answer to a stream:true request, with the
// scenario's fault.
func (s *Server) serveStream(w http.ResponseWriter, r *http.Request, sc Scenario, model, stop string) {
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	rc.Flush() // the headers go at once, as the API sends them
	events := SSEEvents(model, stop)
	send := func(ev ...string) {
		io.WriteString(w, strings.Join(ev, "\n\n")+"\n\n")
		rc.Flush()
	}
	wait := func(d time.Duration) bool {
		select {
		case <-time.After(d):
			return true
		case <-r.Context().Done():
		case <-s.quit:
		}
		return false
	}
	switch sc {
	case StreamEmpty:
		return
	case StreamTruncated:
		send(events[:2]...)
		wait(20 * time.Millisecond)
		panic(http.ErrAbortHandler) // the connection is cut mid-stream
	case StreamErrorEvent:
		send(events[0])
		wait(20 * time.Millisecond)
		send(`event: error` + "\n" + `data: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)
	case StreamStalled:
		send(events[:2]...)
		wait(time.Hour) // silent until the client gives up
	case StreamBuffered:
		if wait(bufferedDelay) { // a relay holds everything, then lets it go at once
			send(events...)
		}
	default:
		send(events[:3]...)
		if wait(30 * time.Millisecond) {
			send(events[3:]...)
		}
	}
}

// serveStatus answers as status.claude.com's Statuspage summary does.
func (s *Server) serveStatus(w http.ResponseWriter, sc Scenario) {
	w.Header().Set("Content-Type", "application/json")
	if sc != UpstreamIncident {
		io.WriteString(w, `{"page":{"name":"Claude"},"status":{"indicator":"none","description":"All Systems Operational"},"components":[{"name":"Claude API (api.anthropic.com)","status":"operational"}],"incidents":[]}`)
		return
	}
	io.WriteString(w, `{"page":{"name":"Claude"},"status":{"indicator":"major","description":"Partial System Outage"},"components":[{"name":"Claude API (api.anthropic.com)","status":"partial_outage"}],"incidents":[{"name":"Elevated errors on Claude Haiku 4.5","status":"investigating","impact":"major","shortlink":"https://stspg.io/netchecktest","components":[{"name":"Claude API (api.anthropic.com)"}]}]}`)
}
