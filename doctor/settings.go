package doctor

import (
	"context"
	"errors"
	"fmt"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/internal/i18n"
	"claudemedic/keystore"
	"claudemedic/netcheck"
)

// Change is one saved edit: which file, what changed, and how to undo it.
type Change struct {
	File   string   `json:"file,omitempty"`
	Lines  []string `json:"changes"`          // "env.API_TIMEOUT_MS: 600000 → 900000", and warnings
	Backup string   `json:"backup,omitempty"` // the copy of the file before the edit ("" when it was new)
	Undo   any      `json:"-"`                // the logic package's undo token; nil when it cannot be undone
}

// Undoable reports whether Settings.Undo can revert the change.
func (c *Change) Undoable() bool { return c != nil && c.Undo != nil }

// change is claudecfg's Change as the front ends show it: the file, each
// key's old and new value (credentials masked by claudecfg), and the undo token.
func change(c *claudecfg.Change) *Change {
	if c == nil {
		return &Change{}
	}
	out := &Change{File: c.File, Backup: c.Backup}
	if c.Changed() {
		out.Undo = c
	}
	for _, k := range c.Keys {
		out.Lines = append(out.Lines, k.String())
	}
	return out
}

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

// UseWithClaudeCode sets apiKeyHelper to `claudemedic key print`, moving a
// plaintext ANTHROPIC_API_KEY from the user settings into the keychain.
func (k Keychain) UseWithClaudeCode(ctx context.Context) (*Change, error) {
	return k.use(ctx, keystore.UseOptions{MovePlaintext: true})
}

func (k Keychain) use(ctx context.Context, opts keystore.UseOptions) (*Change, error) {
	opts.Executable = k.Executable
	res, err := keystore.UseWithClaudeCode(ctx, k.Profile, opts)
	if err != nil {
		return nil, err
	}
	c := change(res.Change)
	for _, w := range res.Warnings {
		c.Lines = append(c.Lines, w.In(k.Lang))
	}
	return c, nil
}

// Replace stores secret, then points Claude Code at the keychain. The user
// settings' plaintext ANTHROPIC_API_KEY, if any, is the key being replaced:
// it is removed from the file and scrubbed from the file's backups.
func (k Keychain) Replace(ctx context.Context, secret string) (*Change, error) {
	if err := keystore.Set(ctx, k.Profile, secret); err != nil {
		return nil, err
	}
	c, err := k.use(ctx, keystore.UseOptions{DropPlaintext: true})
	if err != nil {
		return nil, err
	}
	c.Undo = nil // undoing would bring the failed plaintext key back
	return c, nil
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

// SetEnv sets name in the user settings' env, after checking the value as
// Claude Code reads it; "" removes it.
func (UserSettings) SetEnv(ctx context.Context, name, value string) (*Change, error) {
	if err := claudesettings.CheckValue(name, value); value != "" && err != nil {
		return nil, err
	}
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
	c, _, err := SetProxy(ctx, file, t, proxyURL, noProxy, netcheck.Options{})
	var pe *ProxyTestError
	if errors.As(err, &pe) && len(pe.Findings) > 0 {
		return nil, errors.New(pe.Findings[0].Summary.In(s.Lang) + " " + pe.Findings[0].Fix.In(s.Lang))
	}
	if err != nil {
		return nil, err
	}
	out := change(c)
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
	c, _, err := claudecfg.SetCA(file, path)
	if err != nil {
		return nil, err
	}
	return change(c), nil
}

// ApplyPreset saves a timeout preset.
func (UserSettings) ApplyPreset(ctx context.Context, name string) (*Change, error) {
	p, err := claudecfg.PresetNamed(name)
	if err != nil {
		return nil, err
	}
	return editUser(p.Edits()...)
}

// Undo reverts a change of the user settings.
func (UserSettings) Undo(c *Change) error {
	switch u := c.Undo.(type) {
	case *claudecfg.Change:
		return claudecfg.Undo(u)
	case nil:
		return nil
	}
	return fmt.Errorf("cannot undo a change of type %T", c.Undo)
}

func editUser(edits ...claudecfg.Edit) (*Change, error) {
	path, err := UserFile()
	if err != nil {
		return nil, err
	}
	c, err := claudecfg.EditFile(path, edits...)
	if err != nil {
		return nil, err
	}
	return change(c), nil
}
