package cli

import (
	"context"
	"errors"
	"fmt"

	"claudemedic/internal/exitcode"
	"claudemedic/keystore"
)

// keyPrintOptions are `key print`'s flags.
type keyPrintOptions struct {
	profile string
}

func runKeyPrint(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("key.print_synopsis", `key print [--profile P]

Prints the profile's key and a newline on standard output: the command Claude
Code runs as its apiKeyHelper. With no key (or a keychain that cannot be read)
it prints why on standard error and exits 1.`))
	var o keyPrintOptions
	profileFlag(fs, tr, &o.profile)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noKeyArgs(fs); err != nil {
		return err
	}
	key, err := keystore.Get(ctx, o.profile)
	if err != nil {
		return e.storeHint(err, o.profile)
	}
	if _, err := fmt.Fprintln(e.Stdout, key); err != nil {
		return exitWith(exitcode.Failed)
	}
	return nil
}

// storeHint adds "store the key with …" to a keychain error that is a missing key.
func (e *env) storeHint(err error, profile string) error {
	if errors.Is(err, keystore.ErrNotFound) {
		return withHint(err, e.tr.X("key.store_hint", "Store the key with: claudemedic key set{{.Arg}}", "Arg", profileArg(profile)))
	}
	return err
}
