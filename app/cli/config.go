package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"claudemedic/claudecfg"
	"claudemedic/doctor"
	"claudemedic/internal/i18n"
)

var configCommand = &command{
	name: "config",
	summary: func(tr i18n.Printer) string {
		return tr.X("config.summary", "show and safely edit Claude Code's settings (timeouts, proxy, CA, backups)")
	},
	subs: []*command{
		{name: "show", run: runConfigShow, summary: func(tr i18n.Printer) string {
			return tr.X("config.show_summary", "every setting that matters, its value and where it comes from")
		}},
		{name: "set-timeout", run: runSetTimeout, summary: func(tr i18n.Printer) string {
			return tr.X("config.set_timeout_summary", "set the timeouts and retries, or apply a preset")
		}},
		{name: "suggest-timeout", run: runSuggestTimeout, summary: func(tr i18n.Printer) string {
			return tr.X("config.suggest_summary", "measure, then propose API_TIMEOUT_MS")
		}},
		{name: "set-proxy", run: runSetProxy, summary: func(tr i18n.Printer) string { return tr.X("config.set_proxy_summary", "test a proxy, then save it") }},
		{name: "set-ca", run: runSetCA, summary: func(tr i18n.Printer) string { return tr.X("config.set_ca_summary", "check a CA file, then save it") }},
		{name: "backups", run: runBackups, summary: func(tr i18n.Printer) string {
			return tr.X("config.backups_summary", "the copies saved before each edit")
		}},
		{name: "restore", run: runRestore, summary: func(tr i18n.Printer) string { return tr.X("config.restore_summary", "put a backup back") }},
	},
}

// layerFlags are --layer and --project of an editing command.
type layerFlags struct{ layer, project string }

func (l *layerFlags) add(fs *flag.FlagSet, tr i18n.Printer) {
	fs.StringVar(&l.layer, "layer", "user", tr.X("config.flag_layer", "the settings file to edit: user, project or local"))
	fs.StringVar(&l.project, "project", "", tr.X("config.flag_project", "the project folder for --layer project or local (default: the current folder)"))
}

// file is the settings file the flags name; managed settings belong to the administrator.
func (l layerFlags) file(tr i18n.Printer) (string, error) {
	layer, err := claudecfg.ParseLayer(l.layer)
	if err != nil {
		return "", err
	}
	if layer == claudecfg.LayerManaged {
		return "", errors.New(tr.X("config.managed", "the managed settings belong to your administrator; Claude Medic edits the user, project and local settings only"))
	}
	project := l.project
	if project == "" && layer != claudecfg.LayerUser {
		if project, err = os.Getwd(); err != nil {
			return "", err
		}
	}
	return claudecfg.SettingsPath(layer, project)
}

// showSaved says what a save of doctor's changed (as JSON with asJSON), and
// which other files still decide what it set.
func (e *env) showSaved(ctx context.Context, lf layerFlags, c *doctor.Change, asJSON bool) error {
	if asJSON {
		return e.writeJSON(c.Saved)
	}
	e.printChange(c.Saved)
	e.printShadows(ctx, lf, c.Saved)
	return nil
}

// printShadows warns when another settings file still decides a variable
// the save changed (a project's local settings over the user's, say).
func (e *env) printShadows(ctx context.Context, lf layerFlags, c *claudecfg.Change) {
	s, err := claudecfg.Inspect(ctx, claudecfg.ResolveOptions{ProjectDir: projectDir(lf.project)})
	if err != nil {
		return
	}
	for _, sh := range s.Shadows(c) {
		if sh.File == "" { // the shell's: a proxy variable Claude Code reads before this file's
			fmt.Fprintln(e.Stdout, e.tr.X("config.shadowed_shell", "Note: {{.Name}} is set in your environment ({{.Source}}), and Claude Code takes its proxy from there: remove it there too (your shell profile, or on Windows the Environment Variables).", "Name", sh.Name, "Source", sh.Source))
			continue
		}
		fmt.Fprintln(e.Stdout, e.tr.X("config.shadowed", "Note: {{.Name}} is also set in {{.File}} ({{.Source}}), which wins over this file: edit it there too (--layer).", "Name", sh.Name, "File", sh.File, "Source", sh.Source))
	}
}

// printChange shows what a save changed in which file, and how to undo it.
func (e *env) printChange(c *claudecfg.Change) {
	tr, w := e.tr, e.Stdout
	if !c.Changed() {
		fmt.Fprintln(w, tr.X("config.nothing_to_change", "Nothing to change: {{.File}} already says that.", "File", c.File))
		return
	}
	fmt.Fprintln(w, tr.X("config.saved", "Saved {{.File}}:", "File", c.File))
	for _, k := range c.Keys {
		fmt.Fprintf(w, "  %s\n", k)
	}
	if c.Backup != "" {
		fmt.Fprintln(w, tr.X("cli.undo_restore", "The old file is backed up. Undo: claudemedic config restore {{.Backup}}", "Backup", claudecfg.CommandQuote(c.Backup)))
	} else {
		fmt.Fprintln(w, tr.X("config.new_file", "The file is new (no backup was needed)."))
	}
	fmt.Fprintln(w, tr.X("config.restart", "Claude Code reads its settings when it starts: restart it to use them."))
}
