package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"claudemedic/doctor"
	"claudemedic/internal/exitcode"
)

// keyDeleteOptions are `key delete`'s flags.
type keyDeleteOptions struct {
	profile string
	yes     bool
}

func runKeyDelete(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("key.delete_synopsis", `key delete [--profile P] [--yes]

Deletes the profile's key from the keychain, after asking on a terminal
(--yes deletes without asking, as a script must). It cannot be undone: keep
another copy of the key if you may need it again.`))
	var o keyDeleteOptions
	profileFlag(fs, tr, &o.profile)
	fs.BoolVar(&o.yes, "yes", false, tr.X("key.flag_yes", "delete without asking"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noKeyArgs(fs); err != nil {
		return err
	}
	k := doctor.Keychain{Profile: o.profile}
	if !o.yes {
		f, ok := e.Stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return usageErr(tr.X("key.delete_needs_yes", "add --yes to delete the key without being asked (deleting cannot be undone)"))
		}
		full, err := k.FullStatus(ctx)
		st := full.KeyStatus
		if err != nil {
			return err
		}
		if !st.Stored {
			return errors.New(tr.X("key.delete_none", "no key is stored for profile {{.Profile}}; nothing to delete", "Profile", fmt.Sprintf("%q", st.Profile)))
		}
		fmt.Fprint(e.Stderr, tr.X("key.delete_question", "Delete the key for profile {{.Profile}} ({{.Key}}) from the keychain? It cannot be undone. [y/N] ", "Profile", fmt.Sprintf("%q", st.Profile), "Key", st.Masked))
		answer, _ := bufio.NewReader(f).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" && a != "是" {
			fmt.Fprintln(e.Stderr, tr.X("key.not_deleted", "Nothing was deleted."))
			return exitWith(exitcode.Failed)
		}
	}
	if err := k.Delete(ctx); err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, tr.X("key.deleted_profile", "Deleted the key for profile {{.Profile}} from the keychain.", "Profile", fmt.Sprintf("%q", o.profile)))
	if k.HelperInstalled() {
		fmt.Fprintln(e.Stderr, tr.X("key.helper_dangling", "warning: Claude Code's apiKeyHelper still runs `claudemedic key print{{.Arg}}`, which now fails:\nstore a new key with `claudemedic key set{{.Arg}}`, or remove apiKeyHelper from the user settings.", "Arg", profileArg(o.profile)))
	}
	return nil
}
