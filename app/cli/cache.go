package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"claudemedic/claudecfg"
)

func init() {
	register(command{name: "cache", summary: "list and clear Claude Code's cache, with undo", run: runCache})
}

func runCache(ctx context.Context, args []string, io IO) int {
	return subcommand(ctx, "cache", map[string]func(context.Context, []string, IO) int{
		"list":  runCacheList,
		"clear": runCacheClear,
		"undo":  runCacheUndo,
	}, args, io)
}

var classTitle = map[claudecfg.Class]string{
	claudecfg.ClassCache:      "Cache (safe to clear: Claude Code makes it again)",
	claudecfg.ClassUserData:   "User data (cleared only when named with --include)",
	claudecfg.ClassNeverTouch: "Never touched (settings, credentials, your own files)",
}

const cacheListSynopsis = `cache list [--json]

Lists what is in Claude Code's folder ($CLAUDE_CONFIG_DIR or ~/.claude) in three
classes: cache (safe to clear, Claude Code makes it again), user data
(transcripts, history: cleared only when you name each item) and never touch
(settings, credentials, your agents and commands, anything unknown).`

func runCacheList(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("cache list", cacheListSynopsis, io)
	asJSON := fs.Bool("json", false, "print the list as JSON")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageErr(io, "cache list", "unexpected argument %q", fs.Arg(0))
	}
	dir, err := claudecfg.Dir()
	if err != nil {
		return fail(io, "cache list", err)
	}
	claudecfg.PurgeTrash(claudecfg.TrashKeep)
	items, err := claudecfg.ListCache(dir)
	if err != nil {
		return fail(io, "cache list", err)
	}
	if *asJSON {
		if items == nil {
			items = []claudecfg.CacheItem{}
		}
		return writeJSON(io.Stdout, map[string]any{"dir": dir, "items": items, "claude_running": claudecfg.ClaudeProcesses()})
	}
	if len(items) == 0 {
		fmt.Fprintf(io.Stdout, "%s is empty or missing: nothing to clear.\n", dir)
		return ExitOK
	}
	fmt.Fprintf(io.Stdout, "%s\n", dir)
	totals := map[claudecfg.Class]int64{}
	var last claudecfg.Class
	for _, it := range items {
		if it.Class != last {
			fmt.Fprintf(io.Stdout, "\n%s\n", classTitle[it.Class])
			last = it.Class
		}
		name := it.Name
		if it.Dir {
			name += "/"
		}
		if !it.Known {
			name += "  (unknown to Claude Medic: left alone)"
		}
		fmt.Fprintf(io.Stdout, "  %10s  %7d files  %s\n", claudecfg.HumanSize(it.Size), it.Files, name)
		totals[it.Class] += it.Size
	}
	fmt.Fprintf(io.Stdout, "\n%s of cache can be cleared with 'claudemedic cache clear' (undo with 'claudemedic cache undo' for 7 days).\n", claudecfg.HumanSize(totals[claudecfg.ClassCache]))
	if totals[claudecfg.ClassUserData] > 0 {
		fmt.Fprintf(io.Stdout, "%s of user data moves only when you name it: --include projects, say.\n", claudecfg.HumanSize(totals[claudecfg.ClassUserData]))
	}
	if pids := claudecfg.ClaudeProcesses(); len(pids) > 0 {
		fmt.Fprintf(io.Stdout, "Claude Code is running (process %v): quit it before clearing.\n", pids)
	}
	return ExitOK
}

const cacheClearSynopsis = `cache clear [--dry-run] [--force] [--include ITEM]... [--json]

Moves Claude Code's disposable cache into Claude Medic's trash (in its own data
folder), where 'claudemedic cache undo' can put it back byte for byte for 7
days. User data (projects, history.jsonl, …) moves only when named with
--include; settings, credentials and unknown items never move. While Claude
Code runs, clearing needs --force.`

func runCacheClear(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("cache clear", cacheClearSynopsis, io)
	dry := fs.Bool("dry-run", false, "say what would move, move nothing")
	force := fs.Bool("force", false, "clear even while Claude Code runs")
	asJSON := fs.Bool("json", false, "print what moved as JSON")
	var include []string
	fs.Func("include", "also move this user-data item (repeat for each), e.g. --include projects", func(s string) error {
		include = append(include, strings.TrimSuffix(s, "/"))
		return nil
	})
	if code, ok := parse(fs, args); !ok {
		return code
	}
	const cmd = "cache clear"
	if fs.NArg() > 0 {
		return usageErr(io, cmd, "unexpected argument %q (name user data with --include)", fs.Arg(0))
	}
	dir, err := claudecfg.Dir()
	if err != nil {
		return fail(io, cmd, err)
	}
	b, err := claudecfg.ClearCache(dir, claudecfg.ClearOptions{Include: include, DryRun: *dry, Force: *force})
	switch {
	case errors.Is(err, claudecfg.ErrNeverTouch) || errors.Is(err, claudecfg.ErrUnknownItem):
		return usageErr(io, cmd, "%v", err)
	case err != nil:
		return fail(io, cmd, err)
	}
	if *asJSON {
		return writeJSON(io.Stdout, b)
	}
	if len(b.Items) == 0 {
		fmt.Fprintln(io.Stdout, "Nothing to clear.")
		return ExitOK
	}
	verb := "Moved"
	if *dry {
		verb = "Would move"
	}
	fmt.Fprintf(io.Stdout, "%s %d item(s), %s, from %s:\n", verb, len(b.Items), claudecfg.HumanSize(b.Size()), dir)
	for _, it := range b.Items {
		fmt.Fprintf(io.Stdout, "  %-22s %10s  %s\n", it.Name, claudecfg.HumanSize(it.Size), it.Class)
	}
	switch {
	case *dry && len(b.Running) > 0:
		fmt.Fprintf(io.Stdout, "Claude Code is running (process %v): quit it first, or add --force.\n", b.Running)
	case *dry:
	default:
		fmt.Fprintf(io.Stdout, "They are in %s until %s. Undo: claudemedic cache undo\n", b.Trash, b.Created.Add(claudecfg.TrashKeep).Local().Format("2006-01-02"))
	}
	return ExitOK
}

const cacheUndoSynopsis = `cache undo [--id ID] [--replace] [--list] [--json]

Puts the items of the last clear (or clear ID) back where they were, byte for
byte. If Claude Code made an item again since, nothing moves unless --replace
(the new copy then goes to the trash in its turn). --list shows the clears
that can be undone.`

func runCacheUndo(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("cache undo", cacheUndoSynopsis, io)
	id := fs.String("id", "", "the clear to undo (default: the latest)")
	replace := fs.Bool("replace", false, "move items Claude Code made again since into the trash, then restore")
	list := fs.Bool("list", false, "list the clears that can be undone")
	asJSON := fs.Bool("json", false, "print as JSON")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	const cmd = "cache undo"
	if fs.NArg() > 0 {
		return usageErr(io, cmd, "unexpected argument %q", fs.Arg(0))
	}
	if *list {
		batches, err := claudecfg.TrashBatches()
		if err != nil {
			return fail(io, cmd, err)
		}
		if *asJSON {
			if batches == nil {
				batches = []claudecfg.Batch{}
			}
			return writeJSON(io.Stdout, batches)
		}
		if len(batches) == 0 {
			fmt.Fprintln(io.Stdout, "No clears to undo (they are kept 7 days).")
		}
		for _, b := range batches {
			names := make([]string, len(b.Items))
			for i, it := range b.Items {
				names[i] = it.Name
			}
			fmt.Fprintf(io.Stdout, "%s  %s  %s  %s\n", b.ID, b.Created.Local().Format(time.DateTime), claudecfg.HumanSize(b.Size()), strings.Join(names, ", "))
		}
		return ExitOK
	}
	b, err := claudecfg.UndoClear(*id, *replace)
	if err != nil {
		return fail(io, cmd, err)
	}
	if *asJSON {
		return writeJSON(io.Stdout, b)
	}
	fmt.Fprintf(io.Stdout, "Put back %d item(s), %s, into %s.\n", len(b.Items), claudecfg.HumanSize(b.Size()), b.Source)
	return ExitOK
}
