package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"claudemedic/claudecfg"
	"claudemedic/claudeinstall"
	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/internal/exitcode"
)

// varJSON is one variable in `config show --json`.
type varJSON struct {
	Name      string                `json:"name"`
	Value     *string               `json:"value"` // masked for a credential; null when unset
	Source    claudesettings.Source `json:"source"`
	File      string                `json:"file,omitempty"`
	Overrides claudesettings.Source `json:"overrides,omitempty"`
	Default   string                `json:"default,omitempty"`
	// Effective is the value Claude Code uses, as the table reads Value
	// ("2000" for " 2000 ", the default for a value it ignores); absent for
	// a credential and when it is Value itself.
	Effective string `json:"effective,omitempty"`
	Problem   string `json:"problem,omitempty"` // what Claude Code will do with a value it does not read as written
	problemZH string
}

type showJSON struct {
	ConfigDir    string                         `json:"config_dir"`
	Files        []claudecfg.LayerFile          `json:"files"`
	Variables    []varJSON                      `json:"variables"`
	APIKeyHelper *varJSON                       `json:"api_key_helper"`
	Credential   *credentialJSON                `json:"credential"` // the one Claude Code sends; null when none
	Problems     []claudesettings.ConfigProblem `json:"problems"`
	LoginShell   string                         `json:"login_shell_error,omitempty"`
	Keychain     string                         `json:"keychain_error,omitempty"`
	ClaudeCode   *claudeCodeJSON                `json:"claude_code,omitempty"`    // the installed Claude Code (claudecode.go)
	Cost         *costJSON                      `json:"periodic_check,omitempty"` // what the periodic check costs (cost.go)

	Shadowed          []credentialJSON             `json:"shadowed"`                       // set, but not what Claude Code sends; highest first
	Provider          *claudesettings.ProviderView `json:"provider,omitempty"`             // the cloud provider Claude Code calls instead
	ProviderProblem   string                       `json:"provider_problem,omitempty"`     // why its credentials were not found
	UnusedKeychainKey bool                         `json:"unused_keychain_key"`            // Claude Medic's keychain holds a key Claude Code does not read
	LoginKeychain     string                       `json:"login_keychain_error,omitempty"` // why Claude Code's own keychain item could not be read (macOS)

	claudeCode *claudeinstall.Result
	cost       doctor.Cost // Cost, for the sentence
}

// configShowOptions are `config show`'s flags.
type configShowOptions struct {
	asJSON  bool
	project string
	login   bool
}

func runConfigShow(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("config.show_synopsis", `config show [--json] [--project DIR] [--login-shell]

Shows what Claude Code would use here: every variable that matters with its
effective value and where it comes from (a settings file, this shell, the login
shell or Claude Code's default), the credential (masked), and each problem.
Exit status: 0, or 1 when a settings file or value has a problem.`))
	var o configShowOptions
	fs.BoolVar(&o.asJSON, "json", false, tr.X("cli.flag_json", "print one JSON object"))
	fs.StringVar(&o.project, "project", "", tr.X("config.flag_show_project", "the project folder whose .claude/ settings apply (default: the current folder)"))
	fs.BoolVar(&o.login, "login-shell", false, tr.X("config.flag_login_shell", "also read your login shell's environment, as an app started from the desktop must"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	s, err := claudecfg.Inspect(ctx, doctor.Terminal(projectDir(o.project), o.login))
	if err != nil {
		return err
	}
	out := showJSON{ConfigDir: s.ConfigDir, Files: s.Files, Problems: s.Problems}
	if out.Problems == nil {
		out.Problems = []claudesettings.ConfigProblem{}
	}
	for _, name := range claudesettings.Variables {
		v := s.Var(name)
		if strings.ToLower(name) == name && v.Source == "" {
			continue // the lower-case proxy spellings only when set
		}
		j := varJSON{Name: name, Source: v.Source, File: v.File, Overrides: v.Overrides, Default: v.Default}
		if v.Set() {
			j.Value = &v.Shown
			r := claudesettings.Read(name, v.Value) // the table's reader, as Claude Code reads it
			if !claudesettings.IsSecret(name) && r.Effective != v.Value {
				j.Effective = claudesettings.DisplayValue(name, r.Effective)
			}
			j.Problem, j.problemZH = r.Problem.EN, r.Problem.ZH
		}
		out.Variables = append(out.Variables, j)
	}
	if h := s.APIKeyHelper; h.Source != "" { // a top-level key: "user settings", not "user settings env"
		trim := func(s claudesettings.Source) claudesettings.Source {
			return claudesettings.Source(strings.TrimSuffix(string(s), " env"))
		}
		out.APIKeyHelper = &varJSON{Name: "apiKeyHelper", Value: &h.Shown, Source: trim(h.Source), File: h.File, Overrides: trim(h.Overrides)}
	}
	if c := s.Credential; c.Set() {
		j := credentialOf(c)
		out.Credential = &j
	}
	out.Shadowed = []credentialJSON{}
	for _, c := range s.Shadowed {
		out.Shadowed = append(out.Shadowed, credentialOf(c))
	}
	if p := s.Provider; p.Name != "" {
		out.Provider = claudesettings.Target{Provider: p}.View().Provider
		out.ProviderProblem = p.CredentialsProblem
	}
	out.UnusedKeychainKey = s.UnusedKeychainKey
	if s.LoginKeychainErr != nil {
		out.LoginKeychain = s.LoginKeychainErr.Error()
	}
	if s.LoginShellErr != nil {
		out.LoginShell = s.LoginShellErr.Error()
	}
	if s.KeychainErr != nil {
		out.Keychain = s.KeychainErr.Error()
	}
	src := doctor.Terminal(projectDir(o.project), o.login)
	out.claudeCode = claudeinstall.Lookup(ctx, doctor.ClaudeCodeOptions(ctx, src, s.Target(), false))
	cc := claudeCodeView(out.claudeCode)
	out.ClaudeCode = &cc
	cost := doctor.PeriodicCost(ctx, s.Target().BaseURL.Value)
	out.Cost, out.cost = new(costOf(cost)), cost
	code := exitcode.OK
	if len(s.Problems) > 0 {
		code = exitcode.Failed
	}
	if o.asJSON {
		if err := e.writeJSON(out); err != nil {
			return err
		}
		return exitWith(code)
	}
	e.printShow(out)
	return exitWith(code)
}

func (e *env) printShow(s showJSON) {
	tr, w := e.tr, e.Stdout
	fmt.Fprintf(w, "%s\n\n%s\n", tr.X("config.folder", "Claude Code folder: {{.Dir}}", "Dir", s.ConfigDir), tr.X("config.files", "Settings files (a later one wins):"))
	files := table{indent: "  "}
	for _, f := range s.Files {
		state := tr.X("config.file_absent", "not present")
		switch {
		case f.Error != "":
			state = tr.X("config.file_not_loaded", "NOT LOADED (see the problems below)")
		case f.Exists:
			state = tr.X("config.file_found", "found")
		}
		files.row(string(f.Layer), f.Path, state)
	}
	files.write(w)
	fmt.Fprintln(w)
	vars := table{indent: "  "}
	vars.row(tr.X("config.col_variable", "VARIABLE"), tr.X("config.col_value", "VALUE"), tr.X("config.col_from", "FROM"))
	row := func(v varJSON) {
		value, from := tr.X("config.not_set", "(not set)"), "-"
		switch {
		case v.Value != nil:
			value, from = *v.Value, string(v.Source)
			if strings.TrimSpace(value) != value {
				value = strconv.Quote(value) // the spaces shown, not taken for the table's
			}
			if v.File != "" {
				from += " (" + v.File + ")"
			}
			if v.Overrides != "" && v.Overrides != v.Source {
				from += ", " + tr.X("config.overrides", "overrides {{.Source}}", "Source", v.Overrides)
			}
		case v.Source != "":
			value, from = tr.X("config.unset", "(unset)"), tr.X("config.empty_in", "an empty value in {{.Source}}", "Source", v.Source)
			if v.Default != "" {
				value = tr.X("config.default_value", "{{.Value}} (default)", "Value", v.Default)
			}
		case v.Default != "":
			value, from = v.Default, tr.X("config.claude_default", "Claude Code's default")
		}
		vars.row(v.Name, value, from)
		if v.Problem != "" {
			vars.note(claudesettings.Problem{Text: claudesettings.Text{EN: v.Problem, ZH: v.problemZH}}.In(tr.Lang()))
		}
	}
	for _, v := range s.Variables {
		row(v)
	}
	if s.APIKeyHelper != nil {
		row(*s.APIKeyHelper)
	}
	vars.write(w)
	fmt.Fprintln(w)
	printCredentials(w, s, tr)
	if s.LoginShell != "" {
		fmt.Fprintln(w, tr.X("config.login_shell", "Login shell: {{.Err}}", "Err", s.LoginShell))
	}
	if s.Keychain != "" {
		fmt.Fprintln(w, tr.X("config.keychain", "Keychain: {{.Err}}", "Err", s.Keychain))
	}
	if s.LoginKeychain != "" {
		fmt.Fprintln(w, tr.X("config.login_keychain", "Claude Code's keychain item: {{.Err}}", "Err", s.LoginKeychain))
	}
	if len(s.Problems) > 0 {
		fmt.Fprintf(w, "\n%s\n", tr.X("config.problems", "Problems (Claude Code ignores a settings file that does not load):"))
		for _, p := range s.Problems {
			fmt.Fprintf(w, "  %s: %s\n", p.Path, p.Message)
		}
	}
	if s.claudeCode != nil {
		fmt.Fprintln(w)
		printClaudeCode(w, s.claudeCode, tr)
	}
	if s.Cost != nil {
		fmt.Fprintln(w)
		fmt.Fprintln(w, s.cost.Sentence(tr))
	}
}
