package cli

import (
	"context"
	"fmt"

	"claudemedic/claudecfg"
	"claudemedic/doctor"
)

// backupsOptions are `config backups`'s flags.
type backupsOptions struct {
	file   string
	asJSON bool
}

func runBackups(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("config.backups_synopsis", `config backups [--file SETTINGS] [--json]

Lists the copies Claude Medic saved before each edit (the last 10 per file),
newest first; with --file, only that settings file's.`))
	var o backupsOptions
	fs.StringVar(&o.file, "file", "", tr.X("config.flag_backups_file", "only the backups of this settings file"))
	fs.BoolVar(&o.asJSON, "json", false, tr.X("config.flag_list_json", "print the list as JSON"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	list, err := doctor.Backups(o.file)
	if err != nil {
		return err
	}
	if o.asJSON {
		if list == nil {
			list = []claudecfg.Backup{}
		}
		return e.writeJSON(list)
	}
	if len(list) == 0 {
		fmt.Fprintln(e.Stdout, tr.X("config.no_backups", "No backups yet: Claude Medic makes one before each edit."))
		return nil
	}
	var t table
	t.row(tr.X("config.col_when", "WHEN"), tr.X("config.col_size", "SIZE"), tr.X("config.col_of", "OF"), tr.X("config.col_backup", "BACKUP"))
	for _, b := range list {
		t.row(b.Time.Local().Format("2006-01-02 15:04:05"), fmt.Sprintf("%d B", b.Size), b.File, b.Path)
	}
	t.write(e.Stdout)
	fmt.Fprintf(e.Stdout, "\n%s\n", tr.X("config.restore_with", "Put one back with: claudemedic config restore BACKUP"))
	return nil
}
