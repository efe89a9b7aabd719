package gui

import (
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"claudemedic/internal/dbustest"
)

// privateBus starts a session bus of the test's own and points the window at it.
func privateBus(t *testing.T) string {
	t.Helper()
	addr := dbustest.Session(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	return addr
}

// service owns name on the bus at addr with methods on path; each method
// answers at once, or, when hang is set, takes the call and never answers.
func service(t *testing.T, addr, name, path, iface string, methods map[string]any) {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.ExportMethodTable(methods, dbus.ObjectPath(path), iface); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName(name, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning %s: %v %v", name, reply, err)
	}
}

// TestTrayHostHung: a notification service, or a tray host's watcher, that
// takes the window's question and never answers counts as missing, and the
// question gives up within trayHostWait (the status page never waits on it).
func TestTrayHostHung(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	hang := func() *dbus.Error { <-release; return nil }
	serverInfo := func(hung bool) func() (string, string, string, string, *dbus.Error) {
		return func() (string, string, string, string, *dbus.Error) {
			if hung {
				<-release
			}
			return "test", "test", "0", "1.2", nil
		}
	}
	props := func(hung, registered bool) func(string, string) (dbus.Variant, *dbus.Error) {
		return func(string, string) (dbus.Variant, *dbus.Error) {
			if hung {
				<-release
			}
			return dbus.MakeVariant(registered), nil
		}
	}
	for _, tc := range []struct {
		name                          string
		hungNotify, hungWatcher, host bool
		wantNoHost, wantNoNotify      bool
	}{
		{"both answer", false, false, true, false, false},
		{"the notification service hangs", true, false, true, false, true},
		{"the watcher hangs", false, true, true, true, false},
		{"no host behind the watcher", false, false, false, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			addr := privateBus(t)
			service(t, addr, "org.freedesktop.Notifications", "/org/freedesktop/Notifications", "org.freedesktop.Notifications",
				map[string]any{"GetServerInformation": serverInfo(tc.hungNotify), "Notify": hang})
			service(t, addr, "org.kde.StatusNotifierWatcher", "/StatusNotifierWatcher", "org.freedesktop.DBus.Properties",
				map[string]any{"Get": props(tc.hungWatcher, tc.host)})
			start := time.Now()
			noHost, noNotify := trayHostMissing()
			took := time.Since(start)
			if noHost != tc.wantNoHost || noNotify != tc.wantNoNotify {
				t.Errorf("trayHostMissing() = %v, %v; want %v, %v", noHost, noNotify, tc.wantNoHost, tc.wantNoNotify)
			}
			if took > 2*trayHostWait+time.Second {
				t.Errorf("the question took %v", took)
			}
			if tc.wantNoNotify && !strings.Contains(trayHostNote(noHost, noNotify), "No notification service answers") {
				t.Errorf("the status page's note: %q", trayHostNote(noHost, noNotify))
			}
		})
	}
}
