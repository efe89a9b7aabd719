package cli

import (
	"context"
	"fmt"
	"io"

	"claudemedic/app/prefs"
	"claudemedic/app/state"
	"claudemedic/claudecfg"
	"claudemedic/claudeinstall"
	"claudemedic/netcheck"
)

func init() {
	register(command{name: "claude-code", summary: "show the installed Claude Code's version, and update it", run: runClaudeCode})
}

func runClaudeCode(ctx context.Context, args []string, io IO) int {
	return subcommand(ctx, "claude-code", map[string]func(context.Context, []string, IO) int{
		"status": runClaudeCodeStatus,
		"update": runClaudeCodeUpdate,
	}, args, io)
}

// claudeCodeOptions are the look-up's options for this process: its
// environment (the PATH a shell here has), the state folder's cache, the
// proxy and CA Claude Code would use, and the preference that turns the
// registry look-up off.
func claudeCodeOptions(target netcheck.Target, refresh bool) claudeinstall.Options {
	p, _ := prefs.Load() // broken preferences give the defaults, which ask the registry
	dir, _ := state.Dir()
	return claudeinstall.Options{Env: claudeinstall.StateEnv(), CacheDir: dir, Target: target,
		NoUpdateCheck: p.NoUpdateCheck, Refresh: refresh}
}

// claudeCodeJSON is the install in `claude-code status --json` and `config show --json`.
type claudeCodeJSON struct {
	*netcheck.ClaudeCodeView
	Registry  string `json:"registry,omitempty"`
	LatestErr string `json:"latest_error,omitempty"`
}

func claudeCodeView(r *claudeinstall.Result) claudeCodeJSON {
	j := claudeCodeJSON{ClaudeCodeView: r.View()}
	if !r.UpdateCheckOff {
		j.Registry = r.Registry
	}
	if r.LatestErr != nil {
		j.LatestErr = r.LatestErr.Error()
	}
	return j
}

// printClaudeCode shows the look-up for a person: the line, each install, each finding.
func printClaudeCode(w io.Writer, r *claudeinstall.Result, lang string) {
	fmt.Fprintf(w, "%s\n", r.Summary().In(lang))
	if len(r.Installs) > 1 || (len(r.Installs) == 1 && !r.Installs[0].OnPath) {
		for _, in := range r.Installs {
			where := tr(lang, "not on the PATH", "不在 PATH 中")
			if in.OnPath {
				where = tr(lang, "on the PATH", "在 PATH 中")
			}
			v := in.Version
			if v == "" {
				v = "?"
			}
			fmt.Fprintf(w, "  %s  %s %s, %s\n", r.Show(in.Path), in.Method, v, where)
		}
	}
	if !r.UpdateCheckOff && r.LatestErr == nil && r.Latest != "" {
		fmt.Fprintf(w, "  %s %s (%s, %s)\n", tr(lang, "latest:", "最新版本："), r.Latest, r.Registry, r.RegistrySource)
	}
	for _, f := range r.Findings() {
		fmt.Fprintf(w, "\n%s  %s\n  %s %s\n", f.Code, f.Summary.In(lang), tr(lang, "Fix:", "修复："), f.Fix.In(lang))
	}
}

const claudeCodeStatusSynopsis = `claude-code status [--json] [--refresh]

Shows the Claude Code a shell here runs (and any other install), its version,
how it was installed (npm or native), and the latest version on the npm
registry npm would use. The registry is asked at most once a day (set
"no_update_check": true in the preferences to never ask it).
Exit status: 0, or 1 when something needs doing (outdated, two installs, not found).`

func runClaudeCodeStatus(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("claude-code status", claudeCodeStatusSynopsis, io)
	asJSON := fs.Bool("json", false, "print one JSON object")
	refresh := fs.Bool("refresh", false, "read the versions and the registry again, not from the day's cache")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageErr(io, "claude-code status", "unexpected argument %q", fs.Arg(0))
	}
	target, err := claudecfg.Resolve(ctx, claudecfg.ResolveOptions{ProjectDir: projectDir("")})
	if err != nil {
		return fail(io, "claude-code status", err)
	}
	r := claudeinstall.Lookup(ctx, claudeCodeOptions(target, *refresh))
	code := ExitOK
	if len(r.Findings()) > 0 {
		code = ExitDegraded
	}
	if *asJSON {
		if writeJSON(io.Stdout, claudeCodeView(r)) != ExitOK {
			return ExitDegraded
		}
		return code
	}
	printClaudeCode(io.Stdout, r, localeLanguage())
	return code
}

const claudeCodeUpdateSynopsis = `claude-code update

Updates the Claude Code a shell here runs, the way it was installed:
claude update for the native install, npm install -g @anthropic-ai/claude-code@latest
for an npm one. Shows the update's output, then reads the version again.
Exit status: 0 when it updated (or was the latest already), 1 when it failed.`

func runClaudeCodeUpdate(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("claude-code update", claudeCodeUpdateSynopsis, io)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageErr(io, "claude-code update", "unexpected argument %q", fs.Arg(0))
	}
	target, err := claudecfg.Resolve(ctx, claudecfg.ResolveOptions{ProjectDir: projectDir("")})
	if err != nil {
		return fail(io, "claude-code update", err)
	}
	o := claudeCodeOptions(target, true)
	r := claudeinstall.Lookup(ctx, o)
	run := r.Running()
	if run == nil {
		printClaudeCode(io.Stderr, r, localeLanguage())
		return ExitDegraded
	}
	if run.Version != "" && r.Latest != "" && !r.Outdated() {
		fmt.Fprintf(io.Stdout, "Claude Code %s (%s, %s) is the latest already.\n", run.Version, run.Method, r.Show(run.Path))
		return ExitOK
	}
	if err := claudeinstall.Update(ctx, *run, o.Env, io.Stdout); err != nil {
		return fail(io, "claude-code update", err)
	}
	o.Refresh = true
	after := claudeinstall.Lookup(ctx, o)
	fmt.Fprintln(io.Stdout)
	printClaudeCode(io.Stdout, after, localeLanguage())
	if now := after.Running(); now != nil && now.Path != run.Path {
		fmt.Fprintf(io.Stdout, "Note: a shell now runs %s, not %s.\n", after.Show(now.Path), r.Show(run.Path))
	}
	if a := after.Running(); a == nil || after.Outdated() {
		fmt.Fprintln(io.Stderr, "claudemedic claude-code update: the update ran, but the Claude Code a shell runs is still not the latest (see above).")
		return ExitDegraded
	}
	return ExitOK
}
