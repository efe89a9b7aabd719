package doctor

import (
	"context"
	"errors"
	"strings"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/internal/i18n"
	"claudemedic/keystore"
	"claudemedic/netcheck"
)

// Keys is the API key in the OS keychain (keystore). Every call may block on
// an unlock prompt: a window calls them off its UI goroutine only.
type Keys interface {
	// Status returns the stored key masked, or "" when there is none.
	Status(ctx context.Context) (masked string, err error)
	// Set validates and stores a key.
	Set(ctx context.Context, secret string) error
	// Delete removes the stored key.
	Delete(ctx context.Context) error
	// UseWithClaudeCode points Claude Code's apiKeyHelper at the keychain,
	// moving a plaintext key from the user settings into it first.
	UseWithClaudeCode(ctx context.Context) (*Change, error)
	// Replace stores a new key and points Claude Code at it; a plaintext key
	// in the user settings (the one that failed) is removed, backups included.
	Replace(ctx context.Context, secret string) (*Change, error)
}

// Settings edits Claude Code's user settings (claudecfg): each edit is
// atomic, backed up, and returns a Change that Undo reverts.
type Settings interface {
	// SetEnv sets an env variable in the user settings; "" removes it.
	SetEnv(ctx context.Context, name, value string) (*Change, error)
	// SetProxy tests the proxy against the API and only then saves it, with
	// NO_PROXY when noProxy is not nil; "" removes the proxy.
	SetProxy(ctx context.Context, proxyURL string, noProxy *string) (*Change, error)
	// SetCAFile checks the PEM file and saves it as NODE_EXTRA_CA_CERTS; "" removes it.
	SetCAFile(ctx context.Context, path string) (*Change, error)
	// ApplyPreset saves a named timeout preset (claudecfg.Presets).
	ApplyPreset(ctx context.Context, name string) (*Change, error)
	// Undo reverts a change.
	Undo(c *Change) error
}

// Keychain is Keys over keystore for one profile.
type Keychain struct {
	Profile    string
	Executable string // the program apiKeyHelper runs; "" means this one
	Lang       string // the language of the warnings a change carries
}

// Status is the stored key, masked.
func (k Keychain) Status(ctx context.Context) (string, error) {
	st, err := keystore.Status(ctx, k.Profile)
	return st.Masked, err
}

// Set stores secret.
func (k Keychain) Set(ctx context.Context, secret string) error {
	return keystore.Set(ctx, k.Profile, secret)
}

// Delete deletes the stored key.
func (k Keychain) Delete(ctx context.Context) error { return keystore.Delete(ctx, k.Profile) }

// SetKind stores secret as a credential of kind (an API key, or a Bearer token).
func (k Keychain) SetKind(ctx context.Context, secret string, kind claudesettings.CredentialKind) error {
	return keystore.SetKind(ctx, k.Profile, secret, kind)
}

// KeyStatus is the stored key and whether Claude Code reads it.
type KeyStatus struct {
	keystore.KeyStatus
	UsedByClaudeCode bool     // the user settings' apiKeyHelper runs this program's `key print` for the profile
	OtherProfiles    []string // the other profiles with a key
}

// FullStatus is the profile's key (masked, with its shape problems), whether
// Claude Code reads it and the other profiles. The error is the keychain's;
// the status is filled as far as it could be read.
func (k Keychain) FullStatus(ctx context.Context) (KeyStatus, error) {
	st, err := keystore.Status(ctx, k.Profile)
	out := KeyStatus{KeyStatus: st}
	if names, perr := keystore.Profiles(); perr == nil {
		for _, n := range names {
			if n != st.Profile {
				out.OtherProfiles = append(out.OtherProfiles, n)
			}
		}
	}
	out.UsedByClaudeCode = st.Stored && k.HelperInstalled()
	return out, err
}

// HelperInstalled reports whether the user settings' apiKeyHelper runs this
// program's `key print` for the profile.
func (k Keychain) HelperInstalled() bool {
	exe := k.Executable
	if exe == "" {
		var err error
		if exe, err = keystore.Executable(); err != nil {
			return false
		}
	}
	path, err := UserFile()
	if err != nil {
		return false
	}
	f, err := claudecfg.ReadFile(path)
	if err != nil {
		return false
	}
	h, _ := f.Values[claudesettings.KeyAPIKeyHelper].(string)
	return strings.TrimSpace(h) == keystore.HelperCommand(exe, k.Profile)
}

// KeyUse is what pointing Claude Code at the keychain did.
type KeyUse struct {
	*Change
	Helper   string   // the apiKeyHelper command
	Moved    bool     // a plaintext key moved from the settings into the keychain
	Scrubbed int      // backups the plaintext key was removed from
	Warnings []string // credentials Claude Code would use before the helper (also in Lines)
}

// UseWithClaudeCode sets apiKeyHelper to `claudemedic key print`, moving a
// plaintext ANTHROPIC_API_KEY from the user settings into the keychain.
func (k Keychain) UseWithClaudeCode(ctx context.Context) (*Change, error) {
	u, err := k.Use(ctx, true)
	if err != nil {
		return nil, err
	}
	return u.Change, nil
}

// Use points Claude Code's apiKeyHelper at the keychain. A plaintext
// ANTHROPIC_API_KEY in the user settings moves into the keychain with move;
// without, the use is refused with a *PlaintextKeyError. On an error the
// result says what was done before it (a key moved), or is nil.
func (k Keychain) Use(ctx context.Context, move bool) (*KeyUse, error) {
	return k.use(ctx, keystore.UseOptions{MovePlaintext: move})
}

func (k Keychain) use(ctx context.Context, opts keystore.UseOptions) (*KeyUse, error) {
	opts.Executable = k.Executable
	res, err := keystore.UseWithClaudeCode(ctx, k.Profile, opts)
	if res == nil {
		if errors.Is(err, keystore.ErrPlaintextInSettings) {
			pe := &PlaintextKeyError{Profile: k.Profile, Err: err}
			pe.File, _ = UserFile()
			if f, ferr := claudecfg.ReadFile(pe.File); ferr == nil {
				env, _ := claudecfg.EnvOf(f.Values) // the one reader of a settings file's env
				if key := env[claudesettings.VarAPIKey]; key != "" {
					pe.Key = claudesettings.MaskKey(strings.TrimSpace(key))
				}
			}
			return nil, pe
		}
		return nil, err
	}
	u := &KeyUse{Change: change(res.Change), Helper: res.Helper, Moved: res.Moved, Scrubbed: res.Scrubbed}
	u.File = res.File
	for _, w := range res.Warnings {
		u.Warnings = append(u.Warnings, w.In(k.Lang))
	}
	u.Lines = append(u.Lines, u.Warnings...)
	return u, err
}

// Replace stores secret, then points Claude Code at the keychain. The user
// settings' plaintext ANTHROPIC_API_KEY, if any, is the key being replaced:
// it is removed from the file and scrubbed from the file's backups.
func (k Keychain) Replace(ctx context.Context, secret string) (*Change, error) {
	if err := keystore.Set(ctx, k.Profile, secret); err != nil {
		return nil, err
	}
	u, err := k.use(ctx, keystore.UseOptions{DropPlaintext: true})
	if err != nil {
		return nil, err
	}
	u.Undo = nil // undoing would bring the failed plaintext key back
	return u.Change, nil
}

// UserSettings is Settings over claudecfg's user layer.
type UserSettings struct {
	// Resolve is what a proxy is tested against (Claude Code's base URL and CA).
	Resolve func(ctx context.Context) (claudesettings.Target, error)
	Lang    string // the language a failed proxy test is told in
}

// UserFile is Claude Code's user settings file (~/.claude/settings.json, or
// under $CLAUDE_CONFIG_DIR), the one file the fixes edit.
func UserFile() (string, error) { return claudecfg.SettingsPath(claudecfg.LayerUser, "") }

// SetEnv sets name in the user settings' env; "" removes it. The writer
// checks the value as Claude Code reads it.
func (UserSettings) SetEnv(ctx context.Context, name, value string) (*Change, error) {
	return editUser(claudecfg.EnvEdit(name, value))
}

// SetProxy tests the proxy, then saves it.
func (s UserSettings) SetProxy(ctx context.Context, proxyURL string, noProxy *string) (*Change, error) {
	file, err := UserFile()
	if err != nil {
		return nil, err
	}
	var t claudesettings.Target
	if proxyURL != "" { // a proxy is tested against what Claude Code would reach
		if t, err = s.Resolve(ctx); err != nil {
			return nil, err
		}
	}
	out, _, err := SetProxy(ctx, file, t, proxyURL, noProxy, netcheck.Options{})
	var pe *ProxyTestError
	if errors.As(err, &pe) {
		pe.Lang = s.Lang // the window shows the error as it is
	}
	if err != nil {
		return nil, err
	}
	if after, err := s.resolveAfter(ctx); err == nil && after.Proxy.Value != proxyURL {
		// Another place still decides: a higher settings layer, or, once
		// this file has none, a proxy variable of the shell.
		tr := i18n.For(s.Lang)
		out.Lines = append(out.Lines, tr.X("settings.proxy_elsewhere", "Claude Code still takes its proxy from {{.Source}} ({{.Proxy}}), which wins over your settings: change it there too.",
			"Source", SourceName(tr, after.Proxy.Source), "Proxy", claudesettings.RedactProxyURL(after.Proxy.Value)))
	}
	return out, nil
}

// resolveAfter is the target as a save left it; none without a Resolve.
func (s UserSettings) resolveAfter(ctx context.Context) (claudesettings.Target, error) {
	if s.Resolve == nil {
		return claudesettings.Target{}, errors.New("no resolver")
	}
	return s.Resolve(ctx)
}

// SetCAFile checks the CA file, then saves it.
func (UserSettings) SetCAFile(ctx context.Context, path string) (*Change, error) {
	file, err := UserFile()
	if err != nil {
		return nil, err
	}
	c, _, err := SetCA(file, path)
	return c, err
}

// ApplyPreset saves a timeout preset.
func (UserSettings) ApplyPreset(ctx context.Context, name string) (*Change, error) {
	p, err := claudecfg.PresetNamed(name)
	if err != nil {
		return nil, err
	}
	return editUser(p.Edits()...)
}

// Undo reverts a change.
func (UserSettings) Undo(c *Change) error {
	if c == nil || c.Undo == nil {
		return nil
	}
	return c.Undo()
}

func editUser(edits ...claudecfg.Edit) (*Change, error) {
	path, err := UserFile()
	if err != nil {
		return nil, err
	}
	return Edit(path, edits...)
}
