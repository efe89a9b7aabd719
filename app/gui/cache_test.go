package gui

import (
	"context"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"claudemedic/claudecache"
)

// failingCache is a Cache whose clear fails as an unwritable folder makes it.
type failingCache struct {
	claudeCache
	err  error
	undo func() error
}

func (c failingCache) Clear(ctx context.Context, userData []string, force bool) (func() error, error) {
	return c.undo, c.err
}

// TestCacheClearFailureIsWordedWithoutFlags: a clear that failed is told in
// doctor's words, with no command-line flag or command in them; Undo is
// offered only when something moved before the failure.
func TestCacheClearFailureIsWordedWithoutFlags(t *testing.T) {
	undone := false
	for _, tc := range []struct {
		err  error
		undo func() error
	}{
		{&claudecache.MoveError{Item: "debug", Err: os.ErrPermission}, nil},
		{&claudecache.MoveError{Item: "logs", Moved: 1, Err: os.ErrPermission}, func() error { undone = true; return nil }},
	} {
		err := tc.err
		f, _, _ := cacheFixture(t)
		f.svc.Cache = failingCache{err: err, undo: tc.undo}
		c := f.w.cache
		test.Tap(c.clear)
		settle(t)
		if !strings.Contains(c.msg.Text, "to the trash") || strings.Contains(c.msg.Text, "--") || strings.Contains(c.msg.Text, "claudemedic ") {
			t.Errorf("%v: the message is %q", err, c.msg.Text)
		}
		if c.undo.Visible() != (tc.undo != nil) {
			t.Errorf("%v: Undo offered %v", err, c.undo.Visible())
		}
		if tc.undo != nil {
			test.Tap(c.undo)
			settle(t)
			if !undone {
				t.Error("Undo after a partly failed clear did not undo")
			}
		}
	}
}
