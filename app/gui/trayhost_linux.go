//go:build linux

package gui

import (
	"slices"

	"github.com/godbus/dbus/v5"
)

// trayHostMissing asks the session bus whether a StatusNotifier host and a
// notification service answer. No session bus at all says nothing: the
// agent's own log has that.
func trayHostMissing() (noHost, noNotifications bool) {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false, false
	}
	defer conn.Close()
	var names, activatable []string
	if conn.BusObject().Call("org.freedesktop.DBus.ListNames", 0).Store(&names) != nil {
		return false, false
	}
	conn.BusObject().Call("org.freedesktop.DBus.ListActivatableNames", 0).Store(&activatable)
	noHost = true
	if slices.Contains(names, "org.kde.StatusNotifierWatcher") {
		v, err := conn.Object("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher").
			GetProperty("org.kde.StatusNotifierWatcher.IsStatusNotifierHostRegistered")
		registered, ok := v.Value().(bool)
		noHost = err == nil && ok && !registered
		if err != nil {
			noHost = false // a watcher that does not say: assume it shows icons
		}
	}
	noNotifications = !slices.Contains(names, "org.freedesktop.Notifications") && !slices.Contains(activatable, "org.freedesktop.Notifications")
	return noHost, noNotifications
}
