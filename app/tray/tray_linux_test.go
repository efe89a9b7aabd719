package tray

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/png"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"claudemedic/app/tray/instance"
	"claudemedic/assets/trayicon"
	"claudemedic/claudesettings"
	"claudemedic/doctor/doctortest"
	"claudemedic/internal/dbustest"
	"claudemedic/internal/prefs"
	"claudemedic/internal/state"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// needDesktop skips without dbus-daemon, unless the test desktop is promised.
func needDesktop(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		if os.Getenv("CLAUDEMEDIC_TEST_DESKTOP") == "1" {
			t.Fatal("dbus-daemon is missing from the test desktop (install the dbus package)")
		}
		t.Skip("dbus-daemon not found: install dbus, or run inside scripts/testenv.sh")
	}
}

// desktop plays the desktop's parts on the bus: the tray host's
// StatusNotifierWatcher, and the notification server.
type desktop struct {
	registered chan string
	mu         sync.Mutex
	notes      []string // "title | body"
}

func (d *desktop) RegisterStatusNotifierItem(service string) *dbus.Error {
	select {
	case d.registered <- service:
	default:
	}
	return nil
}

func (d *desktop) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, timeout int32) (uint32, *dbus.Error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := hints["image-data"]; !ok {
		return 0, dbus.MakeFailedError(fmt.Errorf("no image-data hint"))
	}
	d.notes = append(d.notes, summary+" | "+body)
	return uint32(len(d.notes)), nil
}

func (d *desktop) notifications() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.notes)
}

func startDesktop(t *testing.T, addr string) *desktop {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	d := &desktop{registered: make(chan string, 1)}
	for _, x := range []struct{ path, iface, name string }{
		{"/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"},
		{"/org/freedesktop/Notifications", "org.freedesktop.Notifications", "org.freedesktop.Notifications"},
	} {
		if err := conn.ExportMethodTable(map[string]any{
			"RegisterStatusNotifierItem": d.RegisterStatusNotifierItem, "Notify": d.Notify,
		}, dbus.ObjectPath(x.path), x.iface); err != nil {
			t.Fatal(err)
		}
		if reply, err := conn.RequestName(x.name, dbus.NameFlagDoNotQueue); err != nil || reply != dbus.RequestNameReplyPrimaryOwner {
			t.Fatalf("owning %s: %v %v", x.name, reply, err)
		}
	}
	return d
}

// host reads the tray as a StatusNotifierHost does.
type host struct {
	t    *testing.T
	item dbus.BusObject
	menu dbus.BusObject

	mu   sync.Mutex
	icon []byte // from the last PropertiesChanged
	tip  string

	laidOut bool // the first GetLayout was made, and its refresh waited for
}

// node is one menu entry from com.canonical.dbusmenu.GetLayout.
type node struct {
	id    int32
	label string
	props map[string]dbus.Variant
}

func (h *host) layout() ([]node, error) {
	call := h.menu.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{})
	if call.Err != nil {
		return nil, call.Err
	}
	var rev uint32
	var root struct {
		ID       int32
		Props    map[string]dbus.Variant
		Children []dbus.Variant
	}
	if err := call.Store(&rev, &root); err != nil {
		return nil, err
	}
	if !h.laidOut {
		h.laidOut = true
		h.awaitRefresh(rev)
	}
	var nodes []node
	for _, c := range root.Children {
		f, ok := c.Value().([]any)
		if !ok || len(f) != 3 {
			continue
		}
		id, _ := f[0].(int32)
		props, _ := f[1].(map[string]dbus.Variant)
		label, _ := props["label"].Value().(string)
		nodes = append(nodes, node{id, label, props})
	}
	return nodes, nil
}

// awaitRefresh waits for the one refresh fyne.io/systray makes 150 ms after
// the first GetLayout (systray_menu_unix.go): it writes the menu's version
// under another lock than the one GetLayout reads it under, so a second
// GetLayout in the meantime is a data race in the library, which -race
// reports. The refresh raises the Version property past rev.
func (h *host) awaitRefresh(rev uint32) {
	start := time.Now()
	for deadline := start.Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		v, err := h.menu.GetProperty("com.canonical.dbusmenu.Version")
		if n, ok := v.Value().(uint32); err == nil && ok && n > rev && time.Since(start) > 200*time.Millisecond {
			return
		}
	}
}

// waitMenu polls the layout until ok accepts it.
func (h *host) waitMenu(what string, ok func([]node) bool) []node {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var nodes []node
	var err error
	for time.Now().Before(deadline) {
		if nodes, err = h.layout(); err == nil && ok(nodes) {
			return nodes
		}
		time.Sleep(50 * time.Millisecond)
	}
	h.t.Fatalf("the menu never showed %s: err=%v menu=%v", what, err, labels(nodes))
	return nil
}

func labels(nodes []node) []string {
	var l []string
	for _, n := range nodes {
		if v, ok := n.props["visible"]; ok && v.Value() == false {
			continue
		}
		if v, ok := n.props["type"]; ok && v.Value() == "separator" {
			continue
		}
		l = append(l, n.label)
	}
	return l
}

func (h *host) click(label string) {
	h.t.Helper()
	nodes := h.waitMenu(fmt.Sprintf("%q", label), func(n []node) bool { return slices.Contains(labels(n), label) })
	for _, n := range nodes {
		if n.label == label {
			if call := h.menu.Call("com.canonical.dbusmenu.Event", 0, n.id, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix())); call.Err != nil {
				h.t.Fatalf("clicking %q: %v", label, call.Err)
			}
			return
		}
	}
}

// watchItem records the icon and the tooltip from the item's
// PropertiesChanged signals. (Reading them with Properties.Get instead races
// inside godbus' prop package, which encodes a reply from the property's
// memory after releasing its lock; the signal is encoded under the lock.)
func (h *host) watchItem(conn *dbus.Conn) {
	if err := conn.AddMatchSignal(dbus.WithMatchInterface("org.freedesktop.DBus.Properties"),
		dbus.WithMatchMember("PropertiesChanged"), dbus.WithMatchObjectPath("/StatusNotifierItem")); err != nil {
		h.t.Fatal(err)
	}
	ch := make(chan *dbus.Signal, 64)
	conn.Signal(ch)
	go func() {
		for sig := range ch {
			if len(sig.Body) < 2 {
				continue
			}
			changed, _ := sig.Body[1].(map[string]dbus.Variant)
			h.mu.Lock()
			if v, ok := changed["IconPixmap"]; ok {
				var px []struct {
					W, H int32
					Pix  []byte
				}
				if dbus.Store([]any{v.Value()}, &px) == nil && len(px) > 0 {
					h.icon = px[0].Pix
				}
			}
			if v, ok := changed["ToolTip"]; ok {
				var tip struct {
					Name  string
					Icons []struct {
						W, H int32
						Pix  []byte
					}
					Title, Body string
				}
				if dbus.Store([]any{v.Value()}, &tip) == nil {
					h.tip = tip.Title
				}
			}
			h.mu.Unlock()
		}
	}()
}

func (h *host) pixmap() []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.icon
}

func (h *host) tooltip() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.tip
}

// waitTooltip waits until the tooltip satisfies ok.
func (h *host) waitTooltip(what string, ok func(string) bool) {
	h.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if ok(h.tooltip()) {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	h.t.Errorf("the tooltip %q never showed %s", h.tooltip(), what)
}

// argb is a state's icon in the tray's pixel format, to compare with IconPixmap.
func argb(t *testing.T, s trayicon.State) []byte {
	img, err := png.Decode(bytes.NewReader(trayicon.PNG(s)))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	out := make([]byte, 0, b.Dx()*b.Dy()*4)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			out = append(out, byte(a), byte(r), byte(g), byte(bl))
		}
	}
	return out
}

// waitIcon waits until the tray shows state s.
func (h *host) waitIcon(s trayicon.State) {
	h.t.Helper()
	want := argb(h.t, s)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if bytes.Equal(h.pixmap(), want) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	h.t.Fatalf("the icon never became %q (tooltip %q)", s, h.tooltip())
}

// TestTrayOverDBus runs the agent against a private session bus, reads its
// menu and icon as a tray host does, clicks "Check now" while the fake API
// fails and again when it recovers, and watches the icon, the tooltip, the
// notifications and the state on disk follow.
func TestTrayOverDBus(t *testing.T) {
	needDesktop(t)
	addr := dbustest.Session(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	home := t.TempDir()
	for _, v := range []string{"HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_DATA_HOME"} {
		t.Setenv(v, home+"/"+v)
	}
	t.Setenv("LANG", "C")
	d := startDesktop(t, addr)
	srv := netchecktest.Start(t, netchecktest.Healthy)
	dir := shortDir(t)

	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	h := &host{t: t}
	h.watchItem(conn)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	if err := prefs.Save(prefs.Prefs{CheckInterval: time.Hour, MetricsPort: port}); err != nil {
		t.Fatal(err)
	}
	scrape := func(want string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		var body []byte
		for time.Now().Before(deadline) {
			if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port)); err == nil {
				body, _ = io.ReadAll(resp.Body)
				resp.Body.Close()
				if strings.Contains(string(body), want) {
					return
				}
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Errorf("the metrics never showed %q:\n%s", want, body)
	}

	registered := make(chan struct{})
	var cannotRun atomic.Bool
	var wmu sync.Mutex
	var pages []string
	done := make(chan int)
	go func() {
		done <- Run(Options{
			Check: func(ctx context.Context, stream bool) (*netcheck.Report, error) {
				<-registered // so the test sees the first result arrive
				if cannotRun.Load() {
					return nil, errors.New("Claude Code's settings could not be read")
				}
				return netcheck.Run(ctx, srv.Target(), srv.Options()), nil
			},
			Window: func(page string) error {
				wmu.Lock()
				pages = append(pages, page)
				wmu.Unlock()
				return nil
			},
			InstanceDir: dir,
		})
	}()

	var service string
	select {
	case service = <-d.registered:
		close(registered)
	case <-time.After(30 * time.Second):
		t.Fatal("the tray never registered with the StatusNotifierWatcher")
	}
	name := fmt.Sprintf("org.kde.StatusNotifierItem-%d-1", os.Getpid())
	item := conn.Object(name, "/StatusNotifierItem")
	mp, err := item.GetProperty("org.kde.StatusNotifierItem.Menu")
	if err != nil {
		t.Fatalf("the Menu property (registered as %q): %v", service, err)
	}
	h.item, h.menu = item, conn.Object(name, mp.Value().(dbus.ObjectPath))

	// The first check runs at once: the API answers.
	menuOK := []string{"Claude API: OK", "Check now", "Open Claude Medic…", "Troubleshoot…", "Clear cache…",
		"Pause monitoring", "Start at login", "Quit"}
	h.waitMenu(fmt.Sprint(menuOK), func(n []node) bool { return slices.Equal(labels(n), menuOK) })
	h.waitIcon(trayicon.OK)
	h.waitTooltip("the verdict, the latency, the time and the credential", func(tip string) bool {
		return strings.Contains(tip, "Claude API: OK") && strings.Contains(tip, "latency ") && strings.Contains(tip, "checked ") &&
			strings.HasSuffix(tip, "\nAPI key from ANTHROPIC_API_KEY")
	})

	scrape("claudemedic_api_up 1\n")

	// The API starts failing: Check now turns the icon red, names the cause, and notifies.
	srv.SetScenario(netchecktest.ServerError)
	h.click("Check now")
	h.waitIcon(trayicon.Down)
	nodes := h.waitMenu("the down status", func(n []node) bool {
		l := labels(n)
		return len(l) == 9 && l[0] == "Claude API: not reachable" && l[1] != ""
	})
	t.Logf("down: %q", labels(nodes)[:2])
	h.waitTooltip("the down verdict", func(tip string) bool { return strings.Contains(tip, "Claude API: not reachable") })
	if last, err := state.Last(); err != nil || last.Verdict != netcheck.VerdictDown || !last.Has(netcheck.ServerError) {
		t.Errorf("the last report on disk: %v, %v; want down with SERVER_ERROR", last, err)
	}
	scrape("claudemedic_api_up 0\n")
	scrape(`claudemedic_findings_total{code="SERVER_ERROR",severity="fail"} 1`)

	// It recovers: the next check turns it green again.
	srv.SetScenario(netchecktest.Healthy)
	h.click("Check now")
	h.waitIcon(trayicon.OK)
	h.waitMenu(fmt.Sprint(menuOK), func(n []node) bool { return slices.Equal(labels(n), menuOK) })

	// One notification per change of state, none for the first ok.
	deadline := time.Now().Add(10 * time.Second)
	for len(d.notifications()) < 2 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	notes := d.notifications()
	if len(notes) != 2 || !strings.HasPrefix(notes[0], "The Claude API cannot be reached | ") ||
		!strings.HasPrefix(notes[1], "The Claude API answers again") {
		t.Errorf("notifications %q; want one for down, one for back up", notes)
	}
	if h, err := state.History(time.Time{}); err != nil || len(h) < 3 {
		t.Errorf("history: %d points, %v; want at least 3", len(h), err)
	}

	// A check that cannot run at all shows grey, with the reason.
	cannotRun.Store(true)
	h.click("Check now")
	h.waitIcon(trayicon.Unknown)
	h.waitMenu("the reason a check could not run", func(n []node) bool {
		l := labels(n)
		return len(l) > 1 && l[0] == "Claude API: could not check" && l[1] == "Could not check: Claude Code's settings could not be read"
	})
	cannotRun.Store(false)
	h.click("Check now")
	h.waitIcon(trayicon.OK)

	// The window's "Check now" records a report: the tray shows it too, and
	// its tooltip what Claude Code signs in with, read back from the report
	// on disk (a claude.ai subscriber's).
	srv.SetScenario(netchecktest.OAuthLogin)
	fromWindow := netcheck.Run(context.Background(), srv.Target(), srv.Options())
	srv.SetScenario(netchecktest.Healthy)
	fromWindow.Verdict = netcheck.VerdictDegraded
	fromWindow.Findings = []netcheck.Finding{{Code: netcheck.SlowResponse, Severity: netcheck.SeverityWarn,
		Check: netcheck.CheckHTTP, Summary: claudesettings.Text{EN: "Slow.", ZH: "慢。"}}}
	if err := state.Record(fromWindow); err != nil {
		t.Fatal(err)
	}
	h.waitIcon(trayicon.Degraded)
	h.waitMenu("the window's report", func(n []node) bool {
		l := labels(n)
		return len(l) > 1 && l[0] == "Claude API: slow or flaky" && l[1] == "Slow."
	})
	h.waitTooltip("the subscriber's login", func(tip string) bool { return strings.HasSuffix(tip, "\nSigned in with claude.ai (Max)") })

	// Preferences changed in the window apply at once: Chinese labels.
	if err := prefs.Save(prefs.Prefs{CheckInterval: time.Hour, MetricsPort: port, Language: "zh"}); err != nil {
		t.Fatal(err)
	}
	h.waitMenu("Chinese labels", func(n []node) bool {
		l := labels(n)
		return len(l) > 2 && l[0] == "Claude API：缓慢或不稳定" && l[1] == "慢。" && l[2] == "立即检查"
	})
	h.waitTooltip("the login in Chinese", func(tip string) bool { return strings.HasSuffix(tip, "\n已用 claude.ai 登录（Max）") })
	if err := prefs.Save(prefs.Prefs{CheckInterval: time.Hour, MetricsPort: port}); err != nil {
		t.Fatal(err)
	}
	h.waitMenu("English labels", func(n []node) bool { l := labels(n); return len(l) > 2 && l[2] == "Check now" })

	// Menu items open the window on their page; so does a second launch. A
	// click is an asynchronous D-Bus event: wait for its page before the next
	// opener, so the order asserted is the order asked.
	opened := func(n int) []string {
		deadline := time.Now().Add(10 * time.Second)
		for {
			wmu.Lock()
			got := slices.Clone(pages)
			wmu.Unlock()
			if len(got) >= n || time.Now().After(deadline) {
				return got
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	h.click("Troubleshoot…")
	opened(1)
	h.click("Clear cache…")
	opened(2)
	h.click("Open Claude Medic…")
	opened(3)
	if code := Run(Options{InstanceDir: dir, Open: "settings"}); code != 0 {
		t.Errorf("a second agent exited %d; want 0 after handing over", code)
	}
	opened(4)
	if err := instance.Send(dir, time.Second, instance.Open, "key"); err != nil {
		t.Error(err)
	}
	if got := opened(5); !slices.Equal(got, []string{"wizard", "cache", "status", "settings", "key"}) {
		t.Errorf("window pages opened: %q", got)
	}

	// Pause shows in the status line; Quit stops the agent and frees the lock.
	h.click("Pause monitoring")
	h.waitMenu("paused", func(n []node) bool { l := labels(n); return len(l) > 0 && l[0] == "Claude API: slow or flaky (paused)" })
	// Start at login writes the autostart entry and the preference; again removes it.
	entry := filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "autostart", "claudemedic.desktop")
	for _, on := range []bool{true, false} {
		h.click("Start at login")
		deadline := time.Now().Add(10 * time.Second)
		for {
			_, err := os.Stat(entry)
			p, _ := prefs.Load()
			if (err == nil) == on && p.Autostart == on {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("start at login %v: entry err=%v, preference %v", on, err, p.Autostart)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// Claude Code's own requests fail while the probe passes: a line in the
	// menu and the tooltip, the icon amber, one notification, the counter;
	// nothing of the conversation anywhere (a transcript full of canaries).
	h.click("Check now")
	h.waitIcon(trayicon.OK)
	cfg := filepath.Join(os.Getenv("HOME"), ".claude")
	doctortest.Transcript(t, cfg, doctortest.Transcript529, "/src/app", "", time.Now().Add(-2*time.Minute))
	ccLine := "Claude Code: 1 error in the last hour (529 Overloaded)"
	h.waitMenu(ccLine, func(n []node) bool { return slices.Contains(labels(n), ccLine) })
	h.waitIcon(trayicon.Degraded)
	h.waitTooltip("Claude Code's errors", func(tip string) bool {
		return strings.Contains(tip, "Claude API: OK") && strings.Contains(tip, "\n"+ccLine)
	})
	scrape(`claudemedic_claude_code_api_errors_total{code="OVERLOADED"} 1`)
	doctortest.CanaryTranscript(t, cfg, "/src/secret", time.Now().Add(-time.Minute))
	doctortest.Transcript(t, cfg, doctortest.TranscriptRefused, "/src/app", "", time.Now())
	cc3 := "Claude Code: 4 errors in the last hour (ECONNREFUSED)" // the canary transcript holds a 529 and a refused port answered on retry: 2 each, the refused one newest
	nodes = h.waitMenu(cc3, func(n []node) bool { return slices.Contains(labels(n), cc3) })
	scrape(`claudemedic_claude_code_api_errors_total{code="TCP_REFUSED"} 2`)
	scrape(`claudemedic_claude_code_api_errors_total{code="OVERLOADED"} 2`)
	// The line opens the wizard, which starts from the newest error.
	h.click(cc3)
	if got := opened(6); len(got) != 6 || got[5] != "wizard" {
		t.Errorf("clicking %q opened the window on %q; want the wizard last", cc3, got)
	}
	var ccNotes []string
	for _, n := range d.notifications() {
		if strings.HasPrefix(n, "Claude Code's requests are failing | Claude Code failed at ") {
			ccNotes = append(ccNotes, n)
		}
	}
	if len(ccNotes) != 1 {
		t.Errorf("notifications %q; want one for the episode", d.notifications())
	}
	seen := strings.Join(labels(nodes), "\n") + h.tooltip() + strings.Join(d.notifications(), "\n")
	if resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port)); err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		seen += string(b)
	}
	for _, v := range []string{"XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"} {
		filepath.WalkDir(os.Getenv(v), func(path string, de fs.DirEntry, err error) error {
			if err == nil && !de.IsDir() {
				b, _ := os.ReadFile(path)
				seen += string(b)
			}
			return nil
		})
	}
	for _, c := range doctortest.Canaries {
		if strings.Contains(seen, c) {
			t.Errorf("%s came out of the tray (menu, tooltip, notifications, metrics or its files)", c)
		}
	}
	// The preference turns the reading off: the line goes, the icon follows the probe.
	if err := prefs.Save(prefs.Prefs{CheckInterval: time.Hour, MetricsPort: port, NoTranscripts: true}); err != nil {
		t.Fatal(err)
	}
	h.waitMenu("no Claude Code line", func(n []node) bool { return !slices.Contains(labels(n), cc3) && len(labels(n)) > 0 })
	h.waitIcon(trayicon.OK)

	h.click("Quit")
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("the agent exited %d", code)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("Quit did not stop the agent")
	}
	a, err := instance.Acquire(dir, func(string, string) error { return nil })
	if err != nil {
		t.Fatalf("the lock after Quit: %v", err)
	}
	a.Close()
}

// shortDir is a private folder with a path short enough for a socket.
func shortDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("", "cmt")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}
