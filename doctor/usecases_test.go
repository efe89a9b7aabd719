package doctor

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claudemedic/claudecache"
	"claudemedic/claudecfg"
	"claudemedic/internal/i18n"
	"claudemedic/keystore"
	"claudemedic/netcheck"
)

// TestCacheUseCases: list, clear and undo Claude Code's folder through
// doctor; the clear's Undo is a function that puts it back.
func TestCacheUseCases(t *testing.T) {
	file := isolate(t)
	dir := filepath.Dir(file)
	writeFile(t, filepath.Join(dir, "debug", "log.txt"), "debug\n")
	writeFile(t, filepath.Join(dir, "projects", "p", "s.jsonl"), "transcript\n")
	writeFile(t, file, "{}\n")
	c := Cache{Processes: func() []int { return nil }}
	l, err := c.List(context.Background())
	if err != nil || l.Dir != dir || len(l.Items) != 3 {
		t.Fatalf("list: %+v, %v", l, err)
	}
	res, err := c.Clear(context.Background(), CacheClear{})
	if err != nil || len(res.Items) != 1 || res.Items[0].Name != "debug" || res.Undo == nil {
		t.Fatalf("clear: %+v, %v", res, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "debug")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("debug/ is still there")
	}
	if list, _ := c.Clears(context.Background()); len(list) != 1 {
		t.Fatalf("clears: %+v", list)
	}
	if err := res.Undo(); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "debug", "log.txt")); string(b) != "debug\n" {
		t.Fatalf("not put back: %q, %v", b, err)
	}
	os.RemoveAll(filepath.Join(dir, "debug"))
	res, err = c.Clear(context.Background(), CacheClear{}) // nothing to clear: no undo
	if err != nil || res.Undo != nil {
		t.Fatalf("an empty clear: %+v, %v", res, err)
	}
	c.Processes = func() []int { return []int{42} }
	if _, err := c.Clear(context.Background(), CacheClear{}); !errors.Is(err, claudecache.ErrClaudeRunning) {
		t.Fatalf("with Claude Code running: %v", err)
	}
}

// TestEditUndoAndRestore: a settings edit's Undo is a function; restore
// finds the newest backup, and says which path is no backup.
func TestEditUndoAndRestore(t *testing.T) {
	file := isolate(t)
	writeFile(t, file, `{"env": {"API_TIMEOUT_MS": "600000"}}`)
	if _, _, err := RestoreLatest(""); !errors.As(err, new(*NoBackupError)) {
		t.Fatalf("restore with no backup: %v", err)
	}
	c, err := SetVars(file, Var{"API_TIMEOUT_MS", "900000"}, Var{"CLAUDE_CODE_MAX_RETRIES", "3"})
	if err != nil || !c.Undoable() || !c.Changed() || len(c.Lines) != 2 {
		t.Fatalf("set: %+v, %v", c, err)
	}
	if err := c.Undo(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(file); string(b) != `{"env": {"API_TIMEOUT_MS": "600000"}}` {
		t.Fatalf("after undo: %s", b)
	}
	if _, _, err := Restore("/etc/passwd"); !errors.As(err, new(*NotABackupError)) || !errors.Is(err, ErrNoBackup) {
		t.Fatalf("restore of a path that is no backup: %v", err)
	}
	_, b, err := RestoreLatest("")
	if err != nil || b.File == "" {
		t.Fatalf("restore latest: %+v, %v", b, err)
	}
	if got, _ := os.ReadFile(file); !strings.Contains(string(got), "900000") {
		t.Fatalf("restored: %s", got)
	}
	if _, err := SetVars(file, Var{"API_TIMEOUT_MS", "-5"}); err == nil {
		t.Error("a value Claude Code would refuse was saved")
	}
}

// TestErrorsCarryFactsAndNoFlags: every typed error of the use cases is
// worded by Explain, in English and Chinese, without a command-line flag or
// command in it (the window has none; the command line adds its own).
func TestErrorsCarryFactsAndNoFlags(t *testing.T) {
	errs := []error{
		&ChangedSinceError{File: "/h/.claude/settings.json"},
		&claudecfg.ChangedError{File: "/h/.claude/settings.json"},
		&PlaintextKeyError{File: "/h/.claude/settings.json", Err: keystore.ErrPlaintextInSettings},
		fmt.Errorf("x: %w", keystore.ErrKeyConflict),
		&claudecache.ConflictError{Items: []string{"debug"}},
		&claudecache.MoveError{Item: "debug", Err: os.ErrPermission},
		&claudecache.MoveError{Item: "logs", Moved: 2, Err: os.ErrPermission},
		&claudecache.RunningError{PIDs: []int{7}},
		claudecache.ErrNoTrash,
		&NoBackupError{File: "/h/.claude/settings.json"},
		&NotABackupError{Path: "/etc/passwd"},
		&ProxyTestError{Findings: []netcheck.Finding{{Code: netcheck.ProxyUnreachable}}},
		claudecfg.ErrNoSamples,
		claudecfg.ErrReadOnly,
	}
	for _, err := range errs {
		for _, lang := range []string{"en", "zh"} {
			text, known := Explain(err, i18n.For(lang))
			if !known || text == "" {
				t.Errorf("%T %v in %s: not worded", err, err, lang)
			}
			if strings.Contains(text, "--") || strings.Contains(text, "claudemedic ") {
				t.Errorf("%T in %s names a command or flag: %q", err, lang, text)
			}
		}
	}
	// The errors' own words name no flag either (a front end that shows one as it is).
	for _, err := range []error{
		&claudecfg.ChangedError{File: "f"}, &claudecache.ConflictError{Items: []string{"debug"}},
		&claudecache.MoveError{Item: "debug", Moved: 1, Err: os.ErrPermission}, &PlaintextKeyError{File: "f"},
	} {
		if s := err.Error(); strings.Contains(s, "--") || strings.Contains(s, "claudemedic ") {
			t.Errorf("%T says %q", err, s)
		}
	}
}
