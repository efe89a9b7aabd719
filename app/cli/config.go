package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"claudemedic/claudecfg"
	"claudemedic/claudeinstall"
	"claudemedic/keystore"
	"claudemedic/netcheck"
)

func init() {
	register(command{name: "config", summary: "show and safely edit Claude Code's settings (timeouts, proxy, CA, backups)", run: runConfig})
}

func runConfig(ctx context.Context, args []string, io IO) int {
	return subcommand(ctx, "config", map[string]func(context.Context, []string, IO) int{
		"show":            runConfigShow,
		"set-timeout":     runSetTimeout,
		"suggest-timeout": runSuggestTimeout,
		"set-proxy":       runSetProxy,
		"set-ca":          runSetCA,
		"backups":         runBackups,
		"restore":         runRestore,
	}, args, io)
}

// fail prints "claudemedic <cmd>: err" and returns ExitDegraded (a failed command).
func fail(io IO, cmd string, err error) int {
	fmt.Fprintf(io.Stderr, "claudemedic %s: %v\n", cmd, err)
	return ExitDegraded
}

// usageErr prints a usage error and returns ExitUsage.
func usageErr(io IO, cmd, format string, a ...any) int {
	fmt.Fprintf(io.Stderr, "claudemedic %s: %s\n", cmd, fmt.Sprintf(format, a...))
	return ExitUsage
}

func writeJSON(w io.Writer, v any) int {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ExitDegraded
	}
	return ExitOK
}

// layerFlags adds --layer and --project to an editing command.
type layerFlags struct{ layer, project *string }

func addLayerFlags(fs *flag.FlagSet) layerFlags {
	return layerFlags{
		layer:   fs.String("layer", "user", "the settings file to edit: user, project or local"),
		project: fs.String("project", "", "the project folder for --layer project or local (default: the current folder)"),
	}
}

// file is the settings file the flags name; managed settings belong to the administrator.
func (l layerFlags) file() (string, error) {
	layer, err := claudecfg.ParseLayer(*l.layer)
	if err != nil {
		return "", err
	}
	if layer == claudecfg.LayerManaged {
		return "", errors.New("the managed settings belong to your administrator; Claude Medic edits the user, project and local settings only")
	}
	project := *l.project
	if project == "" && layer != claudecfg.LayerUser {
		if project, err = os.Getwd(); err != nil {
			return "", err
		}
	}
	return claudecfg.SettingsPath(layer, project)
}

// save applies edits to file through claudecfg's one writer and says what changed.
func save(ctx context.Context, io IO, cmd string, lf layerFlags, file string, asJSON bool, edits ...claudecfg.Edit) int {
	c, err := claudecfg.EditFile(file, edits...)
	if err != nil {
		return fail(io, cmd, err)
	}
	if asJSON {
		return writeJSON(io.Stdout, c)
	}
	printChange(io.Stdout, c)
	printShadows(ctx, io, lf, c)
	return ExitOK
}

// printShadows warns when another settings file still decides a variable
// the save changed (a project's local settings over the user's, say).
func printShadows(ctx context.Context, io IO, lf layerFlags, c *claudecfg.Change) {
	s, err := claudecfg.Inspect(ctx, claudecfg.ResolveOptions{ProjectDir: projectDir(*lf.project)})
	if err != nil {
		return
	}
	for _, sh := range s.Shadows(c) {
		fmt.Fprintf(io.Stdout, "Note: %s is also set in %s (%s), which wins over this file: edit it there too (--layer).\n", sh.Name, sh.File, sh.Source)
	}
}

func projectDir(p string) string {
	if p == "" {
		p, _ = os.Getwd()
	}
	return p
}

// printChange shows what a save changed in which file, and how to undo it.
func printChange(w io.Writer, c *claudecfg.Change) {
	if !c.Changed() {
		fmt.Fprintf(w, "Nothing to change: %s already says that.\n", c.File)
		return
	}
	fmt.Fprintf(w, "Saved %s:\n", c.File)
	for _, k := range c.Keys {
		fmt.Fprintf(w, "  %s\n", k)
	}
	if c.Backup != "" {
		fmt.Fprintf(w, "The old file is backed up. Undo: claudemedic config restore %s\n", claudecfg.ShellQuote(c.Backup))
	} else {
		fmt.Fprintln(w, "The file is new (no backup was needed).")
	}
	fmt.Fprintln(w, "Claude Code reads its settings when it starts: restart it to use them.")
}

// resolveOptions are what the config commands resolve: the current folder as
// the project, like Claude Code started here, and the keychain.
func resolveOptions(project string, loginShell bool) claudecfg.ResolveOptions {
	return claudecfg.ResolveOptions{ProjectDir: projectDir(project), LoginShell: loginShell,
		Keychain: keystore.Getter(keystore.DefaultProfile), LoginKeychain: keystore.ClaudeCodeLogin}
}

const showSynopsis = `config show [--json] [--project DIR] [--login-shell]

Shows what Claude Code would use here: every variable that matters with its
effective value and where it comes from (a settings file, this shell, the login
shell or Claude Code's default), the credential (masked), and each problem.
Exit status: 0, or 1 when a settings file or value has a problem.`

// varJSON is one variable in `config show --json`.
type varJSON struct {
	Name      string          `json:"name"`
	Value     *string         `json:"value"` // masked for a credential; null when unset
	Source    netcheck.Source `json:"source"`
	File      string          `json:"file,omitempty"`
	Overrides netcheck.Source `json:"overrides,omitempty"`
	Default   string          `json:"default,omitempty"`
	Problem   string          `json:"problem,omitempty"`
}

type showJSON struct {
	ConfigDir    string                   `json:"config_dir"`
	Files        []claudecfg.LayerFile    `json:"files"`
	Variables    []varJSON                `json:"variables"`
	APIKeyHelper *varJSON                 `json:"api_key_helper"`
	Credential   *credentialJSON          `json:"credential"` // the one Claude Code sends; null when none
	Problems     []netcheck.ConfigProblem `json:"problems"`
	LoginShell   string                   `json:"login_shell_error,omitempty"`
	Keychain     string                   `json:"keychain_error,omitempty"`
	ClaudeCode   *claudeCodeJSON          `json:"claude_code,omitempty"` // the installed Claude Code (claudecode.go)

	Shadowed          []credentialJSON       `json:"shadowed"`                       // set, but not what Claude Code sends; highest first
	Provider          *netcheck.ProviderView `json:"provider,omitempty"`             // the cloud provider Claude Code calls instead
	ProviderProblem   string                 `json:"provider_problem,omitempty"`     // why its credentials were not found
	UnusedKeychainKey bool                   `json:"unused_keychain_key"`            // Claude Medic's keychain holds a key Claude Code does not read
	LoginKeychain     string                 `json:"login_keychain_error,omitempty"` // why Claude Code's own keychain item could not be read (macOS)

	claudeCode *claudeinstall.Result
}

func runConfigShow(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("config show", showSynopsis, io)
	asJSON := fs.Bool("json", false, "print one JSON object")
	project := fs.String("project", "", "the project folder whose .claude/ settings apply (default: the current folder)")
	login := fs.Bool("login-shell", false, "also read your login shell's environment, as an app started from the desktop must")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageErr(io, "config show", "unexpected argument %q", fs.Arg(0))
	}
	s, err := claudecfg.Inspect(ctx, resolveOptions(*project, *login))
	if err != nil {
		return fail(io, "config show", err)
	}
	out := showJSON{ConfigDir: s.ConfigDir, Files: s.Files, Problems: s.Problems}
	if out.Problems == nil {
		out.Problems = []netcheck.ConfigProblem{}
	}
	for _, name := range claudecfg.Variables {
		v := s.Var(name)
		if strings.ToLower(name) == name && v.Source == "" {
			continue // the lower-case proxy spellings only when set
		}
		j := varJSON{Name: name, Source: v.Source, File: v.File, Overrides: v.Overrides, Default: v.Default}
		if v.Set() {
			j.Value = &v.Shown
			if err := claudecfg.CheckValue(name, v.Value); err != nil {
				j.Problem = strings.TrimSuffix(err.Error(), ": "+claudecfg.ErrOutOfRange.Error())
			}
		}
		out.Variables = append(out.Variables, j)
	}
	if h := s.APIKeyHelper; h.Source != "" { // a top-level key: "user settings", not "user settings env"
		trim := func(s netcheck.Source) netcheck.Source { return netcheck.Source(strings.TrimSuffix(string(s), " env")) }
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
		out.Provider = netcheck.Target{Provider: p}.View().Provider
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
	out.claudeCode = claudeinstall.Lookup(ctx, claudeCodeOptions(s.Target(), false))
	cc := claudeCodeView(out.claudeCode)
	out.ClaudeCode = &cc
	code := ExitOK
	if len(s.Problems) > 0 {
		code = ExitDegraded
	}
	if *asJSON {
		if writeJSON(io.Stdout, out) != ExitOK {
			return ExitDegraded
		}
		return code
	}
	printShow(io.Stdout, out)
	return code
}

func printShow(w io.Writer, s showJSON) {
	fmt.Fprintf(w, "Claude Code folder: %s\n\nSettings files (a later one wins):\n", s.ConfigDir)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range s.Files {
		state := "not present"
		switch {
		case f.Error != "":
			state = "NOT LOADED (see the problems below)"
		case f.Exists:
			state = "found"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", f.Layer, f.Path, state)
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  VARIABLE\tVALUE\tFROM")
	row := func(v varJSON) {
		value, from := "(not set)", "-"
		switch {
		case v.Value != nil:
			value, from = *v.Value, string(v.Source)
			if v.File != "" {
				from += " (" + v.File + ")"
			}
			if v.Overrides != "" && v.Overrides != v.Source {
				from += ", overrides " + string(v.Overrides)
			}
		case v.Source != "":
			value, from = "(unset)", "an empty value in "+string(v.Source)
			if v.Default != "" {
				value = v.Default + " (default)"
			}
		case v.Default != "":
			value, from = v.Default, "Claude Code's default"
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
	printCredentials(w, s)
	if s.LoginShell != "" {
		fmt.Fprintf(w, "Login shell: %s\n", s.LoginShell)
	}
	if s.Keychain != "" {
		fmt.Fprintf(w, "Keychain: %s\n", s.Keychain)
	}
	if s.LoginKeychain != "" {
		fmt.Fprintf(w, "Claude Code's keychain item: %s\n", s.LoginKeychain)
	}
	if len(s.Problems) > 0 {
		fmt.Fprintln(w, "\nProblems (Claude Code ignores a settings file that does not load):")
		for _, p := range s.Problems {
			fmt.Fprintf(w, "  %s: %s\n", p.Path, p.Message)
		}
	}
	if s.claudeCode != nil {
		fmt.Fprintln(w)
		printClaudeCode(w, s.claudeCode, "en")
	}
}

// millis reads a timeout flag: milliseconds ("120000"), a duration ("2m",
// "90s") or "default" (remove the setting).
func millis(name, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "default" || s == "" {
		return "", nil
	}
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		return s, claudecfg.CheckValue(name, s)
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return "", fmt.Errorf("%s: %q is neither milliseconds (120000) nor a duration (2m, 90s)", name, s)
	}
	if d%time.Millisecond != 0 {
		return "", fmt.Errorf("%s: %s is not a whole number of milliseconds", name, d)
	}
	v := strconv.FormatInt(d.Milliseconds(), 10)
	return v, claudecfg.CheckValue(name, v)
}

const setTimeoutSynopsis = `config set-timeout [--preset default|slow-network|relay] [--api-timeout T] [--retries N]
                          [--bash-timeout T] [--mcp-timeout T] [--layer user|project|local] [--json]

Sets Claude Code's timeouts and retries in a settings file's env. T is
milliseconds (600000), a duration (10m, 90s) or "default" to remove the setting.
A preset sets several at once; flags given with it win. Every save is backed up
and can be undone with 'claudemedic config restore'.

Presets:
`

func runSetTimeout(ctx context.Context, args []string, io IO) int {
	synopsis := setTimeoutSynopsis
	for _, p := range claudecfg.Presets {
		synopsis += fmt.Sprintf("  %-13s %s\n", p.Name, p.Why.EN)
	}
	fs := newFlagSet("config set-timeout", strings.TrimSuffix(synopsis, "\n"), io)
	preset := fs.String("preset", "", "apply a preset: default, slow-network or relay")
	apiTimeout := fs.String("api-timeout", "", "API_TIMEOUT_MS: how long one request may take")
	retries := fs.String("retries", "", "CLAUDE_CODE_MAX_RETRIES: 0 to 15, or default")
	bash := fs.String("bash-timeout", "", "BASH_DEFAULT_TIMEOUT_MS: how long a shell command may run")
	mcp := fs.String("mcp-timeout", "", "MCP_TIMEOUT: how long an MCP server may take to start")
	asJSON := fs.Bool("json", false, "print the change as JSON")
	lf := addLayerFlags(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	const cmd = "config set-timeout"
	if fs.NArg() > 0 {
		return usageErr(io, cmd, "unexpected argument %q", fs.Arg(0))
	}
	values := map[string]string{}
	var order []string
	if *preset != "" {
		p, err := claudecfg.PresetNamed(*preset)
		if err != nil {
			return usageErr(io, cmd, "%v", err)
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
	}{{claudecfg.VarAPITimeout, *apiTimeout, true}, {claudecfg.VarMaxRetries, *retries, false}, {claudecfg.VarBashTimeout, *bash, true}, {claudecfg.VarMCPTimeout, *mcp, true}} {
		if f.val == "" {
			continue
		}
		v := strings.TrimSpace(f.val)
		var err error
		if f.ms {
			v, err = millis(f.name, v)
		} else if v == "default" {
			v = ""
		} else {
			err = claudecfg.CheckValue(f.name, v)
		}
		if err != nil {
			return usageErr(io, cmd, "%s", strings.TrimSuffix(err.Error(), ": "+claudecfg.ErrOutOfRange.Error()))
		}
		if _, ok := values[f.name]; !ok {
			order = append(order, f.name)
		}
		values[f.name] = v
	}
	if len(values) == 0 {
		return usageErr(io, cmd, "nothing to set: give --preset or a timeout flag (see --help)")
	}
	file, err := lf.file()
	if err != nil {
		return usageErr(io, cmd, "%v", err)
	}
	var edits []claudecfg.Edit
	for _, name := range order {
		edits = append(edits, claudecfg.EnvEdit(name, values[name]))
	}
	return save(ctx, io, cmd, lf, file, *asJSON, edits...)
}

const suggestSynopsis = `config suggest-timeout [--runs N] [--stream] [--timeout DURATION] [--apply] [--layer ...] [--json]

Measures the API from here N times (the same checks as 'claudemedic check'),
takes the p95 of the time to first byte (and, with --stream, of a whole
streamed answer; this spends a few tokens), and proposes API_TIMEOUT_MS with
headroom, explaining the number. --apply saves it when it is above the current value.`

func runSuggestTimeout(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("config suggest-timeout", suggestSynopsis, io)
	runs := fs.Int("runs", 5, "how many times to measure (1 to 50)")
	stream := fs.Bool("stream", false, "also time a streamed answer (spends a few tokens)")
	timeout := fs.Duration("timeout", 60*time.Second, "bound for each check, long enough for a slow relay")
	apply := fs.Bool("apply", false, "save the proposal when it is above the current value")
	asJSON := fs.Bool("json", false, "print the suggestion as JSON")
	lf := addLayerFlags(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	const cmd = "config suggest-timeout"
	if fs.NArg() > 0 {
		return usageErr(io, cmd, "unexpected argument %q", fs.Arg(0))
	}
	if *runs < 1 || *runs > 50 {
		return usageErr(io, cmd, "--runs must be from 1 to 50")
	}
	if *timeout <= 0 {
		return usageErr(io, cmd, "--timeout must be positive, e.g. --timeout 60s")
	}
	file, err := lf.file()
	if *apply && err != nil {
		return usageErr(io, cmd, "%v", err)
	}
	target, err := claudecfg.Resolve(ctx, resolveOptions(*lf.project, false))
	if err != nil {
		return fail(io, cmd, err)
	}
	opts := netcheck.Options{Timeout: *timeout, Stream: *stream}
	if testOptions != nil {
		testOptions(&opts)
	}
	samples := claudecfg.Measure(ctx, target, *runs, opts, func(i int, r *netcheck.Report) {
		if *asJSON {
			return
		}
		line := fmt.Sprintf("run %d/%d: ", i+1, *runs)
		if s := claudecfg.SampleOf(r); s.OK {
			line += "first byte " + netcheck.FormatDuration(s.FirstByte)
			if c, ok := r.Check(netcheck.CheckStream); ok && c.Status == netcheck.StatusPass {
				line += ", stream " + netcheck.FormatDuration(c.Duration)
			}
		} else {
			line += "did not reach the API"
			for _, f := range r.Findings {
				if f.Severity == netcheck.SeverityFail {
					line += " (" + string(f.Code) + ": " + f.Summary.EN + ")"
					break
				}
			}
		}
		fmt.Fprintln(io.Stderr, line)
	})
	sug, err := claudecfg.SuggestTimeout(samples, claudecfg.CurrentAPITimeout(target))
	if err != nil {
		return fail(io, cmd, err)
	}
	type out struct {
		claudecfg.Suggestion
		Explanation string            `json:"explanation"`
		Change      *claudecfg.Change `json:"saved,omitempty"`
	}
	o := out{Suggestion: sug, Explanation: sug.Explanation.EN}
	if !*asJSON {
		fmt.Fprintf(io.Stdout, "Suggested API_TIMEOUT_MS: %d\n%s\n", sug.APITimeoutMS, sug.Explanation.In(localeLanguage()))
	}
	if *apply && sug.Change {
		c, err := claudecfg.EditFile(file, claudecfg.EnvEdit(claudecfg.VarAPITimeout, strconv.FormatInt(sug.APITimeoutMS, 10)))
		if err != nil {
			return fail(io, cmd, err)
		}
		o.Change = c
		if !*asJSON {
			printChange(io.Stdout, c)
			printShadows(ctx, io, lf, c)
		}
	} else if !*asJSON && sug.Change {
		fmt.Fprintf(io.Stdout, "Save it with: claudemedic config set-timeout --api-timeout %d\n", sug.APITimeoutMS)
	}
	if *asJSON {
		return writeJSON(io.Stdout, o)
	}
	return ExitOK
}

const setProxySynopsis = `config set-proxy (URL | none | --stdin) [--no-proxy LIST] [--layer ...] [--timeout DURATION] [--json]

Tests the proxy first (the API must be reachable through it) and only then
sets HTTPS_PROXY in a settings file's env; "none" removes it. Claude Code
supports http:// and https:// proxies only (user:password@ in the URL is
fine; give such a URL with --stdin so the password does not show in ps).
Note that Claude Code sends even a 127.0.0.1 base URL through the proxy
unless NO_PROXY names it.`

func runSetProxy(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("config set-proxy", setProxySynopsis, io)
	noProxy := fs.String("no-proxy", "", "also set NO_PROXY, e.g. localhost,127.0.0.1,.corp.example (\"none\" removes it)")
	fromStdin := fs.Bool("stdin", false, "read the proxy URL from standard input")
	timeout := fs.Duration("timeout", 10*time.Second, "bound for each check of the proxy test")
	asJSON := fs.Bool("json", false, "print the test's findings and the change as JSON")
	lf := addLayerFlags(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	const cmd = "config set-proxy"
	var proxy string
	switch {
	case *fromStdin && fs.NArg() == 0:
		b, err := readAllLimited(io.Stdin, 8<<10)
		if err != nil {
			return usageErr(io, cmd, "reading the URL from standard input: %v", err)
		}
		proxy = strings.TrimSpace(string(b))
	case !*fromStdin && fs.NArg() == 1:
		proxy = fs.Arg(0)
	default:
		return usageErr(io, cmd, "give one proxy URL, \"none\", or --stdin (see --help)")
	}
	file, err := lf.file()
	if err != nil {
		return usageErr(io, cmd, "%v", err)
	}
	var np *string
	if *noProxy != "" {
		v := *noProxy
		if v == "none" {
			v = ""
		}
		np = &v
	}
	if proxy == "none" {
		proxy = ""
	}
	if err := claudecfg.CheckProxyURL(proxy); proxy != "" && err != nil {
		return fail(io, cmd, errors.New(strings.TrimSuffix(err.Error(), ": "+claudecfg.ErrOutOfRange.Error())))
	}
	target, err := claudecfg.Resolve(ctx, resolveOptions(*lf.project, false))
	if err != nil {
		return fail(io, cmd, err)
	}
	opts := netcheck.Options{Timeout: *timeout}
	if testOptions != nil {
		testOptions(&opts)
	}
	if proxy != "" && !*asJSON {
		fmt.Fprintf(io.Stderr, "Testing %s through the proxy…\n", target.BaseURL.Value)
	}
	c, r, err := claudecfg.SetProxy(ctx, file, target, proxy, np, opts)
	var findings []netcheck.Finding
	if r != nil {
		findings = r.Findings
	}
	lang := localeLanguage()
	var pte *claudecfg.ProxyTestError
	switch {
	case errors.As(err, &pte) && *asJSON:
		writeJSON(io.Stdout, map[string]any{"saved": nil, "findings": findings})
		return ExitDegraded
	case errors.As(err, &pte):
		fmt.Fprintln(io.Stderr, "The proxy does not work, so it was not saved:")
		for _, f := range pte.Findings {
			fmt.Fprintf(io.Stderr, "  %s: %s\n    Fix: %s\n", f.Code, f.Summary.In(lang), f.Fix.In(lang))
		}
		return ExitDegraded
	case err != nil:
		return fail(io, cmd, err)
	case *asJSON:
		return writeJSON(io.Stdout, map[string]any{"saved": c, "findings": findings})
	}
	if proxy != "" {
		fmt.Fprintln(io.Stdout, "The API answers through the proxy.")
	}
	for _, f := range findings {
		if f.Severity == netcheck.SeverityWarn {
			fmt.Fprintf(io.Stdout, "Warning: %s: %s\n  Fix: %s\n", f.Code, f.Summary.In(lang), f.Fix.In(lang))
		}
	}
	printChange(io.Stdout, c)
	printShadows(ctx, io, lf, c)
	return ExitOK
}

const setCASynopsis = `config set-ca (FILE | none) [--layer ...] [--json]

Checks that FILE is PEM and holds a CA certificate (your company's root, for a
proxy that inspects TLS), then sets NODE_EXTRA_CA_CERTS to its absolute path in
a settings file's env; "none" removes it. Some Claude Code versions ignore
NODE_EXTRA_CA_CERTS in settings, so it also prints the line for your shell profile.`

func runSetCA(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("config set-ca", setCASynopsis, io)
	asJSON := fs.Bool("json", false, "print the change as JSON")
	lf := addLayerFlags(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	const cmd = "config set-ca"
	if fs.NArg() != 1 {
		return usageErr(io, cmd, "give one PEM file, or none (see --help)")
	}
	file, err := lf.file()
	if err != nil {
		return usageErr(io, cmd, "%v", err)
	}
	if fs.Arg(0) == "none" {
		return save(ctx, io, cmd, lf, file, *asJSON, claudecfg.EnvEdit(claudecfg.VarExtraCACerts, ""))
	}
	c, ca, err := claudecfg.SetCA(file, fs.Arg(0))
	if err != nil {
		return fail(io, cmd, err)
	}
	profile, line := claudecfg.ProfileLine(os.Getenv("SHELL"), ca.Path)
	if *asJSON {
		return writeJSON(io.Stdout, map[string]any{"saved": c, "cas": ca.CAs, "profile_file": profile, "profile_line": line})
	}
	fmt.Fprintf(io.Stdout, "%s holds %d CA certificate(s): %s\n", ca.Path, len(ca.CAs), strings.Join(ca.CAs, "; "))
	printChange(io.Stdout, c)
	printShadows(ctx, io, lf, c)
	fmt.Fprintf(io.Stdout, "\nSome Claude Code versions ignore NODE_EXTRA_CA_CERTS in settings. Add this line to %s too:\n\n  %s\n\n", profile, line)
	return ExitOK
}

const backupsSynopsis = `config backups [--file SETTINGS] [--json]

Lists the copies Claude Medic saved before each edit (the last 10 per file),
newest first; with --file, only that settings file's.`

func runBackups(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("config backups", backupsSynopsis, io)
	file := fs.String("file", "", "only the backups of this settings file")
	asJSON := fs.Bool("json", false, "print the list as JSON")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if fs.NArg() > 0 {
		return usageErr(io, "config backups", "unexpected argument %q", fs.Arg(0))
	}
	list, err := claudecfg.Backups(*file)
	if err != nil {
		return fail(io, "config backups", err)
	}
	if *asJSON {
		if list == nil {
			list = []claudecfg.Backup{}
		}
		return writeJSON(io.Stdout, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(io.Stdout, "No backups yet: Claude Medic makes one before each edit.")
		return ExitOK
	}
	tw := tabwriter.NewWriter(io.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WHEN\tSIZE\tOF\tBACKUP")
	for _, b := range list {
		fmt.Fprintf(tw, "%s\t%d B\t%s\t%s\n", b.Time.Local().Format("2006-01-02 15:04:05"), b.Size, b.File, b.Path)
	}
	tw.Flush()
	fmt.Fprintln(io.Stdout, "\nPut one back with: claudemedic config restore BACKUP")
	return ExitOK
}

const restoreSynopsis = `config restore (BACKUP | --latest [--file SETTINGS]) [--json]

Writes a backup back over its settings file (the current file is backed up
first, so a restore can itself be undone). BACKUP is a path that
'claudemedic config backups' lists; --latest picks the newest backup of --file
(default: the user settings).`

func runRestore(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("config restore", restoreSynopsis, io)
	latest := fs.Bool("latest", false, "restore the newest backup of --file")
	file := fs.String("file", "", "the settings file for --latest (default: the user settings)")
	asJSON := fs.Bool("json", false, "print the change as JSON")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	const cmd = "config restore"
	if (*latest) == (fs.NArg() == 1) || fs.NArg() > 1 {
		return usageErr(io, cmd, "give one backup path, or --latest (see --help)")
	}
	var pick *claudecfg.Backup
	if *latest {
		f := *file
		if f == "" {
			var err error
			if f, err = claudecfg.SettingsPath(claudecfg.LayerUser, ""); err != nil {
				return fail(io, cmd, err)
			}
		}
		list, err := claudecfg.Backups(f)
		if err != nil {
			return fail(io, cmd, err)
		}
		if len(list) == 0 {
			return fail(io, cmd, fmt.Errorf("there is no backup of %s", f))
		}
		pick = &list[0]
	} else {
		list, err := claudecfg.Backups("")
		if err != nil {
			return fail(io, cmd, err)
		}
		for i := range list {
			if list[i].Path == fs.Arg(0) {
				pick = &list[i]
			}
		}
		if pick == nil {
			return fail(io, cmd, fmt.Errorf("%s is not one of Claude Medic's backups (see claudemedic config backups)", fs.Arg(0)))
		}
	}
	c, err := claudecfg.Restore(*pick)
	if err != nil {
		return fail(io, cmd, err)
	}
	if *asJSON {
		return writeJSON(io.Stdout, c)
	}
	fmt.Fprintf(io.Stdout, "Restored the copy of %s from %s.\n", pick.File, pick.Time.Local().Format("2006-01-02 15:04:05"))
	printChange(io.Stdout, c)
	return ExitOK
}
