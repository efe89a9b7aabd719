package tray

import (
	"context"
	"errors"
	"log/slog"
	"runtime"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/systray"
	"github.com/godbus/dbus/v5"

	"claudemedic/app/tray/autostart"
	"claudemedic/app/tray/metrics"
	"claudemedic/app/tray/monitor"
	"claudemedic/assets/trayicon"
	"claudemedic/doctor"
	"claudemedic/internal/i18n"
	"claudemedic/internal/prefs"
	"claudemedic/internal/state"
	"claudemedic/netcheck"
)

// menu is the tray icon, its tooltip and its menu. Its loop goroutine owns
// the fields below the line; everything else reaches it over channels.
type menu struct {
	opts    Options
	mon     *monitor.Monitor
	notify  Notifier
	windows *windowOpener
	stream  atomic.Bool

	events  chan monitor.Event
	refresh chan struct{} // the last report changed on disk
	reprefs chan struct{} // the preferences changed on disk
	clicks  chan string
	done    chan struct{} // closed when the agent stops

	ccEvents chan ccSummary // Claude Code's own errors, from watchClaudeCode
	ccPrefs  chan struct{}  // the preferences changed: watchClaudeCode looks again

	// ---- owned by loop
	tr       i18n.Printer // the language of the menu and the notifications
	prefs    prefs.Prefs
	met      *metrics.Metrics // nil until the endpoint is first turned on
	metSrv   *metrics.Server
	report   *netcheck.Report
	runErr   error
	checking bool
	manual   bool             // the running check was asked for: the icon shows it
	known    netcheck.Verdict // the verdict the user has been told of
	icon     trayicon.State

	status, finding, check, open, trouble, cache, pause, login, quit *systray.MenuItem
	claudeCode                                                       *systray.MenuItem // the installed Claude Code's version
	ccItem                                                           *systray.MenuItem // Claude Code's own errors of the last hour
	cc                                                               ccSummary
}

func newMenu(opts Options, p prefs.Prefs) *menu {
	m := &menu{
		opts:     opts,
		notify:   opts.Notifier,
		windows:  &windowOpener{exe: opts.windowExe},
		events:   make(chan monitor.Event, 8),
		refresh:  make(chan struct{}, 1),
		reprefs:  make(chan struct{}, 1),
		clicks:   make(chan string, 8),
		done:     make(chan struct{}),
		ccEvents: make(chan ccSummary, 1),
		ccPrefs:  make(chan struct{}, 1),
		prefs:    p,
		tr:       i18n.Chosen(p.Language),
		known:    netcheck.VerdictUnknown,
	}
	m.stream.Store(p.Stream)
	m.mon = monitor.New(monitor.Config{
		Check: func(ctx context.Context) (*netcheck.Report, error) {
			return opts.Check(ctx, m.stream.Load())
		},
		Interval: p.CheckInterval,
		OnEvent: func(e monitor.Event) {
			select {
			case m.events <- e:
			case <-m.done:
			}
		},
	})
	if r, err := state.Last(); err == nil {
		m.report, m.known = r, r.Verdict
	} else if !errors.Is(err, state.ErrNoReport) {
		slog.Warn("reading the last report", "err", err)
	}
	return m
}

// build adds the menu items; systray calls it when the tray is ready.
func (m *menu) build() {
	defer dropIfBusClosed()
	if runtime.GOOS != "darwin" {
		systray.SetTitle("Claude Medic") // the item's name on Linux; on macOS it would show beside the icon
	}
	m.status = systray.AddMenuItem("", "")
	m.status.Disable()
	m.finding = systray.AddMenuItem("", "")
	m.finding.Disable()
	m.claudeCode = systray.AddMenuItem("", "")
	m.claudeCode.Disable()
	m.claudeCode.Hide()
	m.ccItem = systray.AddMenuItem("", "")
	m.ccItem.Hide()
	systray.AddSeparator()
	m.check = systray.AddMenuItem("", "")
	m.open = systray.AddMenuItem("", "")
	m.trouble = systray.AddMenuItem("", "")
	m.cache = systray.AddMenuItem("", "")
	systray.AddSeparator()
	m.pause = systray.AddMenuItemCheckbox("", "", false)
	on, err := autostart.Enabled()
	if err != nil {
		slog.Warn("reading the autostart entry", "err", err)
	}
	m.login = systray.AddMenuItemCheckbox("", "", on)
	systray.AddSeparator()
	m.quit = systray.AddMenuItem("", "")
	for _, l := range m.labels(m.tr) {
		l.item.SetTitle(l.title)
		l.item.SetTooltip(l.tooltip)
	}
	m.render()
	go m.forwardClicks()
}

// forwardClicks moves clicks into a buffered channel: systray drops a click
// when nobody is receiving at that moment.
func (m *menu) forwardClicks() {
	for {
		var c string
		select {
		case <-m.check.ClickedCh:
			c = "check"
		case <-m.open.ClickedCh:
			c = "status"
		case <-m.trouble.ClickedCh:
			c = "wizard"
		case <-m.cache.ClickedCh:
			c = "cache"
		case <-m.pause.ClickedCh:
			c = "pause"
		case <-m.login.ClickedCh:
			c = "login"
		case <-m.quit.ClickedCh:
			c = "quit"
		case <-m.ccItem.ClickedCh:
			c = "wizard" // the wizard's first screen starts from the newest error
		}
		m.clicks <- c
	}
}

// loop handles clicks, checks and changes on disk until ctx ends.
func (m *menu) loop(ctx context.Context) {
	m.applyMetrics()
	idle := time.After(idleAfter)
	for {
		select {
		case <-ctx.Done():
			m.metSrv.Close()
			return
		case e := <-m.events:
			m.onEvent(e)
		case <-m.refresh:
			m.reloadLast()
		case <-m.reprefs:
			m.reloadPrefs()
		case c := <-m.clicks:
			m.onClick(c)
		case s := <-m.ccEvents:
			m.onClaudeCode(s)
		case <-idle:
			settle()
			idle = nil
			continue
		}
		idle = time.After(idleAfter)
	}
}

// idleAfter is how long the agent waits after its last activity before it
// gives memory back.
const idleAfter = 3 * time.Second

func (m *menu) onClick(c string) {
	switch c {
	case "check":
		m.mon.CheckNow()
	case "status", "wizard", "cache":
		if err := m.openWindow(c); err != nil {
			slog.Error("opening the window", "page", c, "err", err)
		}
	case "pause":
		p := !m.mon.Paused()
		m.mon.SetPaused(p)
		if p {
			m.pause.Check()
		} else {
			m.pause.Uncheck()
		}
		m.render()
	case "login":
		m.setAutostart(!m.login.Checked())
	case "quit":
		systray.Quit()
	}
}

// setAutostart turns starting at login on or off from the menu, and keeps
// the preference in step.
func (m *menu) setAutostart(on bool) {
	if !m.applyAutostart(on) {
		return
	}
	p, _ := prefs.Load()
	if p.Autostart != on {
		p.Autostart = on
		m.prefs.Autostart = on
		if err := prefs.Save(p); err != nil {
			slog.Error("saving the preferences", "err", err)
		}
	}
}

// applyAutostart writes or removes the start-at-login entry and ticks the
// menu item to match; it reports whether the entry changed.
func (m *menu) applyAutostart(on bool) bool {
	if err := autostart.Set(on, m.opts.autostartArgv()); err != nil {
		slog.Error("changing start at login", "err", err)
		return false
	}
	if on {
		m.login.Check()
	} else {
		m.login.Uncheck()
	}
	return true
}

func (m *menu) onEvent(e monitor.Event) {
	switch e.Kind {
	case monitor.Started:
		m.checking, m.manual = true, e.Manual
		m.render()
		return
	case monitor.Finished:
		m.checking = false
	}
	m.runErr = e.Err
	if e.Report != nil {
		m.report = e.Report
		if err := state.Record(e.Report); err != nil {
			slog.Error("saving the report", "err", err)
		}
		if m.met != nil {
			m.met.Observe(e.Report)
		}
		m.tell(e.Report)
	}
	m.render()
}

// settle gives the garbage of the last check back to the system once the
// agent has gone idle: it idles for minutes at a time.
func settle() { debug.FreeOSMemory() }

// tell notifies the user when the verdict differs from the one they knew.
// The first check after start notifies only when it is not ok.
func (m *menu) tell(r *netcheck.Report) {
	prev := m.known
	m.known = r.Verdict
	if r.Verdict == prev || (prev == netcheck.VerdictUnknown && r.Verdict == netcheck.VerdictOK) {
		return
	}
	title := notification(m.tr, r.Verdict)
	body := ""
	if len(r.Findings) > 0 {
		body = r.Findings[0].Summary.In(m.tr.Lang())
	}
	if err := m.notify.Notify(title, body, trayicon.State(r.Verdict)); err != nil {
		slog.Warn("notifying", "err", err)
	}
}

// reloadLast shows a report another process (the window) recorded.
func (m *menu) reloadLast() {
	r, err := state.Last()
	if err != nil {
		return
	}
	if m.report != nil && !r.StartedAt.After(m.report.StartedAt) {
		return // ours, or older
	}
	m.report, m.runErr, m.known = r, nil, r.Verdict
	if m.met != nil {
		m.met.Observe(r)
	}
	m.render()
}

// reloadPrefs applies preferences changed in the window.
func (m *menu) reloadPrefs() {
	p, err := prefs.Load()
	if err != nil {
		slog.Warn("reading the preferences", "err", err)
	}
	old := m.prefs
	m.prefs = p
	m.stream.Store(p.Stream)
	m.mon.SetInterval(p.CheckInterval)
	if p.NoTranscripts != old.NoTranscripts {
		poke(m.ccPrefs)
	}
	if p.MetricsPort != old.MetricsPort {
		m.applyMetrics()
	}
	if on, _ := autostart.Enabled(); on != p.Autostart {
		// The preference on disk decides: writing it back here would undo a
		// newer change made while this one was applied.
		m.applyAutostart(p.Autostart)
	}
	if tr := i18n.Chosen(p.Language); tr != m.tr {
		m.tr = tr
		m.relabel()
	}
}

// applyMetrics starts, moves or stops the metrics endpoint per the preferences.
func (m *menu) applyMetrics() {
	m.metSrv.Close()
	m.metSrv = nil
	if addr := m.prefs.MetricsAddr(); addr != "" {
		if m.met == nil {
			m.met = metrics.New()
			if m.report != nil {
				m.met.Observe(m.report)
			}
			m.met.ObserveClaudeCodeErrors(nil) // every code at zero
		}
		s, err := metrics.Serve(addr, m.met)
		if err != nil {
			slog.Error("the metrics endpoint did not start; the tray agent goes on without it", "err", err)
			return
		}
		m.metSrv = s
		slog.Info("metrics endpoint", "addr", "http://"+s.Addr+"/metrics")
	}
}

func (m *menu) relabel() {
	for _, l := range m.labels(m.tr) {
		l.item.SetTitle(l.title)
		l.item.SetTooltip(l.tooltip)
	}
	m.render()
}

// iconState is what the icon shows: checking while a check a person asked
// for runs, or any check when there is no verdict yet; unknown when the last
// check could not run; else the last verdict.
// A scheduled check keeps the last verdict's icon, so the icon does not
// flicker every few minutes.
func (m *menu) iconState() trayicon.State {
	switch {
	case m.checking && (m.manual || m.report == nil):
		return trayicon.Checking
	case m.cc.Amber && (m.report == nil || m.runErr != nil || m.report.Verdict != netcheck.VerdictDown):
		return trayicon.Degraded // Claude Code's own requests fail, whatever the probe says
	case m.report == nil || m.runErr != nil:
		return trayicon.Unknown
	}
	return trayicon.State(m.report.Verdict)
}

// render shows the current state in the icon, the tooltip and the status lines.
func (m *menu) render() {
	defer dropIfBusClosed()
	if m.status == nil {
		return
	}
	tr := m.tr
	if s := m.iconState(); s != m.icon {
		m.icon = s
		systray.SetIcon(trayicon.ForTray(s))
	}
	head := headline(tr, netcheck.VerdictUnknown)
	var details []string
	finding := ""
	if r := m.report; r != nil {
		head = headline(tr, r.Verdict)
		if d := r.Timings.Latency(); d > 0 {
			details = append(details, tr.X("tray.latency", "latency {{.Latency}}", "Latency", netcheck.FormatDuration(d)))
		}
		details = append(details, tr.X("tray.checked", "checked {{.When}}", "When", showTime(r.StartedAt, time.Now())))
		for _, f := range r.Findings {
			if f.Check != netcheck.CheckVersion { // the Claude Code line below says those
				finding = f.Summary.In(tr.Lang())
				break
			}
		}
	}
	if m.runErr != nil {
		head = tr.X("tray.not_checked", "Claude API: could not check")
		finding = tr.X("tray.check_failed", "Could not check: {{.Err}}", "Err", m.runErr)
	}
	line := head
	if m.checking {
		line = tr.X("tray.checking", "Checking the Claude API…")
	}
	if m.mon.Paused() {
		line = tr.X("tray.paused", "{{.Status}} (paused)", "Status", line)
	}
	m.status.SetTitle(line)
	if finding != "" {
		m.finding.SetTitle(ellipsis(finding, 80))
		m.finding.Show()
	} else {
		m.finding.Hide()
	}
	if line := claudeCodeLine(tr, m.report); line != "" {
		m.claudeCode.SetTitle(line)
		m.claudeCode.Show()
	} else {
		m.claudeCode.Hide()
	}
	tip := "Claude Medic\n" + head
	if len(details) > 0 {
		tip += "\n" + strings.Join(details, " · ")
	}
	if line := ccLine(tr, m.cc); line != "" {
		m.ccItem.SetTitle(line)
		m.ccItem.SetTooltip(tr.X("tray.cc_tip", "Find the cause of Claude Code's newest error"))
		m.ccItem.Show()
		tip += "\n" + line
	} else {
		m.ccItem.Hide()
	}
	if r := m.report; r != nil && m.runErr == nil {
		tip += "\n" + doctor.SignInOf(tr, r.Target).Line // what Claude Code signs in with, from the report's target
	}
	systray.SetTooltip(tip)
}

// dropIfBusClosed, deferred around systray updates, drops an update whose
// session-bus connection has closed: fyne.io/systray panics then (godbus's
// prop.SetMust), as it does while the agent quits or the desktop session
// ends, when there is no tray left to update. Any other panic goes on.
func dropIfBusClosed() {
	if r := recover(); r != nil {
		if err, ok := r.(error); ok && errors.Is(err, dbus.ErrClosed) {
			slog.Info("tray update dropped: the session bus connection has closed")
			return
		}
		panic(r)
	}
}

// ellipsis cuts s to n characters for a menu line.
func ellipsis(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
