package claudetranscript

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func scanAll(t *testing.T, dir string) Batch {
	t.Helper()
	b, err := NewReader(dir).Scan(context.Background(), time.Time{})
	if err != nil {
		t.Fatalf("Scan: %v", err)
	}
	return b
}

// What the real Claude Code wrote (testdata) gives the failures it met.
func TestScanMeasured(t *testing.T) {
	tests := []struct {
		fixture    string
		want       []Failure // only the fields compared below
		attempts   int
		lastFinal  bool
		shownStart string
	}{
		{fixture: "ok332"},
		{"e401_332", []Failure{{Version: "2.1.332", Status: 401, RequestID: "req_fake401", Message: "401 invalid x-api-key", Attempts: 3, MaxRetries: 2}}, 3, true, "Invalid API key · Fix external API key"},
		{"e401_330", []Failure{{Version: "2.1.330", Status: 401, RequestID: "req_fake401", Message: "401 invalid x-api-key", Attempts: 3, MaxRetries: 2}}, 3, true, "Invalid API key"},
		{"e529_332", []Failure{{Version: "2.1.332", Status: 529, RequestID: "req_fake529", Message: "529 Overloaded", Attempts: 3, MaxRetries: 2}}, 3, true, "API Error: Repeated 529 Overloaded errors."},
		{"ref332", []Failure{{Version: "2.1.332", Connection: "ECONNREFUSED", NetworkDown: true, Message: "Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)", Attempts: 3, MaxRetries: 2}}, 3, true, "API Error: Connection refused"},
		{"ref330", []Failure{{Version: "2.1.330", Connection: "ECONNREFUSED", NetworkDown: true, Message: "Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)", Attempts: 3, MaxRetries: 2}}, 3, true, "API Error: Connection refused"},
		{"rec332", []Failure{{Version: "2.1.332", Status: 529, RequestID: "req_fake529", Message: "529 Overloaded", Attempts: 1, MaxRetries: 2, Recovered: true}}, 1, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			dir := put(t, map[string]string{"-home-user-proj/s.jsonl": string(fixture(t, tt.fixture))})
			b := scanAll(t, dir)
			if b.Skipped != 0 || b.Files != 1 {
				t.Errorf("Skipped %d, Files %d; want 0, 1", b.Skipped, b.Files)
			}
			if len(b.Failures) != len(tt.want) {
				t.Fatalf("%d failures, want %d: %+v", len(b.Failures), len(tt.want), b.Failures)
			}
			if len(b.Attempts) != tt.attempts {
				t.Errorf("%d attempts, want %d", len(b.Attempts), tt.attempts)
			}
			if tt.attempts > 0 {
				last := b.Attempts[len(b.Attempts)-1]
				if last.Final != tt.lastFinal || (tt.lastFinal && last.Attempt != tt.attempts) {
					t.Errorf("last attempt Final %v Attempt %d; want %v %d", last.Final, last.Attempt, tt.lastFinal, tt.attempts)
				}
			}
			for i, w := range tt.want {
				g := b.Failures[i]
				if g.Version != w.Version || g.Status != w.Status || g.RequestID != w.RequestID || g.Message != w.Message ||
					g.Connection != w.Connection || g.NetworkDown != w.NetworkDown || g.Attempts != w.Attempts ||
					g.MaxRetries != w.MaxRetries || g.Recovered != w.Recovered || g.Open {
					t.Errorf("failure\n got %+v\nwant %+v", g, w)
				}
				if !strings.HasPrefix(g.Shown, tt.shownStart) || (tt.shownStart == "") != (g.Shown == "") {
					t.Errorf("Shown %q, want it to start with %q", g.Shown, tt.shownStart)
				}
				if g.Project != "-home-user-proj" || g.Cwd != "/home/user/proj" || g.Session == "" || g.ID == "" || g.First.IsZero() || g.Last.Before(g.First) {
					t.Errorf("identity: %+v", g)
				}
			}
			// Group, from the attempts alone, agrees except for Recovered.
			if tt.attempts > 0 {
				gs := Group(b.Attempts)
				if len(gs) != 1 || gs[0].Attempts != tt.attempts || gs[0].ID != b.Failures[0].ID || gs[0].Open == tt.lastFinal {
					t.Errorf("Group: %+v", gs)
				}
			}
		})
	}
}

// Scan reads only what was appended; a failure still retrying comes again,
// under the same ID, when it gains attempts and ends; a partial last line
// waits for its end.
func TestScanIncremental(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p", "s.jsonl")
	write(t, path, userLine("2026-12-07T10:00:00Z", "hello")+apiErrorLine("2026-12-07T10:00:01Z", 529, "529 Overloaded", 1, 3, "a1"))
	r := NewReader(dir)
	ctx := context.Background()
	b, err := r.Scan(ctx, time.Time{})
	if err != nil || len(b.Failures) != 1 || !b.Failures[0].Open || b.Failures[0].Attempts != 1 {
		t.Fatalf("first scan: %v %+v", err, b.Failures)
	}
	id := b.Failures[0].ID

	// Nothing new: nothing read.
	if b, _ := r.Scan(ctx, time.Time{}); len(b.Failures) != 0 || len(b.Attempts) != 0 || b.Files != 0 {
		t.Fatalf("idle scan: %+v", b)
	}

	// A second attempt, and half of the final entry.
	final := syntheticLine("2026-12-07T10:00:05Z", 529, "API Error: Repeated 529 Overloaded errors.")
	appendTo(t, path, apiErrorLine("2026-12-07T10:00:02Z", 529, "529 Overloaded", 2, 3, "a2")+final[:40])
	b, _ = r.Scan(ctx, time.Time{})
	if len(b.Failures) != 1 || b.Failures[0].ID != id || b.Failures[0].Attempts != 2 || !b.Failures[0].Open || b.Skipped != 0 {
		t.Fatalf("second scan: %+v", b)
	}
	appendTo(t, path, final[40:])
	b, _ = r.Scan(ctx, time.Time{})
	if len(b.Failures) != 1 || b.Failures[0].ID != id || b.Failures[0].Attempts != 3 || b.Failures[0].Open ||
		b.Failures[0].Shown != "API Error: Repeated 529 Overloaded errors." || len(b.Attempts) != 1 || !b.Attempts[0].Final || b.Attempts[0].Attempt != 3 {
		t.Fatalf("third scan: %+v", b)
	}

	// Then a new request fails once and recovers.
	appendTo(t, path, userLine("2026-12-07T10:01:00Z", "again")+apiErrorLine("2026-12-07T10:01:01Z", 0, "Connection refused (ECONNREFUSED)", 1, 3, "b1"))
	b, _ = r.Scan(ctx, time.Time{})
	if len(b.Failures) != 1 || b.Failures[0].ID == id || !b.Failures[0].Open {
		t.Fatalf("fourth scan: %+v", b)
	}
	id2 := b.Failures[0].ID
	appendTo(t, path, answerLine("2026-12-07T10:01:03Z", "fine"))
	b, _ = r.Scan(ctx, time.Time{})
	if len(b.Failures) != 1 || b.Failures[0].ID != id2 || !b.Failures[0].Recovered || b.Failures[0].Open {
		t.Fatalf("fifth scan: %+v", b)
	}

	// The file replaced by a shorter one: read anew.
	write(t, path, apiErrorLine("2026-12-07T11:00:01Z", 401, "401 invalid x-api-key", 1, 3, "c1"))
	b, _ = r.Scan(ctx, time.Time{})
	if len(b.Failures) != 1 || b.Failures[0].Status != 401 || b.Failures[0].Attempts != 1 {
		t.Fatalf("after replace: %+v", b)
	}
}

// The retry count starting again ends the earlier request, even with no
// answer or synthetic entry between (Claude Code stopped while retrying).
func TestScanRetryCountRestarts(t *testing.T) {
	dir := put(t, map[string]string{"p/s.jsonl": apiErrorLine("2026-12-07T10:00:01Z", 529, "529 Overloaded", 1, 10, "a1") +
		apiErrorLine("2026-12-07T10:00:02Z", 529, "529 Overloaded", 2, 10, "a2") +
		apiErrorLine("2026-12-07T10:05:00Z", 500, "500 Internal server error", 1, 10, "b1")})
	b := scanAll(t, dir)
	if len(b.Failures) != 2 {
		t.Fatalf("%+v", b.Failures)
	}
	newest, older := b.Failures[0], b.Failures[1]
	if newest.Status != 500 || !newest.Open || newest.Attempts != 1 || older.Status != 529 || older.Open || older.Attempts != 2 || older.Recovered {
		t.Errorf("newest %+v\nolder %+v", newest, older)
	}
	if g := Group(b.Attempts); len(g) != 2 || g[0].Status != 500 || g[1].Attempts != 2 {
		t.Errorf("Group: %+v", g)
	}
}

// Only files modified within the window are read; attempts and failures before
// `since` are not returned.
func TestScanSince(t *testing.T) {
	dir := put(t, map[string]string{
		"old/s.jsonl": apiErrorLine("2026-01-01T10:00:01Z", 529, "529 Overloaded", 1, 3, "o1"),
		"new/s.jsonl": apiErrorLine("2020-01-01T10:00:01Z", 500, "500 old inside a new file", 1, 3, "n0") +
			syntheticLine("2020-01-01T10:00:02Z", 500, "API Error: 500 old") +
			apiErrorLine(time.Now().UTC().Format(time.RFC3339Nano), 401, "401 now", 1, 3, "n1"),
	})
	age(t, filepath.Join(dir, "old", "s.jsonl"), 48*time.Hour)
	b, err := NewReader(dir).Scan(context.Background(), time.Now().Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if b.Files != 1 || len(b.Failures) != 1 || b.Failures[0].Status != 401 || len(b.Attempts) != 1 {
		t.Errorf("%+v", b)
	}
}

// Claude Code 1.x wrote no api_error entries and no status field, only the
// synthetic "API Error: …" answer; a newer version may change field types.
func TestScanOtherVersions(t *testing.T) {
	old := `{"parentUuid":"p","isSidechain":false,"userType":"external","cwd":"/w","sessionId":"s1","version":"1.0.51","type":"assistant","uuid":"u1","timestamp":"2025-06-01T10:00:00.000Z",` +
		`"message":{"id":"x","model":"<synthetic>","role":"assistant","stop_reason":"stop_sequence","type":"message","content":[{"type":"text","text":"API Error: 401 {\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}"}]},"isApiErrorMessage":true}` + "\n" +
		`{"type":"assistant","uuid":"u2","timestamp":"2025-06-01T10:01:00.000Z","sessionId":"s1","version":"1.0.51","message":{"model":"<synthetic>","role":"assistant","content":"API Error: Connection error. (ECONNRESET)"}}` + "\n" +
		`{"type":"assistant","uuid":"u3","timestamp":"2025-06-01T10:02:00.000Z","sessionId":"s1","message":{"model":"<synthetic>","role":"assistant","content":[{"type":"text","text":"No response requested."}]}}` + "\n"
	newer := `{"type":"system","subtype":"api_error","timestamp":"2027-03-01T10:00:00Z","sessionId":"s2","version":"3.0.0","uuid":"n1","retryAttempt":"1","maxRetries":"4","retryInMs":"250.5",` +
		`"error":{"status":"503","statusText":"Service Unavailable","requestId":42,"formatted":"503 Service Unavailable","connection":"none","isNetworkDown":"false","newField":{"a":[1,2]}},"futureField":true}` + "\n" +
		`{"type":"future-entry","payload":{"x":1}}` + "\n"
	dir := put(t, map[string]string{"a/old.jsonl": old, "b/new.jsonl": newer})
	b := scanAll(t, dir)
	if b.Skipped != 0 || len(b.Failures) != 3 {
		t.Fatalf("Skipped %d, %+v", b.Skipped, b.Failures)
	}
	byVersion := map[string][]Failure{}
	for _, f := range b.Failures {
		byVersion[f.Version] = append(byVersion[f.Version], f)
	}
	n := byVersion["3.0.0"]
	if len(n) != 1 || n[0].Status != 503 || n[0].MaxRetries != 4 || n[0].Message != "503 Service Unavailable" || !n[0].Open || n[0].RequestID != "" {
		t.Errorf("newer: %+v", n)
	}
	o := byVersion["1.0.51"]
	if len(o) != 2 || o[0].Connection != "ECONNRESET" || o[0].Status != 0 || o[1].Status != 401 || o[1].Open || !strings.HasPrefix(o[1].Shown, "API Error: 401") {
		t.Errorf("1.x: %+v", o)
	}
}

// Lines that are not transcript entries are counted, never fatal.
func TestScanBadLines(t *testing.T) {
	good := apiErrorLine("2026-12-07T10:00:01Z", 529, "529 Overloaded", 1, 3, "a1")
	tests := []struct {
		name    string
		content string
		skipped int
		fails   int
	}{
		{"truncated mid-JSON", good[:len(good)/2] + "\n" + good, 1, 1},
		{"truncated api_error", `{"type":"system","subtype":"api_error","error":{"status":5` + "\n", 1, 0},
		{"not JSON", "hello world\n\x00\x01\x02\n[1,2,3]\n" + good, 3, 1},
		{"empty lines and CRLF", "\n\r\n" + strings.TrimSuffix(good, "\n") + "\r\n", 0, 1},
		{"unknown types and fields", `{"type":"mystery","subtype":"api_error_v9"}` + "\n" + `{"type":"assistant","message":{"model":"claude-x","role":"assistant"},"new":1}` + "\n" + good, 0, 1},
		{"api_error word in a prompt", userLine("2026-12-07T10:00:00Z", `the \"subtype\":\"api_error\" thing`) + `{"type":"user","message":{"content":[{"type":"tool_use","input":{"type":"system","subtype":"api_error"}}]}}` + "\n", 0, 0},
		{"invalid UTF-8", "{\"type\":\"system\",\"subtype\":\"api_error\",\"sessionId\":\"s\",\"error\":{\"formatted\":\"bad \xff\xfe bytes\"}}\n", 0, 1},
		{"wrong types everywhere", `{"type":"system","subtype":"api_error","error":[],"retryAttempt":{},"timestamp":5}` + "\n", 0, 1},
		{"no trailing newline", strings.TrimSuffix(good, "\n"), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := scanAll(t, put(t, map[string]string{"p/s.jsonl": tt.content}))
			if b.Skipped != tt.skipped || len(b.Failures) != tt.fails {
				t.Errorf("Skipped %d, failures %d (%+v); want %d, %d", b.Skipped, len(b.Failures), b.Failures, tt.skipped, tt.fails)
			}
			for _, f := range b.Failures {
				if strings.ContainsRune(f.Message, '\xff') || !validUTF8(f.Message) {
					t.Errorf("message not clean UTF-8: %q", f.Message)
				}
			}
		})
	}
}

// A 50 MB line is skipped without being held, the lines around it are read,
// and a line still being written that is already over-long is not read again.
func TestScanHugeLine(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p", "s.jsonl")
	huge := `{"type":"user","message":{"role":"user","content":"` + strings.Repeat("x", 50<<20) + `"}}` + "\n"
	write(t, path, apiErrorLine("2026-12-07T10:00:01Z", 529, "529 Overloaded", 1, 3, "a1")+huge+answerLine("2026-12-07T10:00:03Z", "ok"))
	r := NewReader(dir)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b, err := r.Scan(context.Background(), time.Time{})
	runtime.ReadMemStats(&after)
	// The huge line is a new prompt: the answer after it is not the failed request's.
	if err != nil || b.Skipped != 1 || len(b.Failures) != 1 || b.Failures[0].Recovered || !b.Failures[0].Abandoned {
		t.Fatalf("%v %+v", err, b)
	}
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 8<<20 {
		t.Errorf("a Scan over a 50 MB line allocated %d MB", grown>>20)
	}

	// An over-long answer still being written: skipped now, not re-read later.
	appendTo(t, path, apiErrorLine("2026-12-07T10:01:01Z", 529, "529 Overloaded", 1, 3, "b1")+
		`{"message":{"role":"assistant","model":"claude-opus-5-5","content":"`+strings.Repeat("y", 3<<20))
	b, _ = r.Scan(context.Background(), time.Time{})
	if len(b.Failures) != 1 || !b.Failures[0].Open || b.Skipped != 0 {
		t.Fatalf("while writing: %+v", b)
	}
	appendTo(t, path, `"},"type":"assistant"}`+"\n")
	b, _ = r.Scan(context.Background(), time.Time{})
	if len(b.Failures) != 1 || !b.Failures[0].Recovered || b.Skipped != 1 {
		t.Fatalf("after: %+v", b)
	}
}

// Unreadable files, symlink loops and a missing folder are not errors and never hang.
func TestScanHostileTree(t *testing.T) {
	good := apiErrorLine("2026-12-07T10:00:01Z", 529, "529 Overloaded", 1, 3, "a1")
	dir := put(t, map[string]string{"p/good.jsonl": good, "p/secret.jsonl": apiErrorLine("2026-12-07T10:00:01Z", 529, "529 Overloaded", 1, 3, "a2"), "q/x.txt": "not a transcript"})
	if err := os.Chmod(filepath.Join(dir, "p", "secret.jsonl"), 0); err != nil {
		t.Fatal(err)
	}
	must(t, os.Symlink(filepath.Join(dir, "loop"), filepath.Join(dir, "loop")))
	must(t, os.Symlink(filepath.Join(dir, "p"), filepath.Join(dir, "p", "11111111-2222-3333-4444-555555555555")))
	must(t, os.Symlink(filepath.Join(dir, "p", "self.jsonl"), filepath.Join(dir, "p", "self.jsonl")))
	must(t, os.Symlink(filepath.Join(dir, "p", "good.jsonl"), filepath.Join(dir, "p", "link.jsonl")))
	must(t, os.Mkdir(filepath.Join(dir, "p", "22222222-2222-3333-4444-555555555555"), 0o755))
	must(t, os.Symlink(filepath.Join(dir, "p"), filepath.Join(dir, "p", "22222222-2222-3333-4444-555555555555", "subagents")))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	b, err := NewReader(dir).Scan(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want := 2 // good and, as root, secret
	if os.Geteuid() != 0 {
		want = 1
	}
	if len(b.Failures) != want {
		t.Errorf("%d failures, want %d (symlinks are not followed): %+v", len(b.Failures), want, b.Failures)
	}

	// A missing projects folder: nothing, no error. A loop as the folder: an error, no hang.
	if b, err := NewReader(filepath.Join(dir, "missing")).Scan(ctx, time.Time{}); err != nil || len(b.Failures) != 0 {
		t.Errorf("missing: %v %+v", err, b)
	}
	if _, err := NewReader(filepath.Join(dir, "loop")).Scan(ctx, time.Time{}); err == nil {
		t.Errorf("a loop as the projects folder gave no error")
	}
	if _, ok, err := NewestRequest(ctx, filepath.Join(dir, "missing")); ok || err != nil {
		t.Errorf("NewestRequest on a missing folder: %v %v", ok, err)
	}
}

// Subagents' transcripts (<project>/<session>/subagents/*.jsonl) are read too.
func TestScanSubagents(t *testing.T) {
	good := apiErrorLine("2026-12-07T10:00:01Z", 529, "529 Overloaded", 1, 3, "a1")
	deep := apiErrorLine("2026-12-07T10:00:01Z", 401, "401 invalid x-api-key", 1, 3, "a2")
	dir := put(t, map[string]string{"p/" + session + "/subagents/agent-a1.jsonl": good, "p/" + session + "/tool-results/x.jsonl": good,
		"p/" + session + "/subagents/workflows/w1/agent-a2.jsonl": deep}) // subagents/<agentRelPath…>/ (2.1.332)
	if b := scanAll(t, dir); len(b.Failures) != 2 || b.Files != 2 {
		t.Errorf("%+v", b)
	}
}

// A cancelled context stops a Scan and NewestRequest at once.
func TestContextCancelled(t *testing.T) {
	dir := put(t, map[string]string{"p/s.jsonl": string(fixture(t, "e401_332"))})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := NewReader(dir).Scan(ctx, time.Time{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan: %v", err)
	}
	if _, _, err := NewestRequest(ctx, dir); !errors.Is(err, context.Canceled) {
		t.Errorf("NewestRequest: %v", err)
	}
}

// With 100,000 old transcripts beside, a Scan reads only the new one.
func TestScanManyFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("100,000 files")
	}
	dir := t.TempDir()
	// One old transcript, hard-linked 100,000 times: cheap to make, and each
	// name is one more file to stat.
	for p := range 100 {
		pd := filepath.Join(dir, "proj"+itoa(p))
		orig := filepath.Join(pd, "orig.keep")
		write(t, orig, apiErrorLine("2026-01-01T10:00:01Z", 529, "529 Overloaded", 1, 3, "o"))
		age(t, orig, 30*24*time.Hour)
		for i := range 1000 {
			must(t, os.Link(orig, filepath.Join(pd, itoa(i)+".jsonl")))
		}
	}
	start := time.Now()
	defer func() { t.Logf("Scan of 100,001 files: %v", time.Since(start)) }()
	write(t, filepath.Join(dir, "proj7", "new.jsonl"), apiErrorLine(time.Now().UTC().Format(time.RFC3339Nano), 401, "401 now", 1, 3, "n"))
	b, err := NewReader(dir).Scan(context.Background(), time.Now().Add(-time.Hour))
	if err != nil || b.Files != 1 || len(b.Failures) != 1 || b.Failures[0].Status != 401 {
		t.Fatalf("%v %+v", err, b)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A transcript appended to while it is scanned, in pieces that cut lines
// anywhere: every attempt is counted once, none is cut.
func TestScanWhileAppended(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "p", "s.jsonl")
	write(t, path, "")
	var all strings.Builder
	for i := range 300 {
		all.WriteString(apiErrorLine("2026-12-07T10:00:00Z", 529, "529 Overloaded", i%5+1, 5, "a"+itoa(i)))
		all.WriteString(userLine("2026-12-07T10:00:00Z", strings.Repeat("u", i*37%5000)))
	}
	text := all.String()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer f.Close()
		for off, step := 0, 1; off < len(text); off += step {
			step = (off*7919)%4000 + 1
			f.WriteString(text[off:min(len(text), off+step)])
		}
	}()
	r := NewReader(dir)
	attempts, skipped := 0, 0
	for finished := false; !finished; {
		select {
		case <-done:
			finished = true
		default:
		}
		b, err := r.Scan(context.Background(), time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		attempts += len(b.Attempts)
		skipped += b.Skipped
		for _, a := range b.Attempts {
			if a.Message != "529 Overloaded" {
				t.Fatalf("a cut attempt: %+v", a)
			}
		}
	}
	b, _ := r.Scan(context.Background(), time.Time{})
	attempts += len(b.Attempts)
	if attempts != 300 || skipped != 0 {
		t.Errorf("%d attempts, %d skipped; want 300, 0", attempts, skipped)
	}
}
