package claudesettings

import "time"

// The effective values of a Target: each reads its variable through the
// table (Read), so every front end gets the same value and the same
// Problem. Nothing else re-derives them.

// Read is a variable of the table as Claude Code reads it here: from the
// Target's own field for those it has (ANTHROPIC_BASE_URL, API_TIMEOUT_MS,
// NODE_EXTRA_CA_CERTS, …), else from Env.
func (t Target) Read(name string) Reading {
	return Read(name, t.raw(name).Value)
}

// raw is the setting of a variable as resolved.
func (t Target) raw(name string) Setting {
	switch name {
	case VarBaseURL:
		return t.BaseURL
	case VarAPITimeout:
		return t.APITimeout
	case VarExtraCACerts:
		return t.CAFile
	case VarModel:
		return t.Model
	case VarDisableBetas:
		return t.DisableBetas
	case VarCertStore:
		return t.CertStore
	case VarNodeOptions:
		return t.NodeOptions
	}
	return t.Env[name]
}

// Source is where a variable's value came from: SourceDefault when it is
// unset (or set empty) and Claude Code's default applies.
func (t Target) Source(name string) Source {
	s := t.raw(name)
	if !s.Set() {
		if _, ok := Defaults[name]; ok {
			return SourceDefault
		}
	}
	return s.Source
}

// EffectiveAPITimeout is how long Claude Code lets one request take
// (API_TIMEOUT_MS, or its default of 600 s), and what is wrong with the
// value as written.
func (t Target) EffectiveAPITimeout() (time.Duration, Problem) {
	r := Read(VarAPITimeout, t.APITimeout.Value)
	return r.Duration(), r.Problem
}

// EffectiveBaseURL is the address Claude Code calls: ANTHROPIC_BASE_URL,
// else https://api.anthropic.com with SourceDefault (the one place that
// default is applied). With a cloud provider it is the provider's endpoint
// as resolved, never the default. The Reading holds the parsed URL (nil
// when it is not usable) and the Problem.
func (t Target) EffectiveBaseURL() (Setting, Reading) {
	if t.Provider.Name != "" {
		r := Reading{Name: VarBaseURL, Raw: t.BaseURL.Value, Effective: t.BaseURL.Value}
		if t.BaseURL.Set() {
			r = Read(VarBaseURL, t.BaseURL.Value)
		}
		return t.BaseURL, r
	}
	r := Read(VarBaseURL, t.BaseURL.Value)
	if r.Defaulted {
		return Setting{Value: r.Effective, Source: SourceDefault}, r
	}
	return t.BaseURL, r
}

// EffectiveMaxRetries is how many times Claude Code retries a failed
// request (CLAUDE_CODE_MAX_RETRIES, 0 to 15, or 10).
func (t Target) EffectiveMaxRetries() (int, Problem) {
	r := t.Read(VarMaxRetries)
	return int(r.Number), r.Problem
}

// EffectiveBashTimeout is how long a shell command runs by default
// (BASH_DEFAULT_TIMEOUT_MS, or 2 minutes).
func (t Target) EffectiveBashTimeout() (time.Duration, Problem) {
	r := t.Read(VarBashTimeout)
	return r.Duration(), r.Problem
}

// EffectiveBashMaxTimeout is the longest a shell command may be given
// (BASH_MAX_TIMEOUT_MS, or 10 minutes; never below EffectiveBashTimeout).
func (t Target) EffectiveBashMaxTimeout() (time.Duration, Problem) {
	r := t.Read(VarBashMaxTimeout)
	d, _ := t.EffectiveBashTimeout()
	return max(r.Duration(), d), r.Problem
}

// EffectiveMCPTimeout is how long an MCP server may take to start
// (MCP_TIMEOUT, or 30 s).
func (t Target) EffectiveMCPTimeout() (time.Duration, Problem) {
	r := t.Read(VarMCPTimeout)
	return r.Duration(), r.Problem
}

// EffectiveMCPToolTimeout is how long a call to an MCP tool may take
// (MCP_TOOL_TIMEOUT, or 100000000 ms).
func (t Target) EffectiveMCPToolTimeout() (time.Duration, Problem) {
	r := t.Read(VarMCPToolTimeout)
	return r.Duration(), r.Problem
}

// APITimeout is the report's API_TIMEOUT_MS as Claude Code reads it, the
// same as Target.EffectiveAPITimeout (for readers of a saved report: the
// metrics, the timeout suggestion).
func (v TargetView) APITimeout() (time.Duration, Problem) {
	r := Read(VarAPITimeout, v.APITimeoutMS)
	return r.Duration(), r.Problem
}

// EffectiveProxy is the proxy Claude Code goes through, read by its
// variable's reader: name is the variable it comes from (the first of
// ProxyVars that is set; HTTPS_PROXY when the target does not say).
func (t Target) EffectiveProxy() (name string, r Reading) {
	return t.firstOf(ProxyVars, t.Proxy, VarHTTPSProxy)
}

// EffectiveNoProxy is the NO_PROXY list Claude Code reads (no_proxy wins
// over NO_PROXY), read by its variable's reader.
func (t Target) EffectiveNoProxy() (name string, r Reading) {
	return t.firstOf(NoProxyVars, t.NoProxy, VarNoProxy)
}

// firstOf reads s, the first of names that is set, by that variable's reader.
func (t Target) firstOf(names []string, s Setting, fallback string) (string, Reading) {
	for _, n := range names {
		if v := t.Env[n]; v.Set() && v.Value == s.Value {
			return n, Read(n, s.Value)
		}
	}
	return fallback, Read(fallback, s.Value)
}
