package gui

import (
	"context"
	"errors"
	"fmt"

	"claudemedic/claudecache"
	"claudemedic/claudecfg"
	"claudemedic/doctor"
	"claudemedic/internal/prefs"
	"claudemedic/internal/state"
	"claudemedic/netcheck"
)

// NewServices wires the window to the real packages: doctor's use cases
// over claudecfg, keystore, netcheck and state (what an app started from the
// desktop would find), the agent's last report and Claude Code's cache. Call
// it after SetupLanguage: its texts speak Language().
func NewServices() *Services {
	return &Services{
		Doctor:   *doctor.New(doctor.Desktop(), doctor.Overrides{}, Language()),
		Last:     lastReport,
		Cache:    claudeCache{},
		TrayHost: trayHostMissing,
	}
}

// preferredLanguage is the preferences' language ("" for the system's).
func preferredLanguage() string {
	p, _ := prefs.Load() // broken preferences fall back to the defaults: the system's language
	return p.Language
}

// lastReport is the agent's last report; none yet is not an error.
func lastReport() (*netcheck.Report, error) {
	r, err := state.Last()
	if errors.Is(err, state.ErrNoReport) {
		return nil, nil
	}
	return r, err
}

// claudeCache is Cache over claudecfg's cache functions, in Claude Code's folder.
type claudeCache struct {
	// processes lists the running Claude Code processes a clear waits for;
	// nil is the machine's (claudecache.ClaudeProcesses).
	processes func() []int
}

func (claudeCache) List(ctx context.Context) ([]CacheItem, error) {
	dir, err := claudecfg.Dir()
	if err != nil {
		return nil, err
	}
	items, err := claudecache.ListCache(dir)
	if err != nil {
		return nil, err
	}
	var out []CacheItem
	for _, it := range items {
		if it.Known && (it.Class == claudecache.ClassCache || it.Class == claudecache.ClassUserData) {
			out = append(out, CacheItem{Name: it.Name, Class: string(it.Class), Size: it.Size})
		}
	}
	return out, nil
}

func (c claudeCache) Clear(ctx context.Context, userData []string, force bool) (any, error) {
	dir, err := claudecfg.Dir()
	if err != nil {
		return nil, err
	}
	b, err := claudecache.ClearCache(dir, claudecache.ClearOptions{Include: userData, Force: force, Processes: c.processes})
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
	_, err := claudecache.UndoClear(id, false)
	return err
}
