package netcheck_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// A relay slower than API_TIMEOUT_MS is DOWN with the setting named as the
// cause (Claude Code 2.1.332 measured: "Request timed out … set
// API_TIMEOUT_MS above 2000" for an answer after 5 s), and raising it, the
// fix, makes the re-test pass.
func TestRelaySlowerThanAPITimeout(t *testing.T) {
	t.Parallel()
	srv := netchecktest.Start(t, netchecktest.SlowResponse) // answers after 600 ms
	target := srv.Target()
	target.APITimeout = flag("300")
	r := netcheck.Run(context.Background(), target, srv.Options())
	if r.Verdict != netcheck.VerdictDown || !slices.Equal(fails(r), []netcheck.Code{netcheck.TimeoutTooLow}) {
		t.Fatalf("verdict %s, fails %v; want down, [TIMEOUT_TOO_LOW]", r.Verdict, fails(r))
	}
	for _, f := range r.Findings {
		if f.Code == netcheck.TimeoutTooLow && !strings.Contains(f.Summary.EN, "API_TIMEOUT_MS (300 ms)") {
			t.Errorf("the summary does not name the setting: %q", f.Summary.EN)
		}
	}
	target.APITimeout = flag("600000") // the fix: raised (doctor proposes from the measurements)
	r = netcheck.Run(context.Background(), target, srv.Options())
	if r.Has(netcheck.TimeoutTooLow) || r.Verdict == netcheck.VerdictDown {
		t.Errorf("after the fix: verdict %s, findings %v; want no TIMEOUT_TOO_LOW", r.Verdict, fails(r))
	}
}

// A slow first request must not leave the stream check a scrap of the
// budget and call it STREAM_STALLED: the stream check ends as skipped, "not
// enough time", and the verdict is the slow answer's, not the network's.
func TestStreamOutOfBudgetIsNotAStall(t *testing.T) {
	t.Parallel()
	srv := netchecktest.Start(t, netchecktest.SlowResponse) // every answer after 600 ms
	opts := srv.Options()
	opts.Stream, opts.NoGenerate, opts.Timeout = true, true, 1000*time.Millisecond // count_tokens, then the stream check
	r := netcheck.Run(context.Background(), srv.Target(), opts)
	if r.Has(netcheck.StreamStalled) || r.Verdict == netcheck.VerdictDown {
		t.Errorf("verdict %s, fails %v: the run's own budget was blamed on the network", r.Verdict, fails(r))
	}
	for _, c := range r.Checks {
		if c.ID == netcheck.CheckStream && (c.Status != netcheck.StatusSkip || !strings.Contains(c.Summary.EN, "time limit")) {
			t.Errorf("stream: %s %q; want skip, saying the time ran out", c.Status, c.Summary.EN)
		}
	}
}

// A gateway that answers 529 once and then well: Claude Code 2.1.332
// retries and answers "Hi", so the check, which asks again as it does, says
// degraded (the 529 as a warning), not down. One that answers 529 every
// time stays down.
func TestFlakyEndpointRetried(t *testing.T) {
	t.Parallel()
	for _, always := range []bool{false, true} {
		var n atomic.Int32
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("request-id", "req_flaky")
			if n.Add(1) == 1 || always {
				w.WriteHeader(529)
				io.WriteString(w, `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`)
				return
			}
			io.WriteString(w, `{"input_tokens":8}`)
		}))
		defer ts.Close()
		target := claudesettings.Target{BaseURL: flag(ts.URL), Credential: claudesettings.Credential{Secret: netchecktest.TestKey, Kind: claudesettings.KindAPIKey}}
		r := netcheck.Run(context.Background(), target, netcheck.Options{NoGenerate: true, Timeout: 5 * time.Second})
		switch {
		case !always && (r.Verdict != netcheck.VerdictDegraded || !r.Has(netcheck.Overloaded) || n.Load() != 2):
			t.Errorf("529 once: verdict %s, fails %v, %d requests; want degraded with OVERLOADED as a warning, after 2 requests", r.Verdict, fails(r), n.Load())
		case always && (r.Verdict != netcheck.VerdictDown || !slices.Contains(fails(r), netcheck.Overloaded)):
			t.Errorf("529 always: verdict %s, fails %v; want down, OVERLOADED", r.Verdict, fails(r))
		}
	}
}

// A request the check's own time limit ends, while Claude Code would still
// wait (API_TIMEOUT_MS longer), is not a verdict of down: NO_RESPONSE as a
// warning saying the time limit ended it. With API_TIMEOUT_MS shorter than
// the wait, Claude Code gives up too: a failure.
func TestNoAnswerWithinTheCheck(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer ts.Close()
	defer close(release)
	for _, c := range []struct {
		timeout string
		want    netcheck.Verdict
	}{{"", netcheck.VerdictDegraded}, {"300", netcheck.VerdictDown}} {
		target := claudesettings.Target{BaseURL: flag(ts.URL), APITimeout: flag(c.timeout), Credential: claudesettings.Credential{Secret: netchecktest.TestKey, Kind: claudesettings.KindAPIKey}}
		if c.timeout == "" {
			target.APITimeout = claudesettings.Setting{}
		}
		r := netcheck.Run(context.Background(), target, netcheck.Options{Timeout: time.Second})
		if r.Verdict != c.want || !r.Has(netcheck.NoResponse) {
			t.Errorf("API_TIMEOUT_MS %q: verdict %s, findings %v; want %s with NO_RESPONSE", c.timeout, r.Verdict, r.Findings, c.want)
		}
	}
}

// An answer slow to start whose events then come together is slow, not a
// stream held back: STREAM_BUFFERED counts from the headers, not from the
// request (the stream of a 3 s answer in scripts/client-rules' fake read as
// buffered before).
func TestSlowStartIsNotBuffering(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(400 * time.Millisecond) // before the headers
		w.Header().Set("Content-Type", "text/event-stream")
		w.Header().Set("request-id", "req_slow")
		io.WriteString(w, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"usage\":{\"input_tokens\":8,\"output_tokens\":1}}}\n\n"+
			"event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"+
			"event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"+
			"event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"+
			"event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":1}}\n\n"+
			"event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")
	}))
	defer ts.Close()
	target := claudesettings.Target{BaseURL: flag(ts.URL), Credential: claudesettings.Credential{Secret: netchecktest.TestKey, Kind: claudesettings.KindAPIKey}}
	r := netcheck.Run(context.Background(), target, netcheck.Options{Timeout: 5 * time.Second})
	if r.Has(netcheck.StreamBuffered) {
		t.Errorf("findings %v: a late start called buffering", r.Findings)
	}
	if c, _ := r.Check(netcheck.CheckStream); c.Status != netcheck.StatusPass {
		t.Errorf("stream %s %q, want pass (the generating request's stream)", c.Status, c.Summary.EN)
	}
}
