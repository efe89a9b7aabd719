package cli

import (
	"context"
	"fmt"
	"strings"

	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/internal/exitcode"
	"claudemedic/keystore"
	"claudemedic/netcheck"
)

// keyStatusJSON is `key status --json`: never the key, only its masked form.
type keyStatusJSON struct {
	Profile         string             `json:"profile"`
	Stored          bool               `json:"stored"`
	Key             string             `json:"key,omitempty"`
	Kind            string             `json:"kind,omitempty"`
	Problems        []netcheck.Finding `json:"problems"`
	UsedByClaude    bool               `json:"used_by_claude_code"`
	OtherProfiles   []string           `json:"other_profiles"`
	KeychainProblem string             `json:"error,omitempty"`
}

// keyStatusOptions are `key status`'s flags.
type keyStatusOptions struct {
	profile string
	asJSON  bool
}

func runKeyStatus(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("key.status_synopsis", `key status [--profile P] [--json]

Says whether the keychain holds a key for the profile (shown masked), whether
its shape is right, and whether Claude Code reads it (apiKeyHelper).
Exit status: 0 a key is stored, 1 none is (or the keychain cannot be read).`))
	var o keyStatusOptions
	profileFlag(fs, tr, &o.profile)
	fs.BoolVar(&o.asJSON, "json", false, tr.X("cli.flag_json", "print one JSON object"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noKeyArgs(fs); err != nil {
		return err
	}
	full, err := doctor.Keychain{Profile: o.profile}.FullStatus(ctx)
	st, used, others := full.KeyStatus, full.UsedByClaudeCode, full.OtherProfiles
	if o.asJSON {
		j := keyStatusJSON{Profile: o.profile, Stored: st.Stored, Key: st.Masked, Problems: st.Problems,
			UsedByClaude: used, OtherProfiles: others}
		if st.Stored {
			j.Kind = string(st.Kind)
		}
		if j.Problems == nil {
			j.Problems = []netcheck.Finding{}
		}
		if j.OtherProfiles == nil {
			j.OtherProfiles = []string{}
		}
		if err != nil {
			j.KeychainProblem = err.Error()
		}
		if werr := e.writeJSON(j); werr != nil {
			return werr
		}
	} else if err == nil {
		e.printKeyStatus(st, used, others)
	}
	switch {
	case err != nil:
		return err
	case !st.Stored:
		return exitWith(exitcode.Failed)
	}
	return nil
}

func (e *env) printKeyStatus(st keystore.KeyStatus, used bool, others []string) {
	tr, w := e.tr, e.Stdout
	profile := fmt.Sprintf("%q", st.Profile)
	if !st.Stored {
		fmt.Fprintln(w, tr.X("key.status_none", "Profile {{.Profile}}: no key is stored in the keychain. Store one with: claudemedic key set{{.Arg}}", "Profile", profile, "Arg", profileArg(st.Profile)))
	} else {
		kind := tr.X("key.kind_key", "an API key")
		if st.Kind == claudesettings.KindBearer {
			kind = tr.X("key.kind_token", "a Bearer token")
		}
		fmt.Fprintln(w, tr.X("key.status_stored", "Profile {{.Profile}}: {{.Kind}} is stored in the keychain ({{.Key}}).", "Profile", profile, "Kind", kind, "Key", st.Masked))
		for _, f := range st.Problems {
			fmt.Fprintln(w, "  "+tr.X("key.status_problem", "problem ({{.Code}}): {{.Summary}}", "Code", f.Code, "Summary", f.Summary.In(tr.Lang())))
		}
		if used {
			fmt.Fprintln(w, tr.X("key.status_used", "Claude Code reads it: apiKeyHelper in the user settings runs `claudemedic key print`."))
		} else {
			fmt.Fprintln(w, tr.X("key.status_unused", "Claude Code does not read it yet: run `claudemedic key use-with-claude-code{{.Arg}}`.", "Arg", profileArg(st.Profile)))
		}
	}
	if len(others) > 0 {
		fmt.Fprintln(w, tr.X("key.other_profiles", "Other profiles: {{.Profiles}}", "Profiles", strings.Join(others, ", ")))
	}
}
