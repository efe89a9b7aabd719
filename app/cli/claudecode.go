package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"claudemedic/claudecfg"
	"claudemedic/claudeinstall"
	"claudemedic/doctor"
	"claudemedic/internal/exitcode"
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

var claudeCodeCommand = &command{
	name: "claude-code",
	summary: func(tr i18n.Printer) string {
		return tr.X("claudecode.summary", "show the installed Claude Code's version, and update it")
	},
	subs: []*command{
		{name: "status", run: runClaudeCodeStatus, summary: func(tr i18n.Printer) string {
			return tr.X("claudecode.status_summary", "which Claude Code a shell runs, npm or native, against the latest")
		}},
		{name: "update", run: runClaudeCodeUpdate, summary: func(tr i18n.Printer) string {
			return tr.X("claudecode.update_summary", "update it the way it was installed")
		}},
	},
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
func printClaudeCode(w io.Writer, r *claudeinstall.Result, tr i18n.Printer) {
	fmt.Fprintf(w, "%s\n", r.Summary().In(tr.Lang()))
	if len(r.Installs) > 1 || (len(r.Installs) == 1 && !r.Installs[0].OnPath) {
		for _, in := range r.Installs {
			where := tr.X("claudecode.off_path", "not on the PATH")
			if in.OnPath {
				where = tr.X("claudecode.on_path", "on the PATH")
			}
			v := in.Version
			if v == "" {
				v = "?"
			}
			fmt.Fprintf(w, "  %s  %s %s, %s\n", r.Show(in.Path), in.Method, v, where)
		}
	}
	if !r.UpdateCheckOff && r.LatestErr == nil && r.Latest != "" {
		fmt.Fprintf(w, "  %s\n", tr.X("claudecode.latest", "latest: {{.Version}} ({{.Registry}}, {{.Source}})", "Version", r.Latest, "Registry", r.Registry, "Source", r.RegistrySource))
	}
	for _, f := range r.Findings() {
		fmt.Fprintf(w, "\n%s  %s\n  %s %s\n", f.Code, f.Summary.In(tr.Lang()), tr.X("report.fix", "Fix:"), f.Fix.In(tr.Lang()))
	}
}

// claudeCodeLookup looks Claude Code up as a shell here would find it, the
// registry through the proxy and CA Claude Code's settings here give (no
// credential is read: the look-up needs none).
func (e *env) claudeCodeLookup(ctx context.Context, refresh bool) (*claudeinstall.Result, claudeinstall.Options, error) {
	src := claudecfg.ResolveOptions{ProjectDir: projectDir("")}
	target, err := claudecfg.Resolve(ctx, src)
	if err != nil {
		return nil, claudeinstall.Options{}, err
	}
	o := doctor.ClaudeCodeOptions(ctx, src, target, refresh)
	return claudeinstall.Lookup(ctx, o), o, nil
}

// claudeCodeStatusOptions are `claude-code status`'s flags.
type claudeCodeStatusOptions struct {
	asJSON, refresh bool
}

func runClaudeCodeStatus(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("claudecode.status_synopsis", `claude-code status [--json] [--refresh]

Shows the Claude Code a shell here runs (and any other install), its version,
how it was installed (npm or native), and the latest version on the npm
registry npm would use. The registry is asked at most once a day (set
"no_update_check": true in the preferences to never ask it).
Exit status: 0, or 1 when something needs doing (outdated, two installs, not found).`))
	var o claudeCodeStatusOptions
	fs.BoolVar(&o.asJSON, "json", false, tr.X("cli.flag_json", "print one JSON object"))
	fs.BoolVar(&o.refresh, "refresh", false, tr.X("claudecode.flag_refresh", "read the versions and the registry again, not from the day's cache"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	r, _, err := e.claudeCodeLookup(ctx, o.refresh)
	if err != nil {
		return err
	}
	code := exitcode.OK
	if len(r.Findings()) > 0 {
		code = exitcode.Failed
	}
	if o.asJSON {
		if err := e.writeJSON(claudeCodeView(r)); err != nil {
			return err
		}
		return exitWith(code)
	}
	printClaudeCode(e.Stdout, r, tr)
	return exitWith(code)
}

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
