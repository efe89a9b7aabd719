package doctor

import (
	"strings"

	"claudemedic/claudesettings"
	"claudemedic/internal/i18n"
)

// SignIn is what Claude Code signs in with, as a report's target says it, in
// a person's words: the tray's tooltip shows Line, the window's status page
// Line, the provider's Details and Unused, its sign-in page all of it. It
// reads only the TargetView (what a report keeps on disk), never a secret.
type SignIn struct {
	// Line names it in a few words: "Signed in with claude.ai (Max)", "API
	// key from ANTHROPIC_API_KEY", "Amazon Bedrock, us-east-1".
	Line string
	// Details say more: where the credential comes from and how it is
	// sent, a login's expiry; for a cloud provider its endpoint, region and
	// where its credentials were found.
	Details []string
	// Unused are the credentials that are set but hidden by the winner,
	// each masked with where it is set: "… : set, not used".
	Unused []string
	// Login: a claude.ai subscription (the saved /login, or
	// CLAUDE_CODE_OAUTH_TOKEN) wins, so no API key is needed.
	Login bool
	// Subscriber: a claude.ai login is there, whether it wins or a key
	// set elsewhere hides it (KEY_OVERRIDES_LOGIN).
	Subscriber bool
	// Provider: a cloud provider is selected, so no Anthropic credential is needed.
	Provider bool
	// Missing: Claude Code finds nothing it can send (KEY_MISSING).
	Missing bool
}

// SignInOf says what Claude Code signs in with for target t, in tr's language.
func SignInOf(tr i18n.Printer, t claudesettings.TargetView) SignIn {
	var s SignIn
	for _, c := range t.Shadowed {
		s.Unused = append(s.Unused, unusedLine(tr, c))
		s.Subscriber = s.Subscriber || (isLogin(c.Source) && c.Key != nil)
	}
	if p := t.Provider; p != nil {
		s.Provider = true
		s.Line = p.Name.Title()
		if p.Region != "" {
			s.Line = tr.X("signin.provider_region", "{{.Provider}}, {{.Region}}", "Provider", p.Name.Title(), "Region", p.Region)
		}
		s.Details = providerLines(tr, p)
		return s
	}
	c := Winner(t)
	switch {
	case c == nil:
		s.Missing = true
		s.Line = tr.X("signin.none", "Not signed in: no claude.ai login or API key")
		return s
	case c.Error != "":
		s.Missing = true
		s.Line = tr.X("signin.unusable", "{{.Name}} cannot be used", "Name", CredentialName(tr, *c))
		s.Details = []string{c.Error}
		return s
	}
	key := ""
	if c.Key != nil {
		key = *c.Key
	}
	switch kind := claudesettings.CredentialKind(c.Kind); {
	case isLogin(c.Source):
		s.Login, s.Subscriber = true, true
		if plan := loginPlan(tr, c.Label); plan != "" {
			s.Line = tr.X("signin.login_plan", "Signed in with claude.ai ({{.Plan}})", "Plan", plan)
		} else {
			s.Line = tr.X("signin.login", "Signed in with claude.ai")
		}
	case kind == claudesettings.KindOAuth:
		s.Login, s.Subscriber = true, true
		s.Line = tr.X("signin.oauth_token", "claude.ai token from {{.Name}}", "Name", CredentialName(tr, *c))
	case c.Source == claudesettings.SourceStateFile:
		s.Line = tr.X("signin.console_key", "API key saved by Claude Code's /login (Claude Console)")
	case kind == claudesettings.KindBearer:
		s.Line = tr.X("signin.token", "Token from {{.Name}}", "Name", CredentialName(tr, *c))
	default:
		s.Line = tr.X("signin.api_key", "API key from {{.Name}}", "Name", CredentialName(tr, *c))
	}
	s.Details = append(s.Details, tr.X("signin.sent", "{{.Key}} from {{.Source}}, sent as {{.How}}",
		"Key", key, "Source", SourceName(tr, c.Source), "How", claudesettings.CredentialKind(c.Kind).SentAs()))
	if c.ExpiresAt != nil {
		s.Details = append(s.Details, tr.X("config.credential_expires", "Its access token expires at {{.When}}; Claude Code renews it itself.",
			"When", c.ExpiresAt.Local().Format("2006-01-02 15:04")))
	}
	return s
}

// Winner is the credential Claude Code sends for t, as a CredentialView;
// nil when none is set (or a cloud provider is selected).
func Winner(t claudesettings.TargetView) *claudesettings.CredentialView {
	if t.Provider != nil || (t.Key == nil && t.KeyError == "" && t.KeyLabel == "") {
		return nil
	}
	return &claudesettings.CredentialView{Key: t.Key, Label: t.KeyLabel, Source: t.KeySource, Kind: t.KeyKind, ExpiresAt: t.KeyExpiresAt, Error: t.KeyError}
}

// CredentialName is what a person calls a credential, in tr's language: its
// variable ("ANTHROPIC_API_KEY"), "claude.ai login (Max)", "the API key
// /login saved".
func CredentialName(tr i18n.Printer, c claudesettings.CredentialView) string {
	switch {
	case isLogin(c.Source):
		if plan := loginPlan(tr, c.Label); plan != "" {
			return tr.X("signin.login_name_plan", "claude.ai login ({{.Plan}})", "Plan", plan)
		}
		return tr.X("signin.login_name", "claude.ai login")
	case c.Source == claudesettings.SourceStateFile:
		return tr.X("signin.saved_key", "the API key /login saved")
	case c.Label == "": // a report from before credentials had names
		return SourceName(tr, c.Source)
	}
	return c.Label
}

// isLogin reports whether a credential from src is the claude.ai login saved by /login.
func isLogin(src claudesettings.Source) bool {
	return src == claudesettings.SourceCredentialsFile || src == claudesettings.SourceLoginKeychain
}

// loginPlan is the plan in a saved login's label, "claude.ai login (Max)"
// (claudecfg names it so), in tr's language; "" when the label names none.
func loginPlan(tr i18n.Printer, label string) string {
	rest, ok := strings.CutPrefix(label, "claude.ai login (")
	plan, closed := strings.CutSuffix(rest, ")")
	switch {
	case !ok || !closed || plan == "":
		return ""
	case plan == "unknown plan":
		return tr.X("signin.plan_unknown", "unknown plan")
	}
	return plan
}

// unusedLine is a credential that is set but not sent: its name, masked
// value and place, and why it cannot be used when it cannot.
func unusedLine(tr i18n.Printer, c claudesettings.CredentialView) string {
	name := CredentialName(tr, c)
	if c.Key != nil {
		name += " " + *c.Key
	}
	line := tr.X("signin.unused", "{{.Name}} ({{.Source}}): set, not used", "Name", name, "Source", SourceName(tr, c.Source))
	if c.Error != "" {
		line += ": " + c.Error
	}
	return line
}

// providerLines are a cloud provider's endpoint, region and credentials.
func providerLines(tr i18n.Printer, p *claudesettings.ProviderView) []string {
	var out []string
	if p.Endpoint == "" {
		out = append(out, tr.X("config.provider_no_endpoint", "Endpoint: none (set ANTHROPIC_FOUNDRY_RESOURCE or ANTHROPIC_FOUNDRY_BASE_URL)"))
	} else {
		out = append(out, tr.X("config.provider_endpoint", "Endpoint: {{.URL}}", "URL", p.Endpoint))
	}
	if p.Region != "" {
		from := SourceName(tr, p.RegionSource)
		if p.RegionSource == claudesettings.SourceDefault {
			from = tr.X("config.provider_region_default", "Claude Code's default: none is set")
		}
		out = append(out, tr.X("signin.region", "Region: {{.Region}} ({{.From}})", "Region", p.Region, "From", from))
	}
	switch {
	case p.SkipAuth:
		out = append(out, tr.X("config.provider_skip_auth", "Credentials: not needed here (a gateway signs the requests)"))
	case p.Credentials != "":
		out = append(out, tr.X("config.provider_credentials", "Credentials: {{.Where}}", "Where", p.Credentials))
	default:
		out = append(out, tr.X("config.provider_no_credentials", "Credentials: none found where Claude Code looks"))
	}
	return out
}
