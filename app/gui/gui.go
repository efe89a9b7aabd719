// Package gui is the Fyne main window and the troubleshooting wizard.
package gui

import (
	"fmt"
	"os"
)

// Main opens the window on the page named in args. TODO(gui): the window.
func Main(args []string) int {
	fmt.Fprintln(os.Stderr, "claudemedic window: not built yet")
	return 1
}
