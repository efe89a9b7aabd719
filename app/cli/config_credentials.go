package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"claudemedic/netcheck"
)

// The credential part of `config show`: which credential Claude Code sends,
// what it hides, the cloud provider and a keychain key it does not read.

// credentialJSON is a credential in `config show --json`: masked, never whole.
type credentialJSON struct {
	Key       string          `json:"key"` // masked; "" when it could not be read
	Source    netcheck.Source `json:"source"`
	Var       string          `json:"var"`
	Kind      string          `json:"kind"`
	Label     string          `json:"label"`             // "claude.ai login (Max)", "ANTHROPIC_API_KEY", …
	SentAs    string          `json:"sent_as,omitempty"` // the header(s) it goes in
	File      string          `json:"file,omitempty"`
	ExpiresAt *time.Time      `json:"expires_at,omitempty"`
	Error     string          `json:"error,omitempty"` // why it could not be read
}

func credentialOf(c netcheck.Credential) credentialJSON {
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
func printCredentials(w io.Writer, s showJSON) {
	place := func(c credentialJSON) string {
		parts := []string{string(c.Source)}
		if c.File != "" {
			parts = append(parts, c.File)
		}
		return strings.Join(parts, ", ")
	}
	if p := s.Provider; p != nil {
		fmt.Fprintf(w, "Cloud provider: %s (%s), so Claude Code sends no Anthropic credential.\n", p.Name.Title(), p.Var)
		switch {
		case p.Endpoint == "":
			fmt.Fprintln(w, "  Endpoint: none (set ANTHROPIC_FOUNDRY_RESOURCE or ANTHROPIC_FOUNDRY_BASE_URL)")
		default:
			fmt.Fprintf(w, "  Endpoint: %s\n", p.Endpoint)
		}
		if p.Region != "" {
			from := string(p.RegionSource)
			if p.RegionSource == netcheck.SourceDefault {
				from = "Claude Code's default: none is set"
			}
			fmt.Fprintf(w, "  Region:   %s (%s)\n", p.Region, from)
		}
		switch {
		case p.SkipAuth:
			fmt.Fprintln(w, "  Credentials: not needed here (a gateway signs the requests)")
		case p.Credentials != "":
			fmt.Fprintf(w, "  Credentials: %s\n", p.Credentials)
		case s.ProviderProblem != "":
			fmt.Fprintf(w, "  Credentials: none found: %s\n", s.ProviderProblem)
		default:
			fmt.Fprintln(w, "  Credentials: none found where Claude Code looks")
		}
	}
	switch c := s.Credential; {
	case s.Provider != nil:
	case c == nil:
		fmt.Fprintln(w, "Credential: none found: no claude.ai login, API key, token or apiKeyHelper. Sign in with /login in Claude Code, or store a key with: claudemedic key set")
	case c.Key == "":
		fmt.Fprintf(w, "Credential Claude Code would send: none usable: %s (%s) %s.\n", c.Label, place(*c), c.Error)
	default:
		fmt.Fprintf(w, "Credential Claude Code would send: %s, from %s (%s), as %s.\n", c.Key, c.Label, place(*c), c.SentAs)
		if c.ExpiresAt != nil {
			fmt.Fprintf(w, "  Its access token expires at %s; Claude Code renews it itself.\n", c.ExpiresAt.Local().Format("2006-01-02 15:04"))
		}
	}
	if len(s.Shadowed) > 0 {
		fmt.Fprintln(w, "Also set, but not what Claude Code sends:")
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
		fmt.Fprintln(w, "Claude Medic's keychain holds a key that Claude Code does not read. Give it to Claude Code with: claudemedic key use-with-claude-code")
	}
}
