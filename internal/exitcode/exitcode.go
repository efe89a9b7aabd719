// Package exitcode holds the exit statuses of DESIGN.md's command-line
// contract, for every entry point (the command line, `claudemedic window`,
// the tray agent), so no status is a bare number anywhere.
package exitcode

import "claudemedic/netcheck"

// The exit statuses.
const (
	OK       = 0  // the verdict is ok, or a command succeeded
	Degraded = 1  // the verdict is degraded
	Failed   = 1  // a command failed (the same status as degraded, as the contract has it)
	Down     = 2  // the verdict is down
	Usage    = 64 // the command line is wrong (BSD's EX_USAGE)
)

// Of is the exit status of a verdict: 0 ok, 1 degraded, 2 down (and unknown).
func Of(v netcheck.Verdict) int {
	switch v {
	case netcheck.VerdictOK:
		return OK
	case netcheck.VerdictDegraded:
		return Degraded
	}
	return Down
}
