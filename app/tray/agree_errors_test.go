//go:build agree && linux

package tray

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"claudemedic/assets/trayicon"
	"claudemedic/internal/dbustest"
	"claudemedic/internal/prefs"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// TestAgreeErrorsTray is scripts/agree-errors.sh's tray step: the agent runs
// on a private desktop with a probe that passes (a healthy fake API), over the
// transcripts the real Claude Code wrote in $HOME/.claude, and prints what a
// person sees: the icon, the menu, the tooltip and the notifications.
func TestAgreeErrorsTray(t *testing.T) {
	needDesktop(t)
	if home := os.Getenv("CLAUDEMEDIC_AGREE_HOME"); home != "" { // where Claude Code wrote (testenv.sh has its own HOME)
		t.Setenv("HOME", home)
		for v, d := range map[string]string{"XDG_CONFIG_HOME": ".config", "XDG_STATE_HOME": ".local/state", "XDG_DATA_HOME": ".local/share"} {
			t.Setenv(v, home+"/"+d)
		}
	}
	addr := dbustest.Session(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	d := startDesktop(t, addr)
	srv := netchecktest.Start(t, netchecktest.Healthy)
	if err := prefs.Save(prefs.Prefs{CheckInterval: time.Hour}); err != nil {
		t.Fatal(err)
	}
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	h := &host{t: t}
	h.watchItem(conn)
	done := make(chan int)
	go func() {
		done <- Run(Options{
			Check: func(ctx context.Context, stream bool) (*netcheck.Report, error) {
				return netcheck.Run(ctx, srv.Target(), srv.Options()), nil
			},
			Window:      func(string) error { return nil },
			InstanceDir: shortDir(t),
		})
	}()
	select {
	case <-d.registered:
	case <-time.After(30 * time.Second):
		t.Fatal("the tray never registered")
	}
	name := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", os.Getpid())
	item := conn.Object(name, "/StatusNotifierItem")
	mp, err := item.GetProperty("org.kde.StatusNotifierItem.Menu")
	if err != nil {
		t.Fatal(err)
	}
	h.item, h.menu = item, conn.Object(name, mp.Value().(dbus.ObjectPath))
	nodes := h.waitMenu("Claude Code's errors and the probe's verdict", func(n []node) bool {
		l := labels(n)
		return len(l) > 0 && l[0] == "Claude API: OK" && slices.ContainsFunc(l, func(s string) bool { return strings.HasPrefix(s, "Claude Code: ") })
	})
	h.waitIcon(trayicon.Degraded)
	deadline := time.Now().Add(10 * time.Second)
	for len(d.notifications()) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Println("icon: amber (degraded), while the probe says OK")
	fmt.Printf("menu: %q\n", labels(nodes))
	fmt.Printf("tooltip: %q\n", h.tooltip())
	fmt.Printf("notifications: %q\n", d.notifications())
	h.click("Quit")
	<-done
}
