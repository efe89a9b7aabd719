package tray

import (
	"fmt"
	"os"

	"claudemedic/internal/sibling"
)

// handOver hands `claudemedic tray` over to the agent binary at path, with
// the same arguments (on Unix in this process: the same process id), and
// returns its exit status; when it cannot start, the agent runs in this
// binary instead.
func handOver(path string, args []string) int {
	code, err := sibling.Exec(path, args)
	if err != nil {
		fmt.Fprintf(os.Stderr, "claudemedic tray: %v; running the agent in this binary\n", err)
		return start(args, false)
	}
	return code
}
