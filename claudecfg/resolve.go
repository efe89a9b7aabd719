package claudecfg

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"claudemedic/claudesettings"
)

// ResolveOptions say where Resolve looks.
type ResolveOptions struct {
	ProjectDir string   // the project's folder (its .claude/ settings, where apiKeyHelper runs); "" reads no project settings
	LoginShell bool     // also read the login shell's environment (an app started from the desktop does not have it)
	Environ    []string // the process environment; nil means os.Environ()
	// Keychain reads Claude Medic's own keychain key ("" when none is
	// stored), only to say when one is stored that Claude Code does not read
	// (Target.UnusedKeychainKey): Claude Code reads it only through an
	// apiKeyHelper that runs `claudemedic key print`. nil for none.
	Keychain func(ctx context.Context) (string, error)
	// LoginKeychain reads Claude Code's own keychain item (service, account)
	// that holds the claude.ai login on macOS ("" when there is none); nil
	// for none. It is asked on macOS only (keystore.ClaudeCodeLogin).
	LoginKeychain func(ctx context.Context, service, account string) (string, error)
	// Credential, when not nil, is the credential to use as given (a key on
	// standard input): no apiKeyHelper runs and no keychain or saved login is
	// read. With no Kind it is sent as the variable set would send it (a
	// Bearer token when ANTHROPIC_AUTH_TOKEN is set; see resolveCredential).
	Credential *claudesettings.Credential
	// HelperTimeout bounds apiKeyHelper; 0 means HelperTimeout.
	HelperTimeout time.Duration
	// Flags are variables given on Claude Medic's command line: they win over
	// every other source (claudesettings.SourceFlag); "" unsets (see applyFlags).
	Flags map[string]string
}

// Value is one variable's effective value and where it came from.
type Value struct {
	Name   string                `json:"name"`
	Value  string                `json:"-"`      // the raw value: a credential stays in the process
	Shown  string                `json:"value"`  // the value as shown (a credential masked)
	Source claudesettings.Source `json:"source"` // "" when unset everywhere
	File   string                `json:"file,omitempty"`
	// Overrides is the lower-precedence place it hides, if any.
	Overrides claudesettings.Source `json:"overrides,omitempty"`
	Default   string                `json:"default,omitempty"` // Claude Code's value when unset
}

// Set reports whether the variable has a value (an empty string unsets).
func (v Value) Set() bool { return v.Value != "" }

// LayerFile is one settings layer as read.
type LayerFile struct {
	Layer  Layer  `json:"layer"`
	Path   string `json:"path"`
	Exists bool   `json:"exists"`
	Error  string `json:"error,omitempty"`
}

// Settings is Claude Code's effective configuration on this machine: what
// `config show` prints and Target is made from.
type Settings struct {
	ConfigDir     string                         `json:"config_dir"`
	Files         []LayerFile                    `json:"files"`
	Vars          map[string]Value               `json:"-"`
	APIKeyHelper  Value                          `json:"api_key_helper"`
	Credential    claudesettings.Credential      `json:"-"` // the credential Claude Code would send
	Shadowed      []claudesettings.Credential    `json:"-"` // the other credentials that are set, highest first
	Provider      claudesettings.Provider        `json:"-"` // the cloud provider, if one is selected
	Problems      []claudesettings.ConfigProblem `json:"problems"`
	LoginShellErr error                          `json:"-"` // why the login shell could not be read, if it was asked for
	KeychainErr   error                          `json:"-"` // why Claude Medic's keychain could not be read, if it was asked
	// LoginKeychainErr is why Claude Code's own keychain item could not be read (macOS).
	LoginKeychainErr error `json:"-"`
	// UnusedKeychainKey: Claude Medic's keychain holds a key that Claude Code does not read.
	UnusedKeychainKey bool `json:"-"`
	// CloudHelpers are the settings' awsCredentialExport, awsAuthRefresh and gcpAuthRefresh commands.
	CloudHelpers map[string]Value `json:"-"`
}

// Var returns a variable's effective value (with Default filled in).
func (s *Settings) Var(name string) Value {
	v, ok := s.Vars[name]
	if !ok {
		v = Value{Name: name}
	}
	v.Default = claudesettings.Defaults[name]
	v.Shown = claudesettings.DisplayValue(name, v.Value)
	return v
}

// Shadow is an edited variable whose effective value still comes from
// another settings file, which wins over the one edited.
type Shadow struct {
	Name   string                `json:"name"`
	Source claudesettings.Source `json:"source"`
	File   string                `json:"file"`
}

// Shadows lists the env keys c changed that another settings file (a
// higher layer) still decides, so the edit has no effect until that file
// changes too. Call it on settings read after the save. The proxy counts as
// one setting read from the first of ProxyVars that is set: when c changed
// any of them and the proxy Claude Code uses still comes from elsewhere (a
// higher layer, or the shell, whose https_proxy wins over a settings file's
// HTTPS_PROXY; File is "" then), that variable is listed.
func (s *Settings) Shadows(c *Change) []Shadow {
	var out []Shadow
	proxy := false
	for _, k := range c.Keys {
		if len(k.Path) != 2 || k.Path[0] != claudesettings.EnvKey {
			continue
		}
		if slices.Contains(claudesettings.ProxyVars, k.Path[1]) {
			proxy = true
			continue
		}
		v := s.Vars[k.Path[1]]
		if v.File != "" && !samePath(v.File, c.File) && (v.Set() || !k.Removed) {
			out = append(out, Shadow{Name: k.Path[1], Source: v.Source, File: v.File})
		}
	}
	if proxy {
		for _, name := range claudesettings.ProxyVars {
			if v := s.Vars[name]; v.Set() {
				if v.File == "" || !samePath(v.File, c.File) {
					out = append(out, Shadow{Name: name, Source: v.Source, File: v.File})
				}
				break
			}
		}
	}
	return out
}

// settingsSource names a layer's env object as the report shows it.
var settingsSource = map[Layer]claudesettings.Source{
	LayerUser:    claudesettings.SourceUserSettings,
	LayerProject: claudesettings.SourceProjectSettings,
	LayerLocal:   claudesettings.SourceLocalSettings,
	LayerManaged: claudesettings.SourceManagedSettings,
}

// targetVars are carried in the Target, where the checks judge their values.
var targetVars = map[string]bool{
	claudesettings.VarBaseURL: true, claudesettings.VarAPIKey: true, claudesettings.VarAuthToken: true, claudesettings.VarOAuthToken: true, claudesettings.VarHTTPSProxy: true, "https_proxy": true,
	claudesettings.VarHTTPProxy: true, "http_proxy": true, claudesettings.VarNoProxy: true, "no_proxy": true, claudesettings.VarExtraCACerts: true, claudesettings.VarAPITimeout: true,
	claudesettings.VarAllProxy: true, "all_proxy": true,
}

// Timeouts bounding the programs Resolve runs. Claude Code itself waits up
// to 10 minutes for apiKeyHelper, and shows a notice after 10 seconds.
var (
	LoginShellTimeout = 5 * time.Second
	HelperTimeout     = 10 * time.Second
	KeychainTimeout   = 15 * time.Second
)

// Resolve works out what Claude Code would use on this machine: the base URL,
// proxy, CA file, timeout and credential, each with its source. Settings
// precedence is managed > local > project > user, and a settings file's env
// object overrides the shell. A settings file that does not load, or a value
// out of range, becomes a ConfigProblem in the Target (the config check
// reports it), never an error; the values the Target carries (base URL, proxy,
// CA file, API_TIMEOUT_MS) are judged by the checks themselves, so a fault is
// reported once. The error is only for a context that ended.
func Resolve(ctx context.Context, o ResolveOptions) (claudesettings.Target, error) {
	s, err := Inspect(ctx, o)
	if err != nil {
		return claudesettings.Target{}, err
	}
	return s.Target(), nil
}

// Inspect reads the effective settings, for `config show` and Resolve.
func Inspect(ctx context.Context, o ResolveOptions) (*Settings, error) {
	environ := o.Environ
	if environ == nil {
		environ = os.Environ()
	}
	s := &Settings{Vars: map[string]Value{}, CloudHelpers: map[string]Value{}}
	shell := envMap(environ)
	for name, v := range shell {
		s.Vars[name] = Value{Name: name, Value: v, Source: claudesettings.SourceShell}
	}
	if o.LoginShell {
		login, err := loginShellEnv(ctx, shell)
		if err != nil {
			s.LoginShellErr = err
		}
		names := append(append(append([]string{claudesettings.VarConfigDir, "PATH"}, claudesettings.Variables...), credentialVars...), providerVars...)
		for _, name := range names { // PATH: apiKeyHelper runs with the terminal's
			lv, inLogin := login[name]
			sv, inShell := shell[name]
			switch {
			case login == nil || (inLogin && inShell && lv == sv): // login: what could be read, even with an error
			case inLogin:
				s.Vars[name] = Value{Name: name, Value: lv, Source: loginSource}
			case inShell: // the profile unsets it
				delete(s.Vars, name)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	dir, err := dirFrom(s.Vars[claudesettings.VarConfigDir].Value)
	if err != nil {
		s.Problems = append(s.Problems, claudesettings.ConfigProblem{Path: "~/.claude", Message: err.Error()})
	}
	s.ConfigDir = dir
	for _, layer := range Layers {
		if (layer == LayerProject || layer == LayerLocal) && o.ProjectDir == "" {
			continue
		}
		path, err := settingsPathIn(layer, o.ProjectDir, s.Vars[claudesettings.VarConfigDir].Value)
		if err != nil || (layer == LayerProject && samePath(path, filepath.Join(dir, "settings.json"))) {
			continue // in the home folder the project settings are the user settings
		}
		lf := LayerFile{Layer: layer, Path: path}
		f, err := ReadFile(path)
		if err != nil {
			lf.Error = problemText(err)
			s.Problems = append(s.Problems, claudesettings.ConfigProblem{Path: path, Message: lf.Error})
			s.Files = append(s.Files, lf)
			continue
		}
		lf.Exists = f.Exists
		s.Files = append(s.Files, lf)
		s.applyLayer(layer, path, f.Values)
	}
	s.applyFlags(o.Flags)
	for _, name := range sortedKeys(s.Vars) {
		v := s.Vars[name]
		if targetVars[name] { // the checks judge these themselves (PROXY_URL_INVALID, CONFIG_INVALID…)
			continue
		}
		if err := claudesettings.CheckValue(name, v.Value); err != nil && isKnownVar(name) {
			// A variable the checks do not judge themselves: a number of
			// retries, a Bash or MCP timeout. Claude Code reads a bad value
			// as its default or clamps it, and its requests go out as
			// before (scripts/differential.sh, dimensions retries and numvar).
			cp := claudesettings.ConfigProblem{Path: name, Message: fmt.Sprintf("%v (set in %s)", trimSentinel(err), where(v)), Works: true}
			if p, ok := claudesettings.ProblemOf(err); ok && p.ZH != "" {
				cp.MessageZH = fmt.Sprintf("%s（设置于 %s）", p.ZH, where(v))
			}
			s.Problems = append(s.Problems, cp)
		}
	}
	s.resolveCredential(ctx, o)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

// applyLayer lays one settings file's env object and apiKeyHelper over what
// lower layers and the shell gave.
func (s *Settings) applyLayer(layer Layer, path string, values map[string]any) {
	src := settingsSource[layer]
	env, problems := EnvOf(values)
	for _, p := range problems {
		s.Problems = append(s.Problems, claudesettings.ConfigProblem{Path: path, Message: p})
	}
	for _, name := range sortedKeys(env) {
		prev := s.Vars[name]
		s.Vars[name] = Value{Name: name, Value: env[name], Source: src, File: path, Overrides: prev.Source}
	}
	if raw, ok := values[claudesettings.KeyAPIKeyHelper]; ok {
		cmd, isStr := raw.(string)
		if !isStr {
			s.Problems = append(s.Problems, claudesettings.ConfigProblem{Path: path, Message: "apiKeyHelper must be a command, as a string"})
			return
		}
		prev := s.APIKeyHelper
		s.APIKeyHelper = Value{Name: claudesettings.KeyAPIKeyHelper, Value: cmd, Shown: maskSecrets(cmd), Source: src, File: path, Overrides: prev.Source}
	}
	for _, key := range cloudKeys {
		if cmd, ok := values[key].(string); ok {
			s.CloudHelpers[key] = Value{Name: key, Value: cmd, Shown: maskSecrets(cmd), Source: src, File: path}
		}
	}
}

// environ is the environment Claude Code's child programs (apiKeyHelper) get.
func (s *Settings) environ() []string {
	out := make([]string, 0, len(s.Vars))
	for _, name := range sortedKeys(s.Vars) {
		if v := s.Vars[name]; v.Value != "" {
			out = append(out, name+"="+v.Value)
		}
	}
	return out
}

// Target is the effective settings as the checks use them.
func (s *Settings) Target() claudesettings.Target {
	setting := func(names ...string) claudesettings.Setting {
		for _, n := range names {
			if v := s.Vars[n]; v.Set() {
				return claudesettings.Setting{Value: v.Value, Source: v.Source}
			}
		}
		for _, n := range names { // unset by an empty value: say where
			if v, ok := s.Vars[n]; ok && v.Source != "" {
				return claudesettings.Setting{Source: v.Source}
			}
		}
		return claudesettings.Setting{}
	}
	t := claudesettings.Target{
		BaseURL:      setting(claudesettings.VarBaseURL),
		Proxy:        setting(claudesettings.ProxyVars...), // lower case first, as Claude Code reads them
		NoProxy:      setting(claudesettings.NoProxyVars...),
		CAFile:       setting(claudesettings.VarExtraCACerts),
		APITimeout:   setting(claudesettings.VarAPITimeout),
		Model:        setting(claudesettings.VarModel),
		DisableBetas: setting(claudesettings.VarDisableBetas),
		CertStore:    setting(claudesettings.VarCertStore),
		NodeOptions:  setting(claudesettings.VarNodeOptions),
		Credential:   s.Credential,
		Shadowed:     append([]claudesettings.Credential(nil), s.Shadowed...),
		Provider:     s.Provider,
		Problems:     append([]claudesettings.ConfigProblem(nil), s.Problems...),

		UnusedKeychainKey: s.UnusedKeychainKey,
	}
	t.Env = map[string]claudesettings.Setting{}
	for _, v := range claudesettings.Table {
		if st := setting(v.Name); st.Set() || st.Source != "" {
			t.Env[v.Name] = st
		}
	}
	if s.Provider.Name != "" {
		// Claude Code calls the provider's endpoint, not ANTHROPIC_BASE_URL.
		t.BaseURL = claudesettings.Setting{}
		if e := s.Provider.Endpoint; e.Set() {
			t.BaseURL = claudesettings.Setting{Value: origin(e.Value), Source: e.Source}
		}
	}
	t.BaseURL, _ = t.EffectiveBaseURL() // ANTHROPIC_BASE_URL, or Claude Code's default
	return t
}

// problemText says what is wrong with a settings file, with line and column
// for invalid JSON.
func problemText(err error) string {
	var se *SyntaxError
	if errors.As(err, &se) {
		return fmt.Sprintf("invalid JSON at line %d, column %d: %s", se.Line, se.Column, se.Msg)
	}
	return err.Error()
}

func trimSentinel(err error) string {
	return strings.TrimSuffix(err.Error(), ": "+claudesettings.ErrOutOfRange.Error())
}

func where(v Value) string {
	if v.File != "" {
		return fmt.Sprintf("%s, %s", v.Source, v.File)
	}
	if v.Source == "" {
		return "nowhere"
	}
	return string(v.Source)
}

// samePath reports whether two paths name the same file (or the same path, when neither exists).
func samePath(a, b string) bool {
	if filepath.Clean(a) == filepath.Clean(b) {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

func isKnownVar(name string) bool {
	for _, v := range claudesettings.Variables {
		if v == name {
			return true
		}
	}
	return false
}

// envMap reads KEY=value lines. On Windows names are case-insensitive (a
// process gets "Path", Claude Code's Node reads it as PATH): they are kept in
// upper case there, so a lookup by the name Claude Code uses finds them.
func envMap(environ []string) map[string]string {
	m := make(map[string]string, len(environ))
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k != "" {
			if runtime.GOOS == "windows" {
				k = strings.ToUpper(k)
			}
			m[k] = v
		}
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
