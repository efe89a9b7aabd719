package gui

import (
	"context"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"

	"claudemedic/doctor"
	"claudemedic/netcheck"
)

// Services are what the window calls: the use cases of doctor (resolving,
// checking, recording, the history, the key and the settings), and what only
// the window shows (the agent's last report, the cache). NewServices wires the
// real ones; tests wire the same real packages pointed at a t.TempDir HOME, a
// private keychain and a netchecktest server.
type Services struct {
	doctor.Doctor
	// Last is the agent's last report, read from disk; nil when there is none.
	Last  func() (*netcheck.Report, error)
	Cache Cache
	// TrayHost asks the desktop whether the tray's icon and notifications
	// can show (trayHostMissing); nil asks nothing.
	TrayHost func() (noHost, noNotifications bool)
}

// Cache lists and clears Claude Code's disposable files (doctor.Cache).
type Cache interface {
	List(ctx context.Context) ([]CacheItem, error)
	// Clear moves every cache item, and the user-data items named, to the
	// trash; undo puts them back (nil when nothing moved, also with an error
	// after some moved). It refuses while Claude Code runs
	// (*claudecache.RunningError) unless force.
	Clear(ctx context.Context, userData []string, force bool) (undo func() error, err error)
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
		waitFirstFrame()
		v, err := fn()
		onUI(func() {
			defer inflight.Add(-1)
			done(v, err)
		})
	}()
}

// signedIn reports, on the UI goroutine, whether Claude Code has something
// to sign in with, so the first launch need not ask for a key: a claude.ai
// login or any other credential it finds (even one that fails: its own
// finding says what to do), a cloud provider, or a key in Claude Medic's
// keychain.
func (s *Services) signedIn(done func(bool)) {
	background(func() (bool, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if s.Resolve != nil {
			if t, err := s.Resolve(ctx); err == nil && (t.Credential.Set() || t.Provider.Name != "") {
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
