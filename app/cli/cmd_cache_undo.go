package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"claudemedic/claudecache"
	"claudemedic/claudecfg"
	"claudemedic/doctor"
	"claudemedic/internal/i18n"
)

// cacheUndoOptions are `cache undo`'s flags.
type cacheUndoOptions struct {
	id      string
	replace bool
	list    bool
	asJSON  bool
}

func runCacheUndo(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("cache.undo_synopsis", `cache undo [--id ID] [--replace] [--list] [--json]

Puts the items of the last clear (or clear ID) back where they were, byte for
byte. If Claude Code made an item again since, nothing moves unless --replace
(the new copy then goes to the trash in its turn). --list shows the clears
that can be undone.`))
	var o cacheUndoOptions
	fs.StringVar(&o.id, "id", "", tr.X("cache.flag_id", "the clear to undo (default: the latest)"))
	fs.BoolVar(&o.replace, "replace", false, tr.X("cache.flag_replace", "move items Claude Code made again since into the trash, then restore"))
	fs.BoolVar(&o.list, "list", false, tr.X("cache.flag_list", "list the clears that can be undone"))
	fs.BoolVar(&o.asJSON, "json", false, tr.X("cache.flag_undo_json", "print as JSON"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	if o.list {
		batches, err := doctor.Cache{}.Clears(ctx)
		if err != nil {
			return err
		}
		if o.asJSON {
			if batches == nil {
				batches = []claudecache.Batch{}
			}
			return e.writeJSON(batches)
		}
		if len(batches) == 0 {
			fmt.Fprintln(e.Stdout, tr.X("cache.no_clears", "No clears to undo (they are kept 7 days)."))
		}
		for _, b := range batches {
			names := make([]string, len(b.Items))
			for i, it := range b.Items {
				names[i] = it.Name
			}
			fmt.Fprintf(e.Stdout, "%s  %s  %s  %s\n", b.ID, b.Created.Local().Format(time.DateTime), claudecfg.HumanSize(b.Size()), strings.Join(names, ", "))
		}
		return nil
	}
	b, err := doctor.Cache{}.Undo(ctx, o.id, o.replace)
	if err != nil {
		return cacheHint(tr, err)
	}
	if o.asJSON {
		return e.writeJSON(b)
	}
	fmt.Fprintln(e.Stdout, tr.X("cache.put_back", "Put back {{.N}} item(s), {{.Size}}, into {{.Dir}}.", "N", len(b.Items), "Size", claudecfg.HumanSize(b.Size()), "Dir", b.Source))
	return nil
}

// cacheHint adds the command line's way out to an error of the cache.
func cacheHint(tr i18n.Printer, err error) error {
	var conflict *claudecache.ConflictError
	if errors.As(err, &conflict) {
		return withHint(err, tr.X("cache.replace_hint", "Restore anyway with: claudemedic cache undo --replace (the new copies go to the trash)"))
	}
	var moved *claudecache.MoveError
	if errors.As(err, &moved) && moved.Moved > 0 {
		return withHint(err, tr.X("cache.undo_hint", "Put back what moved with: claudemedic cache undo"))
	}
	return err
}
