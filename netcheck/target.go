package netcheck

import "time"

// Source says where a value of the Target came from, for the report.
type Source string

// The places a value can come from, as the report names them.
const (
	SourceNone            Source = ""
	SourceDefault         Source = "default"
	SourceFlag            Source = "flag"
	SourceStdin           Source = "stdin"
	SourceShell           Source = "shell"
	SourceLoginShell      Source = "login shell"
	SourceUserEnvironment Source = "user environment (registry)" // Windows: HKCU\Environment and the machine's, what a new terminal gets
	SourceUserSettings    Source = "user settings env"
	SourceProjectSettings Source = "project settings env"
	SourceLocalSettings   Source = "local settings env"
	SourceManagedSettings Source = "managed settings env"
	SourceAPIKeyHelper    Source = "apiKeyHelper"
	SourceKeychain        Source = "keychain"
)

// Setting is a value and where it came from. An empty Value is unset.
type Setting struct {
	Value  string
	Source Source
}

// Set reports whether the setting has a value.
func (s Setting) Set() bool { return s.Value != "" }

// CredentialKind says how a credential is sent.
type CredentialKind string

// The two ways Claude Code sends a credential.
const (
	KindAPIKey CredentialKind = "api-key" // x-api-key header (ANTHROPIC_API_KEY, apiKeyHelper, keychain)
	KindBearer CredentialKind = "bearer"  // Authorization: Bearer (ANTHROPIC_AUTH_TOKEN)
	KindOAuth  CredentialKind = "oauth"   // Authorization: Bearer with anthropic-beta oauth-2025-04-20 (CLAUDE_CODE_OAUTH_TOKEN, the claude.ai login)
)

// Credential is the secret Claude Code would send. Secret never leaves the
// process: TargetView and every report show MaskKey(Secret) only.
type Credential struct {
	Secret string
	Kind   CredentialKind
	Source Source
	Var    string // the variable or setting it came from, e.g. "ANTHROPIC_API_KEY"
	// Label names it for a person when Var does not: "claude.ai login (Max)".
	Label string
	// ExpiresAt is a saved login's expiry as written (zero when unknown). Claude
	// Code refreshes the login itself; Claude Medic never does.
	ExpiresAt time.Time
	// Err is why a credential that is set could not be read (an apiKeyHelper
	// that failed, a login file that does not parse); Secret is then "".
	Err error
}

// ProviderName is a cloud provider Claude Code can use instead of the Anthropic API.
type ProviderName string

// The cloud providers, selected by CLAUDE_CODE_USE_BEDROCK, _VERTEX or _FOUNDRY=1.
const (
	ProviderBedrock ProviderName = "bedrock"
	ProviderVertex  ProviderName = "vertex"
	ProviderFoundry ProviderName = "foundry"
)

// Provider is the cloud provider Claude Code would call; the zero value is
// the Anthropic API (or ANTHROPIC_BASE_URL).
type Provider struct {
	Name   ProviderName // "" for the Anthropic API
	Var    string       // the variable that selects it, e.g. CLAUDE_CODE_USE_BEDROCK
	Source Source
	Region Setting // AWS_REGION, CLOUD_ML_REGION; unset when none is set
	// Credentials says where the provider's credentials were found, for a
	// person ("AWS_PROFILE=work in ~/.aws/credentials"), never a secret;
	// unset when they are nowhere Claude Code looks.
	Credentials Setting
}

// ConfigProblem is a settings file that did not load or a value out of range,
// found while resolving the Target; the config check turns each into CONFIG_INVALID.
type ConfigProblem struct {
	Path    string // the file, or the variable name for a value out of range
	Message string // what is wrong, e.g. "invalid JSON at line 3, column 5"
}

// Target is what Claude Code would use on this machine, as resolved by
// claudecfg.Resolve (or built by hand in tests and from command-line flags).
type Target struct {
	BaseURL    Setting // ANTHROPIC_BASE_URL, or https://api.anthropic.com with SourceDefault
	Proxy      Setting // HTTPS_PROXY, https_proxy, HTTP_PROXY or http_proxy, first set wins
	NoProxy    Setting // NO_PROXY or no_proxy
	CAFile     Setting // NODE_EXTRA_CA_CERTS
	APITimeout Setting // API_TIMEOUT_MS as written (validated by the config check)

	Model        Setting // ANTHROPIC_MODEL, else the settings' "model"; unset means Claude Code's default
	DisableBetas Setting // CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS: "1" sends only the betas Claude Code cannot do without
	CertStore    Setting // CLAUDE_CODE_CERT_STORE: which roots Claude Code trusts ("bundled,system" when unset)
	NodeOptions  Setting // NODE_OPTIONS (--use-system-ca switches the npm build to the OS store)

	Credential Credential
	// Shadowed are the other credentials that are set, highest first: Claude
	// Code picks Credential and ignores these (AUTH_CONFLICT, KEY_OVERRIDES_LOGIN).
	Shadowed []Credential
	// Provider is the cloud provider selected instead of the Anthropic API, if any.
	Provider Provider
	// UnusedKeychainKey is set when Claude Medic's keychain holds a key that
	// Claude Code does not read (no apiKeyHelper points at it).
	UnusedKeychainKey bool
	Problems          []ConfigProblem
}

// DefaultBaseURL is the Claude API's address when ANTHROPIC_BASE_URL is unset.
const DefaultBaseURL = "https://api.anthropic.com"

// DefaultAPITimeout is Claude Code's request timeout when API_TIMEOUT_MS is unset.
const DefaultAPITimeout = 600 * time.Second

// TargetView is the Target as a report shows it: the key masked.
type TargetView struct {
	BaseURL          string  `json:"base_url"`
	BaseURLSource    Source  `json:"base_url_source"`
	Proxy            *string `json:"proxy"`
	ProxySource      Source  `json:"proxy_source,omitempty"`
	NoProxy          *string `json:"no_proxy,omitempty"`
	CAFile           *string `json:"ca_file"`
	CAFileSource     Source  `json:"ca_file_source,omitempty"`
	Key              *string `json:"key"`
	KeySource        Source  `json:"key_source,omitempty"`
	KeyKind          string  `json:"key_kind,omitempty"`
	APITimeoutMS     string  `json:"api_timeout_ms,omitempty"`
	APITimeoutSource Source  `json:"api_timeout_source,omitempty"`
}

// View returns the target as a report shows it, the credential masked.
func (t Target) View() TargetView {
	opt := func(s Setting) *string {
		if !s.Set() {
			return nil
		}
		v := s.Value
		return &v
	}
	v := TargetView{
		BaseURL: t.BaseURL.Value, BaseURLSource: t.BaseURL.Source,
		Proxy: opt(Setting{Value: redactProxy(t.Proxy.Value)}), ProxySource: t.Proxy.Source, // a proxy password never shows
		NoProxy: opt(t.NoProxy),
		CAFile:  opt(t.CAFile), CAFileSource: t.CAFile.Source,
		APITimeoutMS: t.APITimeout.Value, APITimeoutSource: t.APITimeout.Source,
	}
	if v.BaseURL == "" {
		v.BaseURL, v.BaseURLSource = DefaultBaseURL, SourceDefault
	}
	if t.Credential.Secret != "" {
		m := MaskKey(t.Credential.Secret)
		v.Key, v.KeySource, v.KeyKind = &m, t.Credential.Source, string(t.Credential.Kind)
	}
	return v
}
