package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"claudemedic/doctor/doctortest"
	"claudemedic/internal/exitcode"
)

func TestCacheListClearUndo(t *testing.T) {
	home := isolate(t)
	dir := filepath.Join(home, ".claude")
	for name, content := range map[string]string{
		"debug/log.txt":           strings.Repeat("x", 3000),
		"statsig/s.json":          "{}",
		"projects/p/t.jsonl":      "transcript",
		"history.jsonl":           "{}\n",
		"settings.json":           "{}\n",
		".credentials.json":       "{}",
		"commands/review.md":      "review",
		"shell-snapshots/snap.sh": "echo",
	} {
		writeSettings(t, filepath.Join(dir, name), content)
	}

	code, out, _ := runCLI(t, "", "cache", "list")
	if code != exitcode.OK {
		t.Fatalf("list: exit %d", code)
	}
	for _, want := range []string{"Cache (safe to clear", "User data (cleared only", "Never touched", "debug/", "2.9 KB", "projects/", ".credentials.json", "can be cleared"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q:\n%s", want, out)
		}
	}

	code, _, errOut := runCLI(t, "", "cache", "clear", "--include", "settings.json")
	if code != exitcode.Usage || !strings.Contains(errOut, "never moved") {
		t.Errorf("--include settings.json: exit %d %s", code, errOut)
	}
	code, out, _ = runCLI(t, "", "cache", "clear", "--dry-run", "--include", "projects/")
	if code != exitcode.OK || !strings.Contains(out, "Would move 4 items") {
		t.Errorf("dry run: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(dir, "debug")); err != nil {
		t.Fatal("the dry run moved debug")
	}

	code, out, errOut = runCLI(t, "", "cache", "clear", "--force", "--json")
	var b struct {
		Trash string
		Items []struct{ Name string }
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil || code != exitcode.OK || len(b.Items) != 3 {
		t.Fatalf("clear: exit %d %v %s %s", code, err, out, errOut)
	}
	for _, gone := range []string{"debug", "statsig", "shell-snapshots"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); err == nil {
			t.Errorf("%s is still there", gone)
		}
	}
	for _, kept := range []string{"projects", "history.jsonl", "settings.json", ".credentials.json", "commands"} {
		if _, err := os.Stat(filepath.Join(dir, kept)); err != nil {
			t.Errorf("%s was moved", kept)
		}
	}
	if !strings.HasPrefix(b.Trash, filepath.Join(os.Getenv("XDG_DATA_HOME"), "claudemedic", "trash")) {
		t.Errorf("trash at %s", b.Trash)
	}

	code, out, _ = runCLI(t, "", "cache", "undo", "--list")
	if code != exitcode.OK || !strings.Contains(out, "debug, shell-snapshots, statsig") {
		t.Errorf("undo --list: %s", out)
	}
	code, out, errOut = runCLI(t, "", "cache", "undo")
	if code != exitcode.OK || !strings.Contains(out, "Put back 3 items") {
		t.Fatalf("undo: exit %d %s %s", code, out, errOut)
	}
	if got := readFile(t, filepath.Join(dir, "debug", "log.txt")); got != strings.Repeat("x", 3000) {
		t.Error("debug/log.txt not restored")
	}
	code, _, errOut = runCLI(t, "", "cache", "undo")
	if code != exitcode.Degraded || !strings.Contains(errOut, "no cleared cache") {
		t.Errorf("second undo: exit %d %s", code, errOut)
	}
}

func TestCacheOnAFreshHome(t *testing.T) {
	isolate(t)
	if code, out, _ := runCLI(t, "", "cache", "list"); code != exitcode.OK || !strings.Contains(out, "empty or missing") {
		t.Errorf("list: %d %s", code, out)
	}
	if code, out, _ := runCLI(t, "", "cache", "clear", "--force"); code != exitcode.OK || !strings.Contains(out, "Nothing to clear") {
		t.Errorf("clear: %d %s", code, out)
	}
}

// TestCacheClearWhileClaudeRuns: with a claude process running, clear says
// which and offers --force, and moves nothing; --force clears.
func TestCacheClearWhileClaudeRuns(t *testing.T) {
	home := isolate(t)
	debug := filepath.Join(home, ".claude", "debug", "log.txt")
	writeSettings(t, debug, "log")
	pid := doctortest.StartClaude(t)
	code, _, errOut := runCLI(t, "", "cache", "clear")
	if code != exitcode.Failed || !strings.Contains(errOut, strconv.Itoa(pid)) || !strings.Contains(errOut, "add --force") {
		t.Errorf("clear while claude runs: exit %d, %q", code, errOut)
	}
	if _, err := os.Stat(debug); err != nil {
		t.Fatalf("a refused clear moved debug/: %v", err)
	}
	if code, out, errOut := runCLI(t, "", "cache", "clear", "--force"); code != exitcode.OK || !strings.Contains(out, "Moved 1 item,") {
		t.Errorf("--force: exit %d\n%s%s", code, out, errOut)
	}
}
