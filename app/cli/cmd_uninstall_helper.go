package cli

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
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

// ourHelper matches an apiKeyHelper that runs Claude Medic's `key print`
// (of any copy of claudemedic, installed or in a build folder).
var ourHelper = regexp.MustCompile(`(?i)claudemedic(\.exe)?["']?\s+key\s+print(\s+--profile(\s+|=)\S+)?\s*$`)

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
	file, err := claudecfg.SettingsPath(claudecfg.LayerUser, "")
	if err != nil {
		return err
	}
	f, err := claudecfg.ReadFile(file)
	if err != nil {
		return err
	}
	current, _ := f.Values[claudesettings.KeyAPIKeyHelper].(string)
	if !ourHelper.MatchString(strings.TrimSpace(current)) {
		if current == "" {
			fmt.Fprintln(e.Stdout, tr.X("helper.none", "Claude Code's apiKeyHelper is not set in {{.File}}: nothing to put back.", "File", file))
		} else {
			fmt.Fprintln(e.Stdout, tr.X("helper.not_ours", "Claude Code's apiKeyHelper in {{.File}} is not Claude Medic's ({{.Helper}}): it stays.", "File", file, "Helper", current))
		}
		return nil
	}
	previous := helperBefore(file)
	edits := []claudecfg.Edit{claudecfg.Unset(claudesettings.KeyAPIKeyHelper)}
	if previous != "" {
		edits = []claudecfg.Edit{claudecfg.Set(previous, claudesettings.KeyAPIKeyHelper)}
	}
	if *restoreKey {
		key, err := keystore.Get(ctx, *profile)
		if err != nil {
			return fmt.Errorf("reading the key to write back: %w", err)
		}
		edits = append(edits, claudecfg.Set(key, "env", claudesettings.VarAPIKey))
	}
	c, err := claudecfg.EditFile(file, edits...)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, tr.X("change.in_file", "Changed in {{.File}}:", "File", c.File))
	for _, k := range c.Keys {
		fmt.Fprintln(e.Stdout, "  "+k.String())
	}
	if c.Backup != "" {
		fmt.Fprintln(e.Stdout, tr.X("helper.backup", "The file as it was is kept in {{.Backup}} (claudemedic config restore puts it back).", "Backup", c.Backup))
	}
	if previous == "" && !*restoreKey {
		fmt.Fprintln(e.Stdout, tr.X("helper.sign_in", "Claude Code no longer reads the key from Claude Medic's keychain: sign in with /login in Claude Code, set ANTHROPIC_API_KEY, or run claudemedic uninstall-helper --restore-key to write the key back into the settings."))
	}
	return nil
}

// helperBefore is the apiKeyHelper the user settings had before Claude
// Medic's: from the newest backup whose apiKeyHelper is not Claude Medic's
// ("" when that backup has none, or there is no backup).
func helperBefore(file string) string {
	backups, err := claudecfg.Backups(file)
	if err != nil {
		return ""
	}
	for _, b := range backups { // newest first
		bf, err := claudecfg.ReadFile(b.Path)
		if err != nil {
			continue
		}
		h, _ := bf.Values[claudesettings.KeyAPIKeyHelper].(string)
		if !ourHelper.MatchString(strings.TrimSpace(h)) {
			return h
		}
	}
	return ""
}
