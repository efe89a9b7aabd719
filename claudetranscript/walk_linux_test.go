//go:build linux

package claudetranscript

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Without statx (Linux before 4.11, a seccomp filter), fstatat finds the same.
func TestWalkWithoutStatx(t *testing.T) {
	dir, want := oldTree(t, 200)
	noStatx.Store(true)
	defer noStatx.Store(false)
	list, err := listTranscripts(context.Background(), dir, sinceKeep(time.Now().Add(-time.Hour)))
	if got := paths(t, dir, list); err != nil || !slices.Equal(got, want) {
		t.Errorf("%q %v, want %q", got, err, want)
	}
}

// A file system that does not give names' types (DT_UNKNOWN): the same found.
func TestWalkUnknownTypes(t *testing.T) {
	dir, want := oldTree(t, 50)
	must(t, os.Symlink(dir+"/-home-old3", dir+"/-home-old4/"+session))
	mkfifo(t, dir+"/-home-old4/f.jsonl")
	w := &walk{ctx: context.Background(), keep: sinceKeep(time.Now().Add(-time.Hour))}
	wk := &walker{walk: w}
	var visit func(f *folder)
	visit = func(f *folder) {
		fd, err := openDir(f.path, unix.O_NOFOLLOW)
		if err != nil {
			return
		}
		defer unix.Close(fd)
		f.fd = fd
		ents, err := os.ReadDir(f.path)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			wk.entry(f, []byte(e.Name()), unix.DT_UNKNOWN)
		}
		found := slices.Clone(wk.found)
		wk.found = wk.found[:0]
		for _, g := range found {
			visit(&g)
		}
	}
	visit(&folder{path: dir})
	if got := paths(t, dir, wk.out); !slices.Equal(got, want) {
		t.Errorf("%q, want %q", got, want)
	}
}
