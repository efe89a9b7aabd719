package claudecache

import (
	"errors"
	"os"
	"runtime"
	"testing"
)

// TestFailedClearLeavesNoTrashEntry: a clear that can move nothing (Claude
// Code's folder unwritable) leaves no trash entry, so undo has nothing to
// "put back"; the folder is as it was.
func TestFailedClearLeavesNoTrashEntry(t *testing.T) {
	dir := testHome(t)
	fillClaudeDir(t, dir)
	before := tree(t, dir)
	t.Cleanup(func() { rename = os.Rename })
	rename = func(src, dst string) error {
		return &os.LinkError{Op: "rename", Old: src, New: dst, Err: os.ErrPermission}
	}
	_, err := ClearCache(dir, ClearOptions{Force: true, Processes: func() []int { return nil }})
	var me *MoveError
	if !errors.As(err, &me) || me.Moved != 0 || !errors.Is(err, os.ErrPermission) {
		t.Fatalf("got %v, want a *MoveError with nothing moved", err)
	}
	if list, _ := TrashBatches(); len(list) != 0 {
		t.Errorf("trash entries after a failed clear: %+v", list)
	}
	if _, err := UndoClear("", false); !errors.Is(err, ErrNoTrash) {
		t.Errorf("undo after a failed clear: %v, want ErrNoTrash", err)
	}
	if d := diffTrees(before, tree(t, dir)); d != "" {
		t.Errorf("the folder changed:\n%s", d)
	}
}

// TestClearOfAnUnwritableFolder is the same with a real folder permission
// (not for root, whom permissions do not stop).
func TestClearOfAnUnwritableFolder(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("root and Windows ignore a folder's write permission")
	}
	dir := testHome(t)
	fillClaudeDir(t, dir)
	os.Chmod(dir, 0o500)
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	if _, err := ClearCache(dir, ClearOptions{Force: true, Processes: func() []int { return nil }}); err == nil {
		t.Fatal("the clear succeeded")
	}
	if list, _ := TrashBatches(); len(list) != 0 {
		t.Errorf("trash entries after a failed clear: %+v", list)
	}
}

// TestPartlyFailedClearKeepsWhatMoved: when the second item fails, the first
// is in the trash and undo puts exactly it back.
func TestPartlyFailedClearKeepsWhatMoved(t *testing.T) {
	dir := testHome(t)
	fillClaudeDir(t, dir)
	before := tree(t, dir)
	t.Cleanup(func() { rename = os.Rename })
	n := 0
	rename = func(src, dst string) error {
		if n++; n == 2 {
			return &os.LinkError{Op: "rename", Old: src, New: dst, Err: os.ErrPermission}
		}
		return os.Rename(src, dst)
	}
	_, err := ClearCache(dir, ClearOptions{Force: true, Processes: func() []int { return nil }})
	var me *MoveError
	if !errors.As(err, &me) || me.Moved != 1 {
		t.Fatalf("got %v, want a *MoveError with one item moved", err)
	}
	rename = os.Rename
	b, err := UndoClear("", false)
	if err != nil || len(b.Items) != 1 {
		t.Fatalf("undo: %v, %+v", err, b)
	}
	if d := diffTrees(before, tree(t, dir)); d != "" {
		t.Errorf("not restored:\n%s", d)
	}
}
