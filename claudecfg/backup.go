package claudecfg

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"claudemedic/appdirs"
)

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

// backupsRoot is appdirs.Data()/backups.
func backupsRoot() (string, error) {
	d, err := appdirs.Data()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "backups"), nil
}

// backupDir is the folder holding the backups (and the edit lock) of one
// settings file, created with owner-only permissions. Its "source" file,
// naming the settings file, is written under the lock (locked).
func backupDir(target string) (string, error) {
	abs, err := filepath.Abs(target)
	if err != nil {
		return "", err
	}
	root, err := backupsRoot()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(abs))
	dir := filepath.Join(root, filepath.Base(abs)+"-"+hex.EncodeToString(sum[:6]))
	if _, err := appdirs.Ensure(dir, nil); err != nil {
		return "", err
	}
	return dir, nil
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
			return fmt.Errorf("preparing the backup folder: %w", err)
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
		return "", fmt.Errorf("backing up %s before the edit: %w", target, err)
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
		sum := sha256.Sum256([]byte(abs))
		list, err := listBackups(filepath.Join(root, filepath.Base(abs)+"-"+hex.EncodeToString(sum[:6])))
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
			return fmt.Errorf("%s: %w", b.File, ErrReadOnly)
		}
		c, err = commitLocked(bdir, s, data)
		return err
	})
	return c, err
}
