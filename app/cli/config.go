package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"claudemedic/claudecfg"
	"claudemedic/claudeinstall"
	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/internal/exitcode"
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

var configCommand = &command{
	name: "config",
	summary: func(tr i18n.Printer) string {
		return tr.X("config.summary", "show and safely edit Claude Code's settings (timeouts, proxy, CA, backups)")
	},
	subs: []*command{
		{name: "show", run: runConfigShow, summary: func(tr i18n.Printer) string {
			return tr.X("config.show_summary", "every setting that matters, its value and where it comes from")
		}},
		{name: "set-timeout", run: runSetTimeout, summary: func(tr i18n.Printer) string {
			return tr.X("config.set_timeout_summary", "set the timeouts and retries, or apply a preset")
		}},
		{name: "suggest-timeout", run: runSuggestTimeout, summary: func(tr i18n.Printer) string {
			return tr.X("config.suggest_summary", "measure, then propose API_TIMEOUT_MS")
		}},
		{name: "set-proxy", run: runSetProxy, summary: func(tr i18n.Printer) string { return tr.X("config.set_proxy_summary", "test a proxy, then save it") }},
		{name: "set-ca", run: runSetCA, summary: func(tr i18n.Printer) string { return tr.X("config.set_ca_summary", "check a CA file, then save it") }},
		{name: "backups", run: runBackups, summary: func(tr i18n.Printer) string {
			return tr.X("config.backups_summary", "the copies saved before each edit")
		}},
		{name: "restore", run: runRestore, summary: func(tr i18n.Printer) string { return tr.X("config.restore_summary", "put a backup back") }},
	},
}

// layerFlags are --layer and --project of an editing command.
type layerFlags struct{ layer, project string }

func (l *layerFlags) add(fs *flag.FlagSet, tr i18n.Printer) {
	fs.StringVar(&l.layer, "layer", "user", tr.X("config.flag_layer", "the settings file to edit: user, project or local"))
	fs.StringVar(&l.project, "project", "", tr.X("config.flag_project", "the project folder for --layer project or local (default: the current folder)"))
}

// file is the settings file the flags name; managed settings belong to the administrator.
func (l layerFlags) file(tr i18n.Printer) (string, error) {
	layer, err := claudecfg.ParseLayer(l.layer)
	if err != nil {
		return "", err
	}
	if layer == claudecfg.LayerManaged {
		return "", errors.New(tr.X("config.managed", "the managed settings belong to your administrator; Claude Medic edits the user, project and local settings only"))
	}
	project := l.project
	if project == "" && layer != claudecfg.LayerUser {
		if project, err = os.Getwd(); err != nil {
			return "", err
		}
	}
	return claudecfg.SettingsPath(layer, project)
}

// save applies edits to file through claudecfg's one writer and says what changed.
func (e *env) save(ctx context.Context, lf layerFlags, file string, asJSON bool, edits ...claudecfg.Edit) error {
	c, err := claudecfg.EditFile(file, edits...)
	if err != nil {
		return err
	}
	if asJSON {
		return e.writeJSON(c)
	}
	e.printChange(c)
	e.printShadows(ctx, lf, c)
	return nil
}

// printShadows warns when another settings file still decides a variable
// the save changed (a project's local settings over the user's, say).
func (e *env) printShadows(ctx context.Context, lf layerFlags, c *claudecfg.Change) {
	s, err := claudecfg.Inspect(ctx, claudecfg.ResolveOptions{ProjectDir: projectDir(lf.project)})
	if err != nil {
		return
	}
	for _, sh := range s.Shadows(c) {
		if sh.File == "" { // the shell's: a proxy variable Claude Code reads before this file's
			fmt.Fprintln(e.Stdout, e.tr.X("config.shadowed_shell", "Note: {{.Name}} is set in your environment ({{.Source}}), and Claude Code takes its proxy from there: remove it there too (your shell profile, or on Windows the Environment Variables).", "Name", sh.Name, "Source", sh.Source))
			continue
		}
		fmt.Fprintln(e.Stdout, e.tr.X("config.shadowed", "Note: {{.Name}} is also set in {{.File}} ({{.Source}}), which wins over this file: edit it there too (--layer).", "Name", sh.Name, "File", sh.File, "Source", sh.Source))
	}
}

// printChange shows what a save changed in which file, and how to undo it.
func (e *env) printChange(c *claudecfg.Change) {
	tr, w := e.tr, e.Stdout
	if !c.Changed() {
		fmt.Fprintln(w, tr.X("config.nothing_to_change", "Nothing to change: {{.File}} already says that.", "File", c.File))
		return
	}
	fmt.Fprintln(w, tr.X("config.saved", "Saved {{.File}}:", "File", c.File))
	for _, k := range c.Keys {
		fmt.Fprintf(w, "  %s\n", k)
	}
	if c.Backup != "" {
		fmt.Fprintln(w, tr.X("cli.undo_restore", "The old file is backed up. Undo: claudemedic config restore {{.Backup}}", "Backup", claudecfg.CommandQuote(c.Backup)))
	} else {
		fmt.Fprintln(w, tr.X("config.new_file", "The file is new (no backup was needed)."))
	}
	fmt.Fprintln(w, tr.X("config.restart", "Claude Code reads its settings when it starts: restart it to use them."))
}

// varJSON is one variable in `config show --json`.
type varJSON struct {
	Name      string                `json:"name"`
	Value     *string               `json:"value"` // masked for a credential; null when unset
	Source    claudesettings.Source `json:"source"`
	File      string                `json:"file,omitempty"`
	Overrides claudesettings.Source `json:"overrides,omitempty"`
	Default   string                `json:"default,omitempty"`
	Problem   string                `json:"problem,omitempty"`
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
	ClaudeCode   *claudeCodeJSON                `json:"claude_code,omitempty"` // the installed Claude Code (claudecode.go)

	Shadowed          []credentialJSON             `json:"shadowed"`                       // set, but not what Claude Code sends; highest first
	Provider          *claudesettings.ProviderView `json:"provider,omitempty"`             // the cloud provider Claude Code calls instead
	ProviderProblem   string                       `json:"provider_problem,omitempty"`     // why its credentials were not found
	UnusedKeychainKey bool                         `json:"unused_keychain_key"`            // Claude Medic's keychain holds a key Claude Code does not read
	LoginKeychain     string                       `json:"login_keychain_error,omitempty"` // why Claude Code's own keychain item could not be read (macOS)

	claudeCode *claudeinstall.Result
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
			if err := claudesettings.CheckValue(name, v.Value); err != nil {
				j.Problem = strings.TrimSuffix(err.Error(), ": "+claudesettings.ErrOutOfRange.Error())
			}
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
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range s.Files {
		state := tr.X("config.file_absent", "not present")
		switch {
		case f.Error != "":
			state = tr.X("config.file_not_loaded", "NOT LOADED (see the problems below)")
		case f.Exists:
			state = tr.X("config.file_found", "found")
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", f.Layer, f.Path, state)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  %s\t%s\t%s\n", tr.X("config.col_variable", "VARIABLE"), tr.X("config.col_value", "VALUE"), tr.X("config.col_from", "FROM"))
	row := func(v varJSON) {
		value, from := tr.X("config.not_set", "(not set)"), "-"
		switch {
		case v.Value != nil:
			value, from = *v.Value, string(v.Source)
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
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", v.Name, value, from)
		if v.Problem != "" {
			fmt.Fprintf(tw, "    ! %s\t\t\n", v.Problem)
		}
	}
	for _, v := range s.Variables {
		row(v)
	}
	if s.APIKeyHelper != nil {
		row(*s.APIKeyHelper)
	}
	tw.Flush()
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
}

// millis reads a timeout flag: milliseconds ("120000"), a duration ("2m",
// "90s") or "default" (remove the setting).
func millis(tr i18n.Printer, name, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "default" || s == "" {
		return "", nil
	}
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return s, claudesettings.CheckValue(name, s)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return "", errors.New(tr.X("config.not_millis", "{{.Name}}: {{.Value}} is neither milliseconds (120000) nor a duration (2m, 90s)", "Name", name, "Value", fmt.Sprintf("%q", s)))
	}
	if d%time.Millisecond != 0 {
		return "", errors.New(tr.X("config.not_whole_millis", "{{.Name}}: {{.Value}} is not a whole number of milliseconds", "Name", name, "Value", d))
	}
	v := strconv.FormatInt(d.Milliseconds(), 10)
	return v, claudesettings.CheckValue(name, v)
}

// rangeText is a value error without its sentinel's words.
func rangeText(err error) string {
	return strings.TrimSuffix(err.Error(), ": "+claudesettings.ErrOutOfRange.Error())
}

// setTimeoutOptions are set-timeout's flags.
type setTimeoutOptions struct {
	preset, apiTimeout, retries, bash, mcp string
	json                                   bool
	layerFlags
}

func runSetTimeout(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	synopsis := tr.X("config.set_timeout_synopsis", `config set-timeout [--preset default|slow-network|relay] [--api-timeout T] [--retries N]
                          [--bash-timeout T] [--mcp-timeout T] [--layer user|project|local] [--json]

Sets Claude Code's timeouts and retries in a settings file's env. T is
milliseconds (600000), a duration (10m, 90s) or "default" to remove the setting.
A preset sets several at once; flags given with it win. Every save is backed up
and can be undone with 'claudemedic config restore'.

Presets:`) + "\n"
	for _, p := range claudecfg.Presets {
		synopsis += fmt.Sprintf("  %-13s %s\n", p.Name, p.Why.In(tr.Lang()))
	}
	fs := e.flags(strings.TrimSuffix(synopsis, "\n"))
	var o setTimeoutOptions
	fs.StringVar(&o.preset, "preset", "", tr.X("config.flag_preset", "apply a preset: default, slow-network or relay"))
	fs.StringVar(&o.apiTimeout, "api-timeout", "", tr.X("config.flag_api_timeout", "API_TIMEOUT_MS: how long one request may take"))
	fs.StringVar(&o.retries, "retries", "", tr.X("config.flag_retries", "CLAUDE_CODE_MAX_RETRIES: 0 to 15, or default"))
	fs.StringVar(&o.bash, "bash-timeout", "", tr.X("config.flag_bash_timeout", "BASH_DEFAULT_TIMEOUT_MS: how long a shell command may run"))
	fs.StringVar(&o.mcp, "mcp-timeout", "", tr.X("config.flag_mcp_timeout", "MCP_TIMEOUT: how long an MCP server may take to start"))
	fs.BoolVar(&o.json, "json", false, tr.X("config.flag_change_json", "print the change as JSON"))
	o.layerFlags.add(fs, tr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	values := map[string]string{}
	var order []string
	if o.preset != "" {
		p, err := claudecfg.PresetNamed(o.preset)
		if err != nil {
			return usageErr(err.Error())
		}
		for _, name := range claudecfg.TimeoutVars {
			if v, ok := p.Values[name]; ok {
				values[name] = v
				order = append(order, name)
			}
		}
	}
	for _, f := range []struct {
		name, val string
		ms        bool
	}{{claudesettings.VarAPITimeout, o.apiTimeout, true}, {claudesettings.VarMaxRetries, o.retries, false}, {claudesettings.VarBashTimeout, o.bash, true}, {claudesettings.VarMCPTimeout, o.mcp, true}} {
		if f.val == "" {
			continue
		}
		v := strings.TrimSpace(f.val)
		var err error
		if f.ms {
			v, err = millis(tr, f.name, v)
		} else if v == "default" {
			v = ""
		} else {
			err = claudesettings.CheckValue(f.name, v)
		}
		if err != nil {
			return usageErr(rangeText(err))
		}
		if _, ok := values[f.name]; !ok {
			order = append(order, f.name)
		}
		values[f.name] = v
	}
	if len(values) == 0 {
		return usageErr(tr.X("config.nothing_to_set", "nothing to set: give --preset or a timeout flag (see --help)"))
	}
	file, err := o.file(tr)
	if err != nil {
		return usageErr(err.Error())
	}
	var edits []claudecfg.Edit
	for _, name := range order {
		edits = append(edits, claudecfg.EnvEdit(name, values[name]))
	}
	return e.save(ctx, o.layerFlags, file, o.json, edits...)
}

// suggestOptions are suggest-timeout's flags.
type suggestOptions struct {
	runs          int
	stream, apply bool
	json          bool
	timeout       time.Duration
	layerFlags
}

func runSuggestTimeout(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("config.suggest_synopsis", `config suggest-timeout [--runs N] [--stream] [--timeout DURATION] [--apply] [--layer ...] [--json]

Measures the API from here N times (the same checks as 'claudemedic check'),
takes the p95 of the time to first byte (and, with --stream, of a whole
streamed answer; this spends a few tokens), and proposes API_TIMEOUT_MS with
headroom, explaining the number. --apply saves it when it is above the current value.`))
	var o suggestOptions
	fs.IntVar(&o.runs, "runs", 5, tr.X("config.flag_runs", "how many times to measure (1 to 50)"))
	fs.BoolVar(&o.stream, "stream", false, tr.X("config.flag_suggest_stream", "also time a streamed answer (spends a few tokens)"))
	fs.DurationVar(&o.timeout, "timeout", 60*time.Second, tr.X("config.flag_suggest_timeout", "bound for each check, long enough for a slow relay"))
	fs.BoolVar(&o.apply, "apply", false, tr.X("config.flag_suggest_apply", "save the proposal when it is above the current value"))
	fs.BoolVar(&o.json, "json", false, tr.X("config.flag_suggest_json", "print the suggestion as JSON"))
	o.layerFlags.add(fs, tr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	if o.runs < 1 || o.runs > 50 {
		return usageErr(tr.X("config.runs_range", "--runs must be from 1 to 50"))
	}
	if o.timeout <= 0 {
		return usageErr(tr.X("config.suggest_timeout_positive", "--timeout must be positive, e.g. --timeout 60s"))
	}
	file, err := o.file(tr)
	if o.apply && err != nil {
		return usageErr(err.Error())
	}
	d := e.doctor(doctor.Terminal(projectDir(o.project), false), doctor.Overrides{})
	target, err := d.Resolve(ctx)
	if err != nil {
		return err
	}
	samples := d.Measure(ctx, target, o.runs, netcheck.Options{Timeout: o.timeout, Stream: o.stream}, func(i int, r *netcheck.Report) {
		if !o.json {
			e.printRun(i, o.runs, r)
		}
	})
	sug, err := claudecfg.SuggestTimeout(samples, claudecfg.CurrentAPITimeout(target))
	if err != nil {
		return err
	}
	type out struct {
		claudecfg.Suggestion
		Explanation string            `json:"explanation"`
		Change      *claudecfg.Change `json:"saved,omitempty"`
	}
	j := out{Suggestion: sug, Explanation: sug.Explanation.EN}
	if !o.json {
		fmt.Fprintf(e.Stdout, "%s\n%s\n", tr.X("config.suggested", "Suggested API_TIMEOUT_MS: {{.MS}}", "MS", sug.APITimeoutMS), sug.Explanation.In(tr.Lang()))
	}
	if o.apply && sug.Change {
		c, err := claudecfg.EditFile(file, claudecfg.EnvEdit(claudesettings.VarAPITimeout, strconv.FormatInt(sug.APITimeoutMS, 10)))
		if err != nil {
			return err
		}
		j.Change = c
		if !o.json {
			e.printChange(c)
			e.printShadows(ctx, o.layerFlags, c)
		}
	} else if !o.json && sug.Change {
		fmt.Fprintln(e.Stdout, tr.X("config.save_with", "Save it with: claudemedic config set-timeout --api-timeout {{.MS}}", "MS", sug.APITimeoutMS))
	}
	if o.json {
		return e.writeJSON(j)
	}
	return nil
}

// printRun says how one measurement went, on standard error.
func (e *env) printRun(i, n int, r *netcheck.Report) {
	tr := e.tr
	line := tr.X("config.run", "run {{.I}}/{{.N}}:", "I", i+1, "N", n) + " "
	if s := claudecfg.SampleOf(r); s.OK {
		line += tr.X("config.run_first_byte", "first byte {{.Time}}", "Time", netcheck.FormatDuration(s.FirstByte))
		if c, ok := r.Check(netcheck.CheckStream); ok && c.Status == netcheck.StatusPass {
			line += ", " + tr.X("config.run_stream", "stream {{.Time}}", "Time", netcheck.FormatDuration(c.Duration))
		}
	} else {
		line += tr.X("config.run_failed", "did not reach the API")
		for _, f := range r.Findings {
			if f.Severity == netcheck.SeverityFail {
				line += " (" + string(f.Code) + ": " + f.Summary.In(tr.Lang()) + ")"
				break
			}
		}
	}
	fmt.Fprintln(e.Stderr, line)
}

// setProxyOptions are set-proxy's flags.
type setProxyOptions struct {
	noProxy   string
	fromStdin bool
	timeout   time.Duration
	json      bool
	layerFlags
}

func runSetProxy(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("config.set_proxy_synopsis", `config set-proxy (URL | none | --stdin) [--no-proxy LIST] [--layer ...] [--timeout DURATION] [--json]

Tests the proxy first (the API must be reachable through it) and only then
sets https_proxy in a settings file's env, the proxy variable Claude Code
reads first (so a lower-case https_proxy in your shell does not win over it);
"none" removes every proxy variable from that file. Claude Code
supports http:// and https:// proxies only (user:password@ in the URL is
fine; give such a URL with --stdin so the password does not show in ps).
Note that Claude Code sends even a 127.0.0.1 base URL through the proxy
unless NO_PROXY names it.`))
	var o setProxyOptions
	fs.StringVar(&o.noProxy, "no-proxy", "", tr.X("config.flag_no_proxy", "also set NO_PROXY, e.g. localhost,127.0.0.1,.corp.example (\"none\" removes it)"))
	fs.BoolVar(&o.fromStdin, "stdin", false, tr.X("config.flag_proxy_stdin", "read the proxy URL from standard input"))
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, tr.X("config.flag_proxy_timeout", "bound for each check of the proxy test"))
	fs.BoolVar(&o.json, "json", false, tr.X("config.flag_proxy_json", "print the test's findings and the change as JSON"))
	o.layerFlags.add(fs, tr)
	if err := parse(fs, args); err != nil {
		return err
	}
	var proxy string
	switch {
	case o.fromStdin && fs.NArg() == 0:
		b, err := readAllLimited(e.Stdin, 8<<10)
		if err != nil {
			return usageErr(tr.X("config.proxy_stdin_failed", "reading the URL from standard input: {{.Err}}", "Err", err))
		}
		proxy = strings.TrimSpace(string(b))
	case !o.fromStdin && fs.NArg() == 1:
		proxy = fs.Arg(0)
	default:
		return usageErr(tr.X("config.proxy_args", "give one proxy URL, \"none\", or --stdin (see --help)"))
	}
	file, err := o.file(tr)
	if err != nil {
		return usageErr(err.Error())
	}
	var np *string
	if o.noProxy != "" {
		v := o.noProxy
		if v == "none" {
			v = ""
		}
		np = &v
	}
	if proxy == "none" {
		proxy = ""
	}
	if err := claudesettings.CheckProxyURL(proxy); proxy != "" && err != nil {
		return errors.New(rangeText(err))
	}
	target, err := doctor.Resolve(ctx, doctor.Terminal(projectDir(o.project), false), doctor.Overrides{})
	if err != nil {
		return err
	}
	opts := netcheck.Options{Timeout: o.timeout}
	if proxy != "" && !o.json {
		fmt.Fprintln(e.Stderr, tr.X("config.testing_proxy", "Testing {{.URL}} through the proxy…", "URL", target.BaseURL.Value))
	}
	c, r, err := doctor.SetProxy(ctx, file, target, proxy, np, e.options(opts))
	var findings []netcheck.Finding
	if r != nil {
		findings = r.Findings
	}
	lang := tr.Lang()
	var pte *doctor.ProxyTestError
	switch {
	case errors.As(err, &pte) && o.json:
		e.writeJSON(map[string]any{"saved": nil, "findings": findings})
		return exitWith(exitcode.Failed)
	case errors.As(err, &pte):
		fmt.Fprintln(e.Stderr, tr.X("config.proxy_failed", "The proxy does not work, so it was not saved:"))
		for _, f := range pte.Findings {
			fmt.Fprintf(e.Stderr, "  %s: %s\n    %s %s\n", f.Code, f.Summary.In(lang), tr.X("report.fix", "Fix:"), f.Fix.In(lang))
		}
		return exitWith(exitcode.Failed)
	case err != nil:
		return err
	case o.json:
		return e.writeJSON(map[string]any{"saved": c, "findings": findings})
	}
	if proxy != "" {
		fmt.Fprintln(e.Stdout, tr.X("config.proxy_works", "The API answers through the proxy."))
	}
	for _, f := range findings {
		if f.Severity == netcheck.SeverityWarn {
			fmt.Fprintf(e.Stdout, "%s %s: %s\n  %s %s\n", tr.X("cli.warning_title", "Warning:"), f.Code, f.Summary.In(lang), tr.X("report.fix", "Fix:"), f.Fix.In(lang))
		}
	}
	e.printChange(c)
	e.printShadows(ctx, o.layerFlags, c)
	return nil
}

// setCAOptions are `config set-ca`'s flags.
type setCAOptions struct {
	asJSON bool
	layerFlags
}

func runSetCA(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("config.set_ca_synopsis", `config set-ca (FILE | none) [--layer ...] [--json]

Checks that FILE is PEM and holds a CA certificate (your company's root, for a
proxy that inspects TLS), then sets NODE_EXTRA_CA_CERTS to its absolute path in
a settings file's env; "none" removes it. Some Claude Code versions ignore
NODE_EXTRA_CA_CERTS in settings, so it also prints the line for your shell profile.`))
	var o setCAOptions
	fs.BoolVar(&o.asJSON, "json", false, tr.X("config.flag_change_json", "print the change as JSON"))
	o.layerFlags.add(fs, tr)
	lf := o.layerFlags
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr(tr.X("config.ca_args", "give one PEM file, or none (see --help)"))
	}
	file, err := lf.file(tr)
	if err != nil {
		return usageErr(err.Error())
	}
	if fs.Arg(0) == "none" {
		return e.save(ctx, lf, file, o.asJSON, claudecfg.EnvEdit(claudesettings.VarExtraCACerts, ""))
	}
	c, ca, err := claudecfg.SetCA(file, fs.Arg(0))
	if err != nil {
		return err
	}
	profile, line := claudecfg.ProfileLine(os.Getenv("SHELL"), ca.Path)
	if o.asJSON {
		return e.writeJSON(map[string]any{"saved": c, "cas": ca.CAs, "profile_file": profile, "profile_line": line})
	}
	fmt.Fprintln(e.Stdout, tr.X("config.ca_holds", "{{.File}} holds {{.N}} CA certificate(s): {{.CAs}}", "File", ca.Path, "N", len(ca.CAs), "CAs", strings.Join(ca.CAs, "; ")))
	e.printChange(c)
	e.printShadows(ctx, lf, c)
	fmt.Fprintf(e.Stdout, "\n%s\n\n  %s\n\n", tr.X("config.ca_profile", "Some Claude Code versions ignore NODE_EXTRA_CA_CERTS in settings. Add this line to {{.File}} too:", "File", profile), line)
	return nil
}

// backupsOptions are `config backups`'s flags.
type backupsOptions struct {
	file   string
	asJSON bool
}

func runBackups(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("config.backups_synopsis", `config backups [--file SETTINGS] [--json]

Lists the copies Claude Medic saved before each edit (the last 10 per file),
newest first; with --file, only that settings file's.`))
	var o backupsOptions
	fs.StringVar(&o.file, "file", "", tr.X("config.flag_backups_file", "only the backups of this settings file"))
	fs.BoolVar(&o.asJSON, "json", false, tr.X("config.flag_list_json", "print the list as JSON"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	list, err := claudecfg.Backups(o.file)
	if err != nil {
		return err
	}
	if o.asJSON {
		if list == nil {
			list = []claudecfg.Backup{}
		}
		return e.writeJSON(list)
	}
	if len(list) == 0 {
		fmt.Fprintln(e.Stdout, tr.X("config.no_backups", "No backups yet: Claude Medic makes one before each edit."))
		return nil
	}
	tw := tabwriter.NewWriter(e.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", tr.X("config.col_when", "WHEN"), tr.X("config.col_size", "SIZE"), tr.X("config.col_of", "OF"), tr.X("config.col_backup", "BACKUP"))
	for _, b := range list {
		fmt.Fprintf(tw, "%s\t%d B\t%s\t%s\n", b.Time.Local().Format("2006-01-02 15:04:05"), b.Size, b.File, b.Path)
	}
	tw.Flush()
	fmt.Fprintf(e.Stdout, "\n%s\n", tr.X("config.restore_with", "Put one back with: claudemedic config restore BACKUP"))
	return nil
}

// restoreOptions are `config restore`'s flags.
type restoreOptions struct {
	latest bool
	file   string
	asJSON bool
}

func runRestore(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("config.restore_synopsis", `config restore (BACKUP | --latest [--file SETTINGS]) [--json]

Writes a backup back over its settings file (the current file is backed up
first, so a restore can itself be undone). BACKUP is a path that
'claudemedic config backups' lists; --latest picks the newest backup of --file
(default: the user settings).`))
	var o restoreOptions
	fs.BoolVar(&o.latest, "latest", false, tr.X("config.flag_latest", "restore the newest backup of --file"))
	fs.StringVar(&o.file, "file", "", tr.X("config.flag_restore_file", "the settings file for --latest (default: the user settings)"))
	fs.BoolVar(&o.asJSON, "json", false, tr.X("config.flag_change_json", "print the change as JSON"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if (o.latest) == (fs.NArg() == 1) || fs.NArg() > 1 {
		return usageErr(tr.X("config.restore_args", "give one backup path, or --latest (see --help)"))
	}
	var pick *claudecfg.Backup
	if o.latest {
		f := o.file
		if f == "" {
			var err error
			if f, err = claudecfg.SettingsPath(claudecfg.LayerUser, ""); err != nil {
				return err
			}
		}
		list, err := claudecfg.Backups(f)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return errors.New(tr.X("config.no_backup_of", "there is no backup of {{.File}}", "File", f))
		}
		pick = &list[0]
	} else {
		list, err := claudecfg.Backups("")
		if err != nil {
			return err
		}
		for i := range list {
			if list[i].Path == fs.Arg(0) {
				pick = &list[i]
			}
		}
		if pick == nil {
			return errors.New(tr.X("config.not_a_backup", "{{.Path}} is not one of Claude Medic's backups (see claudemedic config backups)", "Path", fs.Arg(0)))
		}
	}
	c, err := claudecfg.Restore(*pick)
	if err != nil {
		return err
	}
	if o.asJSON {
		return e.writeJSON(c)
	}
	fmt.Fprintln(e.Stdout, tr.X("config.restored", "Restored the copy of {{.File}} from {{.When}}.", "File", pick.File, "When", pick.Time.Local().Format("2006-01-02 15:04:05")))
	e.printChange(c)
	return nil
}
