package cli

import (
	"context"
	"errors"
	"fmt"

	"claudemedic/claudeinstall"
	"claudemedic/internal/exitcode"
)

func runClaudeCodeUpdate(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("claudecode.update_synopsis", `claude-code update

Updates the Claude Code a shell here runs, the way it was installed:
claude update for the native install, npm install -g @anthropic-ai/claude-code@latest
for an npm one. Shows the update's output, then reads the version again.
Exit status: 0 when it updated (or was the latest already), 1 when it failed.`))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	r, o, err := e.claudeCodeLookup(ctx, true)
	if err != nil {
		return err
	}
	run := r.Running()
	if run == nil {
		printClaudeCode(e.Stderr, r, tr)
		return exitWith(exitcode.Failed)
	}
	if run.Version != "" && r.Latest != "" && !r.Outdated() {
		fmt.Fprintln(e.Stdout, tr.X("claudecode.latest_already", "Claude Code {{.Version}} ({{.Method}}, {{.Path}}) is the latest already.", "Version", run.Version, "Method", run.Method, "Path", r.Show(run.Path)))
		return nil
	}
	if err := claudeinstall.Update(ctx, *run, o.Env, e.Stdout); err != nil {
		return err
	}
	o.Refresh = true
	after := claudeinstall.Lookup(ctx, o)
	fmt.Fprintln(e.Stdout)
	printClaudeCode(e.Stdout, after, tr)
	if now := after.Running(); now != nil && now.Path != run.Path {
		fmt.Fprintln(e.Stdout, tr.X("claudecode.moved", "Note: a shell now runs {{.Now}}, not {{.Before}}.", "Now", after.Show(now.Path), "Before", r.Show(run.Path)))
	}
	if a := after.Running(); a == nil || after.Outdated() {
		return errors.New(tr.X("claudecode.still_outdated", "the update ran, but the Claude Code a shell runs is still not the latest (see above)."))
	}
	return nil
}
