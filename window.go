package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"claudemedic/internal/exitcode"
	"claudemedic/internal/i18n"
)

// windowName is the window's own binary (cmd/claudemedic-window), which
// `claudemedic window` hands over to. It sits beside claudemedic: the
// packages, `make build` and `make dist` put it there.
const windowName = "claudemedic-window"

// openWindow is `claudemedic window [PAGE]`: it runs the window's binary
// beside this one with the same arguments (on Unix in this process, which
// keeps its id, so whoever started it, the tray agent for one, waits for the
// window itself), and returns its exit status. Without it, it says what is
// missing and how to get it.
func openWindow(args []string) int {
	path, err := windowPath()
	if err != nil {
		tr := i18n.Chosen("")
		fmt.Fprintf(os.Stderr, "claudemedic window: %s\n", tr.X("cli.window_missing",
			"the window is a program of its own, {{.Path}}, and it is not there. Install Claude Medic again; from a clone, build it beside claudemedic with make build, or go build -o {{.Path}} ./cmd/claudemedic-window.",
			"Path", path))
		if !errors.Is(err, fs.ErrNotExist) {
			fmt.Fprintf(os.Stderr, "claudemedic window: %v\n", err)
		}
		return exitcode.Failed
	}
	return runWindow(path, args)
}

// windowPath is the path of the window's binary beside the running one (the
// real file, when claudemedic is reached through a symbolic link), and an
// error when it is not there.
func windowPath() (string, error) {
	name := windowName
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	exe, err := os.Executable()
	if err != nil {
		return name, err
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
	return path, nil
}
