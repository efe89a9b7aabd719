package claudetranscript

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// sessionDirLen is the length of a session's folder name (a UUID), the folder
// that holds its subagents' transcripts.
const sessionDirLen = 36

// agentDirs is how many folders deep below subagents/ Claude Code 2.1.332
// writes a subagent's transcript (subagents/<agentRelPath…>/agent-<id>.jsonl,
// at most 6 parts with subagents and the file's name).
const agentDirs = 4

// listTranscripts finds the transcripts under dir: <project>/*.jsonl and
// <project>/<session>/subagents/[up to agentDirs folders/]*.jsonl, regular
// files only (symlinks inside
// are not followed), and returns those whose modification time keep accepts
// (all when keep is nil), sorted by path, each with a fresh Lstat. A missing
// dir is no transcripts.
//
// Every transcript is stat'ed, for a file appended to keeps its folder's
// modification time. The stat is the whole cost of a large history, so on
// Linux it is done with as little as the kernel allows (walkTranscripts in
// walk_linux.go): one getdents per folder, one statx per .jsonl file relative
// to its folder, nothing allocated per file that is not kept.
func listTranscripts(ctx context.Context, dir string, keep func(mtime time.Time) bool) ([]transcript, error) {
	list, err := walkTranscripts(ctx, dir, keep)
	if err != nil {
		return nil, err
	}
	out := list[:0]
	for _, t := range list {
		if t.info == nil {
			info, err := os.Lstat(t.path)
			if err != nil || !info.Mode().IsRegular() {
				continue // vanished or replaced since
			}
			t.info = info
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b transcript) int { return strings.Compare(a.path, b.path) })
	return out, nil
}

// walkPortable is walkTranscripts with the os package: a ReadDir of every
// folder and an Lstat of every .jsonl file. The returned transcripts have
// their info.
func walkPortable(ctx context.Context, dir string, keep func(time.Time) bool) ([]transcript, error) {
	projects, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	var out []transcript
	var add func(path, project string, depth int) error
	add = func(path, project string, depth int) error {
		ents, err := os.ReadDir(path)
		if err != nil {
			return nil // unreadable or vanished: skip
		}
		for i, e := range ents {
			if i%1024 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			name := e.Name()
			switch t := e.Type(); {
			case t.IsRegular() && strings.HasSuffix(name, ".jsonl"):
				info, err := e.Info()
				if err != nil || !info.Mode().IsRegular() {
					continue
				}
				if keep == nil || keep(info.ModTime()) {
					out = append(out, transcript{filepath.Join(path, name), project, info})
				}
			case t.IsDir() && depth > 0 && depth <= agentDirs:
				// A subagent's folder below subagents/.
				if err := add(filepath.Join(path, name), project, depth+1); err != nil {
					return err
				}
			case t.IsDir() && depth == 0 && len(name) == sessionDirLen:
				// A session's folder: its subagents' transcripts (not
				// through a symlink).
				sub := filepath.Join(path, name, "subagents")
				if fi, err := os.Lstat(sub); err != nil || !fi.IsDir() {
					continue
				}
				if err := add(sub, project, 1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	for _, p := range projects {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if !p.IsDir() {
			continue
		}
		if err := add(filepath.Join(dir, p.Name()), p.Name(), 0); err != nil {
			return nil, err
		}
	}
	return out, nil
}
