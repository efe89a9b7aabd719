//go:build unix

package claudetranscript

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"
)

// The hostile tree needs a named pipe and symbolic links, which Windows does
// not make for an ordinary user: the test is for Unix, where the fast walk
// (getdents and statx on Linux) and the portable one run side by side.

// The fast walk and the portable one find the same in a hostile tree:
// symlinks (to files, folders, loops, a subagents folder), a FIFO and a folder
// named .jsonl, an unreadable folder, files with other names, subagents'
// folders as deep as Claude Code writes them and deeper.
func TestWalkHostileSame(t *testing.T) {
	good := apiErrorLine("2026-12-07T10:00:01Z", 529, "529 Overloaded", 1, 3, "a1")
	dir := put(t, map[string]string{
		"p/good.jsonl": good, "p/x.txt": good, "p/.jsonl": good, "q/y.jsonl": good,
		"p/" + session + "/subagents/agent-1.jsonl":       good,
		"p/" + session + "/subagents/deeper/agent.jsonl":  good,
		"p/" + session + "/subagents/a/b/c/d/agent.jsonl": good, // 4 deep: as deep as Claude Code writes
		"p/" + session + "/subagents/a/b/c/d/e/no.jsonl":  good,
		"p/" + session + "/tool-results/r.jsonl":          good,
		"p/22222222-2222-3333-4444-55555555555/s/a.jsonl": good, // 35 characters
		"locked/z.jsonl": good, "top.jsonl": good,
	})
	must(t, os.Mkdir(filepath.Join(dir, "p", "dir.jsonl"), 0o755))
	mkfifo(t, filepath.Join(dir, "p", "fifo.jsonl"))
	must(t, os.Symlink(filepath.Join(dir, "loop"), filepath.Join(dir, "loop")))
	must(t, os.Symlink(filepath.Join(dir, "q"), filepath.Join(dir, "linkq")))
	must(t, os.Symlink(filepath.Join(dir, "p", "good.jsonl"), filepath.Join(dir, "p", "link.jsonl")))
	must(t, os.Symlink(filepath.Join(dir, "p"), filepath.Join(dir, "p", "33333333-2222-3333-4444-555555555555")))
	must(t, os.Mkdir(filepath.Join(dir, "p", "44444444-2222-3333-4444-555555555555"), 0o755))
	must(t, os.Symlink(filepath.Join(dir, "q"), filepath.Join(dir, "p", "44444444-2222-3333-4444-555555555555", "subagents")))
	must(t, os.Chmod(filepath.Join(dir, "locked"), 0))
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "locked"), 0o755) })
	want := []string{"p/" + session + "/subagents/agent-1.jsonl @p", "p/" + session + "/subagents/deeper/agent.jsonl @p",
		"p/" + session + "/subagents/a/b/c/d/agent.jsonl @p", "p/.jsonl @p", "p/good.jsonl @p", "q/y.jsonl @q"}
	slices.Sort(want)
	if os.Geteuid() == 0 {
		want = append(want, "locked/z.jsonl @locked") // root reads it anyway
		slices.Sort(want)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	fast, err := listTranscripts(ctx, dir, nil)
	if got := paths(t, dir, fast); err != nil || !slices.Equal(got, want) {
		t.Errorf("listTranscripts: %q %v, want %q", got, err, want)
	}
	portable, err := walkPortable(ctx, dir, nil)
	if got := paths(t, dir, portable); err != nil || !slices.Equal(got, want) {
		t.Errorf("walkPortable: %q %v, want %q", got, err, want)
	}
	// The projects folder a symlink: followed (CLAUDE_CONFIG_DIR may be one).
	link := filepath.Join(t.TempDir(), "link")
	must(t, os.Symlink(dir, link))
	if l, err := listTranscripts(ctx, link, nil); err != nil || !slices.Equal(paths(t, link, l), want) {
		t.Errorf("through a symlink: %q %v, want %q", paths(t, link, l), err, want)
	}
	// A file, a loop, a missing folder as the projects folder.
	if _, err := listTranscripts(ctx, filepath.Join(dir, "top.jsonl"), nil); err == nil {
		t.Error("a file as the projects folder: no error")
	}
	if _, err := listTranscripts(ctx, filepath.Join(dir, "loop"), nil); err == nil {
		t.Error("a loop as the projects folder: no error")
	}
	if l, err := listTranscripts(ctx, filepath.Join(dir, "missing"), nil); err != nil || len(l) != 0 {
		t.Errorf("missing: %v %v", l, err)
	}
}

// mkfifo makes a named pipe at path, a file the walk must skip, not open.
func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Fatal(err)
	}
}
