// Package appdirs names Claude Medic's own folders: preferences (Config),
// the last report, history and log (State), and backups and the cache trash
// for Undo (Data). Each honours the XDG variables on Linux and the platform's
// conventions elsewhere, so tests point them anywhere with t.Setenv.
package appdirs

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// Name is the folder name Claude Medic uses under each base folder.
const Name = "claudemedic"

// Config is the folder for preferences (no secrets): $XDG_CONFIG_HOME/claudemedic on Linux.
func Config() (string, error) {
	base, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("finding the config folder: %w", err)
	}
	return filepath.Join(base, Name), nil
}

// State is the folder for the last report, the history and the log:
// $XDG_STATE_HOME/claudemedic (default ~/.local/state/claudemedic) on Linux,
// the app-support folder on macOS, %LocalAppData% on Windows.
func State() (string, error) {
	return xdgOr("XDG_STATE_HOME", filepath.Join(".local", "state"))
}

// Data is the folder for settings backups and the cache trash:
// $XDG_DATA_HOME/claudemedic (default ~/.local/share/claudemedic) on Linux.
// It is never under ~/.claude, whose backups/ folder is itself disposable cache.
func Data() (string, error) {
	return xdgOr("XDG_DATA_HOME", filepath.Join(".local", "share"))
}

// DataDir is the folder Data()/elem… (the backups of one settings file, the
// kept binary), created with its parents, owner-only.
func DataDir(elem ...string) (string, error) {
	d, err := Data()
	return Ensure(filepath.Join(append([]string{d}, elem...)...), err)
}

func xdgOr(env, homeRel string) (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return filepath.Join(d, Name), nil
		}
		base, err := os.UserConfigDir()
		if err != nil {
			return "", fmt.Errorf("finding the app data folder: %w", err)
		}
		return filepath.Join(base, Name), nil
	case "darwin", "ios":
		base, err := os.UserConfigDir() // ~/Library/Application Support
		if err != nil {
			return "", fmt.Errorf("finding the app support folder: %w", err)
		}
		return filepath.Join(base, Name), nil
	}
	if d := os.Getenv(env); filepath.IsAbs(d) {
		return filepath.Join(d, Name), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("finding the home folder for %s: %w", env, err)
	}
	return filepath.Join(home, homeRel, Name), nil
}

// Ensure returns dir after creating it (and its parents) with owner-only permissions.
func Ensure(dir string, err error) (string, error) {
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("creating %s: %w", dir, err)
	}
	return dir, nil
}
