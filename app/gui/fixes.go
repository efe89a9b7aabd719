package gui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"claudemedic/doctor"
)

// fixWidget is the button that applies the fix of finding i of rem (as
// doctor decides it), or nil: the wizard and the status page show it under
// the finding. A fix that needs an input asks for it first: the key in a
// masked entry, the CA file in the file chooser.
func (w *Window) fixWidget(rem *doctor.Remedies, i int) fyne.CanvasObject {
	fix := rem.Fixes[i]
	if fix.Kind == doctor.FixNone {
		return nil
	}
	box := container.NewVBox()
	notice := newWrapLabel("")
	notice.Hide()
	var btn *widget.Button
	applied := func(c *doctor.Change, err error) {
		if err != nil {
			btn.Enable()
			text, _ := doctor.Explain(err, tr())
			notice.SetText(lang.X("fix.failed", "Could not apply the fix: {{.Err}}", map[string]any{"Err": text}))
			notice.Importance = widget.DangerImportance
			notice.Show()
			return
		}
		notice.Hide()
		btn.SetText(lang.X("fix.applied", "Applied"))
		btn.SetIcon(theme.ConfirmIcon())
		box.Add(changeNotice(w, c, func() { btn.Enable(); btn.SetText(fix.Label(tr())) }))
	}
	apply := func(input string) {
		btn.Disable()
		background(func() (*doctor.Change, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			return rem.Apply(ctx, i, input)
		}, applied)
	}
	btn = widget.NewButtonWithIcon(fix.Label(tr()), theme.ConfirmIcon(), func() {
		switch fix.Input() {
		case doctor.InputKey:
			btn.Hide()
			box.Add(w.keyForm(func(ctx context.Context, secret string) (*doctor.Change, error) { return rem.Apply(ctx, i, secret) },
				func(c *doctor.Change) { applied(c, nil) }))
		case doctor.InputCAFile:
			w.chooseFile(apply)
		default:
			apply("")
		}
	})
	btn.Importance = widget.HighImportance
	box.Add(container.NewHBox(btn))
	box.Add(notice)
	return box
}

// pickCAFile asks for a PEM file with the system's file chooser (Window.chooseFile's default).
func (w *Window) pickCAFile(done func(path string)) {
	d := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		path := rc.URI().Path()
		rc.Close()
		done(path)
	}, w.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".pem", ".crt", ".cer"}))
	d.Resize(fyne.NewSize(720, 520))
	d.Show()
}
