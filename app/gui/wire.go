package gui

import (
	"errors"

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
