package tray

import (
	"context"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/fsnotify/fsnotify"

	"claudemedic/appdirs"
	"claudemedic/internal/prefs"
	"claudemedic/internal/state"
)

// watch tells the menu when the last report or the preferences change on
// disk: the window's "Check now" and its settings page write them.
func watch(ctx context.Context, m *menu) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		slog.Warn("watching for reports from the window", "err", err)
		return
	}
	defer w.Close()
	lastPath, _ := state.LastPath()
	cfgPath, _ := prefs.Path()
	for _, dir := range []func() (string, error){state.Dir, func() (string, error) { return appdirs.Ensure(appdirs.Config()) }} {
		d, err := dir()
		if err == nil {
			err = w.Add(d)
		}
		if err != nil {
			slog.Warn("watching for reports from the window", "err", err)
		}
	}
	var settle <-chan time.Time
	var last, cfg bool
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.Events:
			if !ok {
				return
			}
			switch filepath.Clean(ev.Name) {
			case lastPath:
				last = true
			case cfgPath:
				cfg = true
			default:
				continue
			}
			if settle == nil {
				settle = time.After(200 * time.Millisecond)
			}
		case err, ok := <-w.Errors:
			if !ok {
				return
			}
			slog.Warn("watching for reports from the window", "err", err)
		case <-settle:
			settle = nil
			if last {
				poke(m.refresh)
			}
			if cfg {
				poke(m.reprefs)
			}
			last, cfg = false, false
		}
	}
}
