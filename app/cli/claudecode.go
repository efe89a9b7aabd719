package cli

import (
	"context"
	"fmt"
	"io"

	"claudemedic/claudecfg"
	"claudemedic/claudeinstall"
	"claudemedic/doctor"
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
