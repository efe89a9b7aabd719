package cli

import (
	"context"
	"errors"
	"fmt"

	"claudemedic/doctor"
	"claudemedic/keystore"
)

// keyUseOptions are `key use-with-claude-code`'s flags.
type keyUseOptions struct {
	profile string
	move    bool
}

func runKeyUse(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("key.use_synopsis", `key use-with-claude-code [--profile P] [--move-plaintext]

Makes Claude Code read the key from the keychain: writes
"apiKeyHelper": "<this program> key print" into the user settings
(~/.claude/settings.json, or $CLAUDE_CONFIG_DIR/settings.json), with a backup.
A plaintext ANTHROPIC_API_KEY in that file's env would win over the helper:
--move-plaintext stores it in the keychain first, then removes it from the
file and from the file's backups. If storing it fails, nothing is removed.`))
	var o keyUseOptions
	profileFlag(fs, tr, &o.profile)
	fs.BoolVar(&o.move, "move-plaintext", false, tr.X("key.flag_move", "move a plaintext ANTHROPIC_API_KEY from the user settings into the keychain"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noKeyArgs(fs); err != nil {
		return err
	}
	res, err := doctor.Keychain{Profile: o.profile, Lang: tr.Lang()}.Use(ctx, o.move)
	var plain *doctor.PlaintextKeyError
	if errors.As(err, &plain) {
		return withHint(err, tr.X("key.move_hint", "Move it into the keychain with: claudemedic key use-with-claude-code{{.Arg}} --move-plaintext (or remove it from the file yourself).", "Arg", profileArg(o.profile)))
	}
	if err != nil && res == nil {
		return e.storeHint(err, o.profile)
	}
	p := fmt.Sprintf("%q", o.profile)
	if res.Moved {
		fmt.Fprintln(e.Stdout, tr.X("key.moved", "Moved the plaintext ANTHROPIC_API_KEY from {{.File}} into the keychain (profile {{.Profile}}).", "File", res.File, "Profile", p))
	}
	if !res.Changed() {
		fmt.Fprintln(e.Stdout, tr.X("key.already_used", "Claude Code already reads the key from the keychain: apiKeyHelper in {{.File}} is {{.Helper}}", "File", res.File, "Helper", res.Helper))
	} else {
		fmt.Fprintln(e.Stdout, tr.X("key.now_used", "Claude Code now reads the key for profile {{.Profile}} from the keychain. Changed {{.File}}:", "Profile", p, "File", res.File))
		for _, k := range res.Saved.Keys {
			fmt.Fprintf(e.Stdout, "  %s\n", k)
		}
		if res.Backup != "" {
			fmt.Fprintln(e.Stdout, tr.X("key.backed_up", "The old file is backed up as {{.Backup}}; undo with: claudemedic config restore --latest", "Backup", res.Backup))
		}
	}
	if res.Scrubbed > 0 {
		fmt.Fprintln(e.Stdout, tr.X("key.scrubbed", "Removed the plaintext key from {{.N}} backup(s) of the file; the rest of each backup is kept.", "N", res.Scrubbed))
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.Stderr, "%s %s\n", tr.X("cli.warning", "warning:"), w)
	}
	if err != nil {
		return e.storeHint(err, o.profile)
	}
	return nil
}

// profileArg is " --profile P" for a profile other than the default, for hints.
func profileArg(profile string) string {
	if profile == "" || profile == keystore.DefaultProfile {
		return ""
	}
	return " --profile " + profile
}
