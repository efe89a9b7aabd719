package doctor

import (
	"context"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
)

// NoProxy is the Overrides.Proxy that checks without any proxy (`--proxy none`).
const NoProxy = "none"

// Overrides are values a person gave explicitly (the command line's flags):
// each wins over Claude Code's settings and the shell, and the report names
// it as a flag. The zero value overrides nothing.
type Overrides struct {
	BaseURL string // check this base URL instead of ANTHROPIC_BASE_URL
	Proxy   string // this proxy instead of HTTPS_PROXY, or NoProxy
	CAFile  string // this extra CA file instead of NODE_EXTRA_CA_CERTS
	// Key is a credential given on standard input: it is used as is, and
	// neither apiKeyHelper nor the keychain is asked.
	Key string
}

// Resolve is the Target Claude Code would use as src finds it, with the
// overrides laid over it before the credential is picked (so a key on stdin
// never runs a failing apiKeyHelper, and a flagged base URL is the one the
// credential is chosen for).
func Resolve(ctx context.Context, src claudecfg.ResolveOptions, o Overrides) (claudesettings.Target, error) {
	flags := map[string]string{}
	if o.BaseURL != "" {
		flags[claudesettings.VarBaseURL] = o.BaseURL
	}
	switch o.Proxy {
	case "":
	case NoProxy:
		flags[claudesettings.VarHTTPSProxy] = ""
	default:
		flags[claudesettings.VarHTTPSProxy] = o.Proxy
	}
	if o.CAFile != "" {
		flags[claudesettings.VarExtraCACerts] = o.CAFile
	}
	if len(flags) > 0 {
		src.Flags = flags
	}
	if o.Key != "" {
		src.Credential = &claudesettings.Credential{Secret: o.Key, Source: claudesettings.SourceStdin, Var: "stdin"}
	}
	return claudecfg.Resolve(ctx, src)
}
