package tray

import "claudemedic/assets/trayicon"

// silent is a Notifier that shows nothing, for tests on every platform.
type silent struct{}

func (silent) Notify(string, string, trayicon.State) error { return nil }
