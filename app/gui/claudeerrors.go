package gui

// What Claude Code itself met, in the window: the wizard's first screen offers
// to diagnose its newest error ("Claude Code failed at 14:02 in ~/src/app: API
// Error: 529 …"), and the status page shows the last 24 hours of its errors
// beside the probe's history. Both read the transcripts off the UI goroutine,
// and show nothing when there is no error or the preference turns it off.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"claudemedic/doctor"
)

// readClaudeErrors reads the window's errors; a test swaps it.
var readClaudeErrors = func(window time.Duration) ([]doctor.ClaudeError, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return doctor.ReadClaudeErrors(ctx, doctor.ClaudeErrorQuery{Since: time.Now().Add(-window)})
}

// offerLastError adds to the wizard's first screen (body) a card with the
// newest error Claude Code met in the last 24 hours and a button that
// diagnoses it, once the transcripts are read.
func (p *wizardPage) offerLastError(body *fyne.Container) {
	background(func() ([]doctor.ClaudeError, error) { return readClaudeErrors(doctor.RecentWindow) },
		func(errs []doctor.ClaudeError, err error) {
			if err != nil || len(errs) == 0 || p.choices == nil {
				return
			}
			last := errs[0]
			for _, e := range errs {
				if !e.Recovered {
					last = e
					break
				}
			}
			text := widget.NewLabel(last.Headline(tr(), time.Now()))
			text.Wrapping = wrapping()
			text.TextStyle = fyne.TextStyle{Bold: true}
			btn := widget.NewButtonWithIcon(lang.X("wizard.cc_diagnose", "Diagnose it"), theme.SearchIcon(), func() {
				p.symptom = last.Symptom()
				p.choices.SetSelected(p.symptom.Label(tr()))
				p.run(false)
			})
			btn.Importance = widget.HighImportance
			card := container.NewVBox(text, container.NewHBox(btn), widget.NewSeparator())
			body.Objects = append([]fyne.CanvasObject{card}, body.Objects...)
			body.Refresh()
		})
}

// showClaudeCodeErrors puts the last 24 hours of Claude Code's own errors
// under the probe's history: a line per code and the newest, or nothing.
func (p *statusPage) showClaudeCodeErrors() {
	background(func() ([]doctor.ClaudeError, error) { return readClaudeErrors(doctor.RecentWindow) },
		func(errs []doctor.ClaudeError, err error) {
			holder := findHolder(p.content, p.history.view)
			if holder == nil {
				return
			}
			var objs []fyne.CanvasObject
			for _, o := range holder.Objects {
				if o != ccViews[p] {
					objs = append(objs, o)
				}
			}
			if err == nil && len(errs) > 0 {
				v := claudeErrorsView(errs)
				ccViews[p] = v
				for i, o := range objs {
					if o == p.history.view {
						objs = append(objs[:i+1], append([]fyne.CanvasObject{v}, objs[i+1:]...)...)
						break
					}
				}
			}
			holder.Objects = objs
			holder.Refresh()
		})
}

// ccViews is each status page's part, to replace it (used on the UI goroutine only).
var ccViews = map[*statusPage]fyne.CanvasObject{}

// claudeErrorsView is the status page's part: the count by code, then the newest.
func claudeErrorsView(errs []doctor.ClaudeError) fyne.CanvasObject {
	var parts []string
	for _, c := range doctor.Summarize(errs) {
		parts = append(parts, fmt.Sprintf("%s ×%d", c.Code, c.Count))
	}
	head := widget.NewLabelWithStyle(lang.X("status.cc_errors", "Claude Code's own requests: {{.N}} failed ({{.Codes}})",
		map[string]any{"N": len(errs), "Codes": strings.Join(parts, ", ")}), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	head.Wrapping = wrapping()
	newest := widget.NewLabel(errs[0].Headline(tr(), time.Now()))
	newest.Wrapping = wrapping()
	newest.Importance = widget.LowImportance
	return container.NewVBox(head, newest)
}

// findHolder finds the container that holds obj, under root.
func findHolder(root fyne.CanvasObject, obj fyne.CanvasObject) *fyne.Container {
	switch o := root.(type) {
	case *container.Scroll:
		return findHolder(o.Content, obj)
	case *fyne.Container:
		for _, c := range o.Objects {
			if c == obj {
				return o
			}
			if h := findHolder(c, obj); h != nil {
				return h
			}
		}
	}
	return nil
}
