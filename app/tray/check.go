package tray

import (
	"context"
	"fmt"
	"time"

	"claudemedic/claudecfg"
	"claudemedic/keystore"
	"claudemedic/netcheck"
)

// realCheck resolves what Claude Code would use on this machine (its
// settings, the login shell's environment, the key in the keychain) and
// checks it.
func realCheck(ctx context.Context, stream bool) (*netcheck.Report, error) {
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	target, err := claudecfg.Resolve(rctx, claudecfg.ResolveOptions{LoginShell: true, Keychain: keystore.Getter(keystore.DefaultProfile)})
	cancel()
	if err != nil {
		return nil, fmt.Errorf("reading Claude Code's settings: %w", err)
	}
	return netcheck.Run(ctx, target, netcheck.Options{Stream: stream}), nil
}
