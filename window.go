package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"claudemedic/internal/exitcode"
	"claudemedic/internal/i18n"
	"claudemedic/internal/sibling"
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
	path, err := sibling.Path(windowName)
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
	code, err := sibling.Exec(path, args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "claudemedic window: %v\n", err)
		return exitcode.Failed
	}
	return code
}
