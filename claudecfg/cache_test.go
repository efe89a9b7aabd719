package claudecfg

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fillClaudeDir makes a Claude Code folder with items of every class,
// including odd modes, old times and a symlink.
func fillClaudeDir(t *testing.T, dir string) {
	t.Helper()
	old := time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC)
	files := map[string]string{
		"debug/latest.txt":               "debug log\n",
		"debug/2026/trace.bin":           "\x00\x01\x02binary",
		"statsig/cache.json":             `{"a":1}`,
		"shell-snapshots/snap.sh":        "#!/bin/sh\necho hi\n",
		"todos/x.json":                   "[]",
		"remote-settings.json":           "{}",
		"projects/-home-me-app/s1.jsonl": strings.Repeat("transcript\n", 100),
		"history.jsonl":                  "{\"display\":\"hi\"}\n",
		"settings.json":                  "{}\n",
		".credentials.json":              `{"token":"secret"}`,
		"CLAUDE.md":                      "# memory\n",
		"agents/reviewer.md":             "agent\n",
		"my-notes.txt":                   "unknown item\n",
	}
	for name, content := range files {
		writeFile(t, filepath.Join(dir, name), content)
	}
	os.Chmod(filepath.Join(dir, "shell-snapshots", "snap.sh"), 0o755)
	os.Chmod(filepath.Join(dir, "statsig", "cache.json"), 0o444)
	if runtime.GOOS != "windows" {
		os.Symlink("latest.txt", filepath.Join(dir, "debug", "current"))
	}
	os.Chtimes(filepath.Join(dir, "debug", "2026", "trace.bin"), old, old)
	os.Chtimes(filepath.Join(dir, "debug", "2026"), old, old)
	os.Chmod(filepath.Join(dir, "debug", "2026"), 0o500) // a read-only folder
	t.Cleanup(func() { os.Chmod(filepath.Join(dir, "debug", "2026"), 0o700) })
}

// tree records every entry under dir: type, mode, modification time, contents or link.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Lstat(p)
		rel, _ := filepath.Rel(dir, p)
		desc := fi.Mode().String()
		if p != dir || !d.IsDir() {
			desc += " " + fi.ModTime().UTC().Format(time.RFC3339Nano)
		}
		switch {
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			desc += " -> " + target
		case fi.Mode().IsRegular():
			data, _ := os.ReadFile(p)
			desc += fmt.Sprintf(" %x", sha256.Sum256(data))
		}
		out[rel] = desc
		return nil
	})
	return out
}

func diffTrees(a, b map[string]string) string {
	var d []string
	for k, v := range a {
		if b[k] != v {
			d = append(d, fmt.Sprintf("%s: %q != %q", k, v, b[k]))
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			d = append(d, k+": new")
		}
	}
	sort.Strings(d)
	return strings.Join(d, "\n")
}

func TestListCacheClasses(t *testing.T) {
	dir := testHome(t)
	fillClaudeDir(t, dir)
	items, err := ListCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]CacheItem{}
	for _, it := range items {
		got[it.Name] = it
	}
	for name, want := range map[string]Class{
		"debug": ClassCache, "statsig": ClassCache, "remote-settings.json": ClassCache,
		"projects": ClassUserData, "history.jsonl": ClassUserData,
		"settings.json": ClassNeverTouch, ".credentials.json": ClassNeverTouch, "agents": ClassNeverTouch, "my-notes.txt": ClassNeverTouch,
	} {
		if got[name].Class != want {
			t.Errorf("%s: class %q, want %q", name, got[name].Class, want)
		}
	}
	if it := got["projects"]; it.Size != int64(len("transcript\n")*100) || it.Files != 1 || !it.Dir {
		t.Errorf("projects: %+v", it)
	}
	if got["my-notes.txt"].Known {
		t.Error("an unknown item is marked known")
	}
	if items[0].Class != ClassCache || items[len(items)-1].Class != ClassNeverTouch {
		t.Errorf("not sorted by class: %v ... %v", items[0], items[len(items)-1])
	}
}

func TestClearThenUndoRestoresByteForByte(t *testing.T) {
	for _, crossDevice := range []bool{false, true} {
		t.Run(fmt.Sprintf("crossDevice=%v", crossDevice), func(t *testing.T) {
			if crossDevice { // a trash on another file system: copy, not rename
				rename = func(string, string) error { return &os.LinkError{Op: "rename", Err: exdev} }
				t.Cleanup(func() { rename = os.Rename })
			}
			dir := testHome(t)
			fillClaudeDir(t, dir)
			before := tree(t, dir)

			b, err := ClearCache(dir, ClearOptions{Include: []string{"history.jsonl"}, Force: true})
			if err != nil {
				t.Fatal(err)
			}
			var moved []string
			for _, it := range b.Items {
				moved = append(moved, it.Name)
			}
			sort.Strings(moved)
			want := []string{"debug", "history.jsonl", "remote-settings.json", "shell-snapshots", "statsig", "todos"}
			if strings.Join(moved, " ") != strings.Join(want, " ") {
				t.Errorf("moved %v, want %v", moved, want)
			}
			for _, name := range []string{"projects", "settings.json", ".credentials.json", "CLAUDE.md", "agents", "my-notes.txt"} {
				if _, err := os.Lstat(filepath.Join(dir, name)); err != nil {
					t.Errorf("%s was moved: %v", name, err)
				}
			}
			if _, err := os.Lstat(filepath.Join(dir, "debug")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("debug is still there: %v", err)
			}
			if !strings.HasPrefix(b.Trash, filepath.Join(os.Getenv("XDG_DATA_HOME"), "claudemedic", "trash")) {
				t.Errorf("trash %s is not under the app's data folder", b.Trash)
			}

			if _, err := UndoClear("", false); err != nil {
				t.Fatal(err)
			}
			if d := diffTrees(before, tree(t, dir)); d != "" {
				t.Errorf("not restored byte for byte:\n%s", d)
			}
			if _, err := UndoClear("", false); !errors.Is(err, ErrNoTrash) {
				t.Errorf("a second undo: %v", err)
			}
		})
	}
}

func TestClearNeverMovesNeverTouchItems(t *testing.T) {
	dir := testHome(t)
	fillClaudeDir(t, dir)
	before := tree(t, dir)
	for _, name := range []string{"settings.json", ".credentials.json", "agents", "my-notes.txt", "../etc", ".claude.json"} {
		_, err := ClearCache(dir, ClearOptions{Include: []string{name}, Force: true})
		if err == nil || !(errors.Is(err, ErrNeverTouch) || errors.Is(err, ErrUnknownItem)) {
			t.Errorf("include %s: %v", name, err)
		}
	}
	if d := diffTrees(before, tree(t, dir)); d != "" {
		t.Errorf("refused clears changed the folder:\n%s", d)
	}
	b, err := ClearCache(dir, ClearOptions{DryRun: true, Include: []string{"projects"}})
	if err != nil || len(b.Items) != 6 {
		t.Fatalf("dry run: %v, %d items", err, len(b.Items))
	}
	if d := diffTrees(before, tree(t, dir)); d != "" {
		t.Errorf("the dry run changed the folder:\n%s", d)
	}
}

func TestClearRefusesTheHomeFolder(t *testing.T) {
	dir := testHome(t)
	home := filepath.Dir(dir)
	writeFile(t, filepath.Join(home, "logs", "mine.txt"), "my own logs")
	for _, d := range []string{home, home + "/", "/"} {
		if _, err := ClearCache(d, ClearOptions{Force: true}); !errors.Is(err, ErrNotClaudeDir) {
			t.Errorf("%s: %v", d, err)
		}
	}
	if _, err := os.Stat(filepath.Join(home, "logs", "mine.txt")); err != nil {
		t.Fatal(err)
	}
}

func TestUndoConflictAndReplace(t *testing.T) {
	dir := testHome(t)
	fillClaudeDir(t, dir)
	before := tree(t, dir)
	if _, err := ClearCache(dir, ClearOptions{Force: true}); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "statsig", "new.json"), "made again")
	if _, err := UndoClear("", false); !errors.Is(err, ErrRestoreConflict) {
		t.Fatalf("undo over a new statsig: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, "debug")); err == nil {
		t.Error("a refused undo restored something")
	}
	if _, err := UndoClear("", true); err != nil {
		t.Fatal(err)
	}
	if d := diffTrees(before, tree(t, dir)); d != "" {
		t.Errorf("not restored:\n%s", d)
	}
	batches, _ := TrashBatches()
	if len(batches) != 1 || batches[0].Items[0].Name != "statsig" {
		t.Fatalf("the newcomer is not in the trash: %+v", batches)
	}
}

// TestUndoAfterAnInterruptedClear: items the manifest names but that never
// reached the trash are skipped, the rest come back.
func TestUndoAfterAnInterruptedClear(t *testing.T) {
	dir := testHome(t)
	fillClaudeDir(t, dir)
	before := tree(t, dir)
	b, err := ClearCache(dir, ClearOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	// As if the clear had been killed before moving statsig: put it back by hand.
	if err := os.Rename(filepath.Join(b.Trash, "items", "statsig"), filepath.Join(dir, "statsig")); err != nil {
		t.Fatal(err)
	}
	if _, err := UndoClear(b.ID, false); err != nil {
		t.Fatal(err)
	}
	if d := diffTrees(before, tree(t, dir)); d != "" {
		t.Errorf("not restored:\n%s", d)
	}
}

func TestPurgeTrashAfterSevenDays(t *testing.T) {
	dir := testHome(t)
	fillClaudeDir(t, dir)
	b, err := ClearCache(dir, ClearOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := PurgeTrash(TrashKeep); n != 0 {
		t.Fatalf("purged a fresh clear")
	}
	b.Created = time.Now().Add(-8 * 24 * time.Hour)
	if err := writeManifest(b); err != nil {
		t.Fatal(err)
	}
	if n, err := PurgeTrash(TrashKeep); n != 1 || err != nil {
		t.Fatalf("purged %d, %v", n, err)
	}
	if _, err := os.Stat(b.Trash); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the old trash is still there (with its read-only folder): %v", err)
	}
}

// TestClearGuard: the clear refuses while Claude Code runs, unless forced
// or dry; the lookup is the test's, so the machine's own claude is no part of it.
func TestClearGuard(t *testing.T) {
	for _, tc := range []struct {
		name    string
		running []int
		o       ClearOptions
		refused bool
		moved   bool
	}{
		{"nothing running", nil, ClearOptions{}, false, true},
		{"claude running", []int{4242, 4343}, ClearOptions{}, true, false},
		{"claude running, --force", []int{4242}, ClearOptions{Force: true}, false, true},
		{"claude running, --dry-run", []int{4242}, ClearOptions{DryRun: true}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := testHome(t)
			fillClaudeDir(t, dir)
			before := tree(t, dir)
			tc.o.Processes = func() []int { return tc.running }
			b, err := ClearCache(dir, tc.o)
			if got := errors.Is(err, ErrClaudeRunning); got != tc.refused {
				t.Fatalf("refused = %v (%v), want %v", got, err, tc.refused)
			}
			if tc.refused {
				for _, pid := range tc.running {
					if !strings.Contains(err.Error(), fmt.Sprint(pid)) {
						t.Errorf("the refusal does not name process %d: %v", pid, err)
					}
				}
			}
			if !reflect.DeepEqual(b.Running, tc.running) {
				t.Errorf("Batch.Running = %v, want %v", b.Running, tc.running)
			}
			if moved := diffTrees(before, tree(t, dir)) != ""; moved != tc.moved {
				t.Errorf("moved = %v, want %v", moved, tc.moved)
			}
		})
	}
}

// TestClearWaitsForRunningClaude starts a real process named claude and
// sees the real lookup (ClaudeProcesses, reading /proc) find it.
func TestClearWaitsForRunningClaude(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the process test uses /bin/sleep")
	}
	dir := testHome(t)
	fillClaudeDir(t, dir)
	claude := filepath.Join(t.TempDir(), "claude")
	sleep, _ := os.ReadFile("/bin/sleep")
	if err := os.WriteFile(claude, sleep, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(claude, "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(10 * time.Second)
	for !containsInt(ClaudeProcesses(), cmd.Process.Pid) {
		if time.Now().After(deadline) {
			t.Fatalf("the claude process %d was not seen", cmd.Process.Pid)
		}
		time.Sleep(20 * time.Millisecond)
	}
	before := tree(t, dir)
	if _, err := ClearCache(dir, ClearOptions{}); !errors.Is(err, ErrClaudeRunning) || !strings.Contains(err.Error(), fmt.Sprint(cmd.Process.Pid)) {
		t.Fatalf("clear while claude runs: %v", err)
	}
	if d := diffTrees(before, tree(t, dir)); d != "" {
		t.Errorf("a refused clear moved things:\n%s", d)
	}
	if b, err := ClearCache(dir, ClearOptions{Force: true}); err != nil || len(b.Items) == 0 {
		t.Fatalf("--force: %v", err)
	}
}

func containsInt(s []int, v int) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func TestBatchManifestIsJSON(t *testing.T) {
	dir := testHome(t)
	fillClaudeDir(t, dir)
	b, err := ClearCache(dir, ClearOptions{Force: true})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(b.Trash, "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	var back Batch
	if err := json.Unmarshal(data, &back); err != nil || back.Source != dir || len(back.Items) != len(b.Items) {
		t.Errorf("manifest %s: %v", data, err)
	}
}

var exdev error = syscall.EXDEV
