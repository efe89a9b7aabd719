package gui

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"claudemedic/app/prefs"
	"claudemedic/app/state"
	"claudemedic/claudecfg"
	"claudemedic/keystore"
	"claudemedic/netcheck"
)

// NewServices wires the window to the real packages: claudecfg for Claude
// Code's settings, keystore for the key, netcheck for the checks, state for
// the agent's last report and history, prefs for the language.
func NewServices() *Services {
	return &Services{
		Resolve: func(ctx context.Context) (netcheck.Target, error) {
			return claudecfg.Resolve(ctx, claudecfg.ResolveOptions{LoginShell: true, Keychain: keystore.Getter(keystore.DefaultProfile)})
		},
		Check:   netcheck.Run,
		Last:    lastReport,
		Record:  state.Record,
		History: history,
		LanguagePref: func() string {
			p, _ := prefs.Load() // bad preferences fall back to the defaults, and the system language
			return p.Language
		},
		Keys:     keychain{profile: keystore.DefaultProfile},
		Settings: userSettings{},
		Cache:    claudeCache{},
	}
}

// lastReport is the agent's last report; none yet is not an error.
func lastReport() (*netcheck.Report, error) {
	r, err := state.Last()
	if errors.Is(err, state.ErrNoReport) {
		return nil, nil
	}
	return r, err
}

func history(since time.Time) ([]Point, error) {
	pts, err := state.History(since)
	if err != nil {
		return nil, err
	}
	out := make([]Point, 0, len(pts))
	for _, p := range pts {
		lat := p.Total
		if lat == 0 {
			lat = p.FirstByte
		}
		out = append(out, Point{At: p.Time, Latency: lat, Failed: p.Verdict == netcheck.VerdictDown})
	}
	return out, nil
}

// keychain is Keys over keystore for one profile.
type keychain struct{ profile string }

func (k keychain) Status(ctx context.Context) (string, error) {
	st, err := keystore.Status(ctx, k.profile)
	return st.Masked, err
}

func (k keychain) Set(ctx context.Context, secret string) error {
	return keystore.Set(ctx, k.profile, secret)
}

func (k keychain) Delete(ctx context.Context) error { return keystore.Delete(ctx, k.profile) }

// UseWithClaudeCode sets apiKeyHelper to this program's `key print`, and
// removes a plaintext ANTHROPIC_API_KEY from the user settings (it would win
// over the helper): the key is in the keychain now.
func (k keychain) UseWithClaudeCode(ctx context.Context) (*Change, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("finding Claude Medic's own path: %w", err)
	}
	if exe, err = filepath.EvalSymlinks(exe); err != nil {
		return nil, fmt.Errorf("finding Claude Medic's own path: %w", err)
	}
	helper := fmt.Sprintf("%q key print", exe)
	if k.profile != keystore.DefaultProfile {
		helper += " --profile " + k.profile
	}
	return editUser(claudecfg.Set(helper, "apiKeyHelper"), claudecfg.Unset("env", "ANTHROPIC_API_KEY"))
}

// userSettings is Settings over claudecfg's user layer.
type userSettings struct{}

func (userSettings) SetEnv(ctx context.Context, name, value string) (*Change, error) {
	if value == "" {
		return editUser(claudecfg.Unset("env", name))
	}
	if err := claudecfg.CheckValue(name, value); err != nil {
		return nil, err
	}
	return editUser(claudecfg.Set(value, "env", name))
}

func (s userSettings) SetProxy(ctx context.Context, proxyURL string) (*Change, error) {
	if proxyURL == "" {
		return editUser(claudecfg.Unset("env", "HTTPS_PROXY"), claudecfg.Unset("env", "https_proxy"))
	}
	if err := claudecfg.CheckProxyURL(proxyURL); err != nil {
		return nil, err
	}
	return editUser(claudecfg.Set(proxyURL, "env", "HTTPS_PROXY"))
}

func (userSettings) SetCAFile(ctx context.Context, path string) (*Change, error) {
	if path == "" {
		return editUser(claudecfg.Unset("env", "NODE_EXTRA_CA_CERTS"))
	}
	if err := claudecfg.CheckValue("NODE_EXTRA_CA_CERTS", path); err != nil {
		return nil, err
	}
	return editUser(claudecfg.Set(path, "env", "NODE_EXTRA_CA_CERTS"))
}

func (userSettings) Undo(c *Change) error {
	switch u := c.Undo.(type) {
	case *claudecfg.Change:
		return claudecfg.Undo(u)
	case []any: // a merged change: undo the later first
		for i := len(u) - 1; i >= 0; i-- {
			if err := (userSettings{}).Undo(&Change{Undo: u[i]}); err != nil {
				return err
			}
		}
		return nil
	case nil:
		return nil
	}
	return fmt.Errorf("cannot undo a change of type %T", c.Undo)
}

// SuggestTimeout gives the slowest phase ample room: ten times the measured
// total, never below Claude Code's default, at most an hour.
func (userSettings) SuggestTimeout(r *netcheck.Report) time.Duration {
	d := max(10*r.Timings.Total, 10*r.Timings.FirstByte, netcheck.DefaultAPITimeout)
	return min(d.Round(time.Minute), time.Hour)
}

func editUser(edits ...claudecfg.Edit) (*Change, error) {
	path, err := claudecfg.SettingsPath(claudecfg.LayerUser, "")
	if err != nil {
		return nil, err
	}
	c, err := claudecfg.EditFile(path, edits...)
	if err != nil {
		return nil, err
	}
	out := &Change{File: c.File, Undo: c}
	for _, k := range c.Keys {
		out.Lines = append(out.Lines, k.String())
	}
	return out, nil
}

// claudeCache is Cache over claudecfg's cache functions.
type claudeCache struct{}

func (claudeCache) List(ctx context.Context) ([]CacheItem, error) {
	return nil, errors.New("cache listing is not available yet")
}

func (claudeCache) Clear(ctx context.Context, names []string) (any, error) {
	return nil, errors.New("cache clearing is not available yet")
}

func (claudeCache) Undo(ctx context.Context, token any) error {
	return errors.New("cache undo is not available yet")
}
