package cli

import (
	"context"

	"claudemedic/internal/exitcode"
)

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
