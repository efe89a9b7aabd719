package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"claudemedic/claudecache"
	"claudemedic/claudecfg"
	"claudemedic/internal/i18n"
)

var cacheCommand = &command{
	name: "cache",
	summary: func(tr i18n.Printer) string {
		return tr.X("cache.summary", "list and clear Claude Code's cache, with undo")
	},
	subs: []*command{
		{name: "list", run: runCacheList, summary: func(tr i18n.Printer) string {
			return tr.X("cache.list_summary", "what is in Claude Code's folder, by class, with sizes")
		}},
		{name: "clear", run: runCacheClear, summary: func(tr i18n.Printer) string {
			return tr.X("cache.clear_summary", "move the cache into Claude Medic's trash")
		}},
		{name: "undo", run: runCacheUndo, summary: func(tr i18n.Printer) string {
			return tr.X("cache.undo_summary", "put the last clear back, byte for byte")
		}},
	},
}

// classTitle is a class as the list heads it.
func classTitle(tr i18n.Printer, c claudecache.Class) string {
	switch c {
	case claudecache.ClassCache:
		return tr.X("cache.title_cache", "Cache (safe to clear: Claude Code makes it again)")
	case claudecache.ClassUserData:
		return tr.X("cache.title_user", "User data (cleared only when named with --include)")
	}
	return tr.X("cache.title_never", "Never touched (settings, credentials, your own files)")
}

// cacheListOptions are `cache list`'s flags.
type cacheListOptions struct {
	asJSON bool
}

func runCacheList(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("cache.list_synopsis", `cache list [--json]

Lists what is in Claude Code's folder ($CLAUDE_CONFIG_DIR or ~/.claude) in three
classes: cache (safe to clear, Claude Code makes it again), user data
(transcripts, history: cleared only when you name each item) and never touch
(settings, credentials, your agents and commands, anything unknown).`))
	var o cacheListOptions
	fs.BoolVar(&o.asJSON, "json", false, tr.X("config.flag_list_json", "print the list as JSON"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	dir, err := claudecfg.Dir()
	if err != nil {
		return err
	}
	claudecache.PurgeTrash(claudecache.TrashKeep)
	items, err := claudecache.ListCache(dir)
	if err != nil {
		return err
	}
	if o.asJSON {
		if items == nil {
			items = []claudecache.CacheItem{}
		}
		return e.writeJSON(map[string]any{"dir": dir, "items": items, "claude_running": claudecache.ClaudeProcesses()})
	}
	w := e.Stdout
	if len(items) == 0 {
		fmt.Fprintln(w, tr.X("cache.empty_dir", "{{.Dir}} is empty or missing: nothing to clear.", "Dir", dir))
		return nil
	}
	fmt.Fprintf(w, "%s\n", dir)
	totals := map[claudecache.Class]int64{}
	var last claudecache.Class
	for _, it := range items {
		if it.Class != last {
			fmt.Fprintf(w, "\n%s\n", classTitle(tr, it.Class))
			last = it.Class
		}
		name := it.Name
		if it.Dir {
			name += "/"
		}
		if !it.Known {
			name += "  " + tr.X("cache.unknown_item", "(unknown to Claude Medic: left alone)")
		}
		fmt.Fprintf(w, "  %10s  %s  %s\n", claudecfg.HumanSize(it.Size), tr.X("cache.files", "{{.N}} files", "N", fmt.Sprintf("%7d", it.Files)), name)
		totals[it.Class] += it.Size
	}
	fmt.Fprintf(w, "\n%s\n", tr.X("cache.can_clear", "{{.Size}} of cache can be cleared with 'claudemedic cache clear' (undo with 'claudemedic cache undo' for 7 days).", "Size", claudecfg.HumanSize(totals[claudecache.ClassCache])))
	if totals[claudecache.ClassUserData] > 0 {
		fmt.Fprintln(w, tr.X("cache.user_data_hint", "{{.Size}} of user data moves only when you name it: --include projects, say.", "Size", claudecfg.HumanSize(totals[claudecache.ClassUserData])))
	}
	if pids := claudecache.ClaudeProcesses(); len(pids) > 0 {
		fmt.Fprintln(w, tr.X("cache.running", "Claude Code is running (process {{.PIDs}}): quit it before clearing.", "PIDs", claudecache.ProcessList(pids)))
	}
	return nil
}

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
	dir, err := claudecfg.Dir()
	if err != nil {
		return err
	}
	b, err := claudecache.ClearCache(dir, claudecache.ClearOptions{Include: o.include, DryRun: o.dry, Force: o.force})
	var running *claudecache.RunningError
	switch {
	case errors.As(err, &running):
		return errors.New(tr.X("cache.running_force", "Claude Code is running (process {{.PIDs}}): quit it first, or add --force.", "PIDs", claudecache.ProcessList(running.PIDs)))
	case errors.Is(err, claudecache.ErrNeverTouch) || errors.Is(err, claudecache.ErrUnknownItem):
		return usageErr(err.Error())
	case err != nil:
		return err
	}
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
		batches, err := claudecache.TrashBatches()
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
	b, err := claudecache.UndoClear(o.id, o.replace)
	if err != nil {
		return err
	}
	if o.asJSON {
		return e.writeJSON(b)
	}
	fmt.Fprintln(e.Stdout, tr.X("cache.put_back", "Put back {{.N}} item(s), {{.Size}}, into {{.Dir}}.", "N", len(b.Items), "Size", claudecfg.HumanSize(b.Size()), "Dir", b.Source))
	return nil
}
