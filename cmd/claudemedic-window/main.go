// Command claudemedic-window is Claude Medic's window alone: the only binary
// that links the window toolkit (Fyne, with OpenGL and X11 or Wayland), so
// that the command line (`claudemedic check`, …) and the tray agent never
// load it. `claudemedic window [PAGE]`, and the tray agent through it, hand
// the window over to this binary when it sits beside claudemedic.
//
//	claudemedic-window [window] [PAGE]
//
// Build it with -tags no_emoji (make does; see app/gui/theme.go): without
// Fyne's emoji font, which no text of the window uses, the window starts
// with some 15 MB and 18 ms of CPU less. Built without the tag it works
// the same, only slower to start.
package main

import (
	"os"

	"claudemedic/app/gui"
)

func main() {
	args := os.Args[1:]
	if len(args) > 0 && args[0] == "window" { // as `claudemedic window PAGE` is written
		args = args[1:]
	}
	os.Exit(gui.Main(args))
}
