//go:build linux

package claudetranscript

import (
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// walkTranscripts lists the transcripts under dir whose modification time
// keep accepts (all when keep is nil); see listTranscripts. The returned
// transcripts have no info yet.
//
// A stat per transcript is what a large history costs, so each folder is read
// with getdents into a buffer used again, each .jsonl file stat'ed with one
// statx relative to its folder's descriptor (no path walk from the root; only
// its type and modification time asked), nothing is allocated for a file that
// is not kept, and the stats are shared by up to GOMAXPROCS workers (at most
// 4), the folders' names read a buffer at a time by whichever worker is free,
// so that one large project is shared too. A session's folder costs one
// statx more (is there a subagents folder in it?); the worker that finds one
// reads it at once.
func walkTranscripts(ctx context.Context, dir string, keep func(time.Time) bool) ([]transcript, error) {
	dir = filepath.Clean(dir)
	root, err := openDir(dir, 0) // dir itself may be a symlink
	if err != nil {
		if errors.Is(err, unix.ENOENT) {
			return nil, nil
		}
		return nil, &os.PathError{Op: "open", Path: dir, Err: err}
	}
	w := &walk{ctx: ctx, keep: keep, active: []*folder{{fd: root, path: dir}}}
	w.cond.L = &w.mu
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), maxWalkers) - 1 {
		wg.Go(w.work)
	}
	w.work()
	wg.Wait()
	for _, f := range w.active {
		unix.Close(f.fd) // left by an error
	}
	if w.err != nil {
		return nil, w.err
	}
	return w.out, nil
}

const maxWalkers = 4

// walk is one walkTranscripts: the folders being read and to read, shared by
// its workers.
type walk struct {
	ctx  context.Context
	keep func(time.Time) bool

	mu      sync.Mutex
	cond    sync.Cond
	active  []*folder // open, names still to read
	pending []folder  // found, not yet open
	busy    int       // workers handling names (they may find folders)
	out     []transcript
	err     error

	keepMu sync.Mutex // keep is called by one worker at a time
}

// folder is the projects folder (depth 0), a project's folder (1), a
// session's subagents folder (2) or a folder below it (3 to 2+agentDirs).
type folder struct {
	fd      int
	path    string
	project string
	depth   int
	users   int  // workers handling names read from it
	done    bool // all its names read
}

// work reads names from the folders and stats the transcripts among them
// until no folder is left or an error stops the walk.
func (w *walk) work() {
	wk := &walker{walk: w, buf: make([]byte, 8<<10)}
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		f := w.next()
		if f == nil {
			return
		}
		n, err := unix.Getdents(f.fd, wk.buf)
		for err == unix.EINTR {
			n, err = unix.Getdents(f.fd, wk.buf)
		}
		if err != nil || n <= 0 {
			f.done = true // the end, or unreadable or removed: what was read stays
			w.active = removeFolder(w.active, f)
			n, err = 0, nil
		}
		w.busy++
		w.mu.Unlock()
		if n > 0 {
			err = wk.names(f, wk.buf[:n])
		}
		w.mu.Lock()
		w.busy--
		if f.users--; f.done && f.users == 0 {
			unix.Close(f.fd)
		}
		if err != nil && w.err == nil {
			w.err = err
		}
		w.pending = append(w.pending, wk.found...)
		w.out = append(w.out, wk.out...)
		wk.found, wk.out = wk.found[:0], wk.out[:0]
		w.cond.Broadcast()
	}
}

// maxOpen is how many folders a walk has open at most.
const maxOpen = 8

// next returns a folder to read names from, or nil when the walk is over.
// w.mu is held. The folders found are read before more names of the folder
// they were found in, the newest first: depth first, so that the folders
// found and not yet read stay within a few buffers' names.
func (w *walk) next() *folder {
	for w.err == nil {
		if len(w.pending) > 0 && len(w.active) < maxOpen {
			p := w.pending[len(w.pending)-1]
			w.pending = w.pending[:len(w.pending)-1]
			fd, err := openDir(p.path, unix.O_NOFOLLOW)
			if err != nil {
				continue // not a folder, a symlink, unreadable or vanished: skip
			}
			f := &p
			f.fd, f.users = fd, 1
			w.active = append(w.active, f)
			return f
		}
		if len(w.active) > 0 {
			f := w.active[len(w.active)-1]
			f.users++
			return f
		}
		if w.busy == 0 {
			return nil
		}
		w.cond.Wait()
	}
	return nil
}

func removeFolder(fs []*folder, f *folder) []*folder {
	for i, g := range fs {
		if g == f {
			return append(fs[:i], fs[i+1:]...)
		}
	}
	return fs
}

// walker is a worker's own part of a walk.
type walker struct {
	walk  *walk
	buf   []byte                // getdents', for the walk's folders
	sub   [agentDirs + 1][]byte // getdents', for a subagents folder and below
	name  [300]byte             // a name with its NUL, for statx and openat
	n     int                   // names seen, for the context's checks
	found []folder              // folders found in this buffer
	out   []transcript          // transcripts kept in this buffer
}

const (
	direntReclen = int(unsafe.Offsetof(unix.Dirent{}.Reclen))
	direntType   = int(unsafe.Offsetof(unix.Dirent{}.Type))
	direntName   = int(unsafe.Offsetof(unix.Dirent{}.Name))
)

// names handles a buffer of names read from f.
func (wk *walker) names(f *folder, b []byte) error {
	for len(b) > direntName {
		reclen := int(binary.NativeEndian.Uint16(b[direntReclen:]))
		if reclen <= direntName || reclen > len(b) {
			break // never from a kernel
		}
		typ, name := b[direntType], b[direntName:reclen]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		b = b[reclen:]
		if wk.n++; wk.n%1024 == 0 {
			if err := wk.walk.ctx.Err(); err != nil {
				return err
			}
		}
		if err := wk.entry(f, name, typ); err != nil {
			return err
		}
	}
	return nil
}

// entry handles one name of the folder f (valid only during the call).
func (wk *walker) entry(f *folder, name []byte, typ uint8) error {
	maybeDir := typ == unix.DT_DIR || typ == unix.DT_UNKNOWN
	switch {
	case len(name) == 0 || string(name) == "." || string(name) == "..":
	case f.depth == 0:
		if maybeDir {
			p := string(name)
			wk.found = append(wk.found, folder{path: filepath.Join(f.path, p), project: p, depth: 1})
		}
	case len(name) >= len(".jsonl") && string(name[len(name)-len(".jsonl"):]) == ".jsonl" && (typ == unix.DT_REG || typ == unix.DT_UNKNOWN):
		mtime, ok := wk.stat(f.fd, name)
		if !ok {
			return nil
		}
		if k := wk.walk.keep; k != nil {
			wk.walk.keepMu.Lock()
			ok = k(mtime)
			wk.walk.keepMu.Unlock()
		}
		if ok {
			wk.out = append(wk.out, transcript{path: filepath.Join(f.path, string(name)), project: f.project})
		}
	case f.depth == 1 && len(name) == sessionDirLen && maybeDir:
		// A session's folder: its subagents' transcripts, read at once by
		// this worker. Most sessions have none: a statx that fails costs
		// half an openat that fails.
		if typ == unix.DT_DIR && !wk.mayBeDir(f.fd, name, "subagents") {
			return nil
		}
		fd, rel := f.fd, name
		if typ == unix.DT_UNKNOWN { // it may be a symlink
			var err error
			if fd, err = wk.openat(f.fd, name, ""); err != nil {
				return nil
			}
			defer unix.Close(fd)
			rel = nil
		}
		sub, err := wk.openat(fd, rel, "subagents")
		if err != nil {
			return nil
		}
		defer unix.Close(sub)
		return wk.read(&folder{fd: sub, path: filepath.Join(f.path, string(name), "subagents"), project: f.project, depth: 2})
	case f.depth >= 2 && f.depth < 2+agentDirs && maybeDir:
		// A subagent's folder below subagents/.
		sub, err := wk.openat(f.fd, name, "")
		if err != nil {
			return nil
		}
		defer unix.Close(sub)
		return wk.read(&folder{fd: sub, path: filepath.Join(f.path, string(name)), project: f.project, depth: f.depth + 1})
	}
	return nil
}

// read reads all the names of the subagents folder f (or one below it).
func (wk *walker) read(f *folder) error {
	i := f.depth - 2
	if wk.sub[i] == nil {
		wk.sub[i] = make([]byte, 4<<10)
	}
	for {
		n, err := unix.Getdents(f.fd, wk.sub[i])
		if err == unix.EINTR {
			continue
		}
		if err != nil || n <= 0 {
			return nil // the end, or unreadable: what was read stays
		}
		if err := wk.names(f, wk.sub[i][:n]); err != nil {
			return err
		}
	}
}

// mayBeDir reports whether name/dir in the folder fd may be a folder: false
// when statx says it is not (or is not there).
func (wk *walker) mayBeDir(fd int, name []byte, dir string) bool {
	p, ok := wk.path(name, dir)
	if !ok || noStatx.Load() {
		return ok
	}
	var sx unix.Statx_t
	for {
		_, _, e := unix.Syscall6(unix.SYS_STATX, uintptr(fd), uintptr(unsafe.Pointer(&p[0])),
			unix.AT_SYMLINK_NOFOLLOW, unix.STATX_TYPE, uintptr(unsafe.Pointer(&sx)), 0)
		switch e {
		case 0:
			return sx.Mask&unix.STATX_TYPE == 0 || sx.Mode&unix.S_IFMT == unix.S_IFDIR
		case unix.EINTR:
			continue
		case unix.ENOENT, unix.ENOTDIR:
			return false
		}
		return true // let openat say
	}
}

// path puts name/dir (name alone when dir is "", dir alone when name is nil)
// with a NUL into wk.name.
func (wk *walker) path(name []byte, dir string) ([]byte, bool) {
	if len(name)+1+len(dir)+1 > len(wk.name) {
		return nil, false
	}
	p := append(wk.name[:0], name...)
	if dir != "" {
		if len(p) > 0 {
			p = append(p, '/')
		}
		p = append(p, dir...)
	}
	return append(p, 0), true
}

// openat opens the folder dir/name (name alone when dir is "", dir alone when
// name is nil) relative to the folder fd, without following a symlink at its
// end, and without allocating.
func (wk *walker) openat(fd int, name []byte, dir string) (int, error) {
	p, ok := wk.path(name, dir)
	if !ok {
		return -1, unix.ENAMETOOLONG
	}
	for {
		r, _, e := unix.Syscall6(unix.SYS_OPENAT, uintptr(fd), uintptr(unsafe.Pointer(&p[0])),
			unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC|unix.O_NONBLOCK|unix.O_NOFOLLOW, 0, 0, 0)
		switch e {
		case 0:
			return int(r), nil
		case unix.EINTR:
			continue
		}
		return -1, e
	}
}

// noStatx is set once statx is missing (Linux before 4.11) or refused (a
// seccomp filter): fstatat then.
var noStatx atomic.Bool

// stat returns the modification time of the regular file name in the folder
// fd, without following a symlink; ok is false for anything else.
func (wk *walker) stat(fd int, name []byte) (mtime time.Time, ok bool) {
	if len(name) >= len(wk.name) {
		return time.Time{}, false
	}
	if !noStatx.Load() {
		copy(wk.name[:], name)
		wk.name[len(name)] = 0
		var sx unix.Statx_t
		for {
			_, _, e := unix.Syscall6(unix.SYS_STATX, uintptr(fd), uintptr(unsafe.Pointer(&wk.name[0])),
				unix.AT_SYMLINK_NOFOLLOW, unix.STATX_TYPE|unix.STATX_MTIME, uintptr(unsafe.Pointer(&sx)), 0)
			switch e {
			case 0:
				if sx.Mask&(unix.STATX_TYPE|unix.STATX_MTIME) == unix.STATX_TYPE|unix.STATX_MTIME {
					return time.Unix(sx.Mtime.Sec, int64(sx.Mtime.Nsec)), sx.Mode&unix.S_IFMT == unix.S_IFREG
				}
			case unix.EINTR:
				continue
			case unix.ENOSYS, unix.EPERM:
				noStatx.Store(true)
			default:
				return time.Time{}, false // vanished, or no permission on the folder
			}
			break // fstatat
		}
	}
	var st unix.Stat_t
	for {
		err := unix.Fstatat(fd, string(name), &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return time.Time{}, false
		}
		return time.Unix(st.Mtim.Unix()), st.Mode&unix.S_IFMT == unix.S_IFREG
	}
}

// openDir opens the folder path for reading its names; flags adds O_NOFOLLOW.
func openDir(path string, flags int) (int, error) {
	for {
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC|unix.O_NONBLOCK|flags, 0)
		if err != unix.EINTR {
			return fd, err
		}
	}
}
