//go:build windows

package claudecfg

import (
	"context"
	"errors"

	"claudemedic/claudesettings"

	"golang.org/x/sys/windows/registry"
)

// loginSource names where desktopEnv's values come from in a report: Windows
// has no login shell; a new terminal and a double-clicked app get the user's
// and the machine's environment variables from the registry.
const loginSource = claudesettings.SourceUserEnvironment

// environmentKeys are the registry keys Windows builds a new program's
// environment from, machine first; tests point them elsewhere.
var environmentKeys = []struct {
	root registry.Key
	path string
	name string
}{
	{registry.LOCAL_MACHINE, `SYSTEM\CurrentControlSet\Control\Session Manager\Environment`, `HKLM\SYSTEM\CurrentControlSet\Control\Session Manager\Environment`},
	{registry.CURRENT_USER, `Environment`, `HKCU\Environment`},
}

// desktopEnv is, on Windows, the environment a new terminal or a
// double-clicked app gets, read from the registry (environmentFromRegistry):
// the counterpart of the login shell's. ok is always true.
func desktopEnv(_ context.Context, shellEnv map[string]string) (env map[string]string, ok bool, err error) {
	keys := make([]regKey, 0, len(environmentKeys))
	for _, k := range environmentKeys {
		keys = append(keys, readRegKey(k.root, k.path, k.name))
	}
	env, err = environmentFromRegistry(keys, shellEnv)
	return env, true, err
}

// readRegKey reads every value of one key; a key that does not exist holds none.
func readRegKey(root registry.Key, path, name string) regKey {
	rk := regKey{name: name}
	k, err := registry.OpenKey(root, path, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return rk
	}
	if err != nil {
		rk.err = err
		return rk
	}
	defer k.Close()
	names, err := k.ReadValueNames(0)
	if err != nil {
		rk.err = err
		return rk
	}
	for _, n := range names {
		text, kind, err := k.GetStringValue(n)
		if err != nil && !errors.Is(err, registry.ErrUnexpectedType) {
			continue // gone since it was listed
		}
		// GetStringValue gives REG_EXPAND_SZ unexpanded: environmentFromRegistry
		// expands it against the environment being built, as Windows does.
		rk.values = append(rk.values, regValue{name: n, kind: kind, text: text})
	}
	return rk
}
