package tray

import (
	"fmt"
	"os"
	"strings"

	"claudemedic/internal/exitcode"
	"claudemedic/internal/sibling"
)

// The check child's binary. The small agent binary never links the check
// (netcheck's engine, doctor's resolving, TLS and HTTP clients, the
// keychain): only Main, the main binary's `claudemedic tray`, sets checkOnce
// to runCheck, so the linker leaves runCheck and all it calls out of
// cmd/claudemedic-agent (2.6 MB of its binary, most of it resident all day:
// scripts/bench-tray.sh). The agent runs `claudemedic tray --check-once`
// with the main binary beside it instead.

// checkOnce is `tray --check-once`: runCheck in a binary that can check
// (canCheck), else a sentence saying which binary does.
var (
	checkOnce = func(bool) int {
		fmt.Fprintf(os.Stderr, "claudemedic tray: the tray agent's binary runs no check; %s tray --check-once does\n", MainName)
		return exitcode.Failed
	}
	canCheck bool
)

// checkBinary is the binary realCheck runs `tray --check-once` with: this
// one when it can check, else the main binary beside it; with neither, this
// one, which says why it cannot.
func checkBinary() (string, error) {
	if !canCheck {
		if p, err := sibling.Path(MainName); err == nil {
			return p, nil
		}
	}
	return os.Executable()
}

// isCheckOnce reports whether args ask for one check (`tray --check-once`):
// the main binary then runs it itself rather than hand over to the agent.
func isCheckOnce(args []string) bool {
	for _, a := range args {
		if a == "--" {
			break
		}
		if name, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "="); strings.HasPrefix(a, "-") && name == "check-once" {
			return true
		}
	}
	return false
}
