package claudecfg

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"claudemedic/claudesettings"
)

// The registry value types an environment key holds (winnt.h's REG_*).
const (
	regSZ       = 1
	regExpandSZ = 2
)

var regTypeNames = map[uint32]string{0: "REG_NONE", 1: "REG_SZ", 2: "REG_EXPAND_SZ", 3: "REG_BINARY",
	4: "REG_DWORD", 5: "REG_DWORD_BIG_ENDIAN", 6: "REG_LINK", 7: "REG_MULTI_SZ", 11: "REG_QWORD"}

// regValue is one value of an environment key in the registry: its name, its
// type and, for the two string types, its text.
type regValue struct {
	name string
	kind uint32
	text string
}

// regKey is what one environment key holds, as read; err is why it could not
// be read (a key that does not exist is no error, and holds nothing).
type regKey struct {
	name   string // as a person writes it: HKCU\Environment
	values []regValue
	err    error
}

// environmentFromRegistry is the environment Windows gives a new program (a
// new terminal, a double-clicked app) from the machine's environment key and
// then the user's, as it builds it: in each key the strings first, then the
// expandable strings, %NAME% expanded against what is built so far and base
// (the variables Windows adds from the profile: USERPROFILE, SystemRoot…);
// a user variable wins over the machine's, except Path, which is the
// machine's Path, ";", the user's. Names are case-insensitive, as in Windows:
// each variable is returned under its own spelling and in capitals.
//
// A value that is not a string (REG_DWORD, REG_MULTI_SZ…) is left out, as
// Windows leaves it out; when it is one Claude Code reads, the error says so
// and the environment is still returned.
func environmentFromRegistry(keys []regKey, base map[string]string) (map[string]string, error) {
	type variable struct{ name, value string }
	built := map[string]variable{} // by capitalised name
	baseFold := map[string]string{}
	for k, v := range base {
		baseFold[strings.ToUpper(k)] = v
	}
	lookup := func(name string) (string, bool) {
		if v, ok := built[strings.ToUpper(name)]; ok {
			return v.value, true
		}
		v, ok := baseFold[strings.ToUpper(name)]
		return v, ok
	}
	var problems []string
	for i, key := range keys {
		if key.err != nil {
			problems = append(problems, fmt.Sprintf("%s could not be read: %v", key.name, key.err))
			continue
		}
		setHere := map[string]bool{}
		set := func(name, value string) {
			up := strings.ToUpper(name)
			if prev, ok := built[up]; ok && up == "PATH" && i > 0 && !setHere[up] && prev.value != "" && value != "" {
				value = prev.value + ";" + value
			}
			built[up] = variable{name, value}
			setHere[up] = true
		}
		for _, pass := range []uint32{regSZ, regExpandSZ} {
			for _, v := range key.values {
				switch {
				case v.kind != pass:
				case pass == regSZ:
					set(v.name, v.text)
				default:
					set(v.name, expandVars(v.text, lookup))
				}
			}
		}
		for _, v := range key.values {
			if v.kind != regSZ && v.kind != regExpandSZ && readByClaudeCode(v.name) {
				kind := regTypeNames[v.kind]
				if kind == "" {
					kind = fmt.Sprintf("value of type %d", v.kind)
				}
				problems = append(problems, fmt.Sprintf("%s in %s is a %s, not a string, so Windows leaves it out of every program's environment and Claude Code does not see it; set it again as a string (setx %s VALUE, or System Properties → Environment claudesettings.Variables)",
					v.name, key.name, kind, v.name))
			}
		}
	}
	env := make(map[string]string, 2*len(built))
	for up, v := range built {
		env[v.name], env[up] = v.value, v.value
	}
	if len(problems) > 0 {
		return env, errors.New(strings.Join(problems, "; "))
	}
	return env, nil
}

// readByClaudeCode reports whether name (in any case) is a variable Claude
// Medic reads on Claude Code's behalf.
func readByClaudeCode(name string) bool {
	return slices.ContainsFunc(append(claudesettings.Variables, claudesettings.VarConfigDir, "PATH"), func(v string) bool { return strings.EqualFold(v, name) })
}

// expandVars replaces each %NAME% in s that lookup knows with its value, as
// Windows' ExpandEnvironmentStrings does: an unknown %NAME% stays as written.
func expandVars(s string, lookup func(string) (string, bool)) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			break
		}
		end := i + 1 + j // the closing %
		b.WriteString(s[:i])
		if v, ok := lookup(s[i+1 : end]); ok && end > i+1 {
			b.WriteString(v)
		} else {
			b.WriteString(s[i : end+1])
		}
		s = s[end+1:]
	}
	b.WriteString(s)
	return b.String()
}
