package claudecfg

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestTwoWritersRace: two of Claude Medic's writers editing different keys
// of one file at the same moment both succeed and both values end up in the
// file (the lock covers the read), 200 times in a row.
func TestTwoWritersRace(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, "{\n  \"model\": \"opus\"\n}\n")
	races := 200
	if testing.Short() {
		races = 50
	}
	for i := range races {
		v := strconv.Itoa(i)
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for w, key := range []string{"A_VAR", "B_VAR"} {
			wg.Go(func() {
				<-start
				_, errs[w] = EditFile(path, EnvEdit(key, v))
			})
		}
		close(start)
		wg.Wait()
		for w, err := range errs {
			if err != nil {
				t.Fatalf("race %d: writer %d refused: %v", i, w, err)
			}
		}
		f, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		env, _ := f.Values["env"].(map[string]any)
		if env["A_VAR"] != v || env["B_VAR"] != v {
			t.Fatalf("race %d: env %v, want both %s", i, env, v)
		}
	}
}

// TestTwoWriterProcessesRace: the same with two processes writing as fast as
// they can: no refusal, and both last values in the file.
func TestTwoWriterProcessesRace(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, "{}\n")
	const n = 100
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for _, key := range []string{"A_VAR", "B_VAR"} {
		cmd := helper(t, "setter", path, "CLAUDECFG_HELPER_KEY="+key, fmt.Sprintf("CLAUDECFG_HELPER_N=%d", n))
		wg.Go(func() {
			if err := cmd.Run(); err != nil {
				errs <- fmt.Errorf("writer %s: %w", key, err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	f, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	env, _ := f.Values["env"].(map[string]any)
	if want := strconv.Itoa(n - 1); env["A_VAR"] != want || env["B_VAR"] != want {
		t.Fatalf("env %v, want both %s", env, want)
	}
}

// TestAWriterThatDoesNotLockIsCaught: Claude Code writes without the lock;
// a save over its change is refused with the file's name and what to do.
func TestAWriterThatDoesNotLockIsCaught(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, `{"n": 0}`)
	d, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	d.Apply(Set(1, "n"))
	writeFile(t, path, `{"n": 0, "model": "opus"}`) // Claude Code's own write
	if err := d.Check(); !errors.Is(err, ErrChangedOnDisk) {
		t.Fatalf("Check: %v", err)
	}
	_, err = d.Save()
	var ce *ChangedError
	if !errors.As(err, &ce) || ce.File != path || !strings.Contains(err.Error(), "read it again and retry") {
		t.Fatalf("got %v, want a *ChangedError for %s saying what to do", err, path)
	}
	if list, _ := Backups(path); len(list) != 0 {
		t.Errorf("a refused save listed backups: %v", list)
	}
}

// failWritesIn makes every temporary file in dir fail to be created, as an
// unwritable folder does even for root.
func failWritesIn(t *testing.T, dir string) {
	t.Helper()
	t.Cleanup(func() { createTemp = os.CreateTemp })
	createTemp = func(d, pattern string) (*os.File, error) {
		if filepath.Clean(d) == filepath.Clean(dir) {
			return nil, &os.PathError{Op: "open", Path: filepath.Join(d, pattern), Err: os.ErrPermission}
		}
		return os.CreateTemp(d, pattern)
	}
}

// TestFailedWriteListsNoBackup: with Claude Code's folder unwritable, a write
// fails, the file is as it was, and no backup of it is listed; the backups
// of earlier saves are all still there.
func TestFailedWriteListsNoBackup(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, `{"a": 0}`)
	for i := 1; i <= KeepBackups; i++ { // a full set of backups: a failed write must not prune one
		if _, err := EditFile(path, Set(i, "a")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond)
	}
	before, _ := Backups(path)
	content, _ := os.ReadFile(path)
	failWritesIn(t, dir)
	if _, err := EditFile(path, Set(99, "a")); !errors.Is(err, os.ErrPermission) {
		t.Fatalf("got %v, want a permission error", err)
	}
	after, _ := Backups(path)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("the failed write changed the backups:\nbefore %v\nafter  %v", before, after)
	}
	if got, _ := os.ReadFile(path); string(got) != string(content) {
		t.Errorf("file %q, want %q", got, content)
	}
	d, _ := Open(path)
	d.Apply(Set(100, "a"))
	if _, err := d.Save(); err == nil {
		t.Fatal("Save in an unwritable folder succeeded")
	}
	if after, _ := Backups(path); len(after) != len(before) {
		t.Errorf("Save's failure listed a backup: %d, want %d", len(after), len(before))
	}
	if left := tempFiles(t, dir); len(left) > 0 {
		t.Errorf("temporary files: %v", left)
	}
}

// TestReadOnlyFolderListsNoBackup is the same with a real folder permission
// (not for root, whom permissions do not stop).
func TestReadOnlyFolderListsNoBackup(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("root and Windows ignore a folder's write permission")
	}
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, `{"a": 1}`)
	os.Chmod(dir, 0o500)
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	if _, err := EditFile(path, Set(2, "a")); err == nil {
		t.Fatal("the write succeeded")
	}
	if list, _ := Backups(path); len(list) != 0 {
		t.Errorf("a failed write listed backups: %v", list)
	}
}

// TestAnEarlierVersionsTempFileIsRemoved: ".settings.json.tmp-*" files of
// an earlier Claude Medic go once they are a few seconds old; a fresh one
// (a writer of that version that may still run) stays.
func TestAnEarlierVersionsTempFileIsRemoved(t *testing.T) {
	dir := testHome(t)
	path := filepath.Join(dir, "settings.json")
	writeFile(t, path, `{}`)
	old, fresh := filepath.Join(dir, ".settings.json.tmp-123"), filepath.Join(dir, ".settings.json.tmp-456")
	writeFile(t, old, `{"half`)
	writeFile(t, fresh, `{"half`)
	past := time.Now().Add(-time.Minute)
	os.Chtimes(old, past, past)
	mine := filepath.Join(dir, ".settings.json"+tempInfix+"789"+tempSuffix)
	writeFile(t, mine, `{"half`)
	if _, err := EditFile(path, Set(1, "a")); err != nil {
		t.Fatal(err)
	}
	for f, want := range map[string]bool{old: false, fresh: true, mine: false} {
		if _, err := os.Stat(f); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", filepath.Base(f), err == nil, want)
		}
	}
}
