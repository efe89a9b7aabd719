package claudetranscript

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// newSessions writes n recent transcripts made from the measured ones.
func newSessions(b *testing.B, dir string, n int) {
	names := []string{"ok332", "e401_332", "e529_332", "ref332", "rec332"}
	for i := range n {
		write(b, filepath.Join(dir, "new-"+fmt.Sprint(i%7), fmt.Sprintf("%08d-0000-0000-0000-000000000000.jsonl", i)), string(fixture(b, names[i%len(names)])))
	}
}

// oldHistory writes about size bytes of old transcripts (1 MB each, a month old).
func oldHistory(b *testing.B, dir string, size int) {
	chunk := strings.Repeat(userLine("2026-11-01T10:00:00Z", strings.Repeat("h", 2000)), 1<<20/2300)
	old := time.Now().Add(-30 * 24 * time.Hour)
	for i := range size / len(chunk) {
		p := filepath.Join(dir, "old-"+fmt.Sprint(i%40), fmt.Sprintf("%08d-1111-0000-0000-000000000000.jsonl", i))
		write(b, p, chunk)
		must(b, os.Chtimes(p, old, old))
	}
}

// Scan with a one-hour window: 20 new sessions, with and without 300 MB of
// older history beside them (each iteration a fresh Reader: the first Scan).
func BenchmarkScanSince(b *testing.B) {
	for _, history := range []int{0, 300 << 20} {
		b.Run(fmt.Sprintf("history=%dMB", history>>20), func(b *testing.B) {
			dir := b.TempDir()
			newSessions(b, dir, 20)
			oldHistory(b, dir, history)
			since := time.Now().Add(-time.Hour)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				bt, err := NewReader(dir).Scan(context.Background(), since)
				if err != nil || bt.Files != 20 {
					b.Fatalf("%v %d files", err, bt.Files)
				}
			}
		})
	}
}

// A Scan over a transcript holding one 50 MB line.
func BenchmarkScanHugeLine(b *testing.B) {
	dir := b.TempDir()
	write(b, filepath.Join(dir, "p", "s.jsonl"), apiErrorLine("2026-12-07T10:00:01Z", 529, "529 Overloaded", 1, 3, "a1")+
		`{"type":"user","message":{"role":"user","content":"`+strings.Repeat("x", 50<<20)+`"}}`+"\n"+answerLine("2026-12-07T10:00:03Z", "ok"))
	b.ReportAllocs()
	b.SetBytes(50 << 20)
	for b.Loop() {
		bt, err := NewReader(dir).Scan(context.Background(), time.Time{})
		if err != nil || bt.Skipped != 1 || len(bt.Failures) != 1 {
			b.Fatalf("%v %+v", err, bt)
		}
	}
}

// longSession is a realistic long session (see transcript-facts.md): the
// measured first request, then turns of a prompt, a request based on the one
// before whose tail names the new messages (which, being in the transcript
// already, have no blob), an answer; every tenth turn an attachment blob.
func longSession(b *testing.B, size int) string {
	var sb strings.Builder
	sb.WriteString(string(fixture(b, "ok332")))
	prev := "edbbcbeb-1de3-4c55-85ec-0cfd0085b00a"
	n := 2
	for i := 0; sb.Len() < size; i++ {
		id := fmt.Sprintf("req-%08d", i)
		sb.WriteString(userLine("2026-12-07T10:00:00Z", strings.Repeat("p", 3000)))
		tail := fmt.Sprintf(`"a%08d","u%08d"`, i, i)
		if i%10 == 0 {
			fmt.Fprintf(&sb, `{"type":"api-request-blob","sessionId":"%s","hash":"h%08d","message":{"role":"user","content":[{"type":"text","text":"<system-reminder>%s</system-reminder>"}]}}`+"\n", session, i, strings.Repeat("o", 2000))
			tail += fmt.Sprintf(`,"h%08d"`, i)
		}
		fmt.Fprintf(&sb, `{"type":"api-request","sessionId":"%s","id":"%s","timestamp":"2026-12-07T10:00:01Z","version":"2.1.332","querySource":"repl_main_thread","shapeHash":"0e3a17efa10f9f8ed7a7704e86aa903a9ee964da6e2339acfa1dbcc4fdb91dff","params":{"model":"claude-opus-5-5","betas":["claude-code-20250219","interleaved-thinking-2025-05-14","context-management-2025-06-27","per-turn-control-2026-07-01","mid-conversation-tool-changes-2026-07-01","thinking-token-count-2026-05-13","advanced-tool-use-2025-11-20","effort-2025-11-24"],"max_tokens":128000,"thinking":{"type":"adaptive","display":"omitted"},"context_management":{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]},"output_config":{"effort":"medium"}},"thread":{"type":"none"},"echoWireToolInputs":false,"base":"%s","keep":%d,"tail":[%s],"cacheControl":[{"path":["system",0],"value":{"type":"ephemeral"}},{"path":["system",1],"value":{"type":"ephemeral"}},{"path":["messages",%d,"content",0],"value":{"type":"ephemeral"}}],"requestDigest":"29c3d77f393a67ba631a27d675c5b2aaf6e5a5ab4484a2efbe357040574e8c76"}`+"\n", session, id, prev, n, tail, n)
		n += strings.Count(tail, ",") + 1
		sb.WriteString(answerLine("2026-12-07T10:00:02Z", strings.Repeat("a", 3000)))
		prev = id
	}
	return sb.String()
}

// NewestRequest with a 1 GB projects folder: three 300 MB old transcripts
// (sparse), 2,000 old sessions of 50 KB, and the newest, a 20 MB session.
func BenchmarkNewestRequest(b *testing.B) {
	dir := b.TempDir()
	old := time.Now().Add(-30 * 24 * time.Hour)
	for i := range 3 {
		p := filepath.Join(dir, "big", fmt.Sprintf("%08d-2222-0000-0000-000000000000.jsonl", i))
		write(b, p, longSession(b, 1<<20))
		must(b, os.Truncate(p, 300<<20))
		must(b, os.Chtimes(p, old, old))
	}
	small := longSession(b, 50<<10)
	for i := range 2000 {
		p := filepath.Join(dir, "old-"+fmt.Sprint(i%50), fmt.Sprintf("%08d-3333-0000-0000-000000000000.jsonl", i))
		write(b, p, small)
		must(b, os.Chtimes(p, old, old))
	}
	write(b, filepath.Join(dir, "now", session+".jsonl"), longSession(b, 20<<20))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r, ok, err := NewestRequest(context.Background(), dir)
		if err != nil || !ok || !r.ShapeFound || r.QuerySource != "repl_main_thread" || !r.HasSystemMessage() {
			b.Fatalf("%v %v shape %v source %q", ok, err, r.ShapeFound, r.QuerySource)
		}
	}
}

// Listing the transcripts of the last hour among 2,240 old ones in 30
// folders (the history of scripts/bench-errors.sh), with and without a
// session's folder beside each (tool-results/, and subagents/ for a tenth):
// the stat of every file is the whole cost of a large history. "portable" is
// the os package's ReadDir and Lstat, "fast" walkTranscripts (the same on
// other systems than Linux).
func BenchmarkListTranscripts(b *testing.B) {
	for _, sessions := range []bool{false, true} {
		dir := b.TempDir()
		old := time.Now().Add(-48 * time.Hour)
		for i := range 2240 {
			d := filepath.Join(dir, fmt.Sprintf("-home-user-old%d", i%30))
			s := fmt.Sprintf("%08d-0000-4000-8000-000000000000", i)
			p := filepath.Join(d, s+".jsonl")
			if sessions {
				must(b, os.MkdirAll(filepath.Join(d, s, "tool-results"), 0o755))
				if i%10 == 0 {
					p = filepath.Join(d, s, "subagents", "agent-a"+fmt.Sprint(i)+".jsonl")
				}
			}
			write(b, p, "{}\n")
			must(b, os.Chtimes(p, old, old))
		}
		newSessions(b, dir, 3)
		keep := func(m time.Time) bool { return !m.Before(old.Add(47 * time.Hour)) }
		for _, w := range []struct {
			name string
			walk func(context.Context, string, func(time.Time) bool) ([]transcript, error)
		}{{"portable", walkPortable}, {"fast", walkTranscripts}} {
			b.Run(fmt.Sprintf("sessions=%v/%s", sessions, w.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if l, err := w.walk(context.Background(), dir, keep); err != nil || len(l) != 3 {
						b.Fatalf("%v %d", err, len(l))
					}
				}
			})
		}
	}
}
