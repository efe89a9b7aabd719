package gui

import (
	"context"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"claudemedic/netcheck"
)

// Services are what the window calls: the logic packages, behind small
// interfaces so the window never imports more than it renders. NewServices
// wires the real ones; tests wire the same real packages pointed at a
// t.TempDir HOME, a private keychain and a netchecktest server.
type Services struct {
	// Resolve returns the Target Claude Code would use (claudecfg.Resolve).
	Resolve func(ctx context.Context) (netcheck.Target, error)
	// Check runs the checks (netcheck.Run).
	Check func(ctx context.Context, t netcheck.Target, o netcheck.Options) *netcheck.Report
	// Last is the agent's last report, read from disk; nil when there is none.
	Last func() (*netcheck.Report, error)
	// Record stores a report as the last one and in the history.
	Record func(r *netcheck.Report) error
	// History is the checks since a time, oldest first.
	History func(since time.Time) ([]Point, error)
	// LanguagePref is the language override from Claude Medic's preferences ("" for the system's).
	LanguagePref func() string
	Keys         Keys
	Settings     Settings
	Cache        Cache
	// Timeout bounds each check; 0 means netcheck's default.
	Timeout time.Duration
}

// Point is one check in the history.
type Point struct {
	At      time.Time
	Latency time.Duration // time to first byte, or the total when there was none
	Failed  bool          // the verdict was down
}

// Keys is the API key in the OS keychain (keystore). Every call may block on
// an unlock prompt: the window calls them off the UI goroutine only.
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
	// SuggestTimeout proposes API_TIMEOUT_MS from the p95 of the measured
	// latencies: the report r and the agent's history.
	SuggestTimeout(r *netcheck.Report) (Suggestion, error)
}

// Suggestion is a proposed API_TIMEOUT_MS and the measurement behind it.
type Suggestion struct {
	Timeout      time.Duration // the proposed API_TIMEOUT_MS
	Samples      int           // how many measurements it comes from
	P95FirstByte time.Duration // their 95th percentile of time to first byte
}

// Change is one saved edit: which file, what changed, and how to undo it.
type Change struct {
	File  string
	Lines []string // "API_TIMEOUT_MS: 600000 → 900000"
	Undo  any      // the logic package's own undo token
}

// Cache lists and clears Claude Code's disposable files (claudecfg).
type Cache interface {
	List(ctx context.Context) ([]CacheItem, error)
	// Clear moves every cache item, and the user-data items named, to the
	// trash; the token undoes it.
	Clear(ctx context.Context, userData []string) (undo any, err error)
	Undo(ctx context.Context, token any) error
}

// CacheItem is one cache folder or file.
type CacheItem struct {
	Name  string
	Class string // ClassCache (safe to delete) or ClassUserData (only with consent)
	Size  int64
}

// keychainPromptAfter is how long a keychain call may run before the window says it waits for an unlock.
const keychainPromptAfter = 700 * time.Millisecond

// onUI runs f on the UI goroutine: fyne.Do in the app. Tests swap in a
// queue they drain on the test goroutine, as the real driver's loop would.
var onUI = fyne.Do

// inflight counts the background calls whose done has not run yet, so tests
// can wait until the window is settled.
var inflight atomic.Int64

// background runs fn off the UI goroutine and then done on it.
func background[T any](fn func() (T, error), done func(T, error)) {
	inflight.Add(1)
	go func() {
		v, err := fn()
		onUI(func() {
			defer inflight.Add(-1)
			done(v, err)
		})
	}()
}

// hasKey reports, on the UI goroutine, whether a credential exists: in the
// keychain or wherever Claude Code would find one.
func (s *Services) hasKey(done func(bool)) {
	background(func() (bool, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if s.Resolve != nil {
			if t, err := s.Resolve(ctx); err == nil && t.Credential.Secret != "" {
				return true, nil
			}
		}
		if s.Keys == nil {
			return false, nil
		}
		m, err := s.Keys.Status(ctx)
		return m != "" || err != nil, nil // an error (locked, no service) is not "no key"
	}, func(has bool, _ error) { done(has) })
}

func (s *Services) languagePref() string {
	if s.LanguagePref == nil {
		return ""
	}
	return s.LanguagePref()
}
