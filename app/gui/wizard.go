package gui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"claudemedic/doctor"
	"claudemedic/netcheck"
)

// wizardPage walks a person from the error they saw to a fix: pick or paste
// the symptom, watch the relevant checks run, apply a fix with one click,
// re-test and see before and after.
type wizardPage struct {
	w       *Window
	content *fyne.Container // holds the current step

	symptom  doctor.Symptom
	choices  *choiceList
	paste    *widget.Entry
	matched  *widget.Label
	runBtn   *widget.Button
	before   *netcheck.Report // the first run's report, for before and after
	cancel   context.CancelFunc
	keyEntry *widget.Entry   // the key step's entry (tests type into it)
	result   *fyne.Container // the result step (tests look for fix buttons in it)
}

func newWizardPage(w *Window) *wizardPage {
	p := &wizardPage{w: w, content: container.NewStack(), symptom: doctor.SymptomOther}
	p.showPick()
	return p
}

func (p *wizardPage) setStep(title, intro string, body fyne.CanvasObject, buttons ...fyne.CanvasObject) {
	h := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	h.SizeName = theme.SizeNameSubHeadingText
	top := container.NewVBox(h)
	if intro != "" {
		l := newWrapLabel(intro)
		top.Add(l)
	}
	bottom := container.NewHBox(append([]fyne.CanvasObject{layout.NewSpacer()}, buttons...)...)
	p.content.Objects = []fyne.CanvasObject{container.NewPadded(container.NewBorder(top, bottom, nil, nil,
		container.NewVScroll(body)))}
	p.content.Refresh()
}

// showPick is the first step: what did you see?
func (p *wizardPage) showPick() {
	labels := make([]string, len(doctor.Symptoms))
	for i, s := range doctor.Symptoms {
		labels[i] = s.Label(tr())
	}
	p.choices = newChoiceList(labels, func(sel string) {
		for i, l := range labels {
			if l == sel {
				p.symptom = doctor.Symptoms[i]
			}
		}
		if p.runBtn != nil {
			p.runBtn.Enable()
		}
	})
	p.paste = widget.NewMultiLineEntry()
	p.paste.SetPlaceHolder(lang.X("wizard.paste_placeholder", "Or paste the error text Claude Code printed here"))
	p.paste.SetMinRowsVisible(3)
	p.paste.Wrapping = fyne.TextWrapWord
	p.matched = widget.NewLabel("")
	p.matched.SizeName = theme.SizeNameCaptionText // smaller, in the text colour: grey was too faint to read
	p.paste.OnChanged = func(s string) {
		if s == "" {
			p.matched.SetText("")
			return
		}
		sym, _ := doctor.MatchSymptom(s)
		p.choices.SetSelected(sym.Label(tr()))
		p.matched.SetText(lang.X("wizard.matched", "This looks like: {{.Symptom}}", map[string]any{"Symptom": sym.Label(tr())}))
	}
	p.runBtn = widget.NewButtonWithIcon(lang.X("wizard.run", "Find the cause"), theme.SearchIcon(), func() { p.run(false) })
	p.runBtn.Importance = widget.HighImportance
	p.runBtn.Disable()
	body := container.NewVBox(p.choices, p.paste, p.matched)
	p.offerLastError(body) // Claude Code's newest error, when it met one (claudeerrors.go)
	p.setStep(lang.X("wizard.pick_title", "What did you see?"),
		lang.X("wizard.pick_intro", "Pick the message closest to what Claude Code printed, or paste it below. Claude Medic runs the checks that tell its causes apart."),
		body, p.runBtn)
}

// showKeyStep asks first how Claude Code should sign in (the first launch
// with nothing to sign in with): /login for a subscriber, or an API key.
func (p *wizardPage) showKeyStep() {
	p.keyEntry = widget.NewPasswordEntry()
	p.keyEntry.SetPlaceHolder("sk-ant-api03-…")
	msg := newWrapLabel("")
	var save *widget.Button
	save = widget.NewButtonWithIcon(lang.X("wizard.key_save", "Save the key"), theme.DocumentSaveIcon(), func() {
		save.Disable()
		p.w.saveKey(p.w.replaceKey, p.keyEntry.Text, msg, func(c *doctor.Change) {
			save.Enable()
			if c != nil {
				p.keyEntry.SetText("")
				p.showPick()
			}
		})
	})
	save.Importance = widget.HighImportance
	skip := widget.NewButton(lang.X("wizard.key_skip", "Skip"), p.showPick)
	p.setStep(lang.X("wizard.key_title", "First, how Claude Code signs in"),
		lang.X("wizard.key_intro", "Claude Medic found no claude.ai login, API key or cloud provider on this machine. With a Claude subscription (Pro, Max, Team or Enterprise), run /login in Claude Code, then press Skip. To pay per use instead, paste an API key from console.anthropic.com: it is kept in the system keychain, never in a file, and Claude Code reads it from there."),
		container.NewVBox(p.keyEntry, msg), skip, save)
}

// run runs the symptom's checks with live rows; retest keeps the first report for before and after.
func (p *wizardPage) run(retest bool) {
	if !retest {
		p.before = nil
	}
	rows := container.NewVBox()
	bar := widget.NewProgressBarInfinite()
	status := widget.NewLabel(lang.X("status.resolving", "Reading Claude Code's settings…"))
	ctx, cancel := context.WithCancel(context.Background())
	p.cancel = cancel
	cancelBtn := widget.NewButtonWithIcon(lang.X("status.cancel", "Cancel"), theme.CancelIcon(), cancel)
	p.setStep(lang.X("wizard.running_title", "Checking…"), p.symptom.Label(tr()),
		container.NewVBox(bar, status, rows), cancelBtn)
	svc, symptom := p.w.svc, p.symptom
	progress := doctor.Progress{Checked: func(c netcheck.CheckResult) { onUI(func() { rows.Add(checkRow(c)) }) }}
	background(func() (*netcheck.Report, error) {
		return svc.Diagnose(ctx, symptom, progress)
	}, func(r *netcheck.Report, err error) {
		cancelled := ctx.Err() != nil
		cancel()
		bar.Stop()
		switch {
		case cancelled:
			p.showPick()
		case err != nil:
			status.SetText(lang.X("status.resolve_failed", "Could not read Claude Code's settings: {{.Err}}", map[string]any{"Err": explain(err)}))
			bar.Hide()
		default:
			if p.before == nil {
				p.before = r
			}
			p.showResult(r)
			p.w.status.show(r)
		}
	})
}

// showResult shows the diagnosis: each finding with its fix and, when the fix
// is a key, setting or cache action, a button that applies it.
func (p *wizardPage) showResult(r *netcheck.Report) {
	body := container.NewVBox()
	head := widget.NewLabelWithStyle(verdictText(r.Verdict), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body.Add(container.NewHBox(widget.NewIcon(verdictIcon(r.Verdict)), head))
	if p.before != nil && p.before != r {
		body.Add(beforeAfter(p.before, r))
	}
	if len(r.Findings) == 0 {
		l := newWrapLabel(lang.X("wizard.no_findings", "No problem found on this machine for this symptom. If the error came back just now, it may have been a passing fault of the service: try again, and check status.claude.com."))
		body.Add(l)
	}
	rem := p.w.svc.Remedies(r)
	for i, f := range r.Findings {
		body.Add(findingCard(f, p.w.fixWidget(rem, i)))
	}
	p.result = body
	retest := widget.NewButtonWithIcon(lang.X("wizard.retest", "Test again"), theme.ViewRefreshIcon(), func() { p.run(true) })
	retest.Importance = widget.HighImportance
	again := widget.NewButtonWithIcon(lang.X("wizard.start_over", "Start over"), theme.NavigateBackIcon(), p.showPick)
	p.setStep(lang.X("wizard.result_title", "What Claude Medic found"), p.symptom.Label(tr()), body, again, retest)
}

// beforeAfter compares the first run with the re-test.
func beforeAfter(before, after *netcheck.Report) fyne.CanvasObject {
	grid := container.NewGridWithColumns(2)
	col := func(title string, r *netcheck.Report) fyne.CanvasObject {
		box := container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			container.NewHBox(widget.NewIcon(verdictIcon(r.Verdict)), widget.NewLabel(verdictText(r.Verdict))))
		for _, f := range r.Findings {
			box.Add(widget.NewLabel("• " + string(f.Code)))
		}
		if len(r.Findings) == 0 {
			box.Add(widget.NewLabel(lang.X("wizard.no_problems", "No problems")))
		}
		return box
	}
	grid.Add(col(lang.X("wizard.before", "Before"), before))
	grid.Add(col(lang.X("wizard.after", "After"), after))
	return grid
}
