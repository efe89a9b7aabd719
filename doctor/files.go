package doctor

import (
	"errors"
	"fmt"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
)

// The use cases on any settings file (the command line's --layer): edits,
// the CA, backups and restore. Each goes through claudecfg's one writer
// (locked before the read, backed up, atomic) and returns a Change whose
// Undo reverts it.

// Edit applies edits to a settings file and saves it.
func Edit(file string, edits ...claudecfg.Edit) (*Change, error) {
	c, err := claudecfg.EditFile(file, edits...)
	if err != nil {
		return nil, err
	}
	return change(c), nil
}

// Var is one env variable to set; Value "" removes it.
type Var struct{ Name, Value string }

// SetVars sets env variables of a settings file in one save, in order; the
// writer checks each value as Claude Code reads it.
func SetVars(file string, vars ...Var) (*Change, error) {
	edits := make([]claudecfg.Edit, len(vars))
	for i, v := range vars {
		edits[i] = claudecfg.EnvEdit(v.Name, v.Value)
	}
	return Edit(file, edits...)
}

// CA is a CA file saved as NODE_EXTRA_CA_CERTS: what it holds, and the line
// for the shell profile (some Claude Code versions ignore it in settings).
type CA struct {
	claudecfg.CAFile
	ProfileFile, ProfileLine string
}

// SetCA checks the PEM file, then saves its absolute path as
// NODE_EXTRA_CA_CERTS in file; caPath "" removes it.
func SetCA(file, caPath string) (*Change, CA, error) {
	if caPath == "" {
		c, err := SetVars(file, Var{Name: claudesettings.VarExtraCACerts})
		return c, CA{}, err
	}
	c, ca, err := claudecfg.SetCA(file, caPath)
	if err != nil {
		return nil, CA{CAFile: ca}, err
	}
	return change(c), CA{CAFile: ca}, nil
}

// ForShell fills the shell profile line of a CA for the shell at shell ($SHELL).
func (ca *CA) ForShell(shell string) {
	ca.ProfileFile, ca.ProfileLine = claudecfg.ProfileLine(shell, ca.Path)
}

// Backups lists the backups of a settings file, newest first; with file ""
// those of every file Claude Medic has edited.
func Backups(file string) ([]claudecfg.Backup, error) { return claudecfg.Backups(file) }

// NotABackupError is a path that is not one of Claude Medic's backups.
type NotABackupError struct{ Path string }

func (e *NotABackupError) Error() string {
	return fmt.Sprintf("%s is not one of Claude Medic's backups", e.Path)
}

// NoBackupError is a settings file with no backup to restore.
type NoBackupError struct{ File string }

func (e *NoBackupError) Error() string { return fmt.Sprintf("there is no backup of %s", e.File) }

// ErrNoBackup is what a *NoBackupError or *NotABackupError errors.Is.
var ErrNoBackup = errors.New("no such backup")

func (e *NotABackupError) Unwrap() error { return ErrNoBackup }
func (e *NoBackupError) Unwrap() error   { return ErrNoBackup }

// Restore writes the backup at path (one Backups lists) back over its
// settings file; the current file is backed up first, so the restore can be
// undone. It returns the backup restored.
func Restore(path string) (*Change, claudecfg.Backup, error) {
	list, err := claudecfg.Backups("")
	if err != nil {
		return nil, claudecfg.Backup{}, err
	}
	for _, b := range list {
		if b.Path == path {
			return restore(b)
		}
	}
	return nil, claudecfg.Backup{}, &NotABackupError{Path: path}
}

// RestoreLatest restores the newest backup of file ("" is the user settings).
func RestoreLatest(file string) (*Change, claudecfg.Backup, error) {
	if file == "" {
		var err error
		if file, err = UserFile(); err != nil {
			return nil, claudecfg.Backup{}, err
		}
	}
	list, err := claudecfg.Backups(file)
	if err != nil {
		return nil, claudecfg.Backup{}, err
	}
	if len(list) == 0 {
		return nil, claudecfg.Backup{}, &NoBackupError{File: file}
	}
	return restore(list[0])
}

func restore(b claudecfg.Backup) (*Change, claudecfg.Backup, error) {
	c, err := claudecfg.Restore(b)
	if err != nil {
		return nil, b, err
	}
	return change(c), b, nil
}
