package claudecfg

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"claudemedic/internal/filelock"
)

// lockFile takes the exclusive lock at path that other processes' writers
// respect and the system drops if the process dies (internal/filelock, the
// lock the tray agent and the state folder use too), waiting while another
// writer holds it.
func lockFile(path string) (unlock func(), err error) {
	l, err := filelock.Wait(path)
	if err != nil {
		return nil, err
	}
	return func() { l.Unlock() }, nil
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
		return ErrStateFile
	}
	target, err := linkTarget(file)
	if err != nil {
		return err
	}
	if isStateFile(target) {
		return ErrStateFile
	}
	bdir, err := backupDir(target)
	if err != nil {
		return err
	}
	unlock, err := lockFile(filepath.Join(bdir, "lock"))
	if err != nil {
		return fmt.Errorf("locking %s for the edit: %w", file, err)
	}
	defer unlock()
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
