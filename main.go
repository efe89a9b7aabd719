// Command claudemedic finds out why Claude API and Claude Code requests fail,
// says it in plain words, and fixes what can be fixed.
//
//	claudemedic                  start the tray agent if none runs, and open the window
//	claudemedic tray             the all-day tray agent
//	claudemedic window [page]    the window: status, wizard, key, settings or cache
//	claudemedic check|doctor|key|config|cache ...   the command line
//
// This binary is the command line. It does not link the window toolkit:
// `window` hands over to the window's own binary, claudemedic-window
// (cmd/claudemedic-window), beside it, so a `check` never loads Fyne, OpenGL
// or X11 (half the start-up time of `claudemedic check`). `tray` hands over to
// the agent's, claudemedic-agent, likewise (app/tray).
package main

import (
	"os"

	"claudemedic/app/cli"
	"claudemedic/app/tray"
	_ "claudemedic/internal/warm" // the system's roots, loaded while the rest initialises
)

func main() {
	args := os.Args[1:]
	switch {
	case len(args) == 0 || (len(args) == 1 && isFinderArg(args[0])):
		os.Exit(tray.Launch())
	case args[0] == "tray":
		os.Exit(tray.Main(args[1:]))
	case args[0] == "window":
		os.Exit(openWindow(args[1:]))
	default:
		os.Exit(cli.Run(args))
	}
}

// isFinderArg reports the process-serial argument macOS passes to a double-clicked app.
func isFinderArg(a string) bool { return len(a) > 5 && a[:5] == "-psn_" }
