package netcheck_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// The rules the differential test (scripts/differential.sh) showed wrong,
// each against a small plain-HTTP gateway: what Claude Code 2.1.332 did on
// the same answer is in the comments.

// apiMessage answers POST /v1/messages with a one-word message, and
// count_tokens with a count, as a relay does.
func apiMessage(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == "/v1/messages/count_tokens" {
		io.WriteString(w, `{"input_tokens":8}`)
		return
	}
	io.WriteString(w, `{"id":"msg_1","type":"message","role":"assistant","model":"claude-opus-5-5","content":[{"type":"text","text":"Hi"}],"stop_reason":"max_tokens","stop_sequence":null,"usage":{"input_tokens":8,"output_tokens":1}}`)
}

func plainTarget(url string) claudesettings.Target {
	return claudesettings.Target{BaseURL: flag(url), Credential: claudesettings.Credential{Secret: netchecktest.TestKey, Kind: claudesettings.KindAPIKey, Var: "ANTHROPIC_API_KEY"}}
}

// A 307 or 308 is followed with the method and body, as Claude Code follows
// it; a 301 or 302 turns Claude Code's POST into a GET and stays a failure.
func TestRedirectsAsClaudeCode(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		status int
		down   bool
	}{{307, false}, {308, false}, {301, true}, {302, true}} {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			t.Parallel()
			mux := http.NewServeMux()
			mux.HandleFunc("/new/", func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodPost {
					http.NotFound(w, r)
					return
				}
				r.URL.Path = r.URL.Path[len("/new"):]
				apiMessage(w, r)
			})
			mux.HandleFunc("/v1/", func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, "/new"+r.URL.RequestURI(), tt.status)
			})
			ts := httptest.NewServer(mux)
			defer ts.Close()
			r := netcheck.Run(context.Background(), plainTarget(ts.URL), netcheck.Options{Timeout: 5 * time.Second})
			if down := r.Verdict == netcheck.VerdictDown; down != tt.down {
				t.Errorf("%d redirect: verdict %s %v, want down=%v", tt.status, r.Verdict, fails(r), tt.down)
			}
		})
	}
}

// Any other 4xx to POST /v1/messages fails Claude Code at once (400, 413,
// 422 measured): down, not a warning.
func TestRequestRefused(t *testing.T) {
	t.Parallel()
	for _, status := range []int{400, 413, 422} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			t.Parallel()
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				fmt.Fprintf(w, `{"error":{"message":"%s (request id: 1)","type":"new_api_error","code":"x"}}`, http.StatusText(status))
			}))
			defer ts.Close()
			r := netcheck.Run(context.Background(), plainTarget(ts.URL), netcheck.Options{Timeout: 5 * time.Second})
			if r.Verdict != netcheck.VerdictDown {
				t.Errorf("%d: verdict %s %v, want down", status, r.Verdict, r.Findings)
			}
		})
	}
}

// An answer slower than API_TIMEOUT_MS: Claude Code gives up ("Request timed
// out"), so TIMEOUT_TOO_LOW is a failure then, a warning otherwise.
func TestTimeoutTooLowFailsWhenTheAnswerIsLater(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(1200 * time.Millisecond)
		apiMessage(w, r)
	}))
	defer ts.Close()
	tg := plainTarget(ts.URL)
	tg.APITimeout = flag("1000")
	r := netcheck.Run(context.Background(), tg, netcheck.Options{Timeout: 5 * time.Second})
	if got := fails(r); !slices.Contains(got, netcheck.TimeoutTooLow) {
		t.Errorf("answer after 1.2 s, API_TIMEOUT_MS=1000: fails %v, want TIMEOUT_TOO_LOW", got)
	}
	tg.APITimeout = flag("5000")
	r = netcheck.Run(context.Background(), tg, netcheck.Options{Timeout: 5 * time.Second})
	if got := fails(r); slices.Contains(got, netcheck.TimeoutTooLow) {
		t.Errorf("answer after 1.2 s, API_TIMEOUT_MS=5000: TIMEOUT_TOO_LOW should stay a warning, fails %v", got)
	}
}

// The stream check as Claude Code 2.1.332 meets streams: an event stream
// served with another content type is read; a stream that ends after a
// message_delta with its stop reason but no message_stop is an answer; a
// broken stream whose non-streaming retry works is a warning.
func TestStreamAsClaudeCode(t *testing.T) {
	t.Parallel()
	events := []string{
		`event: message_start` + "\n" + `data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-opus-5-5","content":[],"stop_reason":null,"usage":{"input_tokens":8,"output_tokens":1}}}`,
		`event: content_block_start` + "\n" + `data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}`,
		`event: content_block_delta` + "\n" + `data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}`,
		`event: content_block_stop` + "\n" + `data: {"type":"content_block_stop","index":0}`,
		`event: message_delta` + "\n" + `data: {"type":"message_delta","delta":{"stop_reason":"max_tokens","stop_sequence":null},"usage":{"output_tokens":1}}`,
		`event: message_stop` + "\n" + `data: {"type":"message_stop"}`,
	}
	for _, tt := range []struct {
		name   string
		ctype  string
		stream []string // what a stream request gets
		status netcheck.Status
		warn   netcheck.Code
	}{
		{"SSE served as text/html", "text/html", events, netcheck.StatusPass, ""},
		{"SSE with no message_stop", "text/event-stream", events[:5], netcheck.StatusPass, ""},
		{"empty stream, non-streaming works", "text/event-stream", nil, netcheck.StatusWarn, netcheck.StreamEmpty},
		{"cut after message_start, non-streaming works", "text/event-stream", events[:1], netcheck.StatusWarn, netcheck.StreamTruncated},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				if r.URL.Path != "/v1/messages" || !strings.Contains(string(b), `"stream":true`) {
					apiMessage(w, r)
					return
				}
				w.Header().Set("Content-Type", tt.ctype)
				for _, e := range tt.stream {
					io.WriteString(w, e+"\n\n")
				}
			}))
			defer ts.Close()
			r := netcheck.Run(context.Background(), plainTarget(ts.URL), netcheck.Options{Timeout: 5 * time.Second, Stream: true})
			var got netcheck.Status
			var codes []netcheck.Code
			for _, c := range r.Checks {
				if c.ID == netcheck.CheckStream {
					got = c.Status
				}
			}
			for _, f := range r.Findings {
				codes = append(codes, f.Code)
			}
			if got != tt.status || r.Verdict == netcheck.VerdictDown || tt.warn != "" && !slices.Contains(codes, tt.warn) {
				t.Errorf("stream check %s, verdict %s, findings %v; want %s, not down, %q", got, r.Verdict, codes, tt.status, tt.warn)
			}
		})
	}
}

// Claude Code trims ANTHROPIC_API_KEY and drops a byte order mark before
// ANTHROPIC_BASE_URL, and answers: a warning at most, and the check sends
// what Claude Code sends.
func TestLooseValuesAsClaudeCode(t *testing.T) {
	t.Parallel()
	srv := netchecktest.Start(t, netchecktest.Healthy)
	for _, tt := range []struct {
		name string
		edit func(*claudesettings.Target)
	}{
		{"key with a trailing line break", func(tg *claudesettings.Target) { tg.Credential.Secret += "\n" }},
		{"key with spaces around", func(tg *claudesettings.Target) { tg.Credential.Secret = " " + tg.Credential.Secret + " " }},
		{"base URL after a BOM", func(tg *claudesettings.Target) { tg.BaseURL.Value = "\ufeff" + tg.BaseURL.Value }},
	} {
		tg := srv.Target()
		tt.edit(&tg)
		r := netcheck.Run(context.Background(), tg, srv.Options())
		if r.Verdict == netcheck.VerdictDown {
			t.Errorf("%s: down %v, but Claude Code answers", tt.name, fails(r))
		}
	}
}

// A gateway that fails the first request once: Claude Code retries and
// answers, so the check retries once too and warns.
func TestRetryOnceAsClaudeCode(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		fail func(w http.ResponseWriter)
		code netcheck.Code
	}{
		{"529 once", func(w http.ResponseWriter) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(529)
			io.WriteString(w, `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)
		}, netcheck.Overloaded},
		{"reset once", func(w http.ResponseWriter) { panic(http.ErrAbortHandler) }, netcheck.NoResponse},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			n := 0
			ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				n++
				first := n == 1
				mu.Unlock()
				if first {
					io.Copy(io.Discard, r.Body)
					tt.fail(w)
					return
				}
				apiMessage(w, r)
			}))
			ts.Config.ErrorLog = log.New(io.Discard, "", 0)
			defer ts.Close()
			r := netcheck.Run(context.Background(), plainTarget(ts.URL), netcheck.Options{Timeout: 5 * time.Second})
			var warned bool
			for _, f := range r.Findings {
				warned = warned || f.Code == tt.code && f.Severity == netcheck.SeverityWarn
			}
			if r.Verdict == netcheck.VerdictDown || !warned {
				t.Errorf("verdict %s, findings %+v; want not down and %s as a warning", r.Verdict, r.Findings, tt.code)
			}
		})
	}
}

// API_TIMEOUT_MS as Claude Code reads it (claudesettings' table; measured
// with 2.1.332: "5000ms", "+5000", "5e3", " 5000 " are 5000 ms, "abc" and a
// quoted value its default, and Claude Code answered with each): a warning
// for a value Claude Code can work with, a failure when it times out every
// request (under a second).
func TestAPITimeoutAsClaudeCode(t *testing.T) {
	t.Parallel()
	srv := netchecktest.Start(t, netchecktest.Healthy)
	for _, tt := range []struct {
		value string
		fail  bool
	}{
		{"5000ms", false}, {"+5000", false}, {"5e3", false}, {" 5000 ", false}, {"abc", false}, {"0", false}, {`"5000"`, false},
		{"1e12", false},                    // no limit, as the table reads it
		{"-1", true}, {"3000000000", true}, // written out of range: a failure, as the engine's tests want (unmeasured here)
		{"10m", true}, {"1.5", true}, // 10 ms, 1 ms: every request times out
	} {
		tg := srv.Target()
		tg.APITimeout = flag(tt.value)
		r := netcheck.Run(context.Background(), tg, netcheck.Options{Only: []netcheck.CheckID{netcheck.CheckConfig}})
		if got := slices.Contains(fails(r), netcheck.ConfigInvalid); got != tt.fail {
			t.Errorf("API_TIMEOUT_MS=%q: CONFIG_INVALID fails %v, want %v (%+v)", tt.value, got, tt.fail, r.Findings)
		}
	}
}

// ANTHROPIC_CUSTOM_HEADERS goes on every request, as Claude Code sends it;
// a line without a colon is dropped, as Claude Code drops it, with a warning.
func TestCustomHeadersAsClaudeCode(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Gateway-Key") != "open-sesame" {
			io.Copy(io.Discard, r.Body)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			io.WriteString(w, `{"error":{"message":"missing or wrong X-Gateway-Key","type":"gateway_error"}}`)
			return
		}
		apiMessage(w, r)
	}))
	defer ts.Close()
	for _, tt := range []struct {
		headers string
		down    bool
	}{
		{"X-Gateway-Key: open-sesame", false},
		{"X-Team: medic\nX-Gateway-Key: open-sesame", false},
		{"X-Gateway-Key open-sesame", true},
		{"", true},
	} {
		tg := plainTarget(ts.URL)
		r := netcheck.Run(context.Background(), tg, netcheck.Options{Timeout: 5 * time.Second, CustomHeaders: flag(tt.headers)})
		if down := r.Verdict == netcheck.VerdictDown; down != tt.down {
			t.Errorf("ANTHROPIC_CUSTOM_HEADERS=%q: verdict %s %v, want down=%v", tt.headers, r.Verdict, fails(r), tt.down)
		}
	}
}
