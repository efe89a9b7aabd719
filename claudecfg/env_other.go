//go:build !windows

package claudecfg

import (
	"context"

	"claudemedic/claudesettings"
)

// loginSource names where the login shell's values come from in a report.
const loginSource = claudesettings.SourceLoginShell

// desktopEnv is the environment a desktop app must read besides its own
// where that is not a login shell's (Windows: the registry); here it is the
// login shell's, so ok is false.
func desktopEnv(context.Context, map[string]string) (map[string]string, bool, error) {
	return nil, false, nil
}
