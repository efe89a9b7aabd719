package claudecfg

import (
	"strings"

	"claudemedic/netcheck"
)

// ProxyVars are the variables Claude Code reads a proxy from. A flag for
// HTTPS_PROXY stands for all of them: `check --proxy none` leaves no proxy.
var ProxyVars = []string{VarHTTPSProxy, "https_proxy", VarHTTPProxy, "http_proxy"}

// applyFlags lays the values given on Claude Medic's own command line over
// every settings file and the shell: a flag says what to check, so it wins,
// and the report names it netcheck.SourceFlag. An empty value unsets.
func (s *Settings) applyFlags(flags map[string]string) {
	for name, v := range flags {
		names := []string{name}
		if strings.EqualFold(name, VarHTTPSProxy) {
			names = ProxyVars
		}
		for i, n := range names {
			value := v
			if i > 0 {
				value = "" // the other spellings would win over or stand in for the flag
			}
			s.Vars[n] = Value{Name: n, Value: value, Source: netcheck.SourceFlag, Overrides: s.Vars[n].Source}
		}
	}
}

// useCredential takes a credential given explicitly (a key on standard
// input): no apiKeyHelper runs and no keychain is asked. With no kind it is
// sent the way Claude Code would send the variable it stands in for: as a
// Bearer token when ANTHROPIC_AUTH_TOKEN is set, else as an API key.
func (s *Settings) useCredential(c netcheck.Credential) {
	if c.Kind == "" {
		c.Kind = netcheck.KindAPIKey
		if s.Vars[VarAuthToken].Set() {
			c.Kind = netcheck.KindBearer
		}
	}
	s.Credential = c
}
