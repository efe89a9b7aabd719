package tray

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"claudemedic/internal/dbustest"
	"claudemedic/internal/prefs"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// hungService owns org.freedesktop.Notifications on the bus and takes every
// call without ever answering it, as a hung notification daemon does.
type hungService struct {
	calls   chan string // the summary of each Notify call, as it arrives
	release chan struct{}
}

func (h *hungService) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	select {
	case h.calls <- summary:
	default:
	}
	<-h.release
	return 0, nil
}

func (h *hungService) GetServerInformation() (string, string, string, string, *dbus.Error) {
	<-h.release
	return "hung", "test", "0", "1.2", nil
}

// startHungService puts a hung notification service, and a tray host's
// StatusNotifierWatcher, on the bus at addr.
func startHungService(t *testing.T, addr string) (*hungService, *desktop) {
	t.Helper()
	h := &hungService{calls: make(chan string, 16), release: make(chan struct{})}
	t.Cleanup(func() { close(h.release) })
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if err := conn.ExportMethodTable(map[string]any{"Notify": h.Notify, "GetServerInformation": h.GetServerInformation},
		"/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	if reply, err := conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning org.freedesktop.Notifications: %v %v", reply, err)
	}
	wconn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { wconn.Close() })
	d := &desktop{registered: make(chan string, 1)}
	if err := wconn.ExportMethodTable(map[string]any{"RegisterStatusNotifierItem": d.RegisterStatusNotifierItem},
		"/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		t.Fatal(err)
	}
	if reply, err := wconn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("owning org.kde.StatusNotifierWatcher: %v %v", reply, err)
	}
	return h, d
}

// TestHungNotificationService: the notification service takes the agent's
// call and never answers. The agent goes on checking, its menu (read over
// D-Bus as a tray host reads it) follows each check at once, Quit still
// stops it, and the call gives up after notifyTimeout with a line in the
// agent's log.
//
// systray runs once per process: the test runs in a process of its own (this
// test binary again), so the other tests' agents run in this one.
func TestHungNotificationService(t *testing.T) {
	needDesktop(t)
	if os.Getenv("CLAUDEMEDIC_TEST_HUNG_INNER") == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHungNotificationService$", "-test.v", "-test.count=1")
		cmd.Env = append(os.Environ(), "CLAUDEMEDIC_TEST_HUNG_INNER=1")
		out, err := cmd.CombinedOutput()
		t.Logf("the test in a process of its own:\n%s", out)
		if err != nil {
			t.Fatalf("it failed: %v", err)
		}
		return
	}
	addr := dbustest.Session(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	home := t.TempDir()
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"} {
		t.Setenv(v, home+"/"+v)
	}
	t.Setenv("LANG", "C")
	if err := prefs.Save(prefs.Prefs{CheckInterval: time.Hour, NoTranscripts: true}); err != nil {
		t.Fatal(err)
	}
	saved := notifyTimeout
	notifyTimeout = 15 * time.Second
	t.Cleanup(func() { notifyTimeout = saved })

	hung, d := startHungService(t, addr)
	srv := netchecktest.Start(t, netchecktest.ServerError)
	checks := make(chan struct{}, 64)
	done := make(chan int, 1)
	go func() {
		done <- Run(Options{ // Notifier nil: the real one, on the bus
			Check: func(ctx context.Context, stream bool) (*netcheck.Report, error) {
				checks <- struct{}{}
				return netcheck.Run(ctx, srv.Target(), srv.Options()), nil
			},
			Window:      func(string) error { return nil },
			InstanceDir: shortDir(t),
		})
	}()
	select {
	case <-d.registered:
	case <-time.After(30 * time.Second):
		t.Fatal("the tray never registered with the StatusNotifierWatcher")
	}
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	name := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", os.Getpid())
	item := conn.Object(name, "/StatusNotifierItem")
	mp, err := item.GetProperty("org.kde.StatusNotifierItem.Menu")
	if err != nil {
		t.Fatalf("the Menu property: %v", err)
	}
	h := &host{t: t, item: item, menu: conn.Object(name, mp.Value().(dbus.ObjectPath))}

	// The first check fails: the agent notifies, and the service hangs on it.
	h.waitMenu("the down status", func(n []node) bool { l := labels(n); return len(l) > 0 && l[0] == "Claude API: not reachable" })
	var hungAt time.Time
	select {
	case s := <-hung.calls:
		hungAt = time.Now()
		t.Logf("the service took %q and does not answer", s)
	case <-time.After(30 * time.Second):
		t.Fatal("the agent never called Notify")
	}

	// While the call hangs, the agent checks again when asked, and its menu follows at once.
	srv.SetScenario(netchecktest.Healthy)
	for range len(checks) {
		<-checks
	}
	h.click("Check now")
	h.waitMenu("OK again while the notification hangs", func(n []node) bool { l := labels(n); return len(l) > 0 && l[0] == "Claude API: OK" })
	// Causally, not by the clock: had the agent waited on the call, the
	// menu could only follow once the call gave up, which the log would say.
	log := filepath.Join(os.Getenv("XDG_STATE_HOME"), "claudemedic", "agent.log")
	want := "the notification service did not answer within 15s"
	gaveUp := func() bool { b, _ := os.ReadFile(log); return strings.Contains(string(b), want) }
	if gaveUp() {
		t.Errorf("the menu followed the check only once the hung call gave up (%v after it): the agent waited for the notification", time.Since(hungAt))
	}
	select {
	case <-checks:
	default:
		t.Error("the check did not run")
	}
	// And once more, down: a second notification waits behind the hung one, the menu does not.
	srv.SetScenario(netchecktest.ServerError)
	h.click("Check now")
	h.waitMenu("down again", func(n []node) bool { l := labels(n); return len(l) > 0 && l[0] == "Claude API: not reachable" })
	if gaveUp() {
		t.Errorf("the menu followed the second check only once the hung call gave up (%v after it)", time.Since(hungAt))
	}

	// The hung call gives up, with a line in the agent's log; the waiting notification is then sent.
	deadline := time.Now().Add(notifyTimeout + 20*time.Second)
	for {
		b, _ := os.ReadFile(log)
		if strings.Contains(string(b), want) {
			if took := time.Since(hungAt); took < notifyTimeout-time.Second {
				t.Errorf("the call gave up after %v, before its %v", took, notifyTimeout)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the agent's log never said %q:\n%s", want, b)
		}
		time.Sleep(100 * time.Millisecond)
	}
	select {
	case s := <-hung.calls:
		if !strings.HasPrefix(s, "The Claude API cannot be reached") {
			t.Errorf("the waiting notification: %q", s)
		}
	case <-time.After(10 * time.Second):
		t.Error("the waiting notification was never sent")
	}
	// The menu still answers, and Quit stops the agent while a call hangs.
	if l := labels(h.waitMenu("the menu", func(n []node) bool { return len(n) > 0 })); !slices.Contains(l, "Quit") {
		t.Errorf("menu %q", l)
	}
	h.click("Quit")
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("the agent exited %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Quit did not stop the agent while a notification hung")
	}
}
