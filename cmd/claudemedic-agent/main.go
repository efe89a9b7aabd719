// Command claudemedic-agent is the tray agent alone: the same code as
// `claudemedic tray`, in a binary that never links the window toolkit, so the
// process that runs all day does not load OpenGL or X11 libraries. When it
// sits beside claudemedic, `claudemedic tray` and the double-click launch
// start it instead, and it starts `claudemedic window <page>` for the window.
//
//	claudemedic-agent [tray] [--open PAGE]
package main

import (
	"os"

	"claudemedic/app/tray"
)

func main() { os.Exit(tray.RunAgent(os.Args[1:])) }
