package cli

import (
	"context"
	"errors"
	"fmt"

	"claudemedic/claudecfg"
	"claudemedic/doctor"
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
	var (
		c    *doctor.Change
		pick claudecfg.Backup
		err  error
	)
	if o.latest {
		c, pick, err = doctor.RestoreLatest(o.file)
	} else {
		c, pick, err = doctor.Restore(fs.Arg(0))
	}
	var none *doctor.NoBackupError
	var notOne *doctor.NotABackupError
	switch {
	case errors.As(err, &none):
		return errors.New(tr.X("config.no_backup_of", "there is no backup of {{.File}}", "File", none.File))
	case errors.As(err, &notOne):
		return errors.New(tr.X("config.not_a_backup", "{{.Path}} is not one of Claude Medic's backups (see claudemedic config backups)", "Path", notOne.Path))
	case err != nil:
		return err
	}
	if o.asJSON {
		return e.writeJSON(c.Saved)
	}
	fmt.Fprintln(e.Stdout, tr.X("config.restored", "Restored the copy of {{.File}} from {{.When}}.", "File", pick.File, "When", pick.Time.Local().Format("2006-01-02 15:04:05")))
	e.printChange(c.Saved)
	return nil
}
