package netchecktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// The scenarios of what gateways, firewalls and routers do to the request
// Claude Code makes now (issue 15); each produces exactly its code with the
// default options, which on this loopback relay send one generating request.
const (
	// CustomHeadersInvalid: ANTHROPIC_CUSTOM_HEADERS with a name Claude Code
	// 2.1.332 refuses ("Bad Name": it sends nothing, measured).
	CustomHeadersInvalid Scenario = Scenario(netcheck.CustomHeadersInvalid)
	// SystemRoleRejected: a pydantic gateway answering 422 "Input should be
	// 'user' or 'assistant'" to the system role inside messages, and the
	// request without it as the API does (measured with 2.1.330 and 2.1.332:
	// both send it again without the system message and work).
	SystemRoleRejected Scenario = Scenario(netcheck.SystemRoleRejected)
	// ParamRejected: a gateway that does not know context_management.
	ParamRejected Scenario = Scenario(netcheck.ParamRejected)
	// GatewayPage: Cloudflare's block page, 403 HTML.
	GatewayPage Scenario = Scenario(netcheck.GatewayPage)
	// BodyTooLarge: nginx's 413 page (client_max_body_size below the request).
	BodyTooLarge Scenario = Scenario(netcheck.BodyTooLarge)
	// ClaudeCodeVersionTooOld: a model that asks for a newer Claude Code.
	ClaudeCodeVersionTooOld Scenario = Scenario(netcheck.ClaudeCodeVersionTooOld)
	// UpstreamError: claude-code-router passing its upstream's 400.
	UpstreamError Scenario = Scenario(netcheck.UpstreamRejected)
	// RouterCountsItself: claude-code-router answers count_tokens itself
	// (2.0.0 and 3.1.1, measured) while its upstream refuses its key: only
	// the generating request shows it (AUTH_INVALID).
	RouterCountsItself Scenario = "AUTH_INVALID_ROUTER_COUNTS_ITSELF"
	// RouterAllFailed: claude-code-router 3.x's own answer when its upstream
	// refuses its key, 401 "All target providers failed." with the attempts
	// (the body its next-ai-gateway builds): AUTH_INVALID naming the upstream.
	RouterAllFailed Scenario = "AUTH_INVALID_ROUTER_ALL_FAILED"
)

func init() {
	scenarios = append(scenarios, CustomHeadersInvalid, SystemRoleRejected, ParamRejected, GatewayPage, BodyTooLarge,
		ClaudeCodeVersionTooOld, UpstreamError, RouterCountsItself, RouterAllFailed)
	variantCode[RouterCountsItself], variantCode[RouterAllFailed] = netcheck.AuthInvalid, netcheck.AuthInvalid
}

// gatewayOptions sets what these scenarios change of the options.
func gatewayOptions(sc Scenario, o *netcheck.Options) {
	if sc == CustomHeadersInvalid {
		o.CustomHeaders = claudesettings.Setting{Value: "X-Team: blue\nBad Name: v", Source: claudesettings.SourceFlag}
	}
}

// serveGateway answers for these scenarios, and reports whether it did.
func (s *Server) serveGateway(w http.ResponseWriter, r *http.Request, sc Scenario, body []byte) bool {
	h := w.Header()
	page := func(status int, html string) {
		h.Set("Content-Type", "text/html; charset=UTF-8")
		w.WriteHeader(status)
		io.WriteString(w, html)
	}
	var b struct {
		Model    string `json:"model"`
		Messages []struct {
			Role string `json:"role"`
		} `json:"messages"`
	}
	json.Unmarshal(body, &b)
	switch sc {
	case GatewayPage:
		h.Set("cf-mitigated", "challenge")
		page(http.StatusForbidden, `<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head><body>Sorry, you have been blocked. Cloudflare Ray ID: 8f00000000000000</body></html>`)
		return true
	case BodyTooLarge:
		page(http.StatusRequestEntityTooLarge, "<html>\r\n<head><title>413 Request Entity Too Large</title></head>\r\n<body>\r\n<center><h1>413 Request Entity Too Large</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
		return true
	case SystemRoleRejected:
		for _, m := range b.Messages {
			if m.Role == "system" {
				h.Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnprocessableEntity)
				io.WriteString(w, `{"detail":[{"type":"literal_error","loc":["body","messages",1,"role"],"msg":"Input should be 'user' or 'assistant'","input":"system","ctx":{"expected":"'user' or 'assistant'"}}]}`)
				return true
			}
		}
	case ParamRejected:
		if r.URL.Path == "/v1/messages" {
			relayError(w, http.StatusBadRequest, "context_management: Extra inputs are not permitted", "invalid_request_error", "")
			return true
		}
	case ClaudeCodeVersionTooOld:
		if r.URL.Path == "/v1/messages" {
			h.Set("Content-Type", "application/json")
			h.Set("request-id", s.nextRequestID())
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"type":"error","error":{"type":"invalid_request_error","message":"This model requires a newer version of Claude Code. Please update Claude Code and try again."}}`)
			return true
		}
	case RouterAllFailed:
		if r.URL.Path == "/v1/messages/count_tokens" {
			h.Set("Content-Type", "application/json; charset=utf-8")
			io.WriteString(w, `{"input_tokens":12}`)
			return true
		}
		h.Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"error":{"message":"All target providers failed.","target_providers":["p1"],"target_provider_names":["deepseek"],"attempts":[{"provider":"p1","provider_name":"deepseek","stage":"upstream","message":"{\"error\":{\"message\":\"Authentication Fails, Your api key: ****abcd is invalid\",\"type\":\"authentication_error\"}}","status":401}]}}`)
		return true
	case UpstreamError, RouterCountsItself:
		if r.URL.Path == "/v1/messages/count_tokens" { // the router counts itself
			h.Set("Content-Type", "application/json; charset=utf-8")
			io.WriteString(w, `{"input_tokens":12}`)
			return true
		}
		if r.URL.Path != "/v1/messages" {
			return false
		}
		status, upstream := 400, `{"error":{"message":"Invalid max_tokens value, the valid range of max_tokens is [1, 8192]","type":"invalid_request_error"}}`
		if sc == RouterCountsItself {
			status, upstream = 401, `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_011upstream"}`
		}
		msg, _ := json.Marshal(fmt.Sprintf("Error from provider(deepseek,%s: %d): %s", b.Model, status, upstream))
		h.Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"error":{"message":%s,"type":"api_error","code":"provider_response_error"}}`, msg)
		return true
	}
	return false
}
