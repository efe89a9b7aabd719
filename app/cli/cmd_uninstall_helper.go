package cli

import (
	"context"
	"fmt"

	"claudemedic/doctor"
	"claudemedic/internal/i18n"
	"claudemedic/keystore"
)

// uninstallHelperCommand puts Claude Code's apiKeyHelper back as it was
// before Claude Medic took it over (the package's removal runs it too).
var uninstallHelperCommand = &command{
	name: "uninstall-helper",
	summary: func(tr i18n.Printer) string {
		return tr.X("helper.summary", "put Claude Code's apiKeyHelper back as it was before Claude Medic")
	},
	run: runUninstallHelper,
}

func runUninstallHelper(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("helper.uninstall_synopsis", `uninstall-helper [--restore-key] [--profile P]

Puts Claude Code's apiKeyHelper back as it was before Claude Medic set it:
the helper it had then (from the newest backup of the user settings that
does not run Claude Medic), or none. The settings file is backed up first.
--restore-key also writes the keychain's key back into the settings as
ANTHROPIC_API_KEY, where it was before Claude Medic moved it (only if you
want it there in plain text again).`))
	restoreKey := fs.Bool("restore-key", false, tr.X("helper.flag_restore_key", "also write the keychain's key back into the settings as ANTHROPIC_API_KEY"))
	profile := fs.String("profile", keystore.DefaultProfile, tr.X("helper.flag_profile", "the keychain profile whose key --restore-key writes back"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	r, err := doctor.UninstallHelper(ctx, *restoreKey, *profile)
	if err != nil {
		return err
	}
	if !r.Ours {
		if r.Current == "" {
			fmt.Fprintln(e.Stdout, tr.X("helper.none", "Claude Code's apiKeyHelper is not set in {{.File}}: nothing to put back.", "File", r.File))
		} else {
			fmt.Fprintln(e.Stdout, tr.X("helper.not_ours", "Claude Code's apiKeyHelper in {{.File}} is not Claude Medic's ({{.Helper}}): it stays.", "File", r.File, "Helper", r.Current))
		}
		return nil
	}
	c := r.Change.Saved
	if c == nil {
		return nil
	}
	fmt.Fprintln(e.Stdout, tr.X("change.in_file", "Changed in {{.File}}:", "File", c.File))
	for _, k := range c.Keys {
		fmt.Fprintln(e.Stdout, "  "+k.String())
	}
	if c.Backup != "" {
		fmt.Fprintln(e.Stdout, tr.X("helper.backup", "The file as it was is kept in {{.Backup}} (claudemedic config restore puts it back).", "Backup", c.Backup))
	}
	if r.Previous == "" && !*restoreKey {
		fmt.Fprintln(e.Stdout, tr.X("helper.sign_in", "Claude Code no longer reads the key from Claude Medic's keychain: sign in with /login in Claude Code, set ANTHROPIC_API_KEY, or run claudemedic uninstall-helper --restore-key to write the key back into the settings."))
	}
	return nil
}
