package keystore

import (
	"context"
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"
)

// ClaudeCodeLogin reads the item in which Claude Code keeps its claude.ai
// login on macOS (service and account as claudecfg.LoginKeychainService and
// LoginKeychainAccount name them): its password is the same JSON document
// as .credentials.json. It returns "" and no error when there is no such
// item. It only reads: Claude Medic never writes, refreshes or deletes
// Claude Code's login. Pass it as claudecfg.ResolveOptions.LoginKeychain.
func ClaudeCodeLogin(ctx context.Context, service, account string) (string, error) {
	doc, err := call(ctx, func() (string, error) { return keyring.Get(service, account) })
	switch {
	case errors.Is(err, keyring.ErrNotFound):
		return "", nil
	case err != nil:
		if e := newError("reading", account, err, ""); e.Kind != nil {
			err = e.Kind
		}
		return "", fmt.Errorf("reading Claude Code's login (%s) from the keychain: %w", service, err)
	}
	return doc, nil
}
