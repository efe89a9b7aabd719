// Package sibling finds and starts Claude Medic's other programs, which sit
// in the running program's folder: claudemedic (the command line),
// claudemedic-window (the window, the only one that links Fyne) and
// claudemedic-agent (the all-day tray agent). Each hand-over between them
// goes through here, so they find each other and pass control the same way.
package sibling

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// ErrSelf is Path's error when the program named is the running one.
var ErrSelf = errors.New("it is the running program itself")

// Path is the program name (with ".exe" on Windows) in the running
// program's folder: the folder of the real file when the running program
// was reached through a symbolic link, as /usr/bin/claudemedic may be. The
// error says why it cannot be run: not there (fs.ErrNotExist), a folder, or
// the running program itself (ErrSelf). The path is returned either way,
// for a message that names it.
func Path(name string) (string, error) {
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	exe, err := os.Executable()
	if err != nil {
		return name, fmt.Errorf("finding the running program: %w", err)
	}
	if real, err := filepath.EvalSymlinks(exe); err == nil {
		exe = real
	}
	path := filepath.Join(filepath.Dir(exe), name)
	info, err := os.Stat(path)
	if err != nil {
		return path, err
	}
	if info.IsDir() {
		return path, fmt.Errorf("%s is a folder", path)
	}
	if self, err := os.Stat(exe); err == nil && os.SameFile(self, info) {
		return path, ErrSelf
	}
	return path, nil
}
