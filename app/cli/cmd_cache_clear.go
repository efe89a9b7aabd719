package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"claudemedic/claudecache"
	"claudemedic/claudecfg"
	"claudemedic/doctor"
)

// cacheClearOptions are `cache clear`'s flags.
type cacheClearOptions struct {
	dry     bool
	force   bool
	asJSON  bool
	include []string
}

func runCacheClear(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("cache.clear_synopsis", `cache clear [--dry-run] [--force] [--include ITEM]... [--json]

Moves Claude Code's disposable cache into Claude Medic's trash (in its own data
folder), where 'claudemedic cache undo' can put it back byte for byte for 7
days. User data (projects, history.jsonl, …) moves only when named with
--include; settings, credentials and unknown items never move. While Claude
Code runs, clearing needs --force.`))
	var o cacheClearOptions
	fs.BoolVar(&o.dry, "dry-run", false, tr.X("cache.flag_dry_run", "say what would move, move nothing"))
	fs.BoolVar(&o.force, "force", false, tr.X("cache.flag_force", "clear even while Claude Code runs"))
	fs.BoolVar(&o.asJSON, "json", false, tr.X("cache.flag_json", "print what moved as JSON"))
	fs.Func("include", tr.X("cache.flag_include", "also move this user-data item (repeat for each), e.g. --include projects"), func(s string) error {
		o.include = append(o.include, strings.TrimSuffix(s, "/"))
		return nil
	})
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usageErr(tr.X("cache.clear_argument", "unexpected argument {{.Arg}} (name user data with --include)", "Arg", fmt.Sprintf("%q", fs.Arg(0))))
	}
	res, err := doctor.Cache{}.Clear(ctx, doctor.CacheClear{Include: o.include, DryRun: o.dry, Force: o.force})
	var running *claudecache.RunningError
	switch {
	case errors.As(err, &running):
		return errors.New(tr.X("cache.running_force", "Claude Code is running (process {{.PIDs}}): quit it first, or add --force.", "PIDs", claudecache.ProcessList(running.PIDs)))
	case errors.Is(err, claudecache.ErrNeverTouch) || errors.Is(err, claudecache.ErrUnknownItem):
		return usageErr(err.Error())
	case err != nil:
		return cacheHint(tr, err)
	}
	b, dir := res.Batch, res.Dir
	if o.asJSON {
		return e.writeJSON(b)
	}
	w := e.Stdout
	if len(b.Items) == 0 {
		fmt.Fprintln(w, tr.X("cache.nothing", "Nothing to clear."))
		return nil
	}
	n, size := len(b.Items), claudecfg.HumanSize(b.Size())
	if o.dry {
		fmt.Fprintln(w, tr.X("cache.would_move", "Would move {{.N}} item(s), {{.Size}}, from {{.Dir}}:", "N", n, "Size", size, "Dir", dir))
	} else {
		fmt.Fprintln(w, tr.X("cache.moved", "Moved {{.N}} item(s), {{.Size}}, from {{.Dir}}:", "N", n, "Size", size, "Dir", dir))
	}
	for _, it := range b.Items {
		fmt.Fprintf(w, "  %-22s %10s  %s\n", it.Name, claudecfg.HumanSize(it.Size), it.Class)
	}
	switch {
	case o.dry && len(b.Running) > 0:
		fmt.Fprintln(w, tr.X("cache.running_force", "Claude Code is running (process {{.PIDs}}): quit it first, or add --force.", "PIDs", claudecache.ProcessList(b.Running)))
	case o.dry:
	default:
		fmt.Fprintln(w, tr.X("cache.in_trash", "They are in {{.Trash}} until {{.Until}}. Undo: claudemedic cache undo", "Trash", b.Trash, "Until", b.Created.Add(claudecache.TrashKeep).Local().Format("2006-01-02")))
	}
	return nil
}
