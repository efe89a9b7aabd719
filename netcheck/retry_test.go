package netcheck

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The measurements these rules copy are in docs/client-rules.md: Claude Code
// 2.1.332, `claude -p hi`, a loopback fake, CLAUDE_CODE_MAX_RETRIES small.

// Measured: an answer after 5 s with API_TIMEOUT_MS=2000 failed ("Request
// timed out … set API_TIMEOUT_MS above 2000"); after 3 s with 5000 it
// answered "Hi"; a stream that started at once and then kept silent, or
// sent pings, for 6 s with 2000 answered "Hi" (the timeout bounds the wait
// for the headers, not the stream).
func TestClaudeCodeTimesOut(t *testing.T) {
	for _, c := range []struct {
		took, timeout time.Duration
		want          bool
	}{
		{5 * time.Second, 2 * time.Second, true},
		{3 * time.Second, 5 * time.Second, false},
		{10 * time.Millisecond, 2 * time.Second, false}, // headers at once, then 6 s of silence or pings: "Hi"
	} {
		if got := claudeCodeTimesOut(c.took, c.timeout); got != c.want {
			t.Errorf("claudeCodeTimesOut(%v, %v) = %v, want %v", c.took, c.timeout, got, c.want)
		}
	}
}

// Measured with CLAUDE_CODE_MAX_RETRIES=2: three requests for 401, 408,
// 409, 429 (retry-after: 1), 500, 502, 503, 504, 529; one for 403 and 413;
// 400 only the beta fallback's quick resends, 404 only the non-streaming
// fallback, neither with backoff.
func TestClaudeCodeRetries(t *testing.T) {
	retried := []int{401, 408, 409, 429, 500, 502, 503, 504, 529}
	final := []int{400, 403, 404, 413}
	for _, s := range retried {
		if !claudeCodeRetries(s) {
			t.Errorf("claudeCodeRetries(%d) = false; Claude Code 2.1.332 retried it", s)
		}
	}
	for _, s := range final {
		if claudeCodeRetries(s) {
			t.Errorf("claudeCodeRetries(%d) = true; Claude Code 2.1.332 did not retry it", s)
		}
	}
}

// Measured (API_TIMEOUT_MS=2000, an answer after 5 s): the tries began at
// 0, 2.5–2.6 s and 5.7–6.1 s, and the message came about 2 s after the last
// one; pauses between tries after a fast error: 0.5–0.65 s, then 1.0–1.2 s.
func TestClaudeCodeWait(t *testing.T) {
	if b1, b2 := claudeCodeBackoff(1), claudeCodeBackoff(2); b1 != 500*time.Millisecond || b2 != time.Second {
		t.Errorf("backoff %v, %v; measured 0.5–0.65 s then 1.0–1.2 s", b1, b2)
	}
	for _, c := range []struct {
		retries  int
		min, max time.Duration // from the first request to the message, as measured
	}{
		{0, 2 * time.Second, 2200 * time.Millisecond},
		{1, 4400 * time.Millisecond, 5 * time.Second},
		{2, 7500 * time.Millisecond, 8200 * time.Millisecond},
	} {
		if w := claudeCodeWait(2*time.Second, c.retries); w < c.min || w > c.max {
			t.Errorf("claudeCodeWait(2s, %d) = %v, measured %v–%v", c.retries, w, c.min, c.max)
		}
	}
	if w := claudeCodeWait(600*time.Second, 15); w > 3*time.Hour {
		t.Errorf("claudeCodeWait grows without its 32 s cap: %v", w)
	}
}

// Measured: a 307 or 308 to another path answered "Hi" (the POST and its
// body followed); a 301 or 302 made Claude Code fail with "There's an issue
// with the selected model" (fetch follows them as a GET). The check follows
// the first and reports the second; a loop ends at fetch's 20 hops.
func TestClaudeCodeRedirect(t *testing.T) {
	mux := http.NewServeMux()
	for _, code := range []int{301, 302, 303, 307, 308} {
		mux.HandleFunc("/"+strconv.Itoa(code)+"/v1/messages", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/v1/messages", code)
		})
	}
	mux.HandleFunc("/loop", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop", 307) })
	mux.HandleFunc("/v1/messages", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		io.WriteString(w, r.Method+" "+string(b))
	})
	ts := httptest.NewServer(mux)
	defer ts.Close()
	c := &http.Client{CheckRedirect: claudeCodeRedirect}
	post := func(path string) (int, string) {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(`{"max_tokens":1}`))
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, code := range []int{307, 308} {
		if s, body := post("/" + strconv.Itoa(code) + "/v1/messages"); s != 200 || body != `POST {"max_tokens":1}` {
			t.Errorf("%d: got %d %q, want the POST and its body followed", code, s, body)
		}
	}
	for _, code := range []int{301, 302, 303} {
		if s, _ := post("/" + strconv.Itoa(code) + "/v1/messages"); s != code {
			t.Errorf("%d: got %d, want the redirect itself as the answer", code, s)
		}
	}
	if s, _ := post("/loop"); s != 307 {
		t.Errorf("a redirect loop: got %d, want the last 307 after %d hops", s, maxRedirects)
	}
}

// TIMEOUT_TOO_LOW and SLOW_RESPONSE name the setting, give a reason for
// every number, and never propose the value already set.
func TestTimeoutFindings(t *testing.T) {
	ms := func(n int64) config {
		return config{apiTimeout: time.Duration(n) * time.Millisecond, timeoutSet: n != 600000}
	}
	// slower than the setting: a failure, the setting named
	fs := timeoutFindings(5*time.Second, 5*time.Second, ms(2000), 0, defaultMaxRetries)
	if len(fs) != 1 || fs[0].Code != TimeoutTooLow || fs[0].Severity != SeverityFail {
		t.Fatalf("5 s against 2000 ms: %+v, want one TIMEOUT_TOO_LOW fail", fs)
	}
	if !strings.Contains(fs[0].Summary.EN, "API_TIMEOUT_MS (2000 ms)") || !strings.Contains(fs[0].Fix.EN, "600000 ms (10 minutes)") || strings.Contains(fs[0].Fix.EN, "2000") {
		t.Errorf("summary %q / fix %q: want the setting named, the default explained, the current value never proposed", fs[0].Summary.EN, fs[0].Fix.EN)
	}
	// within the default: slow, but the timeout is not the cause
	fs = timeoutFindings(4*time.Second, 4*time.Second, ms(600000), 0, defaultMaxRetries)
	if len(fs) != 1 || fs[0].Code != SlowResponse || fs[0].Severity != SeverityWarn {
		t.Fatalf("4 s against the default: %+v, want one SLOW_RESPONSE warning", fs)
	}
	if strings.Contains(fs[0].Fix.EN, "Raise") || strings.Contains(fs[0].Fix.EN, "e.g.") {
		t.Errorf("SLOW_RESPONSE's fix with the default set proposes a timeout: %q", fs[0].Fix.EN)
	}
	// a low setting that still holds: a warning, with its reason, once
	fs = timeoutFindings(50*time.Millisecond, 40*time.Millisecond, ms(5000), 0, defaultMaxRetries)
	if len(fs) != 1 || fs[0].Code != TimeoutTooLow || fs[0].Severity != SeverityWarn || !strings.Contains(fs[0].Summary.EN, "under a minute") {
		t.Fatalf("fast against 5000 ms: %+v, want one TIMEOUT_TOO_LOW warning saying why", fs)
	}
	// near a large setting
	fs = timeoutFindings(50*time.Second, 50*time.Second, ms(90000), 0, defaultMaxRetries)
	if len(fs) != 1 || fs[0].Code != TimeoutTooLow || fs[0].Severity != SeverityWarn || !strings.Contains(fs[0].Summary.EN, "over half") {
		t.Fatalf("50 s against 90000 ms: %+v, want one TIMEOUT_TOO_LOW warning", fs)
	}
	// fast, default: nothing
	if fs = timeoutFindings(20*time.Millisecond, 10*time.Millisecond, ms(600000), 0, defaultMaxRetries); len(fs) != 0 {
		t.Errorf("fast against the default: %+v, want nothing", fs)
	}
}

// Measured: Claude Code 2.1.332 retries a 401 (three requests with two
// retries; with the default ten it was still retrying after 60 s), so the
// summary says how long it takes to show the error; a 403 is not retried.
func TestRetryNote(t *testing.T) {
	n := retryNote(401, defaultMaxRetries)
	if !strings.Contains(n.EN, "retries this answer") || !strings.Contains(n.EN, "about 160 s") || n.ZH == "" {
		t.Errorf("retryNote(401) = %q", n.EN)
	}
	if n := retryNote(403, defaultMaxRetries); n.EN != "" || n.ZH != "" {
		t.Errorf("retryNote(403) = %q, want nothing (not retried)", n.EN)
	}
}
