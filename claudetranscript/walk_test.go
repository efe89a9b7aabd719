package claudetranscript

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// paths lists the transcripts' paths, relative to dir, sorted.
func paths(t *testing.T, dir string, list []transcript) []string {
	t.Helper()
	var out []string
	for _, l := range list {
		rel, err := filepath.Rel(dir, l.path)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, rel+" @"+l.project)
	}
	slices.Sort(out)
	return out
}

// oldTree writes n old transcripts in old folders, then appends now to one in
// a project's folder and to one in a session's subagents folder, and makes
// every folder old again: only the files' own times say what changed.
func oldTree(t *testing.T, n int) (dir string, want []string) {
	t.Helper()
	dir = t.TempDir()
	old := 48 * time.Hour
	line := apiErrorLine("2026-12-01T10:00:01Z", 529, "529 Overloaded", 1, 3, "o")
	for i := range n {
		p := filepath.Join(dir, "-home-old"+itoa(i%7), "%08d-1111-0000-0000-000000000000.jsonl")
		p = strings.Replace(p, "%08d", strings.Repeat("0", 8-len(itoa(i)))+itoa(i), 1)
		write(t, p, line)
		age(t, p, old)
	}
	sub := filepath.Join(dir, "-home-old3", session, "subagents")
	write(t, filepath.Join(sub, "agent-a1.jsonl"), line)
	write(t, filepath.Join(sub, "agent-a2.jsonl"), line)
	age(t, filepath.Join(sub, "agent-a1.jsonl"), old)
	age(t, filepath.Join(sub, "agent-a2.jsonl"), old)
	appendTo(t, filepath.Join(sub, "agent-a2.jsonl"), line)
	appendTo(t, filepath.Join(dir, "-home-old5", "00000012-1111-0000-0000-000000000000.jsonl"), line)
	must(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			age(t, p, old)
		}
		return err
	}))
	return dir, []string{
		"-home-old3/" + session + "/subagents/agent-a2.jsonl @-home-old3",
		"-home-old5/00000012-1111-0000-0000-000000000000.jsonl @-home-old5",
	}
}

func sinceKeep(since time.Time) func(time.Time) bool {
	return func(m time.Time) bool { return !m.Before(since) }
}

// A transcript appended to an hour ago in an old folder is found, though its
// folder's time did not change: by listTranscripts, by the portable walk, and
// by a Scan.
func TestListFindsAppendedInOldFolders(t *testing.T) {
	dir, want := oldTree(t, 500)
	keep := sinceKeep(time.Now().Add(-time.Hour))
	list, err := listTranscripts(context.Background(), dir, keep)
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(t, dir, list); !slices.Equal(got, want) {
		t.Errorf("listTranscripts: %q, want %q", got, want)
	}
	for _, l := range list {
		if l.info == nil || !l.info.Mode().IsRegular() {
			t.Errorf("%s: info %v", l.path, l.info)
		}
	}
	portable, err := walkPortable(context.Background(), dir, keep)
	if got := paths(t, dir, portable); err != nil || !slices.Equal(got, want) {
		t.Errorf("walkPortable: %q %v, want %q", got, err, want)
	}
	all, err := listTranscripts(context.Background(), dir, nil)
	if err != nil || len(all) != 502 {
		t.Errorf("all: %d %v, want 502", len(all), err)
	}
	b, err := NewReader(dir).Scan(context.Background(), time.Now().Add(-time.Hour))
	if err != nil || b.Files != 2 {
		t.Errorf("Scan: %v, %d files read, want 2", err, b.Files)
	}
}

// Cancelled, the walk stops with the context's error and leaves no folder open.
func TestWalkCancelled(t *testing.T) {
	dir, _ := oldTree(t, 3000)
	before := openFDs(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := listTranscripts(ctx, dir, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("listTranscripts: %v", err)
	}
	for range 20 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(1+len(dir)%3)*time.Millisecond/4)
		listTranscripts(ctx, dir, nil)
		cancel()
	}
	if after := openFDs(t); after > before {
		t.Errorf("%d descriptors open after the walks, %d before", after, before)
	}
}

// Many project folders and sessions: none left open, every transcript found.
func TestWalkManyFolders(t *testing.T) {
	dir := t.TempDir()
	for i := range 600 {
		p := filepath.Join(dir, "proj"+itoa(i))
		must(t, os.MkdirAll(filepath.Join(p, strings.Replace(session, "1111", itoa(1000+i%9000), 1), "subagents"), 0o755))
		write(t, filepath.Join(p, "s.jsonl"), "{}\n")
	}
	write(t, filepath.Join(dir, "proj7", strings.Replace(session, "1111", "1007", 1), "subagents", "a.jsonl"), "{}\n")
	before := openFDs(t)
	list, err := listTranscripts(context.Background(), dir, nil)
	if err != nil || len(list) != 601 {
		t.Fatalf("%d transcripts, %v; want 601", len(list), err)
	}
	if after := openFDs(t); after > before {
		t.Errorf("%d descriptors open after the walk, %d before", after, before)
	}
}

// newestOnly lets the n newest through, and not every file.
func TestNewestOnly(t *testing.T) {
	keep := newestOnly(3)
	base := time.Now()
	var kept []int
	for _, i := range []int{5, 1, 9, 7, 2, 8, 3, 9, 0, 6} {
		if keep(base.Add(time.Duration(i) * time.Second)) {
			kept = append(kept, i)
		}
	}
	if want := []int{5, 1, 9, 7, 8, 9}; !slices.Equal(kept, want) {
		t.Errorf("kept %v, want %v", kept, want)
	}
}

func openFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd")
	}
	return len(ents)
}

// Folders and files made and removed while the walk runs: no error, no hang,
// and the files that stay are always found.
func TestWalkWhileChanging(t *testing.T) {
	dir, want := oldTree(t, 300)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; ctx.Err() == nil; i++ {
			p := filepath.Join(dir, "-churn"+itoa(i%5), strings.Replace(session, "1111", itoa(1000+i%50), 1))
			os.MkdirAll(filepath.Join(p, "subagents"), 0o755)
			os.WriteFile(filepath.Join(p, "subagents", "agent-x.jsonl"), []byte("{}\n"), 0o600)
			os.WriteFile(p+".jsonl", []byte("{}\n"), 0o600)
			if i%3 == 0 {
				os.RemoveAll(filepath.Dir(p))
			}
		}
	}()
	keep := sinceKeep(time.Now().Add(-time.Hour))
	for range 30 {
		list, err := listTranscripts(context.Background(), dir, keep)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, p := range paths(t, dir, list) {
			if !strings.HasPrefix(p, "-churn") {
				got = append(got, p)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%q, want %q", got, want)
		}
	}
	cancel()
	<-done
}
