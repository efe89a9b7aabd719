//go:build !windows

package autostart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/natefinch/atomic"
)

// entry is the file that starts the agent at login on this system, and what it holds.
func entry(goos string, argv []string) (path, content string, err error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", "", fmt.Errorf("finding the home folder: %w", err)
	}
	if goos == "darwin" {
		return filepath.Join(home, "Library", "LaunchAgents", Label+".plist"), launchAgent(argv), nil
	}
	dir := os.Getenv("XDG_CONFIG_HOME")
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "autostart", "claudemedic.desktop"), desktopEntry(argv), nil
}

// Enable makes argv run at login.
func Enable(argv []string) error { return enable(runtime.GOOS, argv) }

// Disable stops the agent from starting at login. It is not an error when it was off.
func Disable() error { return disable(runtime.GOOS) }

// Enabled reports whether the agent starts at login.
func Enabled() (bool, error) { return enabled(runtime.GOOS) }

func enable(goos string, argv []string) error {
	if len(argv) == 0 {
		return errors.New("starting at login: no program to start")
	}
	path, content, err := entry(goos, argv)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("starting at login: %w", err)
	}
	if err := atomic.WriteFile(path, strings.NewReader(content)); err != nil {
		return fmt.Errorf("starting at login: writing %s: %w", path, err)
	}
	return os.Chmod(path, 0o644)
}

func disable(goos string) error {
	path, _, err := entry(goos, nil)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no longer starting at login: %w", err)
	}
	return nil
}

func enabled(goos string) (bool, error) {
	path, _, err := entry(goos, nil)
	if err != nil {
		return false, err
	}
	_, err = os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}
