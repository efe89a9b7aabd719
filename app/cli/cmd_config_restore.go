package cli

import (
	"context"
	"errors"
	"fmt"

	"claudemedic/claudecfg"
)

// restoreOptions are `config restore`'s flags.
type restoreOptions struct {
	latest bool
	file   string
	asJSON bool
}

func runRestore(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("config.restore_synopsis", `config restore (BACKUP | --latest [--file SETTINGS]) [--json]

Writes a backup back over its settings file (the current file is backed up
first, so a restore can itself be undone). BACKUP is a path that
'claudemedic config backups' lists; --latest picks the newest backup of --file
(default: the user settings).`))
	var o restoreOptions
	fs.BoolVar(&o.latest, "latest", false, tr.X("config.flag_latest", "restore the newest backup of --file"))
	fs.StringVar(&o.file, "file", "", tr.X("config.flag_restore_file", "the settings file for --latest (default: the user settings)"))
	fs.BoolVar(&o.asJSON, "json", false, tr.X("config.flag_change_json", "print the change as JSON"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if (o.latest) == (fs.NArg() == 1) || fs.NArg() > 1 {
		return usageErr(tr.X("config.restore_args", "give one backup path, or --latest (see --help)"))
	}
	var pick *claudecfg.Backup
	if o.latest {
		f := o.file
		if f == "" {
			var err error
			if f, err = claudecfg.SettingsPath(claudecfg.LayerUser, ""); err != nil {
				return err
			}
		}
		list, err := claudecfg.Backups(f)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return errors.New(tr.X("config.no_backup_of", "there is no backup of {{.File}}", "File", f))
		}
		pick = &list[0]
	} else {
		list, err := claudecfg.Backups("")
		if err != nil {
			return err
		}
		for i := range list {
			if list[i].Path == fs.Arg(0) {
				pick = &list[i]
			}
		}
		if pick == nil {
			return errors.New(tr.X("config.not_a_backup", "{{.Path}} is not one of Claude Medic's backups (see claudemedic config backups)", "Path", fs.Arg(0)))
		}
	}
	c, err := claudecfg.Restore(*pick)
	if err != nil {
		return err
	}
	if o.asJSON {
		return e.writeJSON(c)
	}
	fmt.Fprintln(e.Stdout, tr.X("config.restored", "Restored the copy of {{.File}} from {{.When}}.", "File", pick.File, "When", pick.Time.Local().Format("2006-01-02 15:04:05")))
	e.printChange(c)
	return nil
}
