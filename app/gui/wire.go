package gui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"claudemedic/app/prefs"
	"claudemedic/app/state"
	"claudemedic/claudecfg"
	"claudemedic/claudeinstall"
	"claudemedic/keystore"
	"claudemedic/netcheck"
)

// NewServices wires the window to the real packages: claudecfg for Claude
// Code's settings and cache, keystore for the key, netcheck for the checks,
// state for the agent's last report and history, prefs for the language.
func NewServices() *Services {
	resolve := func(ctx context.Context) (netcheck.Target, error) {
		return claudecfg.Resolve(ctx, claudecfg.ResolveOptions{LoginShell: true, Keychain: keystore.Getter(keystore.DefaultProfile), LoginKeychain: keystore.ClaudeCodeLogin})
	}
	return &Services{
		Resolve: resolve,
		Check:   checkWithVersion,
		Last:    lastReport,
		Record:  state.Record,
		History: history,
		LanguagePref: func() string {
			p, _ := prefs.Load() // broken preferences fall back to the defaults: the system's language
			return p.Language
		},
		Keys:     keychain{profile: keystore.DefaultProfile},
		Settings: userSettings{resolve: resolve},
		Cache:    claudeCache{},
	}
}

// checkWithVersion is netcheck.Run, with Claude Code's own version looked up
// beside a full check (the status page's) as the agent's checks have it: the
// login shell's PATH, the state folder's cache, the preference that turns
// the registry off. The wizard's focused checks (Only) go without it.
func checkWithVersion(ctx context.Context, t netcheck.Target, o netcheck.Options) *netcheck.Report {
	if o.Only != nil {
		return netcheck.Run(ctx, t, o)
	}
	p, _ := prefs.Load()
	dir, _ := state.Dir()
	env := claudeinstall.StateEnv()
	if s, err := claudecfg.Inspect(ctx, claudecfg.ResolveOptions{LoginShell: true}); err == nil && s.Var("PATH").Set() {
		env.PATH = s.Var("PATH").Value // the login shell's is cached for a minute
	}
	add := claudeinstall.Beside(ctx, claudeinstall.Options{Env: env, CacheDir: dir, Target: t, NoUpdateCheck: p.NoUpdateCheck})
	r := netcheck.Run(ctx, t, o)
	add(r)
	return r
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
		lat := p.FirstByte
		if lat == 0 {
			lat = p.Total
		}
		out = append(out, Point{At: p.Time, Latency: lat, Failed: p.Verdict == netcheck.VerdictDown})
	}
	return out, nil
}

// keychain is Keys over keystore for one profile.
type keychain struct {
	profile string
	exe     string // the program apiKeyHelper runs; "" means this one
}

func (k keychain) Status(ctx context.Context) (string, error) {
	st, err := keystore.Status(ctx, k.profile)
	return st.Masked, err
}

func (k keychain) Set(ctx context.Context, secret string) error {
	return keystore.Set(ctx, k.profile, secret)
}

func (k keychain) Delete(ctx context.Context) error { return keystore.Delete(ctx, k.profile) }

// UseWithClaudeCode sets apiKeyHelper to `claudemedic key print`, moving a
// plaintext ANTHROPIC_API_KEY from the user settings into the keychain.
func (k keychain) UseWithClaudeCode(ctx context.Context) (*Change, error) {
	return k.use(ctx, keystore.UseOptions{MovePlaintext: true})
}

func (k keychain) use(ctx context.Context, opts keystore.UseOptions) (*Change, error) {
	opts.Executable = k.exe
	res, err := keystore.UseWithClaudeCode(ctx, k.profile, opts)
	if err != nil {
		return nil, err
	}
	c := change(res.Change)
	for _, w := range res.Warnings {
		c.Lines = append(c.Lines, w.In(Language()))
	}
	return c, nil
}

// Replace stores secret, then points Claude Code at the keychain. The user
// settings' plaintext ANTHROPIC_API_KEY, if any, is the key being replaced:
// it is removed from the file and scrubbed from the file's backups.
func (k keychain) Replace(ctx context.Context, secret string) (*Change, error) {
	if err := keystore.Set(ctx, k.profile, secret); err != nil {
		return nil, err
	}
	c, err := k.use(ctx, keystore.UseOptions{DropPlaintext: true})
	if err != nil {
		return nil, err
	}
	c.Undo = nil // undoing would bring the failed plaintext key back
	return c, nil
}

// userSettings is Settings over claudecfg's user layer.
type userSettings struct {
	resolve func(ctx context.Context) (netcheck.Target, error)
}

func (userSettings) SetEnv(ctx context.Context, name, value string) (*Change, error) {
	if err := claudecfg.CheckValue(name, value); value != "" && err != nil {
		return nil, err
	}
	return editUser(claudecfg.EnvEdit(name, value))
}

func (s userSettings) SetProxy(ctx context.Context, proxyURL string, noProxy *string) (*Change, error) {
	file, err := claudecfg.SettingsPath(claudecfg.LayerUser, "")
	if err != nil {
		return nil, err
	}
	var t netcheck.Target
	if proxyURL != "" { // a proxy is tested against what Claude Code would reach
		if t, err = s.resolve(ctx); err != nil {
			return nil, err
		}
	}
	c, _, err := claudecfg.SetProxy(ctx, file, t, proxyURL, noProxy, netcheck.Options{})
	var pe *claudecfg.ProxyTestError
	if errors.As(err, &pe) && len(pe.Findings) > 0 {
		return nil, errors.New(pe.Findings[0].Summary.In(Language()) + " " + pe.Findings[0].Fix.In(Language()))
	}
	if err != nil {
		return nil, err
	}
	return change(c), nil
}

func (userSettings) SetCAFile(ctx context.Context, path string) (*Change, error) {
	file, err := claudecfg.SettingsPath(claudecfg.LayerUser, "")
	if err != nil {
		return nil, err
	}
	c, _, err := claudecfg.SetCA(file, path)
	if err != nil {
		return nil, err
	}
	return change(c), nil
}

func (userSettings) ApplyPreset(ctx context.Context, name string) (*Change, error) {
	p, err := claudecfg.PresetNamed(name)
	if err != nil {
		return nil, err
	}
	return editUser(p.Edits()...)
}

func (userSettings) Undo(c *Change) error {
	switch u := c.Undo.(type) {
	case *claudecfg.Change:
		return claudecfg.Undo(u)
	case nil:
		return nil
	}
	return fmt.Errorf("cannot undo a change of type %T", c.Undo)
}

// SuggestTimeout is claudecfg's suggestion from the p95 of the report's
// measurement and the agent's checks of the last 7 days.
func (userSettings) SuggestTimeout(r *netcheck.Report) (Suggestion, error) {
	var current time.Duration
	if ms, err := strconv.ParseInt(r.Target.APITimeoutMS, 10, 64); err == nil && ms > 0 {
		current = time.Duration(ms) * time.Millisecond
	}
	samples := []claudecfg.Sample{claudecfg.SampleOf(r)}
	pts, _ := state.History(time.Now().Add(-7 * 24 * time.Hour)) // no history yet: the report alone
	for _, p := range pts {
		if p.Time.Equal(r.StartedAt) {
			continue // the report itself, already counted
		}
		fb := p.FirstByte
		if fb <= 0 {
			fb = p.Total
		}
		samples = append(samples, claudecfg.Sample{FirstByte: fb, OK: p.Total > 0})
	}
	s, err := claudecfg.SuggestTimeout(samples, current)
	if err != nil {
		return Suggestion{}, err
	}
	return Suggestion{Timeout: time.Duration(s.APITimeoutMS) * time.Millisecond, Samples: s.Samples, P95FirstByte: s.P95FirstByte}, nil
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
	return change(c), nil
}

// change is claudecfg's Change as the window shows it: the file, each key's
// old and new value (credentials masked by claudecfg), and the undo token.
func change(c *claudecfg.Change) *Change {
	if c == nil {
		return &Change{}
	}
	out := &Change{File: c.File}
	if c.Changed() {
		out.Undo = c
	}
	for _, k := range c.Keys {
		out.Lines = append(out.Lines, k.String())
	}
	return out
}

// claudeCache is Cache over claudecfg's cache functions, in Claude Code's folder.
type claudeCache struct {
	// processes lists the running Claude Code processes a clear waits for;
	// nil is the machine's (claudecfg.ClaudeProcesses).
	processes func() []int
}

func (claudeCache) List(ctx context.Context) ([]CacheItem, error) {
	dir, err := claudecfg.Dir()
	if err != nil {
		return nil, err
	}
	items, err := claudecfg.ListCache(dir)
	if err != nil {
		return nil, err
	}
	var out []CacheItem
	for _, it := range items {
		if it.Known && (it.Class == claudecfg.ClassCache || it.Class == claudecfg.ClassUserData) {
			out = append(out, CacheItem{Name: it.Name, Class: string(it.Class), Size: it.Size})
		}
	}
	return out, nil
}

func (c claudeCache) Clear(ctx context.Context, userData []string) (any, error) {
	dir, err := claudecfg.Dir()
	if err != nil {
		return nil, err
	}
	b, err := claudecfg.ClearCache(dir, claudecfg.ClearOptions{Include: userData, Processes: c.processes})
	if err != nil {
		return nil, err
	}
	return b.ID, nil
}

func (claudeCache) Undo(ctx context.Context, token any) error {
	id, ok := token.(string)
	if !ok {
		return fmt.Errorf("nothing to undo")
	}
	_, err := claudecfg.UndoClear(id, false)
	return err
}
