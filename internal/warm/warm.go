// Package warm starts, while the rest of the program initialises, the work a
// command is sure to need and that does not depend on anything else: the
// system's certificate roots, which Go reads and parses once per process
// (about 12 ms on Debian, where /etc/ssl/certs holds every root twice: the
// bundle, and one file per root). A check verifies the endpoint's chain
// against them; loading them beside the other packages' initialisation and
// the settings' resolution takes them off the critical path of
// `claudemedic check`.
//
// A check is a short process that allocates most of what it allocates while
// it starts (the roots above, the settings, the transcripts' newest lines):
// for check and doctor, the garbage collector runs at a fifth of its usual
// frequency (GOGC=400 unless GOGC is set), a fifth of the check's CPU time
// saved for a few megabytes more at its peak.
//
// Import it for its side effect from the command's main package only: Go
// initialises packages in import-path order once their dependencies are, so
// this one (claudemedic/…, importing netcheck and the standard library)
// starts before fyne.io/… (the tray's systray) and github.com/… do.
package warm

import (
	"os"
	"runtime/debug"

	"claudemedic/netcheck"
)

// needsRoots are the subcommands that verify a certificate chain: a check
// runs in each of them (the window and the tray load the roots on their
// first check, seconds later, where it does not matter).
var needsRoots = map[string]bool{"check": true, "doctor": true}

// checkGC is the garbage collector's GOGC for a check's short process.
const checkGC = 400

func init() {
	if len(os.Args) > 1 && needsRoots[os.Args[1]] && !help(os.Args[2:]) {
		go netcheck.LoadRoots() // loaded once per process
		if os.Getenv("GOGC") == "" {
			debug.SetGCPercent(checkGC)
		}
	}
}

// help reports whether args ask for a command's help, which needs no roots.
func help(args []string) bool {
	for _, a := range args {
		switch a {
		case "-h", "-help", "--help", "help":
			return true
		}
	}
	return false
}
