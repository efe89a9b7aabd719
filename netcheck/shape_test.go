package netcheck_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// ANTHROPIC_CUSTOM_HEADERS is read as Claude Code 2.1.332 read it (measured):
// split at the first colon, trimmed, a line without a colon dropped, the last
// of a name (any case) kept, an empty or spaced name refused.
func TestParseCustomHeaders(t *testing.T) {
	hs, bad, dropped := netcheck.ParseCustomHeaders("NoColonHere\nX-Good: 1\nX-Colon: a:b\nx-good: 2\r\nX-Other:  two words \n")
	want := []netcheck.Header{{"x-good", "2"}, {"X-Colon", "a:b"}, {"X-Other", "two words"}}
	if !slices.Equal(hs, want) || len(bad) != 0 || !slices.Equal(dropped, []string{"line 1"}) {
		t.Errorf("got %q, bad %q, dropped %q", hs, bad, dropped)
	}
	if _, bad, _ := netcheck.ParseCustomHeaders(": emptyname\nBad Name: v"); len(bad) != 2 {
		t.Errorf("bad %q, want the empty name and the spaced one", bad)
	}
}

// The custom headers go out with the request; a spaced name is a finding, never a crash.
func TestCustomHeadersSent(t *testing.T) {
	srv := netchecktest.Start(t, netchecktest.Healthy)
	opts := srv.Options()
	opts.CustomHeaders = claudesettings.Setting{Value: "X-Team: blue\nNoColon", Source: claudesettings.SourceFlag}
	r := netcheck.Run(context.Background(), srv.Target(), opts)
	reqs := srv.Requests()
	if len(reqs) == 0 || reqs[0].Header.Get("X-Team") != "blue" {
		t.Fatalf("requests %d, X-Team %q", len(reqs), reqs[0].Header.Get("X-Team"))
	}
	if r.Verdict != netcheck.VerdictDegraded || !r.Has(netcheck.CustomHeadersInvalid) {
		t.Errorf("verdict %s, findings %v", r.Verdict, r.Findings)
	}
}

// The always-on request keeps Claude Code's structure and stays small: no
// tools, no text of anyone's, about 200 input tokens at most; the full shape
// carries the tools and costs thousands.
func TestCompactRequest(t *testing.T) {
	s := netcheck.BuiltinShape()
	if n := s.RequestTokens(false); n > 250 {
		t.Errorf("compact request: about %d tokens, want at most about 200", n)
	}
	if n := s.RequestTokens(true); n < 5000 {
		t.Errorf("full request: about %d tokens, want Claude Code's size", n)
	}
	srv := netchecktest.Start(t, netchecktest.Healthy)
	netcheck.Run(context.Background(), srv.Target(), srv.Options())
	reqs := srv.Requests()
	if len(reqs) != 1 {
		t.Fatalf("%d requests, want one", len(reqs))
	}
	var body struct {
		Messages []struct {
			Role    string `json:"role"`
			Content []struct {
				Text string `json:"text"`
			} `json:"content"`
		} `json:"messages"`
		Tools    []any           `json:"tools"`
		Thinking json.RawMessage `json:"thinking"`
		Stream   bool            `json:"stream"`
		Max      int             `json:"max_tokens"`
	}
	if err := json.Unmarshal(reqs[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if len(body.Messages) != 2 || body.Messages[0].Role != "user" || body.Messages[1].Role != "system" ||
		!strings.HasPrefix(body.Messages[0].Content[0].Text, "<system-reminder>") || len(body.Tools) != 0 ||
		!body.Stream || body.Max != 1 || string(body.Thinking) != `{"type":"adaptive","display":"omitted"}` {
		t.Errorf("body %s", reqs[0].Body)
	}
	if pc, pd := netcheck.DailyCost(s, 5*time.Minute, true); pc <= 0 || pd != pc*288 {
		t.Errorf("DailyCost = %d, %d", pc, pd)
	}
	if _, pd := netcheck.DailyCost(s, 5*time.Minute, false); pd != 0 {
		t.Errorf("DailyCost without the generating request = %d", pd)
	}
}

// A system role refused is a failure for an unknown Claude Code and advice
// for one that retries without it (2.1.330 and later, measured).
func TestSystemRoleAdvice(t *testing.T) {
	srv := netchecktest.Start(t, netchecktest.SystemRoleRejected)
	r := netcheck.Run(context.Background(), srv.Target(), srv.Options())
	if r.Verdict != netcheck.VerdictDown || len(srv.Requests()) != 2 {
		t.Fatalf("verdict %s, %d requests", r.Verdict, len(srv.Requests()))
	}
	netcheck.AdjustForClaudeCode(r, "2.1.263")
	if r.Verdict != netcheck.VerdictDown {
		t.Errorf("2.1.263: verdict %s", r.Verdict)
	}
	netcheck.AdjustForClaudeCode(r, "2.1.332")
	if r.Verdict != netcheck.VerdictDegraded {
		t.Errorf("2.1.332: verdict %s, findings %v", r.Verdict, r.Findings)
	}
	opts := srv.Options()
	sh := netcheck.BuiltinShape()
	sh.From, sh.Version = netcheck.ShapeTranscript, "2.1.332"
	opts.Request = &sh
	if r := netcheck.Run(context.Background(), srv.Target(), opts); r.Verdict != netcheck.VerdictDegraded || r.RequestFrom != "transcript 2.1.332" {
		t.Errorf("from a 2.1.332 transcript: verdict %s, request_from %q", r.Verdict, r.RequestFrom)
	}
}
