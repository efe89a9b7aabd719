package doctor

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/keystore"
)

// HelperRemoval is what UninstallHelper found in the user settings and did.
type HelperRemoval struct {
	File string // the user settings file
	// Current is the apiKeyHelper found there ("" when none).
	Current string
	// Ours reports whether Current runs Claude Medic's `key print`; when it
	// does not, nothing was changed.
	Ours bool
	// Previous is the helper put back, from the newest backup whose helper
	// was not Claude Medic's ("" when the helper was removed instead).
	Previous string
	// Change is the saved edit; nil when nothing was changed.
	Change *Change
}

// ourHelper matches an apiKeyHelper that runs Claude Medic's `key print`
// (of any copy of claudemedic, installed or in a build folder).
var ourHelper = regexp.MustCompile(`(?i)claudemedic(\.exe)?["']?\s+key\s+print(\s+--profile(\s+|=)\S+)?\s*$`)

// UninstallHelper puts Claude Code's apiKeyHelper in the user settings back
// as it was before Claude Medic took it over: the helper of the newest
// backup that did not run Claude Medic, or none. With restoreKey it also
// writes the key of the keychain's profile back as ANTHROPIC_API_KEY. A
// helper that is not Claude Medic's stays as it is.
func UninstallHelper(ctx context.Context, restoreKey bool, profile string) (*HelperRemoval, error) {
	file, err := claudecfg.SettingsPath(claudecfg.LayerUser, "")
	if err != nil {
		return nil, err
	}
	f, err := claudecfg.ReadFile(file)
	if err != nil {
		return nil, err
	}
	r := &HelperRemoval{File: file}
	r.Current, _ = f.Values[claudesettings.KeyAPIKeyHelper].(string)
	r.Ours = ourHelper.MatchString(strings.TrimSpace(r.Current))
	if !r.Ours {
		return r, nil
	}
	r.Previous = helperBefore(file)
	edits := []claudecfg.Edit{claudecfg.Unset(claudesettings.KeyAPIKeyHelper)}
	if r.Previous != "" {
		edits = []claudecfg.Edit{claudecfg.Set(r.Previous, claudesettings.KeyAPIKeyHelper)}
	}
	if restoreKey {
		key, err := keystore.Get(ctx, profile)
		if err != nil {
			return nil, fmt.Errorf("reading the key to write back: %w", err)
		}
		edits = append(edits, claudecfg.Set(key, "env", claudesettings.VarAPIKey))
	}
	if r.Change, err = Edit(file, edits...); err != nil {
		return nil, err
	}
	return r, nil
}

// helperBefore is the apiKeyHelper the user settings had before Claude
// Medic's: from the newest backup whose apiKeyHelper is not Claude Medic's
// ("" when that backup has none, or there is no backup).
func helperBefore(file string) string {
	backups, err := claudecfg.Backups(file)
	if err != nil {
		return ""
	}
	for _, b := range backups { // newest first
		bf, err := claudecfg.ReadFile(b.Path)
		if err != nil {
			continue
		}
		h, _ := bf.Values[claudesettings.KeyAPIKeyHelper].(string)
		if !ourHelper.MatchString(strings.TrimSpace(h)) {
			return h
		}
	}
	return ""
}
