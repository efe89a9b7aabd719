package claudecfg

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"encoding/hex"
	"time"

	"claudemedic/appdirs"
	"claudemedic/claudesettings"

	"github.com/gofrs/flock"
)

// Errors of the writer, compared with errors.Is.
var (
	ErrChangedOnDisk = errors.New("the file changed on disk since it was read (another program, or Claude Code, wrote it): nothing was changed; read it again and retry")
	ErrReadOnly      = errors.New("the file is read-only: make it writable (chmod u+w) if Claude Medic should edit it")
	ErrStateFile     = errors.New("~/.claude.json is Claude Code's own state file and is never edited")
	ErrNotRegular    = errors.New("is not a regular file")
)

// WriteError is a write of a settings file that failed on its way (Step
// "lock": taking the edit lock or preparing its folder; "backup": the copy
// of the old file; "write": the new file): the file is as it was and no
// backup is listed. Err is the system's error.
type WriteError struct {
	File, Step string
	Err        error
}

func (e *WriteError) Error() string {
	switch e.Step {
	case "lock":
		return fmt.Sprintf("locking %s for the edit: %v", e.File, e.Err)
	case "backup":
		return fmt.Sprintf("backing up %s before the edit: %v", e.File, e.Err)
	}
	return fmt.Sprintf("writing %s: %v", e.File, e.Err)
}

// Unwrap gives errors.Is and errors.As the system's error.
func (e *WriteError) Unwrap() error { return e.Err }

// ChangedError is a save refused because the file is no longer what was read
// (Claude Code, an editor or another program wrote it meanwhile): nothing was
// written. It errors.Is ErrChangedOnDisk. Claude Medic's own writers never
// cause it for one another (they take the file's lock before they read), so
// it means a writer that does not lock: read the file again and retry.
type ChangedError struct {
	File string
}

func (e *ChangedError) Error() string { return e.File + ": " + ErrChangedOnDisk.Error() }

// Unwrap makes errors.Is(err, ErrChangedOnDisk) true.
func (e *ChangedError) Unwrap() error { return ErrChangedOnDisk }

// Doc is a settings file read for editing. Save writes the edits and refuses
// when the file changed on disk since Open read it, so a window can show a
// file, let a person edit it, and never overwrite someone else's change.
type Doc struct {
	snap  snapshot
	data  []byte // the contents with the edits applied so far
	edits []Edit
}

// snapshot is a file's state when it was read.
type snapshot struct {
	file    string      // the path as given
	target  string      // where a symlink points: the file that is written
	existed bool        // the file was there
	data    []byte      // its bytes
	mode    fs.FileMode // its permissions (0600 for a new file)
	info    fs.FileInfo // its metadata, nil when new
}

// Open reads a settings file for editing. It refuses Claude Code's state file
// (~/.claude.json), a folder, a read-only file, one over MaxSettingsSize, one
// that is not UTF-8 and one that is not valid JSON (*SyntaxError: line and
// column). A missing file (and folder) is fine: Save creates it, mode 0600.
func Open(file string) (*Doc, error) {
	snap, err := takeSnapshot(file)
	if err != nil {
		return nil, err
	}
	if snap.existed {
		if snap.mode&0o200 == 0 {
			if snap.target != file {
				return nil, &FileError{File: file, Err: ErrReadOnly, Link: snap.target,
					text: fmt.Sprintf("%s is a link to %s: %v (if a tool such as home-manager made it, change the setting there)", file, snap.target, ErrReadOnly)}
			}
			return nil, &FileError{File: file, Err: ErrReadOnly, text: file + ": " + ErrReadOnly.Error()}
		}
		if err := checkUTF8(file, snap.data); err != nil {
			return nil, err
		}
		if _, err := decodeSettings(file, snap.data); err != nil {
			return nil, fmt.Errorf("%w (fix it by hand or restore a backup; Claude Medic does not overwrite a file it cannot read)", err)
		}
	}
	return &Doc{snap: snap, data: snap.data}, nil
}

// takeSnapshot reads a file's bytes and metadata through a symlink.
func takeSnapshot(file string) (snapshot, error) {
	s := snapshot{file: file, target: file, mode: 0o600}
	if isStateFile(file) {
		return s, stateFile(file)
	}
	target, err := linkTarget(file)
	if err != nil {
		return s, err
	}
	s.target = target
	if isStateFile(target) {
		return s, stateFile(file)
	}
	fi, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return s, nil
	case err != nil:
		return s, fmt.Errorf("reading %s: %w", file, err)
	case fi.IsDir():
		return s, notFile(file, ErrIsDirectory)
	case !fi.Mode().IsRegular():
		return s, notFile(file, ErrNotRegular)
	case fi.Size() > MaxSettingsSize:
		return s, tooLarge(file, fi.Size())
	}
	data, err := readLimited(target)
	if err != nil {
		return s, fmt.Errorf("reading %s: %w", file, err)
	}
	s.existed, s.data, s.mode, s.info = true, data, fi.Mode().Perm(), fi
	return s, nil
}

func readLimited(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSettingsSize+1))
	if err == nil && len(data) > MaxSettingsSize {
		err = ErrTooLarge
	}
	return data, err
}

// linkTarget follows a symlinked settings file to the file it names, so the
// edit goes there and the link stays a link. A dangling link names the file
// to create.
func linkTarget(file string) (string, error) {
	target := file
	for range 40 {
		fi, err := os.Lstat(target)
		if err != nil || fi.Mode()&fs.ModeSymlink == 0 {
			return target, nil
		}
		dest, err := os.Readlink(target)
		if err != nil {
			return "", fmt.Errorf("reading the link %s: %w", target, err)
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(target), dest)
		}
		target = dest
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", file)
}

func isStateFile(path string) bool { return filepath.Base(path) == ".claude.json" }

// stateFile is ErrStateFile for file.
func stateFile(file string) *FileError {
	return &FileError{File: file, Err: ErrStateFile, text: ErrStateFile.Error()}
}

// Path is the settings file the document was read from.
func (d *Doc) Path() string { return d.snap.file }

// Values decodes the document with its edits so far.
func (d *Doc) Values() (map[string]any, error) { return decodeSettings(d.snap.file, d.data) }

// Apply applies edits in memory, refusing values Claude Code would reject
// (see CheckValue); nothing is written until Save. On error the document is
// left as it was.
func (d *Doc) Apply(edits ...Edit) error {
	data := d.data
	for _, e := range edits {
		if err := checkEdit(e); err != nil {
			return err
		}
		out, err := applyEdit(data, e)
		if err != nil {
			return fmt.Errorf("%s: %s: %w", d.snap.file, e.Key(), err)
		}
		data = out
	}
	if _, err := decodeSettings(d.snap.file, data); err != nil { // never write what does not parse
		return fmt.Errorf("the edit would leave invalid JSON: %w", err)
	}
	d.data = data
	d.edits = append(d.edits, edits...)
	return nil
}

// checkEdit refuses a value Claude Code would reject.
func checkEdit(e Edit) error {
	if len(e.Path) == 0 {
		return errors.New("an edit needs a key")
	}
	if e.Unset {
		return nil
	}
	switch {
	case e.Path[0] == claudesettings.EnvKey && len(e.Path) == 2:
		s, ok := e.Value.(string)
		if !ok {
			return fmt.Errorf("env.%s must be a string (Claude Code's env values are strings), not %T", e.Path[1], e.Value)
		}
		return claudesettings.CheckValue(e.Path[1], s)
	case e.Path[0] == claudesettings.EnvKey && len(e.Path) == 1:
		m, ok := e.Value.(map[string]string)
		if !ok {
			return fmt.Errorf("env must be an object of strings, not %T", e.Value)
		}
		for k, v := range m {
			if err := claudesettings.CheckValue(k, v); err != nil {
				return err
			}
		}
	case e.Path[0] == claudesettings.EnvKey:
		return fmt.Errorf("env.%s: env values are strings, not objects", e.Path[1])
	case len(e.Path) == 1 && e.Path[0] == claudesettings.KeyAPIKeyHelper:
		if s, ok := e.Value.(string); !ok || strings.TrimSpace(s) == "" {
			return errors.New("apiKeyHelper must be a command, as a non-empty string")
		}
	}
	return nil
}

// SaveEdits applies edits and saves them in one step: on any error the
// document is left as it was (the edits dropped), for a caller that saves
// several times over one read (Save's guard then holds against that read).
func (d *Doc) SaveEdits(edits ...Edit) (*Change, error) {
	if err := d.Apply(edits...); err != nil {
		return nil, err
	}
	c, err := d.Save()
	if err != nil {
		d.Discard()
		return nil, err
	}
	return c, nil
}

// SaveEnv sets (or, with value "", removes) one variable of the file's env
// and saves it, as SaveEdits(EnvEdit(name, value)).
func (d *Doc) SaveEnv(name, value string) (*Change, error) { return d.SaveEdits(EnvEdit(name, value)) }

// Discard drops the edits applied since the last Open or Save.
func (d *Doc) Discard() {
	d.data = d.snap.data
	d.edits = nil
}

// Pending lists what Save would change, for a preview.
func (d *Doc) Pending() []KeyChange { return diffKeys(d.snap.data, d.data) }

// Save writes the document: a timestamped backup of the old file first (in
// appdirs.Data()/backups, the last 10 kept), then the new bytes atomically
// (a temporary file in the same folder, fsync, rename, fsync of the folder),
// the permissions kept. It fails with a *ChangedError (ErrChangedOnDisk)
// when the file is no longer what Open read, even with no change to write
// (then it writes nothing). A save that fails leaves no backup listed.
func (d *Doc) Save() (*Change, error) {
	if bytes.Equal(d.data, d.snap.data) { // nothing to write (and no empty file to create)
		if err := d.Check(); err != nil { // but "nothing changed" must still be true on disk
			return nil, err
		}
		return &Change{File: d.snap.file, Keys: []KeyChange{}}, nil
	}
	var c *Change
	err := locked(d.snap.file, func(bdir string) (err error) {
		c, err = commitLocked(bdir, d.snap, d.data)
		return err
	})
	if err != nil {
		return nil, err
	}
	d.snap.data, d.snap.existed = d.data, true
	return c, nil
}

// Check reports whether the file is still what Open read (or the last Save
// wrote): nil, or a *ChangedError. It is the one "changed since read" guard,
// the one Save applies under the lock.
func (d *Doc) Check() error {
	now, err := takeSnapshot(d.snap.file)
	if err != nil {
		return err
	}
	return unchanged(d.snap, now)
}

// unchanged is the "changed since read" guard: nil when now is the state s read.
func unchanged(s, now snapshot) error {
	if now.target != s.target || now.existed != s.existed || !bytes.Equal(now.data, s.data) {
		return &ChangedError{File: s.file}
	}
	return nil
}

// EditFile applies edits to a settings file and saves it: the one writer
// every edit of Claude Code's settings goes through. It takes the file's
// lock before it reads the file, so Claude Medic's writers editing the same
// file at once each keep the other's change; a write by a program that does
// not lock (Claude Code) between the read and the rename is refused with a
// *ChangedError.
func EditFile(file string, edits ...Edit) (*Change, error) {
	var c *Change
	err := locked(file, func(bdir string) error {
		d, err := Open(file)
		if err != nil {
			return err
		}
		if err := d.Apply(edits...); err != nil {
			return err
		}
		if bytes.Equal(d.data, d.snap.data) {
			c = &Change{File: file, Keys: []KeyChange{}}
			return nil
		}
		c, err = commitLocked(bdir, d.snap, d.data)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// Change is what one save changed, for "saved: … in …, Undo".
type Change struct {
	File   string      `json:"file"`
	Backup string      `json:"backup,omitempty"` // the old file's backup; "" when the file was new
	Keys   []KeyChange `json:"keys"`
	// Lines are Keys as a person reads them, one a line (KeyChange.String).
	Lines []string `json:"-"`
	// Undo puts the file back as it was before this change (the function
	// Undo, for this change); nil when nothing was written.
	Undo func() error `json:"-"`
	sum  [32]byte     // the bytes written, so Undo can tell a later change
}

// Changed reports whether anything was written.
func (c *Change) Changed() bool { return len(c.Keys) > 0 || c.sum != [32]byte{} }

// KeyChange is one key's old and new value as shown to a person: credentials
// masked, a proxy's password hidden. Old or New is "" when the key was absent.
type KeyChange struct {
	Path    []string `json:"path"`
	Old     string   `json:"old,omitempty"`
	New     string   `json:"new,omitempty"`
	Added   bool     `json:"added,omitempty"`
	Removed bool     `json:"removed,omitempty"`
}

// Key is the path written with dots.
func (k KeyChange) Key() string { return strings.Join(k.Path, ".") }

// String reads like "env.API_TIMEOUT_MS: 600000 → 120000".
func (k KeyChange) String() string {
	switch {
	case k.Added:
		return fmt.Sprintf("%s: set to %s", k.Key(), k.New)
	case k.Removed:
		return fmt.Sprintf("%s: removed (was %s)", k.Key(), k.Old)
	}
	return fmt.Sprintf("%s: %s → %s", k.Key(), k.Old, k.New)
}

// commitLocked writes data over the snapshot's file, the caller holding the
// file's lock (locked): it checks that the file is still what the snapshot
// read, backs it up, writes, and only then prunes old backups. A write that
// fails removes the backup it made, so it leaves none listed.
func commitLocked(bdir string, s snapshot, data []byte) (*Change, error) {
	now, err := takeSnapshot(s.file)
	if err != nil {
		return nil, err
	}
	if err := unchanged(s, now); err != nil {
		return nil, err
	}
	c := &Change{File: s.file, Keys: diffKeys(s.data, data), sum: sha256.Sum256(data)}
	if s.existed {
		if c.Backup, err = writeBackup(bdir, s.target, s.data); err != nil {
			return nil, err
		}
	} else if err := os.MkdirAll(filepath.Dir(s.target), 0o700); err != nil {
		return nil, fmt.Errorf("creating the folder for %s: %w", s.file, err)
	}
	if err := atomicWrite(s.target, data, s.mode, s.info); err != nil {
		if c.Backup != "" {
			os.Remove(c.Backup)
		}
		return nil, &WriteError{File: s.file, Step: "write", Err: err}
	}
	pruneBackups(bdir)
	for _, k := range c.Keys {
		c.Lines = append(c.Lines, k.String())
	}
	c.Undo = func() error { return Undo(c) }
	return c, nil
}

// createTemp is os.CreateTemp; a test swaps it to make a write fail.
var createTemp = os.CreateTemp

// atomicWrite replaces path with data: a temporary file in the same folder
// (named recognisably, tempPattern, so the next writer can remove it if this
// one is killed), fsync, rename, fsync of the folder. A crash leaves the old
// file or the new one, never a mix. The caller holds the file's lock.
func atomicWrite(path string, data []byte, perm fs.FileMode, old fs.FileInfo) (err error) {
	dir := filepath.Dir(path)
	tmp, err := createTemp(dir, tempPattern(filepath.Base(path)))
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if old != nil && os.Geteuid() == 0 { // root (sudo) writing a person's file
		keepOwner(tmp, old)
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync() // not supported on every OS; the rename is still atomic
		d.Close()
	}
}

// Undo puts the file back as it was before c. It refuses with a
// *ChangedError (ErrChangedOnDisk) when the file changed after c was
// written; the undo is itself backed up, so it can be undone with Restore.
func Undo(c *Change) error {
	if c == nil || !c.Changed() {
		return nil
	}
	var old []byte
	if c.Backup != "" {
		var err error
		if old, err = readLimited(c.Backup); err != nil {
			return fmt.Errorf("undo: reading the backup %s: %w", c.Backup, err)
		}
	}
	return locked(c.File, func(bdir string) error {
		s, err := takeSnapshot(c.File)
		if err != nil {
			return err
		}
		if !s.existed || sha256.Sum256(s.data) != c.sum {
			return &ChangedError{File: c.File}
		}
		if c.Backup != "" {
			_, err = commitLocked(bdir, s, old)
			return err
		}
		// The edit created the file: remove it, keeping a backup.
		backup, err := writeBackup(bdir, s.target, s.data)
		if err != nil {
			return err
		}
		if err := os.Remove(s.target); err != nil {
			os.Remove(backup)
			return fmt.Errorf("undo: removing %s: %w", c.File, err)
		}
		pruneBackups(bdir)
		syncDir(filepath.Dir(s.target))
		return nil
	})
}

// diffKeys lists the leaf keys whose values differ between two settings texts,
// each side shown as Claude Medic shows it (showChange).
func diffKeys(oldData, newData []byte) []KeyChange {
	before, _ := decodeSettings("", oldData)
	after, _ := decodeSettings("", newData)
	a, b := map[string]leaf{}, map[string]leaf{}
	flatten(nil, before, a)
	flatten(nil, after, b)
	out := []KeyChange{}
	add := func(o, n leaf) {
		c := KeyChange{Path: o.path, Removed: n.path == nil, Added: o.path == nil}
		if c.Path == nil {
			c.Path = n.path
		}
		c.Old, c.New = showChange(c.Path, o, n)
		out = append(out, c)
	}
	for k, o := range a {
		if n := b[k]; n.path == nil || o.json != n.json {
			add(o, n)
		}
	}
	for k, n := range b {
		if _, ok := a[k]; !ok {
			add(leaf{}, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key() < out[j].Key() })
	return out
}

// leaf is one value of a settings file at its path; the zero leaf is a key
// that is not there.
type leaf struct {
	path []string
	json string
	v    any
}

// text is the leaf's value as text: a string as it is, another value as its
// JSON, a missing key as "".
func (l leaf) text() string {
	if s, ok := l.v.(string); ok {
		return s
	}
	return l.json
}

// showChange shows both sides of a change at path: a variable of env as
// claudesettings shows its values (a credential masked, a proxy's password
// hidden), anything else with whatever looks like a key masked.
func showChange(path []string, o, n leaf) (old, new string) {
	if len(path) == 2 && path[0] == claudesettings.EnvKey {
		return claudesettings.DisplayChange(path[1], o.text(), n.text())
	}
	return maskSecrets(o.text()), maskSecrets(n.text())
}

func flatten(path []string, m map[string]any, out map[string]leaf) {
	for k, v := range m {
		p := append(append([]string{}, path...), k)
		if sub, ok := v.(map[string]any); ok && len(sub) > 0 {
			flatten(p, sub, out)
			continue
		}
		b, _ := json.Marshal(v)
		out[strings.Join(p, "\x00")] = leaf{p, string(b), v}
	}
}

var keyLike = regexp.MustCompile(`sk-ant-[A-Za-z0-9_\-]+`)

// maskSecrets masks anything in s that looks like an Anthropic credential.
func maskSecrets(s string) string {
	return keyLike.ReplaceAllStringFunc(s, claudesettings.MaskKey)
}

// lockBackups takes the edit lock of the settings file whose backup folder
// is bdir, waiting while another writer holds it: an exclusive lock other
// processes' writers respect and the system drops if the process dies (flock
// on Unix, LockFileEx on Windows; the tray agent and the state folder take
// theirs the same way).
func lockBackups(bdir string) (*flock.Flock, error) {
	lock := flock.New(filepath.Join(bdir, "lock"))
	return lock, lock.Lock()
}

// locked runs fn holding the edit lock of a settings file: every writer of
// Claude Medic takes it BEFORE it reads the file, so two of them editing
// different keys at once run one after the other, and the second reads what
// the first wrote. fn gets the file's backup folder. Under the lock, the
// temporary files a killed writer left (beside the file and in the backup
// folder) are removed first: a writer makes them only while it holds the
// lock, so any found then belong to a writer that is gone.
func locked(file string, fn func(bdir string) error) error {
	if isStateFile(file) {
		return stateFile(file)
	}
	target, err := linkTarget(file)
	if err != nil {
		return err
	}
	if isStateFile(target) {
		return stateFile(file)
	}
	bdir, err := backupDir(target)
	if err != nil {
		return &WriteError{File: file, Step: "lock", Err: err}
	}
	lock, err := lockBackups(bdir)
	if err != nil {
		return &WriteError{File: file, Step: "lock", Err: err}
	}
	defer lock.Unlock()
	removeTemps(filepath.Dir(target), filepath.Base(target))
	removeTemps(bdir, "")
	if err := writeSource(bdir, target); err != nil {
		return err
	}
	return fn(bdir)
}

// tempInfix marks Claude Medic's temporary files: ".settings.json.claudemedic-123456.tmp".
const (
	tempInfix  = ".claudemedic-"
	tempSuffix = ".tmp"
)

// tempPattern is the os.CreateTemp pattern of a temporary file for base.
func tempPattern(base string) string { return "." + base + tempInfix + "*" + tempSuffix }

// legacyTempAge is how old a temporary file of an earlier Claude Medic
// (".settings.json.tmp-123", made before temporary files were named
// recognisably) must be before it is taken for a killed writer's: such a
// writer did not always hold the lock while it wrote.
const legacyTempAge = 5 * time.Second

// removeTemps deletes Claude Medic's temporary files for base in dir (every
// base when base is ""). The caller holds the lock of the files they were for.
func removeTemps(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, ".") {
			continue
		}
		ours := strings.HasSuffix(name, tempSuffix) && strings.Contains(name, tempInfix) &&
			(base == "" || strings.HasPrefix(name, "."+base+tempInfix))
		legacy := base != "" && strings.HasPrefix(name, "."+base+".tmp-")
		if !ours && !legacy {
			continue
		}
		if legacy {
			if fi, err := e.Info(); err != nil || time.Since(fi.ModTime()) < legacyTempAge {
				continue
			}
		}
		os.Remove(filepath.Join(dir, name))
	}
}

// KeepBackups is how many backups are kept per settings file.
const KeepBackups = 10

const backupTimeLayout = "20060102T150405.000000000Z"

// Backup is one saved copy of a settings file, taken before an edit.
type Backup struct {
	File string    `json:"file"` // the settings file it is a copy of
	Path string    `json:"path"` // the copy
	Time time.Time `json:"time"`
	Size int64     `json:"size"`
}

// backupsFolder is the folder of appdirs.Data() that holds one backup folder
// per settings file.
const backupsFolder = "backups"

// backupsRoot is appdirs.Data()/backups, for reading (it may not exist).
func backupsRoot() (string, error) {
	d, err := appdirs.Data()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, backupsFolder), nil
}

// backupDir is the folder holding the backups (and the edit lock) of one
// settings file, created with owner-only permissions. Its "source" file,
// naming the settings file, is written under the lock (locked).
func backupDir(target string) (string, error) {
	abs, err := filepath.Abs(target)
	if err != nil {
		return "", err
	}
	return appdirs.DataDir(backupsFolder, backupFolderName(abs))
}

// backupFolderName names the backup folder of the settings file at abs: its
// base name and a hash of its path, "settings.json-0123456789ab".
func backupFolderName(abs string) string {
	sum := sha256.Sum256([]byte(abs))
	return filepath.Base(abs) + "-" + hex.EncodeToString(sum[:6])
}

// writeSource records which settings file the backup folder bdir is for.
func writeSource(bdir, target string) error {
	abs, err := filepath.Abs(target)
	if err != nil {
		return err
	}
	src := filepath.Join(bdir, "source")
	if b, err := os.ReadFile(src); err != nil || string(b) != abs {
		if err := atomicWrite(src, []byte(abs), 0o600, nil); err != nil {
			return &WriteError{File: target, Step: "lock", Err: err}
		}
	}
	return nil
}

// writeBackup saves data as a timestamped copy in dir. The caller prunes
// (pruneBackups) once its write succeeded, and removes the copy if it failed.
func writeBackup(dir, target string, data []byte) (string, error) {
	name := time.Now().UTC().Format(backupTimeLayout) + ".json"
	path := filepath.Join(dir, name)
	if err := atomicWrite(path, data, 0o600, nil); err != nil {
		return "", &WriteError{File: target, Step: "backup", Err: err}
	}
	return path, nil
}

// pruneBackups removes all but the newest KeepBackups copies in dir.
func pruneBackups(dir string) {
	list, err := listBackups(dir)
	if err == nil {
		for _, b := range list[min(len(list), KeepBackups):] {
			os.Remove(b.Path)
		}
	}
}

// listBackups lists one file's backups, newest first.
func listBackups(dir string) ([]Backup, error) {
	src, err := os.ReadFile(filepath.Join(dir, "source"))
	if err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []Backup
	for _, e := range entries {
		t, err := time.Parse(backupTimeLayout, strings.TrimSuffix(e.Name(), ".json"))
		if err != nil || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		fi, err := e.Info()
		if err != nil {
			continue
		}
		out = append(out, Backup{File: string(src), Path: filepath.Join(dir, e.Name()), Time: t, Size: fi.Size()})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, nil
}

// Backups lists the backups of a settings file, newest first; with file ""
// those of every file Claude Medic has edited.
func Backups(file string) ([]Backup, error) {
	root, err := backupsRoot()
	if err != nil {
		return nil, err
	}
	if file != "" {
		target, err := linkTarget(file)
		if err != nil {
			return nil, err
		}
		abs, _ := filepath.Abs(target)
		list, err := listBackups(filepath.Join(root, backupFolderName(abs)))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return list, err
	}
	entries, err := os.ReadDir(root)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Backup
	for _, e := range entries {
		if list, err := listBackups(filepath.Join(root, e.Name())); err == nil {
			out = append(out, list...)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Time.After(out[j].Time) })
	return out, nil
}

// Restore writes a backup back over its settings file, through the same
// writer as every edit: the current file is backed up first (so the restore
// can be undone), even when it no longer parses.
func Restore(b Backup) (*Change, error) {
	data, err := readLimited(b.Path)
	if err != nil {
		return nil, fmt.Errorf("reading the backup %s: %w", b.Path, err)
	}
	if _, err := decodeSettings(b.Path, data); err != nil {
		return nil, fmt.Errorf("the backup does not parse, not restoring it: %w", err)
	}
	var c *Change
	err = locked(b.File, func(bdir string) error {
		s, err := takeSnapshot(b.File)
		if err != nil {
			return err
		}
		if s.existed && s.mode&0o200 == 0 {
			return &FileError{File: b.File, Err: ErrReadOnly, text: b.File + ": " + ErrReadOnly.Error()}
		}
		c, err = commitLocked(bdir, s, data)
		return err
	})
	return c, err
}
