package claudecfg

import (
	"encoding/json"
	"fmt"

	"claudemedic/claudesettings"
)

// EnvOf is a settings file's env object as Claude Code reads it, the one
// reader of it: each name with its value as text. A value that is not a
// string (a number, true or false) is taken as its text but is a problem,
// as is an env that is not an object; any other value is left out. The
// problems say what to write instead.
func EnvOf(values map[string]any) (map[string]string, []string) {
	raw, ok := values[claudesettings.EnvKey]
	if !ok {
		return map[string]string{}, nil
	}
	env, isObj := raw.(map[string]any)
	var problems []string
	if !isObj {
		problems = append(problems, `"env" must be an object of names and string values, like {"API_TIMEOUT_MS": "600000"}`)
	}
	out := make(map[string]string, len(env))
	for _, name := range sortedKeys(env) {
		switch v := env[name].(type) {
		case string:
			out[name] = v
		case json.Number:
			out[name] = v.String()
			problems = append(problems, fmt.Sprintf("env.%s is a number; Claude Code's env values are strings: write \"%s\"", name, v.String()))
		case float64:
			out[name] = fmt.Sprint(v)
			problems = append(problems, fmt.Sprintf("env.%s is a number; Claude Code's env values are strings: write \"%v\"", name, v))
		case bool:
			out[name] = fmt.Sprint(v)
			problems = append(problems, fmt.Sprintf("env.%s is true or false; Claude Code's env values are strings: write \"%v\"", name, v))
		default:
			problems = append(problems, fmt.Sprintf("env.%s must be a string", name))
		}
	}
	return out, problems
}
