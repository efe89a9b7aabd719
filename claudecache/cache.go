// Package claudecache owns Claude Code's disposable files: it lists the
// items of Claude Code's folder in three classes (cache, user data, never
// touch), clears the cache into a dated trash in Claude Medic's own data
// folder, and puts a clear back byte for byte (Undo), all apart from the
// settings editing of claudecfg. It prints nothing; the front ends word its
// typed errors.
package claudecache

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/natefinch/atomic"

	"claudemedic/appdirs"
	"claudemedic/claudecfg"
)

// Class says what deleting an item under Claude Code's folder would cost.
type Class string

// The three classes of DESIGN.md.
const (
	ClassCache      Class = "cache"       // disposable: Claude Code makes it again
	ClassUserData   Class = "user data"   // deleting loses something: moved only on explicit request
	ClassNeverTouch Class = "never touch" // settings, credentials, your own files: never moved
)

var itemClasses = map[string]Class{
	"debug": ClassCache, "plans": ClassCache, "image-cache": ClassCache, "session-env": ClassCache,
	"tasks": ClassCache, "shell-snapshots": ClassCache, "backups": ClassCache, "cache": ClassCache,
	"todos": ClassCache, "statsig": ClassCache, "logs": ClassCache,
	"remote-settings.json": ClassCache, "policy-limits.json": ClassCache,

	"projects": ClassUserData, "history.jsonl": ClassUserData, "file-history": ClassUserData,
	"paste-cache": ClassUserData, "uploads": ClassUserData, "stats-cache.json": ClassUserData,
	"usage-data": ClassUserData,

	"settings.json": ClassNeverTouch, "settings.local.json": ClassNeverTouch, ".credentials.json": ClassNeverTouch,
	"CLAUDE.md": ClassNeverTouch, "agents": ClassNeverTouch, "commands": ClassNeverTouch, "skills": ClassNeverTouch,
	"plugins": ClassNeverTouch, "output-styles": ClassNeverTouch, "keybindings.json": ClassNeverTouch,
	".claude.json": ClassNeverTouch, "ide": ClassNeverTouch, "sessions": ClassNeverTouch,
}

// TrashKeep is how long cleared items stay in the trash for Undo.
const TrashKeep = 7 * 24 * time.Hour

// ClassOf classes an item under Claude Code's folder by name; an item
// Claude Medic does not know is never touched.
func ClassOf(name string) (c Class, known bool) {
	c, known = itemClasses[name]
	if !known {
		return ClassNeverTouch, false
	}
	return c, true
}

// CacheItem is one entry of Claude Code's folder.
type CacheItem struct {
	Name  string `json:"name"`
	Class Class  `json:"class"`
	Known bool   `json:"known"` // false: Claude Medic does not know it, so leaves it alone
	Dir   bool   `json:"dir"`
	Size  int64  `json:"size"`  // bytes of the files in it
	Files int    `json:"files"` // how many files
}

// ListCache lists the entries of Claude Code's folder dir with their class
// and size, sorted by class then name. A missing folder lists nothing.
func ListCache(dir string) ([]CacheItem, error) {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("listing %s: %w", dir, err)
	}
	var items []CacheItem
	for _, e := range entries {
		c, known := ClassOf(e.Name())
		it := CacheItem{Name: e.Name(), Class: c, Known: known, Dir: e.IsDir()}
		it.Size, it.Files = treeSize(filepath.Join(dir, e.Name()))
		items = append(items, it)
	}
	order := map[Class]int{ClassCache: 0, ClassUserData: 1, ClassNeverTouch: 2}
	sort.Slice(items, func(i, j int) bool {
		if a, b := order[items[i].Class], order[items[j].Class]; a != b {
			return a < b
		}
		return items[i].Name < items[j].Name
	})
	return items, nil
}

// treeSize adds up the sizes of the files under path, not following links.
func treeSize(path string) (size int64, files int) {
	filepath.WalkDir(path, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if fi, err := d.Info(); err == nil {
			size += fi.Size()
			files++
		}
		return nil
	})
	return size, files
}

// ClearOptions choose what ClearCache moves.
type ClearOptions struct {
	Include []string // user-data items to move as well, each by name
	DryRun  bool     // say what would move, move nothing
	Force   bool     // clear even while a claude process runs
	// Processes lists the running Claude Code processes the clear waits
	// for; nil is ClaudeProcesses, this machine's. Tests give their own, so
	// that the claude a developer runs on the machine is no part of them.
	Processes func() []int
}

// Errors of the cache commands.
var (
	ErrClaudeRunning   = errors.New("Claude Code is running: quit it first") // a *RunningError says which processes
	ErrNeverTouch      = errors.New("is never moved (Claude Code's settings, credentials or your own files)")
	ErrUnknownItem     = errors.New("is not an item of Claude Code's folder")
	ErrNoTrash         = errors.New("there is no cleared cache to undo (cleared items are kept for 7 days)")
	ErrRestoreConflict = errors.New("already exists again (Claude Code made it after the clear)")
)

// MoveError is a clear that failed moving one item (Claude Code's folder
// unwritable, say). Moved items before it are in the trash and UndoClear puts
// them back; with none moved, no trash entry is left.
type MoveError struct {
	Item  string // the item that did not move
	Moved int    // how many moved before it
	Err   error
}

func (e *MoveError) Error() string {
	if e.Moved == 0 {
		return fmt.Sprintf("moving %s to the trash: %v (nothing was cleared)", e.Item, e.Err)
	}
	return fmt.Sprintf("moving %s to the trash: %v (the %d item(s) moved before it can be put back)", e.Item, e.Err, e.Moved)
}

func (e *MoveError) Unwrap() error { return e.Err }

// ConflictError is an undo refused because Claude Code made some of the
// cleared items again since: nothing was restored. It errors.Is
// ErrRestoreConflict. Restoring anyway (UndoClear's replace) moves the new
// copies to the trash first; how to ask for it is the front end's to say.
type ConflictError struct {
	Items []string
}

func (e *ConflictError) Error() string {
	return fmt.Sprintf("%s %v: nothing was restored", strings.Join(e.Items, ", "), ErrRestoreConflict)
}

// Is makes errors.Is(err, ErrRestoreConflict) true.
func (e *ConflictError) Is(target error) bool { return target == ErrRestoreConflict }

// RunningError is a clear refused because Claude Code is running: the
// processes in the way. It errors.Is ErrClaudeRunning. What to do beyond
// quitting Claude Code is the front end's to say: the command line offers
// --force, the window "Clear anyway" (ClearOptions.Force).
type RunningError struct {
	PIDs []int
}

func (e *RunningError) Error() string {
	return fmt.Sprintf("Claude Code is running (process %s): quit it first", ProcessList(e.PIDs))
}

// Is makes errors.Is(err, ErrClaudeRunning) true.
func (e *RunningError) Is(target error) bool { return target == ErrClaudeRunning }

// Batch is one clear: the items moved from Claude Code's folder into a dated
// trash folder, from which UndoClear puts them back.
type Batch struct {
	ID          string      `json:"id"`
	Trash       string      `json:"trash"`  // the trash folder
	Source      string      `json:"source"` // Claude Code's folder
	Created     time.Time   `json:"created"`
	SourceMTime time.Time   `json:"source_mtime"`
	Items       []CacheItem `json:"items"`
	Running     []int       `json:"running,omitempty"` // claude processes seen (a dry run or --force)
}

// Size is the bytes of the batch's items.
func (b *Batch) Size() (n int64) {
	for _, it := range b.Items {
		n += it.Size
	}
	return n
}

func trashRoot() (string, error) {
	d, err := appdirs.Data()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "trash"), nil
}

// ClearCache moves the disposable items of Claude Code's folder dir, and the
// user-data items named in o.Include, into a dated trash folder under
// appdirs.Data(). Never-touch items never move. Trash older than 7 days is
// purged first. While a claude process runs it refuses without o.Force.
func ClearCache(dir string, o ClearOptions) (*Batch, error) {
	if err := checkClaudeDir(dir); err != nil {
		return nil, err
	}
	if !o.DryRun {
		PurgeTrash(TrashKeep)
	}
	items, err := ListCache(dir)
	if err != nil {
		return nil, err
	}
	byName := map[string]CacheItem{}
	for _, it := range items {
		byName[it.Name] = it
	}
	include := map[string]bool{}
	for _, name := range o.Include {
		c, _ := ClassOf(name)
		switch _, exists := byName[name]; {
		case c == ClassNeverTouch:
			if _, known := itemClasses[name]; !known && !exists {
				return nil, fmt.Errorf("%q %w", name, ErrUnknownItem)
			}
			return nil, fmt.Errorf("%s %w", name, ErrNeverTouch)
		case !exists:
			return nil, fmt.Errorf("%q is not in %s", name, dir)
		}
		include[name] = true
	}
	b := &Batch{Source: dir, Created: time.Now().UTC()}
	for _, it := range items {
		if it.Class == ClassCache || (it.Class == ClassUserData && include[it.Name]) {
			b.Items = append(b.Items, it)
		}
	}
	running := o.Processes
	if running == nil {
		running = ClaudeProcesses
	}
	b.Running = running()
	if len(b.Running) > 0 && !o.Force && !o.DryRun {
		return b, &RunningError{PIDs: b.Running}
	}
	if o.DryRun || len(b.Items) == 0 {
		return b, nil
	}
	return b, moveToTrash(b)
}

// ErrNotClaudeDir is a Claude Code folder that is the home folder or a
// file system's root (CLAUDE_CONFIG_DIR set wrong): its debug/ or logs/ would
// be a person's own.
var ErrNotClaudeDir = errors.New("is not a Claude Code folder of its own (is CLAUDE_CONFIG_DIR set to your home folder?): nothing is cleared there")

func checkClaudeDir(dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	home, _ := os.UserHomeDir()
	if filepath.Dir(abs) == abs || (home != "" && claudecfg.SamePath(abs, home)) {
		return fmt.Errorf("%s %w", dir, ErrNotClaudeDir)
	}
	return nil
}

// moveToTrash moves b.Items into a new trash folder, recording each in its
// manifest so an interrupted clear can still be undone.
func moveToTrash(b *Batch) error {
	root, err := trashRoot()
	if err != nil {
		return err
	}
	if fi, err := os.Stat(b.Source); err == nil {
		b.SourceMTime = fi.ModTime()
	}
	b.ID = b.Created.Format("2006-01-02T150405.000000000Z")
	b.Trash = filepath.Join(root, b.ID)
	if err := os.MkdirAll(filepath.Join(b.Trash, "items"), 0o700); err != nil {
		removeTree(b.Trash)
		return fmt.Errorf("creating the trash folder: %w", err)
	}
	planned := b.Items
	b.Items = nil
	for _, it := range planned {
		b.Items = append(b.Items, it)
		if err := writeManifest(b); err != nil {
			if b.Items = b.Items[:len(b.Items)-1]; len(b.Items) == 0 {
				removeTree(b.Trash)
				b.Trash, b.ID = "", ""
			}
			return err
		}
		if err := moveTree(filepath.Join(b.Source, it.Name), filepath.Join(b.Trash, "items", it.Name)); err != nil {
			b.Items = b.Items[:len(b.Items)-1]
			if len(b.Items) == 0 { // nothing moved: no trash entry to undo
				removeTree(b.Trash)
				b.Trash, b.ID = "", ""
			} else {
				writeManifest(b)
			}
			return &MoveError{Item: it.Name, Moved: len(b.Items), Err: err}
		}
	}
	return nil
}

func writeManifest(b *Batch) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	if err := atomic.WriteFile(filepath.Join(b.Trash, "manifest.json"), bytes.NewReader(data)); err != nil {
		return fmt.Errorf("writing the trash manifest: %w", err)
	}
	return nil
}

// TrashBatches lists the clears that can be undone, newest first.
func TrashBatches() ([]Batch, error) {
	root, err := trashRoot()
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Batch
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(root, e.Name(), "manifest.json"))
		if err != nil {
			continue
		}
		var b Batch
		if json.Unmarshal(data, &b) != nil || len(b.Items) == 0 { // an empty one put nothing aside
			continue
		}
		b.Trash = filepath.Join(root, e.Name())
		out = append(out, b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Created.After(out[j].Created) })
	return out, nil
}

// UndoClear puts the items of a clear (id "" for the latest) back where they
// were, byte for byte with their modes and times. An item Claude Code made
// again since is a conflict: without replace nothing moves; with replace the
// newcomer goes to the trash in its own batch (so that is undoable too).
func UndoClear(id string, replace bool) (*Batch, error) {
	batches, err := TrashBatches()
	if err != nil {
		return nil, err
	}
	var b *Batch
	for i := range batches {
		if id == "" || batches[i].ID == id {
			b = &batches[i]
			break
		}
	}
	if b == nil {
		if id != "" {
			return nil, fmt.Errorf("no cleared cache %q: %w", id, ErrNoTrash)
		}
		return nil, ErrNoTrash
	}
	// Only what is in the trash: an interrupted clear or undo leaves some items where they were.
	var pending []CacheItem
	var conflicts []string
	for _, it := range b.Items {
		if _, err := os.Lstat(filepath.Join(b.Trash, "items", it.Name)); err != nil {
			continue
		}
		pending = append(pending, it)
		if _, err := os.Lstat(filepath.Join(b.Source, it.Name)); err == nil {
			conflicts = append(conflicts, it.Name)
		}
	}
	if len(pending) == 0 { // all of it is back already (an undo that was interrupted at its end)
		removeTree(b.Trash)
		return nil, ErrNoTrash
	}
	if len(conflicts) > 0 {
		if !replace {
			return b, &ConflictError{Items: conflicts}
		}
		aside := &Batch{Source: b.Source, Created: time.Now().UTC()}
		for _, name := range conflicts {
			it := CacheItem{Name: name}
			it.Class, it.Known = ClassOf(name)
			it.Size, it.Files = treeSize(filepath.Join(b.Source, name))
			aside.Items = append(aside.Items, it)
		}
		if err := moveToTrash(aside); err != nil {
			return b, err
		}
	}
	if err := os.MkdirAll(b.Source, 0o700); err != nil {
		return b, err
	}
	for _, it := range pending {
		if err := moveTree(filepath.Join(b.Trash, "items", it.Name), filepath.Join(b.Source, it.Name)); err != nil {
			return b, fmt.Errorf("putting %s back: %w (the rest is still in %s)", it.Name, err, b.Trash)
		}
	}
	if !b.SourceMTime.IsZero() {
		os.Chtimes(b.Source, time.Time{}, b.SourceMTime)
	}
	return b, removeTree(b.Trash)
}

// PurgeTrash deletes the clears older than age and returns how many.
func PurgeTrash(age time.Duration) (int, error) {
	batches, err := TrashBatches()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, b := range batches {
		if time.Since(b.Created) > age {
			if err := removeTree(b.Trash); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

// removeTree removes a folder, first making its subfolders writable (a
// cleared cache may hold read-only ones).
func removeTree(path string) error {
	if err := os.RemoveAll(path); err == nil {
		return nil
	}
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o700)
		}
		return nil
	})
	return os.RemoveAll(path)
}

// rename is os.Rename; a test swaps it to reach the copy path.
var rename = os.Rename

// moveTree moves a file or folder: a rename, or across file systems a copy
// that keeps modes, times and links, then removal of the original.
func moveTree(src, dst string) error {
	err := rename(src, dst)
	if err == nil || !isCrossDevice(err) {
		return err
	}
	if err := copyTree(src, dst); err != nil {
		removeTree(dst)
		return err
	}
	return removeTree(src)
}

// copyTree copies src to dst keeping contents, modes, modification times and symlinks.
func copyTree(src, dst string) error {
	fi, err := os.Lstat(src)
	if err != nil {
		return err
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		if err := os.Symlink(target, dst); err != nil {
			return err
		}
		return symlinkTimes(dst, fi.ModTime())
	case fi.IsDir():
		if err := os.Mkdir(dst, 0o700); err != nil {
			return err
		}
		entries, err := os.ReadDir(src)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if err := copyTree(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())); err != nil {
				return err
			}
		}
	case fi.Mode().IsRegular():
		if err := copyFile(src, dst); err != nil {
			return err
		}
	default:
		return nil // sockets and pipes are not data; they are not copied
	}
	if err := os.Chmod(dst, fi.Mode().Perm()); err != nil {
		return err
	}
	return os.Chtimes(dst, time.Time{}, fi.ModTime())
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// ProcessList is process ids as a person reads them: "1234, 5678".
func ProcessList(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ", ")
}
