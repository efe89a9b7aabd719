package claudecfg

import (
	"context"
	"strings"

	"claudemedic/claudesettings"
)

// The credential Claude Code 2.1.330 sends, highest first (measured with
// the real CLI on a logging server, see scripts/agree-credentials.sh):
//
//	a cloud provider (CLAUDE_CODE_USE_BEDROCK, _FOUNDRY, _VERTEX): no Anthropic credential at all
//	ANTHROPIC_AUTH_TOKEN      Authorization: Bearer
//	ANTHROPIC_API_KEY         x-api-key
//	apiKeyHelper              its output as x-api-key and as Authorization: Bearer
//	CLAUDE_CODE_OAUTH_TOKEN   Authorization: Bearer + anthropic-beta oauth-2025-04-20
//	the claude.ai login       the same (.credentials.json, or the macOS keychain item)
//	the Console /login's key  x-api-key (primaryApiKey in .claude.json)
//
// A lower credential that is set goes on the same request when its header
// is still free (claudesettings.Target.CredentialHeaders). Claude Medic's own
// keychain key is none of these: Claude Code reads it only through an
// apiKeyHelper that runs `claudemedic key print`.

// credentialVars are read from the login shell besides Variables.
var credentialVars = []string{claudesettings.VarOAuthToken, claudesettings.VarSecureStorageDir, "USER"}

// resolveCredential works out the provider, the credential Claude Code
// would send and the ones it hides, running apiKeyHelper as Claude Code
// does and reading the saved logins (never writing or refreshing them).
func (s *Settings) resolveCredential(ctx context.Context, o ResolveOptions) {
	s.resolveProvider()
	var chain []claudesettings.Credential
	add := func(c claudesettings.Credential) {
		if c.Set() {
			chain = append(chain, c)
		}
	}
	fromVar := func(name string, kind claudesettings.CredentialKind) claudesettings.Credential {
		v := s.Vars[name]
		if !v.Set() {
			return claudesettings.Credential{}
		}
		return claudesettings.Credential{Secret: v.Value, Kind: kind, Source: v.Source, Var: name, File: v.File}
	}
	if o.Credential != nil {
		s.useCredential(*o.Credential)
		return
	}
	add(fromVar(claudesettings.VarAuthToken, claudesettings.KindBearer))
	add(fromVar(claudesettings.VarAPIKey, claudesettings.KindAPIKey))
	h := s.APIKeyHelper
	if strings.TrimSpace(h.Value) != "" && s.Provider.Name == "" {
		c := claudesettings.Credential{Kind: claudesettings.KindKeyAndBearer, Source: claudesettings.SourceAPIKeyHelper, Var: claudesettings.KeyAPIKeyHelper, File: h.File}
		timeout := o.HelperTimeout
		if timeout <= 0 {
			timeout = HelperTimeout
		}
		c.Secret, c.Err = runHelper(ctx, h.Value, s.environ(), o.ProjectDir, timeout)
		add(c)
	}
	add(fromVar(claudesettings.VarOAuthToken, claudesettings.KindOAuth))
	login := s.readLogin(ctx, o)
	if login.found && !login.quiet {
		add(login.cred)
	}
	add(s.readManagedKey())
	if len(chain) == 0 && login.found {
		chain = append(chain, login.cred) // says why there is no login
	}

	// The winner is the first that Claude Code can send, or a failing
	// apiKeyHelper, which it uses all the same (it sends an empty key).
	win := -1
	for i, c := range chain {
		if c.Secret != "" || c.Source == claudesettings.SourceAPIKeyHelper {
			win = i
			break
		}
	}
	switch {
	case s.Provider.Name != "":
		s.Shadowed = chain
	case win >= 0:
		s.Credential = chain[win]
		s.Shadowed = append(append([]claudesettings.Credential(nil), chain[:win]...), chain[win+1:]...)
	case len(chain) > 0:
		s.Credential, s.Shadowed = chain[0], chain[1:]
	}

	if o.Keychain != nil && s.Provider.Name == "" && !readsKeychain(h.Value) {
		kctx, cancel := context.WithTimeout(ctx, KeychainTimeout)
		defer cancel()
		secret, err := o.Keychain(kctx)
		switch {
		case err != nil:
			s.KeychainErr = err
		case secret != "":
			s.UnusedKeychainKey = true
		}
	}
}

// useCredential takes a credential given explicitly (a key on standard
// input), in place of the chain: it is what the check tests. With no kind
// it is sent the way Claude Code would send the variable it stands in for:
// as a Bearer token when ANTHROPIC_AUTH_TOKEN is set, as an OAuth token when
// CLAUDE_CODE_OAUTH_TOKEN is or it is one (sk-ant-oat…), else as an API key.
func (s *Settings) useCredential(c claudesettings.Credential) {
	if c.Kind == "" {
		switch {
		case s.Vars[claudesettings.VarAuthToken].Set():
			c.Kind = claudesettings.KindBearer
		case s.Vars[claudesettings.VarAPIKey].Set():
			c.Kind = claudesettings.KindAPIKey
		case s.Vars[claudesettings.VarOAuthToken].Set() || strings.HasPrefix(c.Secret, claudesettings.PrefixOAuthToken):
			c.Kind = claudesettings.KindOAuth
		default:
			c.Kind = claudesettings.KindAPIKey
		}
	}
	if s.Provider.Name == "" {
		s.Credential = c
	}
}
