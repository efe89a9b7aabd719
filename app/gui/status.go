package gui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/netcheck"
)

// statusPage shows the last report at once, then a live check: the verdict,
// a row per check, the findings, the waterfall of phases and the history.
type statusPage struct {
	w       *Window
	content fyne.CanvasObject

	verdictIcon *widget.Icon
	headline    *wrapLabel
	subline     *wrapLabel
	signIn      *wrapLabel      // what Claude Code signs in with (doctor.SignIn's Line)
	signInMore  *fyne.Container // a provider's endpoint, region and credentials; each credential set but not used
	checkBtn    *widget.Button
	copyBtn     *widget.Button
	progress    *widget.ProgressBar
	progressMsg *widget.Label
	checks      *fyne.Container
	findings    *fyne.Container
	waterfall   *waterfall
	history     *historyChart

	trayNote *wrapLabel // why the tray's icon or notifications cannot show here

	report  *netcheck.Report // what is shown
	cancel  context.CancelFunc
	running bool
}

func newStatusPage(w *Window) *statusPage {
	p := &statusPage{w: w}
	p.verdictIcon = widget.NewIcon(theme.QuestionIcon())
	p.headline = newWrapLabelWithStyle(lang.X("status.verdict.unknown", "No check yet"), fyne.TextStyle{Bold: true})
	p.headline.SizeName = theme.SizeNameHeadingText
	p.subline = newWrapLabel(lang.X("status.none_yet", "Claude Medic has not checked this machine yet."))
	p.signIn = newWrapLabel("")
	p.signIn.Hide()
	p.signInMore = container.NewVBox()
	p.checkBtn = widget.NewButtonWithIcon(lang.X("status.check_now", "Check now"), theme.ViewRefreshIcon(), p.onCheckButton)
	p.checkBtn.Importance = widget.HighImportance
	p.copyBtn = widget.NewButtonWithIcon(lang.X("status.copy_report", "Copy report"), theme.ContentCopyIcon(), p.copyReport)
	p.copyBtn.Disable()
	p.progress = widget.NewProgressBar()
	p.progress.Hide()
	p.progressMsg = widget.NewLabel("")
	p.progressMsg.Hide()
	p.checks = container.NewVBox()
	p.findings = container.NewVBox()
	p.waterfall = newWaterfall()
	p.history = newHistoryChart()

	icon := container.NewGridWrap(fyne.NewSize(48, 48), p.verdictIcon)
	buttons := container.NewVBox(layout.NewSpacer(), container.NewHBox(p.copyBtn, p.checkBtn), layout.NewSpacer())
	head := container.NewBorder(nil, nil, container.NewCenter(icon), buttons, container.NewVBox(p.headline, p.subline, p.signIn, p.signInMore))
	p.trayNote = newWrapLabel("")
	p.trayNote.Importance = widget.WarningImportance
	p.trayNote.Hide()
	body := container.NewVBox(
		p.trayNote,
		head,
		container.NewBorder(nil, nil, nil, p.progressMsg, p.progress),
		p.findings,
		section(lang.X("status.section.timings", "Where the time goes"), p.waterfall.view),
		section(lang.X("status.section.history", "The last 24 hours"), p.history.view),
		section(lang.X("status.section.checks", "Checks"), p.checks),
	)
	p.content = container.NewVScroll(container.NewPadded(body))
	p.checkTrayHost()
	return p
}

// checkTrayHost shows, when the desktop cannot show the tray's icon or
// notifications, a sentence saying so and what to install.
func (p *statusPage) checkTrayHost() {
	ask := p.w.svc.TrayHost
	if ask == nil {
		return
	}
	background(func() (string, error) { return trayHostNote(ask()), nil }, func(note string, _ error) {
		p.trayNote.SetText(note)
		if note == "" {
			p.trayNote.Hide()
		} else {
			p.trayNote.Show()
		}
	})
}

// section is a titled part of a page.
func section(title string, content fyne.CanvasObject) fyne.CanvasObject {
	t := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(widget.NewSeparator(), t, content)
}

// showLast shows the agent's last report from disk: no network, no keychain.
func (p *statusPage) showLast() {
	if p.w.svc.Last != nil {
		if r, err := p.w.svc.Last(); err == nil && r != nil {
			p.show(r)
		}
	}
	p.refreshHistory()
}

func (p *statusPage) refreshHistory() {
	p.showClaudeCodeErrors() // Claude Code's own errors beside the probe's (claudeerrors.go)
	if p.w.svc.History == nil {
		return
	}
	background(func() ([]doctor.Point, error) { return p.w.svc.History(time.Now().Add(-24 * time.Hour)) },
		func(pts []doctor.Point, err error) {
			if err == nil {
				p.history.SetPoints(pts)
			}
		})
}

// show renders a whole report.
func (p *statusPage) show(r *netcheck.Report) {
	p.report = r
	p.copyBtn.Enable()
	p.setVerdict(r.Verdict)
	p.subline.SetText(lang.X("status.subline", "Checked {{.When}} · {{.Latency}} · {{.URL}}", map[string]any{
		"When":    r.StartedAt.Local().Format("2006-01-02 15:04:05"),
		"Latency": netcheck.FormatDuration(r.Timings.Latency()),
		"URL":     r.Target.BaseURL,
	}))
	p.showSignIn(r.Target)
	p.checks.Objects = nil
	for _, c := range r.Checks {
		p.checks.Add(checkRow(c))
	}
	p.checks.Refresh()
	p.findings.Objects = nil
	rem := p.w.svc.Remedies(r)
	for i, f := range r.Findings {
		p.findings.Add(findingCard(f, p.w.fixWidget(rem, i)))
	}
	p.findings.Refresh()
	p.waterfall.SetTimings(r.Timings)
	p.content.Refresh() // rows came and went: lay the page out again
}

// showSignIn says under the headline what Claude Code signs in with, and
// with a cloud provider its endpoint, region and credentials; each
// credential it hides shows as set, not used.
func (p *statusPage) showSignIn(t claudesettings.TargetView) {
	si := doctor.SignInOf(tr(), t)
	p.signIn.SetText(si.Line)
	p.signIn.Show()
	var lines []string
	if si.Provider {
		lines = append(lines, si.Details...)
	}
	lines = append(lines, si.Unused...)
	if t.UnusedKeychainKey {
		lines = append(lines, lang.X("status.unused_keychain_key", "Claude Medic's keychain holds a key that Claude Code does not read (the Sign-in page can give it to Claude Code)."))
	}
	p.signInMore.Objects = nil
	if len(lines) > 0 {
		p.signInMore.Add(smallText(strings.Join(lines, "\n")))
	}
	p.signInMore.Refresh()
}

// smallText is a line of secondary, wrapping text.
func smallText(s string) *wrapLabel {
	l := newWrapLabel(s)
	l.SizeName = theme.SizeNameCaptionText // smaller, in the text colour: grey was too faint to read
	return l
}

func (p *statusPage) setVerdict(v netcheck.Verdict) {
	p.verdictIcon.SetResource(verdictIcon(v))
	p.headline.Text = verdictText(v)
	p.headline.Importance = verdictImportance(v)
	p.headline.Refresh()
}

func (p *statusPage) onCheckButton() {
	if p.running {
		p.cancel()
		return
	}
	p.checkNow()
}

// checkNow runs the checks with live progress; the button cancels them.
func (p *statusPage) checkNow() {
	if p.running || p.w.svc.Resolve == nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	p.running, p.cancel = true, cancel
	p.checkBtn.SetText(lang.X("status.cancel", "Cancel"))
	p.checkBtn.SetIcon(theme.CancelIcon())
	p.checkBtn.Importance = widget.MediumImportance
	p.checkBtn.Refresh()
	total := float64(len(netcheck.Planned(netcheck.Options{})))
	done := 0.0
	p.progress.Max = total
	p.progress.SetValue(0)
	p.progress.Show()
	p.progressMsg.SetText(lang.X("status.resolving", "Reading Claude Code's settings…"))
	p.progressMsg.Show()
	live := container.NewVBox()
	progress := func(c netcheck.CheckResult) {
		onUI(func() {
			if !p.running {
				return
			}
			done++
			p.progress.SetValue(min(done, total))
			p.progressMsg.SetText(lang.X("status.checked", "Checked {{.Check}}", map[string]any{"Check": checkName(c.ID)}))
			if live.Objects == nil {
				p.checks.Objects = []fyne.CanvasObject{live}
				p.checks.Refresh()
			}
			live.Add(checkRow(c))
		})
	}
	svc := p.w.svc
	background(func() (*netcheck.Report, error) {
		return svc.Run(ctx, netcheck.Options{}, doctor.Progress{Checked: progress, Resolved: func(t claudesettings.TargetView) {
			onUI(func() {
				if p.running {
					p.progressMsg.SetText(lang.X("status.checking", "Checking {{.URL}}…", map[string]any{"URL": t.BaseURL}))
				}
			})
		}})
	}, func(r *netcheck.Report, err error) {
		cancelled := ctx.Err() != nil
		p.running = false
		cancel()
		p.checkBtn.SetText(lang.X("status.check_now", "Check now"))
		p.checkBtn.SetIcon(theme.ViewRefreshIcon())
		p.checkBtn.Importance = widget.HighImportance
		p.checkBtn.Refresh()
		p.progress.Hide()
		switch {
		case cancelled:
			p.progressMsg.SetText(lang.X("status.cancelled", "Check cancelled."))
			if p.report != nil {
				p.show(p.report)
			}
		case err != nil:
			p.progressMsg.SetText(lang.X("status.resolve_failed", "Could not read Claude Code's settings: {{.Err}}", map[string]any{"Err": err.Error()}))
		default:
			p.progressMsg.Hide()
			p.show(r)
			p.refreshHistory()
		}
	})
}

func (p *statusPage) copyReport() {
	if p.report == nil {
		return
	}
	r := p.report
	background(func() (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		return doctor.ClaudeCodeVersion(ctx), nil
	}, func(claudeCode string, _ error) {
		p.w.app.Clipboard().SetContent(doctor.Markdown(r, Language(), claudeCode))
		p.progressMsg.SetText(lang.X("status.copied", "Report copied (no key in it)."))
		p.progressMsg.Show()
	})
}

// checkRow is one check: its status icon, name, time and summary.
func checkRow(c netcheck.CheckResult) fyne.CanvasObject {
	name := widget.NewLabelWithStyle(checkName(c.ID), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	dur := widget.NewLabelWithStyle(netcheck.FormatDuration(c.Duration), fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true})
	summary := newWrapLabel(c.Summary.In(Language()))
	left := container.NewHBox(widget.NewIcon(statusIcon(c.Status)),
		container.NewGridWrap(fyne.NewSize(checkNameWidth(), name.MinSize().Height), name),
		container.NewGridWrap(fyne.NewSize(80, dur.MinSize().Height), dur))
	return container.NewBorder(nil, nil, left, nil, summary)
}

// findingCard is one finding: what is wrong and how to fix it, with an
// optional action button.
func findingCard(f netcheck.Finding, action fyne.CanvasObject) fyne.CanvasObject {
	icon := widget.NewIcon(statusIcon(netcheck.Status(f.Severity)))
	title := newWrapLabelWithStyle(f.Summary.In(Language()), fyne.TextStyle{Bold: true})
	fix := newWrapLabel(f.Fix.In(Language()))
	code := widget.NewLabelWithStyle(string(f.Code), fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true})
	code.SizeName = theme.SizeNameCaptionText // smaller, in the text colour: grey was too faint to read
	body := container.NewVBox(container.NewBorder(nil, nil, nil, code, title), fix)
	if action != nil {
		body.Add(action) // the whole width: its notices wrap in it
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, container.NewPadded(container.NewBorder(nil, nil, container.NewVBox(icon), nil, body)))
}

// checkNameWidth is the width of the check-name column: the longest name's
// in the window's language ("Claude Code 版本" ran into its time at a fixed 110).
func checkNameWidth() float32 {
	w := float32(0)
	for _, id := range []netcheck.CheckID{netcheck.CheckConfig, netcheck.CheckKey, netcheck.CheckDNS, netcheck.CheckTCP,
		netcheck.CheckProxy, netcheck.CheckTLS, netcheck.CheckClock, netcheck.CheckHTTP, netcheck.CheckAuth,
		netcheck.CheckRateLimit, netcheck.CheckStream, netcheck.CheckStatus, netcheck.CheckVersion} {
		w = max(w, fyne.MeasureText(checkName(id), theme.TextSize(), fyne.TextStyle{Bold: true}).Width)
	}
	return w + 2*theme.InnerPadding()
}

func checkName(id netcheck.CheckID) string {
	switch id {
	case netcheck.CheckConfig:
		return lang.X("check.config", "Settings")
	case netcheck.CheckKey:
		return lang.X("check.key", "Credential")
	case netcheck.CheckDNS:
		return lang.X("check.dns", "DNS")
	case netcheck.CheckTCP:
		return lang.X("check.tcp", "Connection")
	case netcheck.CheckProxy:
		return lang.X("check.proxy", "Proxy")
	case netcheck.CheckTLS:
		return lang.X("check.tls", "TLS")
	case netcheck.CheckClock:
		return lang.X("check.clock", "Clock")
	case netcheck.CheckHTTP:
		return lang.X("check.http", "HTTP")
	case netcheck.CheckAuth:
		return lang.X("check.auth", "Sign-in")
	case netcheck.CheckRateLimit:
		return lang.X("check.ratelimit", "Rate limit")
	case netcheck.CheckStream:
		return lang.X("check.stream", "Streaming")
	case netcheck.CheckStatus:
		return lang.X("check.status", "Status page")
	case netcheck.CheckVersion:
		return lang.X("check.version", "Claude Code")
	}
	return string(id)
}

func statusIcon(s netcheck.Status) fyne.Resource {
	switch s {
	case netcheck.StatusPass:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case netcheck.StatusWarn:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case netcheck.StatusFail:
		return theme.NewErrorThemedResource(theme.ErrorIcon())
	}
	return theme.NewDisabledResource(theme.MediaSkipNextIcon())
}

func verdictIcon(v netcheck.Verdict) fyne.Resource {
	switch v {
	case netcheck.VerdictOK:
		return statusIcon(netcheck.StatusPass)
	case netcheck.VerdictDegraded:
		return statusIcon(netcheck.StatusWarn)
	case netcheck.VerdictDown:
		return statusIcon(netcheck.StatusFail)
	}
	return theme.QuestionIcon()
}

func verdictImportance(v netcheck.Verdict) widget.Importance {
	switch v {
	case netcheck.VerdictOK:
		return widget.SuccessImportance
	case netcheck.VerdictDegraded:
		return widget.WarningImportance
	case netcheck.VerdictDown:
		return widget.DangerImportance
	}
	return widget.MediumImportance
}

func verdictText(v netcheck.Verdict) string {
	switch v {
	case netcheck.VerdictOK:
		return lang.X("status.verdict.ok", "Claude API works from this machine")
	case netcheck.VerdictDegraded:
		return lang.X("status.verdict.degraded", "Claude API works, with problems")
	case netcheck.VerdictDown:
		return lang.X("status.verdict.down", "Requests to the Claude API fail")
	}
	return lang.X("status.verdict.unknown", "No check yet")
}
