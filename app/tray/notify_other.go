//go:build !linux && !darwin && !windows

package tray

import "claudemedic/assets/trayicon"

// noNotifier is the notifier where none is built (the BSDs): the icon and
// its tooltip still change.
type noNotifier struct{}

func newNotifier() Notifier { return noNotifier{} }

func (noNotifier) Notify(string, string, trayicon.State) error { return nil }
