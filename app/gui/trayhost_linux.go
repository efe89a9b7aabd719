//go:build linux

package gui

import (
	"context"
	"slices"
	"time"

	"github.com/godbus/dbus/v5"
)

// trayHostWait bounds each question to the desktop: a service that takes a
// call and never answers (a hung notification daemon) counts as missing.
var trayHostWait = 2 * time.Second

// trayHostMissing asks the session bus whether a StatusNotifier host and a
// notification service answer. No session bus at all says nothing: the
// agent's own log has that.
func trayHostMissing() (noHost, noNotifications bool) {
	conn, err := dbus.ConnectSessionBus()
	if err != nil {
		return false, false
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), trayHostWait)
	defer cancel()
	var names, activatable []string
	if conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.ListNames", 0).Store(&names) != nil {
		return false, false
	}
	conn.BusObject().CallWithContext(ctx, "org.freedesktop.DBus.ListActivatableNames", 0).Store(&activatable)
	noHost = true
	if slices.Contains(names, "org.kde.StatusNotifierWatcher") {
		wctx, wcancel := context.WithTimeout(context.Background(), trayHostWait)
		defer wcancel()
		var v dbus.Variant
		err := conn.Object("org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher").
			CallWithContext(wctx, "org.freedesktop.DBus.Properties.Get", 0, "org.kde.StatusNotifierWatcher", "IsStatusNotifierHostRegistered").Store(&v)
		registered, ok := v.Value().(bool)
		switch {
		case err == nil:
			noHost = ok && !registered
		case wctx.Err() != nil:
			noHost = true // a watcher that never answers shows no icons either
		default:
			noHost = false // a watcher that does not say: assume it shows icons
		}
	}
	switch {
	case slices.Contains(names, "org.freedesktop.Notifications"):
		// It is there; does it answer? (The agent's call would wait on one that does not.)
		nctx, ncancel := context.WithTimeout(context.Background(), trayHostWait)
		defer ncancel()
		call := conn.Object("org.freedesktop.Notifications", "/org/freedesktop/Notifications").
			CallWithContext(nctx, "org.freedesktop.Notifications.GetServerInformation", 0)
		noNotifications = call.Err != nil && nctx.Err() != nil
	default:
		noNotifications = !slices.Contains(activatable, "org.freedesktop.Notifications")
	}
	return noHost, noNotifications
}
