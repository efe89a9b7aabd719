// Package tray is the all-day tray agent (fyne.io/systray only, never Fyne):
// the icon per state, the menu, the background monitor and the one-agent-per-user lock.
package tray

import (
	"fmt"
	"os"
)

// Main runs the tray agent until Quit. TODO(tray): the agent.
func Main(args []string) int {
	fmt.Fprintln(os.Stderr, "claudemedic tray: not built yet")
	return 1
}

// Launch is what a double-click runs: start the agent when none runs, and open
// the window. TODO(tray): single instance and the window child process.
func Launch() int {
	fmt.Fprintln(os.Stderr, "claudemedic: not built yet")
	return 1
}
