package netcheck_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

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
