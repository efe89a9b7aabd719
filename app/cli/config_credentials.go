package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/internal/i18n"
)

// The credential part of `config show`: which credential Claude Code sends,
// what it hides, the cloud provider and a keychain key it does not read.

// credentialJSON is a credential in `config show --json`: masked, never whole.
type credentialJSON struct {
	Key       string                `json:"key"` // masked; "" when it could not be read
	Source    claudesettings.Source `json:"source"`
	Var       string                `json:"var"`
	Kind      string                `json:"kind"`
	Label     string                `json:"label"`             // "claude.ai login (Max)", "ANTHROPIC_API_KEY", …
	SentAs    string                `json:"sent_as,omitempty"` // the header(s) it goes in
	File      string                `json:"file,omitempty"`
	ExpiresAt *time.Time            `json:"expires_at,omitempty"`
	Error     string                `json:"error,omitempty"` // why it could not be read
}

func credentialOf(c claudesettings.Credential) credentialJSON {
	v := c.View()
	j := credentialJSON{Source: c.Source, Var: c.Var, Kind: string(c.Kind), Label: v.Label, File: c.File, ExpiresAt: v.ExpiresAt, Error: v.Error}
	if v.Key != nil {
		j.Key = *v.Key
	}
	if c.Kind != "" {
		j.SentAs = c.Kind.SentAs()
	}
	return j
}

// printCredentials says which credential Claude Code sends and how, what
// it hides, the cloud provider it calls instead, and a keychain key it does
// not read.
func printCredentials(w io.Writer, s showJSON, tr i18n.Printer) {
	place := func(c credentialJSON) string {
		parts := []string{string(c.Source)}
		if c.File != "" {
			parts = append(parts, c.File)
		}
		return strings.Join(parts, ", ")
	}
	if p := s.Provider; p != nil {
		fmt.Fprintln(w, tr.X("config.provider", "Cloud provider: {{.Name}} ({{.Var}}), so Claude Code sends no Anthropic credential.", "Name", p.Name.Title(), "Var", p.Var))
		switch {
		case p.Endpoint == "":
			fmt.Fprintln(w, "  "+tr.X("config.provider_no_endpoint", "Endpoint: none (set ANTHROPIC_FOUNDRY_RESOURCE or ANTHROPIC_FOUNDRY_BASE_URL)"))
		default:
			fmt.Fprintln(w, "  "+tr.X("config.provider_endpoint", "Endpoint: {{.URL}}", "URL", p.Endpoint))
		}
		if p.Region != "" {
			from := string(p.RegionSource)
			if p.RegionSource == claudesettings.SourceDefault {
				from = tr.X("config.provider_region_default", "Claude Code's default: none is set")
			}
			fmt.Fprintln(w, "  "+tr.X("config.provider_region", "Region:   {{.Region}} ({{.From}})", "Region", p.Region, "From", from))
		}
		switch {
		case p.SkipAuth:
			fmt.Fprintln(w, "  "+tr.X("config.provider_skip_auth", "Credentials: not needed here (a gateway signs the requests)"))
		case p.Credentials != "":
			fmt.Fprintln(w, "  "+tr.X("config.provider_credentials", "Credentials: {{.Where}}", "Where", p.Credentials))
		case s.ProviderProblem != "":
			fmt.Fprintln(w, "  "+tr.X("config.provider_no_credentials_why", "Credentials: none found: {{.Why}}", "Why", s.ProviderProblem))
		default:
			fmt.Fprintln(w, "  "+tr.X("config.provider_no_credentials", "Credentials: none found where Claude Code looks"))
		}
	}
	switch c := s.Credential; {
	case s.Provider != nil:
	case c == nil:
		fmt.Fprintln(w, tr.X("config.no_credential", "Credential: none found: no claude.ai login, API key, token or apiKeyHelper. Sign in with /login in Claude Code, or store a key with: claudemedic key set"))
	case c.Key == "":
		fmt.Fprintln(w, tr.X("config.credential_unusable", "Credential Claude Code would send: none usable: {{.Label}} ({{.Where}}) {{.Err}}.", "Label", c.Label, "Where", place(*c), "Err", c.Error))
	default:
		fmt.Fprintln(w, tr.X("config.credential", "Credential Claude Code would send: {{.Key}}, from {{.Label}} ({{.Where}}), as {{.How}}.", "Key", c.Key, "Label", c.Label, "Where", place(*c), "How", c.SentAs))
		if c.ExpiresAt != nil {
			fmt.Fprintln(w, "  "+tr.X("config.credential_expires", "Its access token expires at {{.When}}; Claude Code renews it itself.", "When", c.ExpiresAt.Local().Format("2006-01-02 15:04")))
		}
	}
	if len(s.Shadowed) > 0 {
		fmt.Fprintln(w, tr.X("config.shadowed_credentials", "Also set, but not what Claude Code sends:"))
		for _, c := range s.Shadowed {
			line := c.Label
			if c.Key != "" {
				line += " " + c.Key
			}
			line += " (" + place(c) + ")"
			if c.Error != "" {
				line += ": " + c.Error
			}
			fmt.Fprintf(w, "  %s\n", line)
		}
	}
	if s.UnusedKeychainKey {
		fmt.Fprintln(w, tr.X("config.unused_keychain_key", "Claude Medic's keychain holds a key that Claude Code does not read. Give it to Claude Code with: claudemedic key use-with-claude-code"))
	}
}
