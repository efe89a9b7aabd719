package netcheck

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"unicode/utf8"
)

func readAll(t testing.TB, in string) ([]SSEEvent, error) {
	t.Helper()
	s := NewSSEReader(strings.NewReader(in))
	var evs []SSEEvent
	for {
		ev, err := s.Next()
		if err != nil {
			return evs, err
		}
		evs = append(evs, ev)
	}
}

func TestSSEReader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []SSEEvent
		err  error
	}{
		{"anthropic events", "event: message_start\ndata: {\"type\":\"message_start\"}\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n",
			[]SSEEvent{{Name: "message_start", Data: `{"type":"message_start"}`}, {Name: "ping", Data: `{"type": "ping"}`}}, io.EOF},
		{"empty body", "", nil, io.EOF},
		{"CRLF and CR line ends", "event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\r",
			[]SSEEvent{{Name: "a", Data: "1"}, {Name: "b", Data: "2"}}, io.EOF},
		{"multi-line data, comment, no event name", ": keep-alive\ndata: one\ndata:two\n\n",
			[]SSEEvent{{Name: "message", Data: "one\ntwo"}}, io.EOF},
		{"id and unknown fields", "id: 7\nretry: 10\nfoo\ndata: x\n\n", []SSEEvent{{Name: "message", Data: "x", ID: "7"}}, io.EOF},
		{"event without data is not dispatched", "event: nothing\n\nevent: e\ndata: d\n\n", []SSEEvent{{Name: "e", Data: "d"}}, io.EOF},
		{"cut inside an event", "event: message_start\ndata: {}\n\nevent: content_block_start\ndata: {", []SSEEvent{{Name: "message_start", Data: "{}"}}, io.ErrUnexpectedEOF},
		{"cut after the fields, before the blank line", "event: a\ndata: 1\n", nil, io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readAll(t, tt.in)
			if !errors.Is(err, tt.err) {
				t.Errorf("err %v, want %v", err, tt.err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("events %q, want %q", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("event %d: %q, want %q", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSSELineTooLong(t *testing.T) {
	in := "data: " + strings.Repeat("x", MaxSSELine+10) + "\n\n"
	if _, err := readAll(t, in); !errors.Is(err, ErrSSELineTooLong) {
		t.Errorf("err %v, want ErrSSELineTooLong", err)
	}
}

// encodeSSE writes events back in their simplest form.
func encodeSSE(evs []SSEEvent) string {
	var b strings.Builder
	for _, ev := range evs {
		b.WriteString("event: " + ev.Name + "\n")
		if ev.ID != "" {
			b.WriteString("id: " + ev.ID + "\n")
		}
		for _, line := range strings.Split(ev.Data, "\n") {
			b.WriteString("data: " + line + "\n")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// FuzzSSEReader: any bytes parse without a panic into events that hold no
// line break in their name, whose data is no longer than the input, and
// that read back the same once written out again.
func FuzzSSEReader(f *testing.F) {
	f.Add([]byte("event: message_start\ndata: {\"type\":\"message_start\"}\n\nevent: message_stop\ndata: {}\n\n"))
	f.Add([]byte("event: error\r\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"}}\r\n\r\n"))
	f.Add([]byte(": comment\rdata:a\rdata: b\r\rid: 1\ndata\n\n"))
	f.Add([]byte("data: cut"))
	f.Add([]byte("\n\n\n"))
	f.Fuzz(func(t *testing.T, in []byte) {
		s := NewSSEReader(bytes.NewReader(in))
		var evs []SSEEvent
		for {
			ev, err := s.Next()
			if err != nil {
				if err != io.EOF && err != io.ErrUnexpectedEOF && err != ErrSSELineTooLong {
					t.Fatalf("unexpected error %v", err)
				}
				break
			}
			if strings.ContainsAny(ev.Name, "\r\n") || strings.ContainsAny(ev.ID, "\r\n") {
				t.Fatalf("a line break in a field: %q", ev)
			}
			if len(ev.Data) > len(in) {
				t.Fatalf("more data than input")
			}
			evs = append(evs, ev)
		}
		if s.Bytes > int64(len(in)) {
			t.Fatalf("counted %d bytes of %d", s.Bytes, len(in))
		}
		again, err := readAll(t, encodeSSE(evs))
		if err != io.EOF || len(again) != len(evs) {
			t.Fatalf("round trip: %d events (%v), want %d", len(again), err, len(evs))
		}
		for i := range evs {
			// A data line that holds a CR becomes two lines when written out; skip those.
			if !strings.Contains(evs[i].Data, "\r") && again[i] != evs[i] {
				t.Fatalf("round trip: %q, want %q", again[i], evs[i])
			}
		}
	})
}

func TestScrub(t *testing.T) {
	secret := "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789-AAAA"
	other := "sk-ant-oat01-ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210-BBBB"
	for _, in := range []string{"invalid key " + secret, "token " + other + " rejected", secret + secret} {
		out := scrub(in, secret)
		if strings.Contains(out, secret) || strings.Contains(out, other) {
			t.Errorf("scrub(%q) = %q still holds a key", in, out)
		}
	}
}

// ParseErrorBody reads the error shapes of the API, relays, routers and web
// frameworks (from their sources: claude-code-router, one-api/new-api,
// LiteLLM, fastify, gin, FastAPI).
func TestParseErrorBody(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want ErrorBody
		ok   bool
	}{
		{"the Claude API", `{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_1"}`,
			ErrorBody{Shape: ShapeAnthropic, Type: "authentication_error", Message: "invalid x-api-key"}, true},
		{"the API without the outer type", `{"error":{"type":"forbidden","message":"Request not allowed"}}`,
			ErrorBody{Shape: ShapeAnthropic, Type: "forbidden", Message: "Request not allowed"}, true},
		{"new-api's own", `{"error":{"message":"无效的令牌 (request id: 2026120110)","type":"new_api_error","code":""}}`,
			ErrorBody{Shape: ShapeOpenAI, Type: "new_api_error", Message: "无效的令牌 (request id: 2026120110)"}, true},
		{"one-api's own", `{"error":{"message":"无效的令牌","type":"one_api_error"}}`,
			ErrorBody{Shape: ShapeOpenAI, Type: "one_api_error", Message: "无效的令牌"}, true},
		{"OpenAI: Invalid URL", `{"error":{"message":"Invalid URL (POST /v1/messages)","type":"invalid_request_error","param":null,"code":null}}`,
			ErrorBody{Shape: ShapeOpenAI, Type: "invalid_request_error", Message: "Invalid URL (POST /v1/messages)", OpenAIParam: true}, true},
		{"LiteLLM", `{"error":{"message":"Authentication Error, Invalid proxy server token passed.","type":"auth_error","param":"None","code":"401"}}`,
			ErrorBody{Shape: ShapeOpenAI, Type: "auth_error", Message: "Authentication Error, Invalid proxy server token passed.", Code: "401", OpenAIParam: true}, true},
		{"a numeric code", `{"error":{"message":"x","type":"t","code":429}}`, ErrorBody{Shape: ShapeOpenAI, Type: "t", Message: "x", Code: "429"}, true},
		{"fastify's 404", `{"message":"Route POST:/v1/messages/count_tokens?beta=true not found","error":"Not Found","statusCode":404}`,
			ErrorBody{Shape: ShapeOther, Type: "Not Found", Message: "Route POST:/v1/messages/count_tokens?beta=true not found"}, true},
		{"a string error", `{"error":"Missing model in request body"}`, ErrorBody{Shape: ShapeOther, Message: "Missing model in request body"}, true},
		{"FastAPI", `{"detail":"Not Found"}`, ErrorBody{Shape: ShapeOther, Message: "Not Found"}, true},
		{"a message object", `{"type":"message","role":"assistant","content":[]}`, ErrorBody{}, false},
		{"a count", `{"input_tokens":8}`, ErrorBody{}, false},
		{"HTML", `<html><title>502</title></html>`, ErrorBody{}, false},
		{"a JSON string", `"error"`, ErrorBody{}, false},
		{"an empty error", `{"error":{}}`, ErrorBody{}, false},
		{"null", `null`, ErrorBody{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseErrorBody([]byte(tt.in))
		if ok != tt.ok || got.Upstream != nil || got.Shape != tt.want.Shape || got.Type != tt.want.Type || got.Message != tt.want.Message ||
			got.Code != tt.want.Code || got.OpenAIParam != tt.want.OpenAIParam {
			t.Errorf("%s: %+v, %v; want %+v, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

// A router's wrapped upstream error is read as the upstream's.
func TestParseErrorBodyUpstream(t *testing.T) {
	tests := []struct {
		in   string
		want UpstreamError
	}{
		{`{"error":{"message":"Error from provider(anthropic,claude-opus-5-5: 401): {\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}","type":"api_error","code":"provider_response_error"}}`,
			UpstreamError{Provider: "anthropic", Model: "claude-opus-5-5", Status: 401, Type: "authentication_error", Message: "invalid x-api-key"}},
		{`{"error":{"message":"Error from provider(deepseek,deepseek-chat: 402): {\"error\":{\"message\":\"Insufficient Balance\",\"type\":\"unknown_error\",\"param\":null,\"code\":\"invalid_request_error\"}}","type":"api_error","code":"provider_response_error"}}`,
			UpstreamError{Provider: "deepseek", Model: "deepseek-chat", Status: 402, Type: "unknown_error", Message: "Insufficient Balance"}},
		{`{"error":{"message":"Error from provider(gemini,gemini-2.5-flash): 401 not json","type":"api_error"}}`,
			UpstreamError{Provider: "gemini", Model: "gemini-2.5-flash", Message: "401 not json"}},
		// claude-code-router 3.1.1 (its next-ai-gateway's "All target providers failed.", the last attempt's status)
		{`{"error":{"message":"All target providers failed.","target_providers":["p1"],"target_provider_names":["deepseek"],"attempts":[{"provider":"p1","provider_name":"deepseek","stage":"upstream","message":"{\"error\":{\"message\":\"Authentication Fails, Your api key: ****abcd is invalid\",\"type\":\"authentication_error\"}}","status":401}]}}`,
			UpstreamError{Provider: "deepseek", Status: 401, Type: "authentication_error", Message: "Authentication Fails, Your api key: ****abcd is invalid"}},
	}
	for _, tt := range tests {
		got, ok := ParseErrorBody([]byte(tt.in))
		if !ok || got.Upstream == nil || *got.Upstream != tt.want {
			t.Errorf("ParseErrorBody(%s): %+v %+v", tt.in, got, got.Upstream)
		}
	}
}

func FuzzParseErrorBody(f *testing.F) {
	f.Add([]byte(`{"error":{"message":"Error from provider(a,b: 401): {\"error\":{\"message\":\"Error from provider(c,d: 500): x\"}}","type":"api_error"}}`))
	f.Add([]byte(`{"message":"Route GET:/ not found","error":"Not Found","statusCode":404}`))
	f.Add([]byte(`{"error":{"message":"无效的令牌","type":"new_api_error","code":null,"param":""}}`))
	f.Add([]byte(`{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"},"request_id":"req_011"}`))
	f.Add([]byte(`{"error":{"type":"x","message":"\u0000\ud800"}}`))
	f.Add([]byte(`<!DOCTYPE html><html><head><title>Sign in</title></head></html>`))
	f.Add([]byte(`{"error":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, ok := ParseErrorBody(body)
		if !ok {
			return
		}
		if e.Shape == "" {
			t.Fatal("ok without a shape")
		}
		for _, s := range []string{e.Type, e.Message, e.Code} {
			if !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n") || len(s) > maxMessage+len("…") {
				t.Fatalf("not one bounded line of valid UTF-8: %q", s)
			}
		}
	})
}

func TestIsModelError(t *testing.T) {
	const model = "claude-opus-5-5"
	tests := []struct {
		status int
		body   string
		want   bool
	}{
		{404, `{"type":"error","error":{"type":"not_found_error","message":"model: claude-opus-5-5"}}`, true},
		{503, `{"error":{"message":"当前分组 default 下对于模型 claude-opus-5-5 无可用渠道 (request id: 1)","type":"new_api_error"}}`, true},
		{403, `{"error":{"message":"该令牌无权访问模型 claude-opus-5-5","type":"new_api_error"}}`, true},
		{400, `{"error":{"message":"400: {'error': 'Invalid model name passed in model=claude-opus-5-5'}","type":"None","param":"None","code":"400"}}`, true},
		{404, `{"error":{"message":"The model claude-opus-5-5 does not exist","type":"invalid_request_error","code":"model_not_found"}}`, true},
		{404, `{"error":{"message":"Error from provider(anthropic,claude-opus-5-5: 404): {\"type\":\"error\",\"error\":{\"type\":\"not_found_error\",\"message\":\"model: claude-opus-5-5\"}}","type":"api_error"}}`, true},
		{404, `{"type":"error","error":{"type":"not_found_error","message":"Not Found"}}`, false},
		{401, `{"type":"error","error":{"type":"authentication_error","message":"OAuth authentication is currently not supported."}}`, false},
		{400, `{"type":"error","error":{"type":"invalid_request_error","message":"Unexpected value(s) ` + "`x`" + ` for the ` + "`anthropic-beta`" + ` header."}}`, false},
		{500, `{"type":"error","error":{"type":"api_error","message":"model: claude-opus-5-5 is broken"}}`, false},
		{200, `{"type":"message","role":"assistant","model":"claude-opus-5-5"}`, false},
	}
	for _, tt := range tests {
		a := answer{status: tt.status}
		a.err, a.hasErr = ParseErrorBody([]byte(tt.body))
		if got := isModelError(a, model); got != tt.want {
			t.Errorf("isModelError(%d %s) = %v, want %v", tt.status, tt.body, got, tt.want)
		}
	}
}
