package claudetranscript

import (
	"context"
	"path/filepath"
	"testing"
	"time"
)

// A request whose retries stopped with neither an answer nor a <synthetic>
// "API Error" end was given up (Claude Code killed mid-retry): it is
// Abandoned, not Recovered, even when an answer to a later prompt follows in
// the same file. Only an answer with no user entry between recovers it.
func TestScanAbandoned(t *testing.T) {
	const (
		t1 = "2026-12-07T10:00:01Z"
		t2 = "2026-12-07T10:00:02Z"
		t3 = "2026-12-07T10:00:03Z"
		t4 = "2026-12-07T10:00:04Z"
		t5 = "2026-12-07T10:00:05Z"
	)
	e1 := apiErrorLine(t1, 529, "529 Overloaded", 1, 5, "a1")
	e2 := apiErrorLine(t2, 529, "529 Overloaded", 2, 5, "a2")
	tests := []struct {
		name    string
		content string
		quiet   time.Duration // the file's age
		// the newest failure's
		attempts                   int
		recovered, open, abandoned bool
		failures                   int
	}{
		// Measured: 2.1.332 -p with a 529 fake and MAX_RETRIES=5, SIGINT after
		// 3 failed tries (it writes "[Request interrupted by user]"), then
		// `claude -c -p` against a healthy fake (a "No response requested."
		// entry, a new prompt, its answer).
		{name: "measured Ctrl-C then -c", content: string(fixture(t, "kill332_int")), attempts: 3, abandoned: true, failures: 1},
		// The same with SIGHUP (the terminal closed): nothing written at the kill.
		{name: "measured SIGHUP then -c", content: string(fixture(t, "kill332_hup")), attempts: 3, abandoned: true, failures: 1},
		{name: "new prompt, then its answer", content: e1 + e2 + userLine(t3, "next") + requestLine(t3, "r9", "") + answerLine(t4, "x"), attempts: 2, abandoned: true, failures: 1},
		{name: "interrupted", content: e1 + e2 + interruptLine(t3), attempts: 2, abandoned: true, failures: 1},
		{name: "resumed: no response requested", content: e1 + noResponseLine(t3), attempts: 1, abandoned: true, failures: 1},
		{name: "answer to the same request", content: e1 + e2 + requestLine(t3, "r3", "r2") + answerLine(t4, "x"), attempts: 2, recovered: true, failures: 1},
		{name: "answer, no api-request entry (older versions)", content: e1 + answerLine(t4, "x"), attempts: 1, recovered: true, failures: 1},
		{name: "retrying still", content: e1 + e2, attempts: 2, open: true, failures: 1},
		{name: "quiet past the retry's wait", content: e1 + e2, quiet: 2 * time.Minute, attempts: 2, abandoned: true, failures: 1},
		{name: "a try in flight, quiet a while", content: e1 + e2 + requestLine(t3, "r3", "r2"), quiet: 5 * time.Minute, attempts: 2, open: true, failures: 1},
		{name: "a try in flight, quiet past its timeout", content: e1 + e2 + requestLine(t3, "r3", "r2"), quiet: 12 * time.Minute, attempts: 2, abandoned: true, failures: 1},
		{name: "given up with API Error", content: e1 + e2 + syntheticLine(t3, 529, "API Error: Repeated 529 Overloaded errors."), quiet: time.Hour, attempts: 3, failures: 1},
		{name: "retry count restarts: the older stopped", content: e1 + e2 + apiErrorLine(t5, 500, "500 Internal server error", 1, 5, "b1"), attempts: 1, open: true, failures: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := put(t, map[string]string{"-home-user-proj/s.jsonl": tt.content})
			if tt.quiet > 0 {
				age(t, filepath.Join(dir, "-home-user-proj", "s.jsonl"), tt.quiet)
			}
			b := scanAll(t, dir)
			if len(b.Failures) != tt.failures {
				t.Fatalf("%d failures, want %d: %+v", len(b.Failures), tt.failures, b.Failures)
			}
			g := b.Failures[0]
			if g.Attempts != tt.attempts || g.Recovered != tt.recovered || g.Open != tt.open || g.Abandoned != tt.abandoned {
				t.Errorf("got Attempts %d Recovered %v Open %v Abandoned %v; want %d %v %v %v", g.Attempts, g.Recovered, g.Open, g.Abandoned,
					tt.attempts, tt.recovered, tt.open, tt.abandoned)
			}
			if g.Abandoned && g.Shown != "" {
				t.Errorf("an abandoned request showed %q", g.Shown)
			}
			for _, o := range b.Failures[1:] {
				if o.Recovered || o.Open || !o.Abandoned {
					t.Errorf("older %+v: want abandoned", o)
				}
			}
		})
	}
}

// The tray's Reader: a request whose file goes quiet is abandoned by the
// clock alone (a Scan with nothing new to read); a late try reopens it, and an
// answer with no prompt between recovers it.
func TestScanAbandonedIncremental(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p", "s.jsonl")
	write(t, path, userLine("2026-12-07T10:00:00Z", "hello")+apiErrorLine("2026-12-07T10:00:01Z", 529, "529 Overloaded", 1, 5, "a1"))
	r := NewReader(dir)
	ctx := context.Background()
	now := time.Now()
	r.now = func() time.Time { return now }
	scan := func(step string) Batch {
		t.Helper()
		b, err := r.Scan(ctx, time.Time{})
		if err != nil {
			t.Fatalf("%s: %v", step, err)
		}
		return b
	}
	if b := scan("first"); len(b.Failures) != 1 || !b.Failures[0].Open || b.Failures[0].Abandoned {
		t.Fatalf("first: %+v", b.Failures)
	}
	if b := scan("idle"); len(b.Failures) != 0 {
		t.Fatalf("idle: %+v", b.Failures)
	}
	now = now.Add(2 * time.Minute) // past the 500 ms wait and the margin
	b := scan("quiet")
	if len(b.Failures) != 1 || b.Failures[0].Open || !b.Failures[0].Abandoned || b.Files != 0 {
		t.Fatalf("quiet: %+v", b)
	}
	id := b.Failures[0].ID
	if b := scan("quiet again"); len(b.Failures) != 0 {
		t.Fatalf("quiet again: %+v", b.Failures)
	}
	// It was only slow: the next try is sent, then answered.
	appendTo(t, path, requestLine("2026-12-07T10:02:01Z", "r2", "r1"))
	if b := scan("late try"); len(b.Failures) != 1 || b.Failures[0].ID != id || !b.Failures[0].Open || b.Failures[0].Abandoned {
		t.Fatalf("late try: %+v", b.Failures)
	}
	appendTo(t, path, answerLine("2026-12-07T10:02:02Z", "fine"))
	if b := scan("answer"); len(b.Failures) != 1 || b.Failures[0].ID != id || !b.Failures[0].Recovered || b.Failures[0].Abandoned {
		t.Fatalf("answer: %+v", b.Failures)
	}

	// A second request stops (quiet), then a new prompt comes: it stays
	// abandoned, and the new prompt's answer does not recover it.
	appendTo(t, path, userLine("2026-12-07T10:03:00Z", "again")+apiErrorLine("2026-12-07T10:03:01Z", 401, "401 invalid x-api-key", 1, 5, "b1"))
	now = time.Now()
	b = scan("second")
	if len(b.Failures) != 1 || b.Failures[0].ID == id || !b.Failures[0].Open {
		t.Fatalf("second: %+v", b.Failures)
	}
	id2 := b.Failures[0].ID
	now = now.Add(2 * time.Minute)
	if b := scan("second quiet"); len(b.Failures) != 1 || !b.Failures[0].Abandoned {
		t.Fatalf("second quiet: %+v", b.Failures)
	}
	appendTo(t, path, userLine("2026-12-07T10:06:00Z", "third")+answerLine("2026-12-07T10:06:02Z", "fine"))
	b = scan("third")
	for _, f := range b.Failures {
		if f.ID == id2 && (f.Recovered || !f.Abandoned) {
			t.Fatalf("third: %+v", f)
		}
	}
}
