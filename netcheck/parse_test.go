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

func TestParseAPIError(t *testing.T) {
	tests := []struct {
		in   string
		want APIError
		ok   bool
	}{
		{`{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":"req_1"}`,
			APIError{"authentication_error", "invalid x-api-key", "req_1"}, true},
		{`{"error":{"type":"forbidden","message":"Request not allowed"}}`, APIError{"forbidden", "Request not allowed", ""}, true},
		{`{"type":"error","error":{"type":"api_error","message":"a\nb   c"}}`, APIError{"api_error", "a b c", ""}, true},
		{`<html><title>502 Bad Gateway</title></html>`, APIError{}, false},
		{`{"error":"plain string"}`, APIError{}, false},
		{`{"type":"message","error":{"type":"x"}}`, APIError{}, false},
		{`{"error":{"message":"no type"}}`, APIError{}, false},
		{``, APIError{}, false},
	}
	for _, tt := range tests {
		got, ok := ParseAPIError([]byte(tt.in))
		if ok != tt.ok || got != tt.want {
			t.Errorf("ParseAPIError(%q) = %+v, %v; want %+v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
	long, _ := ParseAPIError([]byte(`{"error":{"type":"t","message":"` + strings.Repeat("é", 1000) + `"}}`))
	if len(long.Message) > maxMessage+len("…") || !utf8.ValidString(long.Message) {
		t.Errorf("a long message is not cut cleanly: %d bytes", len(long.Message))
	}
}

// FuzzErrorBody: any body parses without a panic; a parsed error has a
// type, valid UTF-8 on one line, and bounded lengths.
func FuzzErrorBody(f *testing.F) {
	f.Add([]byte(`{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"},"request_id":"req_011"}`))
	f.Add([]byte(`{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`))
	f.Add([]byte(`{"error":{"type":"forbidden","message":"Request not allowed"}}`))
	f.Add([]byte(`<!DOCTYPE html><html><head><title>Sign in</title></head></html>`))
	f.Add([]byte(`{"error":{"type":"x","message":"\u0000\ud800"}}`))
	f.Add([]byte(`{"error":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		e, ok := ParseAPIError(body)
		if !ok {
			if e != (APIError{}) {
				t.Fatalf("not ok but %+v", e)
			}
			return
		}
		if e.Type == "" {
			t.Fatal("ok without a type")
		}
		for _, s := range []string{e.Type, e.Message, e.RequestID} {
			if !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n") {
				t.Fatalf("not one line of valid UTF-8: %q", s)
			}
		}
		if len(e.Message) > maxMessage+len("…") || len(e.Type) > 64+len("…") {
			t.Fatalf("too long: %d", len(e.Message))
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
