package tray

import (
	"time"

	"fyne.io/systray"

	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

// headline is the status line for a verdict.
func headline(tr i18n.Printer, v netcheck.Verdict) string {
	switch v {
	case netcheck.VerdictOK:
		return tr.X("tray.ok", "Claude API: OK")
	case netcheck.VerdictDegraded:
		return tr.X("tray.degraded", "Claude API: slow or flaky")
	case netcheck.VerdictDown:
		return tr.X("tray.down", "Claude API: not reachable")
	}
	return tr.X("tray.unknown", "Claude API: not checked yet")
}

// notification is the title of the notification that the verdict changed to v.
func notification(tr i18n.Printer, v netcheck.Verdict) string {
	switch v {
	case netcheck.VerdictOK:
		return tr.X("tray.notify_ok", "The Claude API answers again")
	case netcheck.VerdictDegraded:
		return tr.X("tray.notify_degraded", "The Claude API is slow or flaky")
	}
	return tr.X("tray.notify_down", "The Claude API cannot be reached")
}

// label is a menu item's title and tooltip.
type label struct {
	item           *systray.MenuItem
	title, tooltip string
}

// labels are the menu items' words in tr's language, for building the menu and
// for relabelling it when the language changes.
func (m *menu) labels(tr i18n.Printer) []label {
	return []label{
		{m.check, tr.X("tray.check_now", "Check now"), tr.X("tray.check_now_tip", "Run a check and show the findings")},
		{m.open, tr.X("tray.open", "Open Claude Medic…"), tr.X("tray.open_tip", "Open the window")},
		{m.trouble, tr.X("tray.troubleshoot", "Troubleshoot…"), tr.X("tray.troubleshoot_tip", "Find the cause of an error step by step")},
		{m.cache, tr.X("tray.cache", "Clear cache…"), tr.X("tray.cache_tip", "Free space Claude Code's cache takes")},
		{m.pause, tr.X("tray.pause", "Pause monitoring"), tr.X("tray.pause_tip", "Stop the background checks")},
		{m.login, tr.X("tray.login", "Start at login"), tr.X("tray.login_tip", "Start the tray agent when you log in")},
		{m.quit, tr.X("tray.quit", "Quit"), tr.X("tray.quit_tip", "Stop the tray agent")},
	}
}

// showTime is a check's time of day, with the date when it was not today.
func showTime(t, now time.Time) string {
	t = t.In(now.Location())
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	return t.Format("Jan 2 15:04")
}

// claudeCodeLine is the menu's line for the installed Claude Code: its
// version, a newer one when out, or that none is found; "" when the report
// did not look.
func claudeCodeLine(tr i18n.Printer, r *netcheck.Report) string {
	if r == nil || r.ClaudeCode == nil {
		return ""
	}
	cc := r.ClaudeCode
	switch {
	case cc.Path == "":
		return tr.X("tray.claude_code_missing", "Claude Code: not found")
	case cc.Version == "":
		return tr.X("tray.claude_code_unknown", "Claude Code: version unknown")
	case cc.Has(netcheck.ClaudeCodeOutdated) && cc.Latest != "":
		return tr.X("tray.claude_code_outdated", "Claude Code {{.Version}}: {{.Latest}} is out", "Version", cc.Version, "Latest", cc.Latest)
	case len(cc.Others) > 0:
		return tr.X("tray.claude_code_installs", "Claude Code {{.Version}} ({{.N}} installs)", "Version", cc.Version, "N", len(cc.Others)+1)
	}
	return tr.X("tray.claude_code", "Claude Code {{.Version}}", "Version", cc.Version)
}
