package netchecktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// serveAPI answers as the Claude API would, with the current scenario's fault.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	sc := s.Scenario()
	h := w.Header()
	if sc == ClockSkew {
		h.Set("Date", time.Now().Add(2*time.Hour).UTC().Format(http.TimeFormat))
	}
	if r.URL.Path == "/status/api/v2/summary.json" {
		s.serveStatus(w, sc)
		return
	}
	// What a gateway or captive portal answers comes before the API sees anything.
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
	}
	h.Set("request-id", s.nextRequestID())
	h.Set("anthropic-organization-id", "00000000-0000-4000-8000-000000000000")
	apiError := func(status int, typ, msg string) {
		h.Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]any{"type": "error",
			"error": map[string]string{"type": typ, "message": msg}, "request_id": h.Get("request-id")})
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
	key, bearer := r.Header.Get("x-api-key"), r.Header.Get("Authorization")
	switch {
	case bearer != "" && bearer != "Bearer "+TestToken: // a Bearer token is judged first, x-api-key or not
		apiError(http.StatusUnauthorized, "authentication_error", "Invalid bearer token")
		return
	case sc == OAuthLogin && !(bearer != "" && key == "" && strings.Contains(r.Header.Get("anthropic-beta"), "oauth-2025-04-20")):
		apiError(http.StatusUnauthorized, "authentication_error", "OAuth authentication is currently not supported.")
		return
	case sc == AuthInvalid || bearer == "" && key != TestKey:
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
	reset := time.Now().Add(17 * time.Second).UTC().Format(time.RFC3339)
	h.Set("anthropic-ratelimit-requests-limit", "50")
	h.Set("anthropic-ratelimit-requests-reset", reset)
	if sc == RateLimited {
		h.Set("anthropic-ratelimit-requests-remaining", "0")
		h.Set("retry-after", "17")
		apiError(http.StatusTooManyRequests, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit")
		return
	}
	h.Set("anthropic-ratelimit-requests-remaining", "49")
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/v1/models":
		h.Set("Content-Type", "application/json")
		io.WriteString(w, `{"data":[{"type":"model","id":"claude-haiku-4-5-20251001","display_name":"Claude Haiku 4.5","created_at":"2025-10-01T00:00:00Z"}],"has_more":true,"first_id":"claude-haiku-4-5-20251001","last_id":"claude-haiku-4-5-20251001"}`)
	case r.Method == http.MethodPost && r.URL.Path == "/v1/messages":
		var body struct {
			Model  string `json:"model"`
			Stream bool   `json:"stream"`
		}
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&body); err != nil || body.Model == "" {
			apiError(http.StatusBadRequest, "invalid_request_error", "model: Field required")
			return
		}
		if !body.Stream {
			h.Set("Content-Type", "application/json")
			fmt.Fprintf(w, `{"id":"msg_netchecktest","type":"message","role":"assistant","model":%q,"content":[{"type":"text","text":"Hi"}],"stop_reason":"max_tokens","usage":{"input_tokens":8,"output_tokens":1}}`, body.Model)
			return
		}
		s.serveStream(w, r, sc, body.Model)
	default:
		apiError(http.StatusNotFound, "not_found_error", "Not found")
	}
}

// sseEvents is a whole healthy stream for a max_tokens:1 request.
func sseEvents(model string) []string {
	return []string{
		`event: message_start` + "\n" + `data: {"type":"message_start","message":{"id":"msg_netchecktest","type":"message","role":"assistant","model":"` + model + `","content":[],"stop_reason":null,"usage":{"input_tokens":8,"output_tokens":1}}}`,
		`event: content_block_start` + "\n" + `data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
		`event: ping` + "\n" + `data: {"type": "ping"}`,
		`event: content_block_delta` + "\n" + `data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}`,
		`event: content_block_stop` + "\n" + `data: {"type":"content_block_stop","index":0}`,
		`event: message_delta` + "\n" + `data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":1}}`,
		`event: message_stop` + "\n" + `data: {"type":"message_stop"}`,
	}
}

// serveStream writes the SSE answer to a stream:true request, with the
// scenario's fault.
func (s *Server) serveStream(w http.ResponseWriter, r *http.Request, sc Scenario, model string) {
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w)
	rc.Flush() // the headers go at once, as the API sends them
	events := sseEvents(model)
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
