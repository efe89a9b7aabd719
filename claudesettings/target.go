package claudesettings

import (
	"net/url"
	"time"
)

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

// The places Claude Code keeps a saved login, as the report names them.
const (
	SourceCredentialsFile Source = "credentials file" // .credentials.json in Claude Code's folder: the claude.ai login on Linux and Windows
	SourceLoginKeychain   Source = "login keychain"   // the "Claude Code-credentials" item of the macOS login keychain
	SourceStateFile       Source = "state file"       // Claude Code's .claude.json: the API key a Claude Console /login saved
)

// CredentialKind says how a credential is sent.
type CredentialKind string

// The ways Claude Code 2.1.330 sends a credential (measured on the wire).
const (
	KindAPIKey       CredentialKind = "api-key"        // x-api-key header (ANTHROPIC_API_KEY, the key a Console /login saved, Claude Medic's keychain)
	KindBearer       CredentialKind = "bearer"         // Authorization: Bearer (ANTHROPIC_AUTH_TOKEN)
	KindOAuth        CredentialKind = "oauth"          // Authorization: Bearer with anthropic-beta oauth-2025-04-20 (CLAUDE_CODE_OAUTH_TOKEN, the claude.ai login)
	KindKeyAndBearer CredentialKind = "api-key+bearer" // the same value as x-api-key and as Authorization: Bearer (apiKeyHelper's output)
)

// OAuthBeta is the anthropic-beta value Claude Code adds to a request that
// carries an OAuth token; without it the API refuses the token with 401.
const OAuthBeta = "oauth-2025-04-20"

// Credential is a secret Claude Code would send. Secret never leaves the
// process: TargetView and every report show MaskKey(Secret) only.
type Credential struct {
	Secret string
	Kind   CredentialKind
	Source Source
	Var    string // the variable or setting it came from, e.g. "ANTHROPIC_API_KEY"
	// Label names it for a person when Var does not: "claude.ai login (Max)".
	Label string
	// File is the file it was read from (a saved login), if any.
	File string
	// ExpiresAt is a saved login's expiry as written (zero when unknown). Claude
	// Code refreshes the login itself; Claude Medic never does.
	ExpiresAt time.Time
	// Err is why a credential that is set could not be read (an apiKeyHelper
	// that failed, a login file that does not parse); Secret is then "". Its
	// text never holds a secret.
	Err error
}

// Set reports whether the credential is there at all: read, or set but unreadable (Err).
func (c Credential) Set() bool { return c.Secret != "" || c.Err != nil }

// Name is what a person calls the credential: its Label, else its variable.
func (c Credential) Name() string {
	if c.Label != "" {
		return c.Label
	}
	if c.Var != "" {
		return c.Var
	}
	return string(c.Source)
}

// SentAs says in which header(s) Claude Code sends a credential of this kind.
func (k CredentialKind) SentAs() string {
	switch k {
	case KindBearer:
		return "Authorization: Bearer"
	case KindOAuth:
		return "Authorization: Bearer + anthropic-beta: " + OAuthBeta
	case KindKeyAndBearer:
		return "x-api-key + Authorization: Bearer"
	}
	return "x-api-key"
}

// CredentialHeader is one credential header of the request Claude Code makes.
type CredentialHeader struct {
	Name  string     // "Authorization" or "x-api-key"
	Value string     // the header's value ("Bearer …" for Authorization)
	From  Credential // the credential it carries
}

// CredentialHeaders are the credential headers Claude Code 2.1.330 puts on
// its request to the API for this target, as measured on the wire: the
// winning Credential in the header(s) of its kind, and, unless it is an
// OAuth login, the next set credentials that go in a header still empty
// (ANTHROPIC_AUTH_TOKEN with ANTHROPIC_API_KEY sends both headers;
// ANTHROPIC_API_KEY with apiKeyHelper sends the key as x-api-key and the
// helper's output as the Bearer token). With a cloud provider, none.
// Add anthropic-beta OAuthBeta when Credential.Kind is KindOAuth.
func (t Target) CredentialHeaders() []CredentialHeader { return t.credentialHeaders(headerSafe) }

// credentialHeaders is CredentialHeaders, a shadowed credential going in
// only when ok says its value can.
func (t Target) credentialHeaders(ok func(string) bool) []CredentialHeader {
	c := t.Credential
	if t.Provider.Name != "" || c.Secret == "" {
		return nil
	}
	var bearer, key *Credential
	fill := func(c *Credential) {
		switch c.Kind {
		case KindBearer, KindOAuth:
			if bearer == nil {
				bearer = c
			}
		case KindKeyAndBearer:
			if bearer == nil {
				bearer = c
			}
			if key == nil {
				key = c
			}
		default:
			if key == nil {
				key = c
			}
		}
	}
	fill(&c)
	if c.Kind != KindOAuth {
		for i := range t.Shadowed {
			if s := &t.Shadowed[i]; s.Secret != "" && s.Kind != KindOAuth && ok(s.Secret) {
				fill(s)
			}
		}
	}
	var out []CredentialHeader
	if bearer != nil {
		out = append(out, CredentialHeader{Name: "Authorization", Value: "Bearer " + bearer.Secret, From: *bearer})
	}
	if key != nil {
		out = append(out, CredentialHeader{Name: "x-api-key", Value: key.Secret, From: *key})
	}
	return out
}

// SentBeside reports whether shadowed credential s goes on the request
// beside the winner, in a header the winner leaves free, whatever its value.
func (t Target) SentBeside(s Credential) bool {
	for _, h := range t.credentialHeaders(func(string) bool { return true }) {
		if h.From.Secret == s.Secret && h.From.Var == s.Var && h.From.Source == s.Source {
			return true
		}
	}
	return false
}

// headerSafe reports whether s can be a header's value at all (no control
// characters): a shadowed credential that cannot is left out, where Claude
// Code fails the request ("Invalid X-Api-Key header value"); the key check
// reports it as KEY_MALFORMED.
func headerSafe(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}

// redactURL shows a URL (a provider's endpoint) without its credentials,
// its path kept.
func RedactEndpoint(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return RedactedURL(u)
	}
	return RedactProxyURL(raw)
}

// ProviderName is a cloud provider Claude Code can use instead of the Anthropic API.
type ProviderName string

// The cloud providers, selected by CLAUDE_CODE_USE_BEDROCK, _VERTEX or _FOUNDRY=1.
const (
	ProviderBedrock ProviderName = "bedrock"
	ProviderVertex  ProviderName = "vertex"
	ProviderFoundry ProviderName = "foundry"
)

// Title is the provider's name as its vendor writes it.
func (p ProviderName) Title() string {
	switch p {
	case ProviderBedrock:
		return "Amazon Bedrock"
	case ProviderVertex:
		return "Google Vertex AI"
	case ProviderFoundry:
		return "Microsoft Foundry"
	}
	return string(p)
}

// Provider is the cloud provider Claude Code would call; the zero value is
// the Anthropic API (or ANTHROPIC_BASE_URL).
type Provider struct {
	Name   ProviderName // "" for the Anthropic API
	Var    string       // the variable that selects it, e.g. CLAUDE_CODE_USE_BEDROCK
	Source Source
	// Region is AWS_REGION (or AWS_DEFAULT_REGION, or the AWS profile's
	// region) for Bedrock, CLOUD_ML_REGION for Vertex; when none is set it
	// holds Claude Code's default with SourceDefault.
	Region Setting
	// Endpoint is the URL Claude Code calls: the provider's regional endpoint,
	// or the gateway in ANTHROPIC_BEDROCK_BASE_URL, ANTHROPIC_VERTEX_BASE_URL
	// or ANTHROPIC_FOUNDRY_BASE_URL. Unset when it cannot be worked out
	// (Foundry without ANTHROPIC_FOUNDRY_RESOURCE); the Target's BaseURL is
	// its scheme and host, which the connection checks reach.
	Endpoint Setting
	// Credentials says where the provider's credentials were found, for a
	// person ("AWS_PROFILE=work in ~/.aws/credentials"), never a secret;
	// unset when they are nowhere Claude Code looks.
	Credentials Setting
	// CredentialsProblem is why a place that should hold them could not be
	// used (a profile file that does not parse), for CLOUD_CREDENTIALS_MISSING.
	CredentialsProblem string
	// SkipAuth is set by CLAUDE_CODE_SKIP_BEDROCK_AUTH, _VERTEX_AUTH or
	// _FOUNDRY_AUTH: a gateway signs the requests, so none are needed here.
	SkipAuth bool
}

// ConfigProblem is a settings file that did not load or a value out of range,
// found while resolving the Target; the config check turns each into CONFIG_INVALID.
type ConfigProblem struct {
	Path    string // the file, or the variable name for a value out of range
	Message string // what is wrong, e.g. "invalid JSON at line 3, column 5"
	// MessageZH is Message in Chinese, when there is one (a value's Problem).
	MessageZH string `json:"-"`
	// Works: Claude Code still sends its requests, reading the value
	// otherwise than written (its default, or a value clamped to its
	// range): a warning, not a reason it fails.
	Works bool `json:"-"`
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
	// Claude Code does not read (no apiKeyHelper runs `claudemedic key print`).
	UnusedKeychainKey bool
	Problems          []ConfigProblem
	// Env holds the table's other variables as resolved (CLAUDE_CODE_MAX_RETRIES,
	// MCP_TIMEOUT, …), by name; read them through Read and the Effective methods.
	Env map[string]Setting
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

	KeyLabel          string           `json:"key_label,omitempty"`      // which credential wins: "claude.ai login (Max)", "ANTHROPIC_API_KEY", …
	KeyExpiresAt      *time.Time       `json:"key_expires_at,omitempty"` // a saved login's expiry
	KeyError          string           `json:"key_error,omitempty"`      // why the winning credential could not be read
	Shadowed          []CredentialView `json:"shadowed,omitempty"`       // the credentials it hides, highest first
	Provider          *ProviderView    `json:"provider,omitempty"`       // the cloud provider, if one is selected
	UnusedKeychainKey bool             `json:"unused_keychain_key,omitempty"`
}

// CredentialView is a credential as a report shows it: masked.
type CredentialView struct {
	Key       *string    `json:"key"` // masked; null when it could not be read
	Label     string     `json:"label"`
	Source    Source     `json:"source,omitempty"`
	Kind      string     `json:"kind,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	Error     string     `json:"error,omitempty"`
}

// ProviderView is the cloud provider as a report shows it: where its
// credentials are, never what they are.
type ProviderView struct {
	Name              ProviderName `json:"name"`
	Var               string       `json:"var"`
	Region            string       `json:"region,omitempty"`
	RegionSource      Source       `json:"region_source,omitempty"`
	Endpoint          string       `json:"endpoint,omitempty"`
	EndpointSource    Source       `json:"endpoint_source,omitempty"`
	Credentials       string       `json:"credentials,omitempty"`
	CredentialsSource Source       `json:"credentials_source,omitempty"`
	SkipAuth          bool         `json:"skip_auth,omitempty"`
}

// View returns the credential as a report shows it, the secret masked.
func (c Credential) View() CredentialView {
	v := CredentialView{Label: c.Name(), Source: c.Source, Kind: string(c.Kind)}
	if c.Secret != "" {
		m := MaskKey(c.Secret)
		v.Key = &m
	}
	if !c.ExpiresAt.IsZero() {
		e := c.ExpiresAt.UTC()
		v.ExpiresAt = &e
	}
	if c.Err != nil {
		v.Error = c.Err.Error()
	}
	return v
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
		BaseURL: RedactProxyURL(t.BaseURL.Value), BaseURLSource: t.BaseURL.Source, // a password in it never shows
		Proxy: opt(Setting{Value: RedactProxyURL(t.Proxy.Value)}), ProxySource: t.Proxy.Source, // a proxy password never shows
		NoProxy: opt(t.NoProxy),
		CAFile:  opt(t.CAFile), CAFileSource: t.CAFile.Source,
		APITimeoutMS: t.APITimeout.Value, APITimeoutSource: t.APITimeout.Source,
	}
	if t.Provider.Name == "" {
		if b, _ := t.EffectiveBaseURL(); b.Source == SourceDefault {
			v.BaseURL, v.BaseURLSource = b.Value, b.Source
		}
	}
	if c := t.Credential; c.Set() {
		cv := c.View()
		v.Key, v.KeySource, v.KeyKind, v.KeyLabel, v.KeyExpiresAt, v.KeyError = cv.Key, cv.Source, cv.Kind, cv.Label, cv.ExpiresAt, cv.Error
	}
	for _, s := range t.Shadowed {
		v.Shadowed = append(v.Shadowed, s.View())
	}
	if p := t.Provider; p.Name != "" {
		v.Provider = &ProviderView{Name: p.Name, Var: p.Var, Region: p.Region.Value, RegionSource: p.Region.Source,
			Endpoint: RedactEndpoint(p.Endpoint.Value), EndpointSource: p.Endpoint.Source,
			Credentials: p.Credentials.Value, CredentialsSource: p.Credentials.Source, SkipAuth: p.SkipAuth}
	}
	v.UnusedKeychainKey = t.UnusedKeychainKey
	return v
}
