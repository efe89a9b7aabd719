package doctor

import (
	"net"
	"net/url"
	"strings"

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
		return describeTimeout(tr, f, file) // remedy.go
	case f.Kind == FixTimeout:
		return tr.X("fix.describe_timeout", "Sets API_TIMEOUT_MS in {{.File}} to what the measurement of the last 7 days needs.", "File", file)
	case f.Value == "":
		return tr.X("fix.describe_remove", "Removes {{.Var}} from {{.File}}.", "Var", f.Var, "File", file)
	}
	return tr.X("fix.describe_set", "Sets {{.Var}} to {{.Value}} in {{.File}}.", "Var", f.Var, "Value", f.Value, "File", file)
}
