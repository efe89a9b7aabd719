package claudecfg

import (
	"strings"

	"claudemedic/claudesettings"
)

// applyFlags lays the values given on Claude Medic's own command line over
// every settings file and the shell: a flag says what to check, so it wins,
// and the report names it claudesettings.SourceFlag. An empty value unsets. A flag
// for HTTPS_PROXY stands for every ProxyVars spelling (`check --proxy none`
// leaves no proxy at all).
func (s *Settings) applyFlags(flags map[string]string) {
	for name, v := range flags {
		names := []string{name}
		if strings.EqualFold(name, claudesettings.VarHTTPSProxy) {
			names = claudesettings.ProxyVars
		}
		for i, n := range names {
			value := v
			if i > 0 {
				value = "" // the other spellings would win over or stand in for the flag
			}
			s.Vars[n] = Value{Name: n, Value: value, Source: claudesettings.SourceFlag, Overrides: s.Vars[n].Source}
		}
	}
}
