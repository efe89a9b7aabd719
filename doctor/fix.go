package doctor

import (
	"net"
	"net/url"
	"strings"

	"context"
	"errors"
	"fmt"
	"strconv"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

// Kind names a fix's action.
type Kind string

// The fixes Claude Medic can apply. Each edits only the keychain or Claude
// Code's user settings (backed up first, undoable); a value that comes from
// the shell, the managed settings or a project gets the written fix of the
// catalogue and no action.
const (
	FixNone           Kind = ""
	FixKey            Kind = "key"             // store a new key in the keychain and point Claude Code at it
	FixTimeout        Kind = "timeout"         // raise API_TIMEOUT_MS to what the measurement needs
	FixRemoveProxy    Kind = "remove-proxy"    // remove the broken proxy from the user settings
	FixNoProxy        Kind = "no-proxy"        // exempt the local base URL from the proxy
	FixRemoveBase     Kind = "remove-base"     // remove a stale ANTHROPIC_BASE_URL from the user settings
	FixCAFile         Kind = "ca-file"         // give Claude Code the inspecting proxy's CA
	FixRetries        Kind = "retries"         // let Claude Code retry longer through overload
	FixDisableBetas   Kind = "disable-betas"   // stop sending the experimental betas a gateway rejects
	FixBaseURLPath    Kind = "base-url-path"   // strip the /v1 from ANTHROPIC_BASE_URL
	FixRemoveOverride Kind = "remove-override" // remove the credential that wins over the one meant
)

// maxRetries is CLAUDE_CODE_MAX_RETRIES' ceiling, what FixRetries sets.
const maxRetries = "15"

// Input is what a fix needs from the person before it can run.
type Input string

// The inputs a fix can need.
const (
	InputNone   Input = ""
	InputKey    Input = "key"     // a new API key, read without echo
	InputCAFile Input = "ca-file" // the path of a PEM file holding the CA
)

// Fix is a finding's one-click fix: what it does (Kind), the variable of the
// user settings it edits and the value it writes ("" removes it; FixTimeout's
// value is what the measurement needs, filled in by Remedies: Decide leaves it
// "").
type Fix struct {
	Kind  Kind          `json:"kind"`
	Code  netcheck.Code `json:"code"`
	Var   string        `json:"var,omitempty"`
	Value string        `json:"value,omitempty"`
	// Why says where Value comes from, when it is a number Claude Medic
	// worked out (FixTimeout's, from the measurements).
	Why claudesettings.Text `json:"why,omitzero"`
}

// Input is what the fix needs first.
func (f Fix) Input() Input {
	switch f.Kind {
	case FixKey:
		return InputKey
	case FixCAFile:
		return InputCAFile
	}
	return InputNone
}

// Decide is the fix for a finding of a report whose target is t, given the
// user settings' env as it is on disk (user). It is the one rule every front
// end follows: the window's buttons, `claudemedic doctor` and the tray's
// Troubleshoot… (the window's wizard) offer what it returns.
func Decide(f netcheck.Finding, t claudesettings.TargetView, user map[string]string) Fix {
	fromUser := func(s claudesettings.Source) bool { return s == claudesettings.SourceUserSettings }
	fix := func(k Kind, name, value string) Fix { return Fix{Kind: k, Code: f.Code, Var: name, Value: value} }
	switch f.Code {
	case netcheck.KeyMissing, netcheck.KeyMalformed, netcheck.KeyWrongKind, netcheck.AuthInvalid:
		if t.KeySource == claudesettings.SourceShell || t.KeySource == claudesettings.SourceLoginShell || t.KeySource == claudesettings.SourceUserEnvironment ||
			t.KeySource == claudesettings.SourceManagedSettings {
			return Fix{Code: f.Code} // the shell's value wins over anything stored
		}
		if isLogin(t.KeySource) {
			// A claude.ai subscriber signs in again with /login (the written
			// fix); a stored key would win over the subscription and be
			// billed per use.
			return Fix{Code: f.Code}
		}
		return fix(FixKey, "", "")
	case netcheck.TimeoutTooLow: // SLOW_RESPONSE is slow with room to spare: the timeout is not its fix (netcheck.timeoutFindings)
		return fix(FixTimeout, claudesettings.VarAPITimeout, "")
	case netcheck.ProxyURLInvalid, netcheck.ProxySocksUnsupported, netcheck.ProxyUnreachable:
		if fromUser(t.ProxySource) {
			return fix(FixRemoveProxy, claudesettings.VarHTTPSProxy, "")
		}
	case netcheck.ProxyCatchesLocal:
		return fix(FixNoProxy, claudesettings.VarNoProxy, addNoProxy(t))
	case netcheck.TCPRefused, netcheck.DNSFailed:
		if fromUser(t.BaseURLSource) {
			return fix(FixRemoveBase, claudesettings.VarBaseURL, "")
		}
	case netcheck.TLSUntrusted:
		return fix(FixCAFile, claudesettings.VarExtraCACerts, "")
	case netcheck.Overloaded: // a 429 is better waited out at the default retries (the catalogue's fix says so)
		return fix(FixRetries, claudesettings.VarMaxRetries, maxRetries)
	case netcheck.BetaRejected:
		return fix(FixDisableBetas, claudesettings.VarDisableBetas, "1")
	case netcheck.BaseURLPath:
		if stripped := stripAPIPath(t.BaseURL); fromUser(t.BaseURLSource) && stripped != t.BaseURL {
			return fix(FixBaseURLPath, claudesettings.VarBaseURL, stripped)
		}
	case netcheck.KeyOverridesLogin, netcheck.AuthConflict:
		if v := credentialVar(t); fromUser(t.KeySource) && v != "" && user[v] != "" {
			return fix(FixRemoveOverride, v, "")
		}
	}
	return Fix{Code: f.Code} // invalid JSON and the rest: the written fix, never an overwrite
}

// credentialVar is the variable the winning credential comes from, when it
// comes from a settings env.
func credentialVar(t claudesettings.TargetView) string {
	switch t.KeyLabel {
	case claudesettings.VarAuthToken, claudesettings.VarAPIKey, claudesettings.VarOAuthToken:
		return t.KeyLabel
	}
	switch claudesettings.CredentialKind(t.KeyKind) {
	case claudesettings.KindBearer:
		return claudesettings.VarAuthToken
	case claudesettings.KindAPIKey:
		return claudesettings.VarAPIKey
	case claudesettings.KindOAuth:
		return claudesettings.VarOAuthToken
	}
	return ""
}

// stripAPIPath is the base URL without a trailing /v1 (and what follows it):
// Claude Code adds /v1/messages itself.
func stripAPIPath(base string) string {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return base
	}
	p := strings.TrimRight(u.Path, "/")
	if i := strings.Index(p+"/", "/v1/"); i >= 0 {
		p = p[:i]
	}
	u.Path, u.RawPath = p, ""
	return u.String()
}

// addNoProxy is NO_PROXY with the base URL's host added.
func addNoProxy(t claudesettings.TargetView) string {
	host := t.BaseURL
	if u, err := url.Parse(t.BaseURL); err == nil && u.Host != "" {
		host = u.Hostname()
	}
	list := []string{}
	if t.NoProxy != nil && *t.NoProxy != "" {
		list = strings.Split(*t.NoProxy, ",")
	}
	for _, h := range list {
		if strings.TrimSpace(h) == host {
			return strings.Join(list, ",")
		}
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		list = append(list, "localhost")
	}
	return strings.Join(append(list, host), ",")
}

// Label is the fix as a button or a menu line names it.
func (f Fix) Label(tr i18n.Printer) string {
	switch f.Kind {
	case FixKey:
		return tr.X("fix.key", "Enter a new API key")
	case FixTimeout:
		return tr.X("fix.timeout", "Raise the timeout")
	case FixRemoveProxy:
		return tr.X("fix.remove_proxy", "Remove this proxy setting")
	case FixNoProxy:
		return tr.X("fix.no_proxy", "Don't send local requests through the proxy")
	case FixRemoveBase:
		return tr.X("fix.remove_base", "Remove ANTHROPIC_BASE_URL (use api.anthropic.com)")
	case FixCAFile:
		return tr.X("fix.ca_file", "Choose the proxy's CA certificate…")
	case FixRetries:
		return tr.X("fix.retries", "Let Claude Code retry longer")
	case FixDisableBetas:
		return tr.X("fix.disable_betas", "Stop sending experimental betas")
	case FixBaseURLPath:
		return tr.X("fix.base_url_path", "Remove /v1 from ANTHROPIC_BASE_URL")
	case FixRemoveOverride:
		return tr.X("fix.remove_override", "Remove {{.Var}} from your settings", "Var", f.Var)
	}
	return ""
}

// Describe says what applying the fix changes, for the question a terminal
// asks before it does: file is the user settings.
func (f Fix) Describe(tr i18n.Printer, file string) string {
	switch {
	case f.Kind == FixKey:
		return tr.X("fix.describe_key", "Stores a new API key in the system keychain and sets apiKeyHelper in {{.File}} so Claude Code reads it from there; a plaintext key in that file is removed.", "File", file)
	case f.Kind == FixCAFile:
		return tr.X("fix.describe_ca", "Checks the PEM file you name and sets NODE_EXTRA_CA_CERTS to it in {{.File}}.", "File", file)
	case f.Kind == FixTimeout && f.Value != "":
		return describeTimeout(tr, f, file)
	case f.Kind == FixTimeout:
		return tr.X("fix.describe_timeout", "Sets API_TIMEOUT_MS in {{.File}} to what the measurement of the last 7 days needs.", "File", file)
	case f.Value == "":
		return tr.X("fix.describe_remove", "Removes {{.Var}} from {{.File}}.", "Var", f.Var, "File", file)
	}
	return tr.X("fix.describe_set", "Sets {{.Var}} to {{.Value}} in {{.File}}.", "Var", f.Var, "Value", f.Value, "File", file)
}

// ErrNeedsInput is a fix applied without the input it needs (a key, a CA file).
var ErrNeedsInput = errors.New("this fix needs an input first")

// ErrNoFix is applying a finding that has no fix.
var ErrNoFix = errors.New("this finding has no fix to apply")

// Remedies are a report's findings with the fix each gets, decided against
// the user settings as they were when Remedies read them. Applying a fix
// refuses (a *ChangedSinceError) when the file changed since by anything but
// the remedies themselves: the settings writer's one guard, held against
// the diagnosis' read.
type Remedies struct {
	Report *netcheck.Report
	Fixes  []Fix  // one per finding of Report, in its order; Kind FixNone where there is no action
	File   string // the user settings file the fixes edit

	d       *Doctor
	doc     *claudecfg.Doc // the user settings as last read or written here: the guard's basis
	openErr error          // why the file cannot be edited (read-only, not JSON), said when a fix is applied
	noValue error          // why FixTimeout has no value (no measurement reached the API)
}

// Remedies decides the fix of each finding of r. With no Settings (a window
// without the logic wired, say) every fix is FixNone.
func (d *Doctor) Remedies(r *netcheck.Report) *Remedies {
	rem := &Remedies{Report: r, d: d, Fixes: make([]Fix, len(r.Findings))}
	rem.File, rem.openErr = UserFile()
	if rem.openErr == nil {
		rem.doc, rem.openErr = claudecfg.Open(rem.File)
	}
	env := rem.env()
	for i, f := range r.Findings {
		rem.Fixes[i] = Fix{Code: f.Code}
		if d.Settings != nil {
			rem.Fixes[i] = Decide(f, r.Target, env)
		}
		if rem.Fixes[i].Kind == FixKey && d.Keys == nil {
			rem.Fixes[i] = Fix{Code: f.Code}
		}
		if rem.Fixes[i].Kind == FixTimeout { // decided here, once: applying it only writes
			rem.proposeTimeout(&rem.Fixes[i])
		}
	}
	rem.settle(env)
	return rem
}

// proposeTimeout fills FixTimeout with the value the measurement of r and
// the history proposes (SuggestTimeout) and why that number, or takes its
// action away when that is not above the value in effect: advice never
// proposes the value already set. Without a measurement it keeps the fix,
// whose applying says why there is no value.
func (rem *Remedies) proposeTimeout(f *Fix) {
	s, err := rem.d.SuggestTimeout(rem.Report)
	if err != nil {
		f.Value, rem.noValue = "", err
		return
	}
	if current, _ := rem.Report.Target.APITimeout(); s.Timeout <= current {
		*f = Fix{Code: f.Code}
		return
	}
	f.Value, f.Why = strconv.FormatInt(s.Timeout.Milliseconds(), 10), s.Explanation
}

// settle makes the decided fixes agree with each other and with what is
// set, so that the window, the wizard and `claudemedic doctor` offer the
// same: a fix that would write the value the user settings already hold has
// no action, and a fix whose action an earlier finding already offers is
// offered once, on that finding.
func (rem *Remedies) settle(user map[string]string) {
	type action struct{ kind, name, value string }
	offered := map[action]bool{}
	for i := range rem.Fixes {
		f := &rem.Fixes[i]
		if f.Kind == FixNone {
			continue
		}
		if v, ok := user[f.Var]; ok && f.Var != "" && f.Value != "" && v == f.Value {
			*f = Fix{Code: f.Code} // already so: writing it again changes nothing
			continue
		}
		a := action{string(f.Kind), f.Var, f.Value}
		if offered[a] {
			*f = Fix{Code: f.Code}
			continue
		}
		offered[a] = true
	}
}

// describeTimeout says what FixTimeout with its value writes, and why that
// number.
func describeTimeout(tr i18n.Printer, f Fix, file string) string {
	return tr.X("fix.describe_timeout_value", "Sets API_TIMEOUT_MS to {{.Value}} in {{.File}}. {{.Why}}", "Value", f.Value, "File", file, "Why", f.Why.In(tr.Lang()))
}

// env is the user settings' env as read (a file that cannot be edited is
// still read, for the decisions).
func (rem *Remedies) env() map[string]string {
	var values map[string]any
	if rem.doc != nil {
		values, _ = rem.doc.Values()
	} else if f, err := claudecfg.ReadFile(rem.File); err == nil {
		values = f.Values
	}
	env, _ := claudecfg.EnvOf(values) // the one reader of a settings file's env
	return env
}

// Any reports whether some finding has a fix to apply.
func (rem *Remedies) Any() bool {
	for _, f := range rem.Fixes {
		if f.Kind != FixNone {
			return true
		}
	}
	return false
}

// Apply applies fix i with input (the key or the CA file's path, for the
// fixes whose Input asks for one). It refuses with a *ChangedSinceError
// (ErrChangedSince), changing nothing, when the user settings changed since
// the diagnosis.
func (rem *Remedies) Apply(ctx context.Context, i int, input string) (*Change, error) {
	if i < 0 || i >= len(rem.Fixes) || rem.Fixes[i].Kind == FixNone {
		return nil, ErrNoFix
	}
	f := rem.Fixes[i]
	if f.Input() != InputNone && input == "" {
		return nil, fmt.Errorf("%s: %w", f.Kind, ErrNeedsInput)
	}
	if rem.openErr != nil {
		return nil, rem.openErr
	}
	c, err := rem.apply(ctx, f, input)
	if errors.Is(err, claudecfg.ErrChangedOnDisk) {
		return nil, &ChangedSinceError{File: rem.File}
	}
	return c, err
}

func (rem *Remedies) apply(ctx context.Context, f Fix, input string) (*Change, error) {
	switch f.Kind {
	case FixKey: // the keychain's writer edits the file: the guard first, then a new basis
		if err := rem.doc.Check(); err != nil {
			return nil, err
		}
		c, err := rem.d.Keys.Replace(ctx, input)
		if doc, oerr := claudecfg.Open(rem.File); oerr == nil {
			rem.doc = doc
		}
		return c, err
	case FixCAFile:
		ca, err := claudecfg.InspectCA(input)
		if err != nil {
			return nil, err
		}
		return rem.saveEnv(claudesettings.VarExtraCACerts, ca.Path)
	case FixRemoveProxy:
		return rem.save(claudecfg.ProxyEdits("", nil)...)
	case FixTimeout:
		if f.Value == "" {
			return nil, rem.noValue
		}
	}
	return rem.saveEnv(f.Var, f.Value)
}

// saveEnv is save of one variable of the env ("" removes it).
func (rem *Remedies) saveEnv(name, value string) (*Change, error) {
	c, err := rem.doc.SaveEnv(name, value)
	if err != nil {
		return nil, err
	}
	return change(c), nil
}

// save writes edits over the file as the diagnosis read it: refused if it
// changed since (claudecfg's guard, under the file's lock); written, the
// file as saved is the basis of the next fix.
func (rem *Remedies) save(edits ...claudecfg.Edit) (*Change, error) {
	c, err := rem.doc.SaveEdits(edits...)
	if err != nil {
		return nil, err
	}
	return change(c), nil
}

// Comparison is a re-test beside the diagnosis it follows.
type Comparison struct {
	Before    netcheck.Verdict `json:"before"`
	After     netcheck.Verdict `json:"after"`
	Fixed     []netcheck.Code  `json:"fixed"`     // found before, not after
	Remaining []netcheck.Code  `json:"remaining"` // found in both
	New       []netcheck.Code  `json:"new"`       // found only after
}

// Compare sets a re-test beside the report before it.
func Compare(before, after *netcheck.Report) Comparison {
	c := Comparison{Before: before.Verdict, After: after.Verdict, Fixed: []netcheck.Code{}, Remaining: []netcheck.Code{}, New: []netcheck.Code{}}
	for _, f := range before.Findings {
		if after.Has(f.Code) {
			c.Remaining = append(c.Remaining, f.Code)
		} else {
			c.Fixed = append(c.Fixed, f.Code)
		}
	}
	for _, f := range after.Findings {
		if !before.Has(f.Code) {
			c.New = append(c.New, f.Code)
		}
	}
	return c
}

// Change is one saved edit: which file, what changed, and how to undo it.
type Change struct {
	File   string   `json:"file,omitempty"`
	Lines  []string `json:"changes"`          // "env.API_TIMEOUT_MS: 600000 → 900000", and warnings
	Backup string   `json:"backup,omitempty"` // the copy of the file before the edit ("" when it was new)
	// Undo reverts the change; nil when it cannot be undone (nothing
	// changed, or undoing would bring a failed key back).
	Undo func() error `json:"-"`
	// Saved is what the settings writer reports (each key's old and new
	// value, the backup), for a front end that lists it; nil for a change
	// that is not a settings edit.
	Saved *claudecfg.Change `json:"-"`
}

// Undoable reports whether Undo can revert the change.
func (c *Change) Undoable() bool { return c != nil && c.Undo != nil }

// Changed reports whether the save wrote anything.
func (c *Change) Changed() bool { return c != nil && c.Saved != nil && c.Saved.Changed() }

// change is claudecfg's Change as the front ends show it: the file, each
// key's old and new value (credentials masked by claudecfg), and its undo.
func change(c *claudecfg.Change) *Change {
	if c == nil {
		return &Change{}
	}
	return &Change{File: c.File, Backup: c.Backup, Saved: c, Undo: c.Undo, Lines: c.Lines}
}
