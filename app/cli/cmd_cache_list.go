package cli

import (
	"context"
	"fmt"

	"claudemedic/claudecache"
	"claudemedic/claudecfg"
	"claudemedic/doctor"
)

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
	l, err := doctor.Cache{}.List(ctx)
	if err != nil {
		return err
	}
	if o.asJSON {
		return e.writeJSON(l)
	}
	dir, items := l.Dir, l.Items
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
	if pids := l.Running; len(pids) > 0 {
		fmt.Fprintln(w, tr.X("cache.running", "Claude Code is running (process {{.PIDs}}): quit it before clearing.", "PIDs", claudecache.ProcessList(pids)))
	}
	return nil
}
