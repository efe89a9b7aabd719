package gui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"claudemedic/doctor"
	"claudemedic/internal/pages"
)

// keyPage manages the API key in the keychain: a masked entry, Test,
// Delete and "Use with Claude Code".
type keyPage struct {
	w       *Window
	content fyne.CanvasObject
	current *widget.Label
	entry   *widget.Entry
	msg     *widget.Label
	changes *fyne.Container
}

func newKeyPage(w *Window) *keyPage {
	p := &keyPage{w: w}
	p.current = widget.NewLabel("…")
	p.entry = widget.NewPasswordEntry()
	p.entry.SetPlaceHolder("sk-ant-api03-…")
	p.msg = widget.NewLabel("")
	p.msg.Wrapping = wrapping()
	p.changes = container.NewVBox()
	save := widget.NewButtonWithIcon(lang.X("key.save", "Save"), theme.DocumentSaveIcon(), func() {
		w.saveKey(w.replaceKey, p.entry.Text, p.msg, func(c *doctor.Change) {
			if c != nil {
				p.entry.SetText("")
				p.changes.Objects = []fyne.CanvasObject{changeNotice(w, c, nil)}
				p.changes.Refresh()
			}
		})
	})
	save.Importance = widget.HighImportance
	test := widget.NewButtonWithIcon(lang.X("key.test", "Test"), theme.SearchIcon(), func() {
		w.show(pages.Status)
		w.status.checkNow()
	})
	del := widget.NewButtonWithIcon(lang.X("key.delete", "Delete"), theme.DeleteIcon(), func() {
		dialog.ShowConfirm(lang.X("key.delete_title", "Delete the key?"),
			lang.X("key.delete_confirm", "Claude Code will no longer find this key. You can paste it again later."),
			func(ok bool) {
				if ok {
					p.keychain(func(ctx context.Context) error { return w.svc.Keys.Delete(ctx) },
						lang.X("key.deleted", "The key was deleted from the keychain."))
				}
			}, w.win)
	})
	del.Importance = widget.DangerImportance
	use := widget.NewButtonWithIcon(lang.X("key.use", "Use with Claude Code"), theme.LoginIcon(), func() {
		background(func() (*doctor.Change, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			return w.svc.Keys.UseWithClaudeCode(ctx)
		}, func(c *doctor.Change, err error) {
			if err != nil {
				p.msg.SetText(keyError(err))
				return
			}
			p.changes.Objects = []fyne.CanvasObject{changeNotice(w, c, nil)}
			p.changes.Refresh()
		})
	})
	intro := widget.NewLabel(lang.X("key.intro", "Your Anthropic API key is kept in the system keychain, never in a file. \"Use with Claude Code\" sets Claude Code's apiKeyHelper so it reads the key from there."))
	intro.Wrapping = wrapping()
	form := widget.NewForm(
		widget.NewFormItem(lang.X("key.stored", "Stored key"), p.current),
		widget.NewFormItem(lang.X("key.new", "New key"), p.entry),
	)
	p.content = container.NewVScroll(container.NewPadded(container.NewVBox(
		intro, form,
		container.NewHBox(save, test, use, del),
		p.msg, p.changes)))
	return p
}

// refresh reads the key's status off the UI goroutine, saying so when the keychain waits for an unlock.
func (p *keyPage) refresh() {
	if p.w.svc.Keys == nil {
		p.current.SetText(lang.X("key.unavailable", "No keychain on this system."))
		return
	}
	p.current.SetText(lang.X("key.reading", "Reading the keychain…"))
	stop := p.w.waitingForKeychain(p.current)
	background(func() (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		return p.w.svc.Keys.Status(ctx)
	}, func(masked string, err error) {
		stop()
		switch {
		case err != nil:
			p.current.SetText(keyError(err))
		case masked == "":
			p.current.SetText(lang.X("key.none", "No key stored"))
		default:
			p.current.SetText(masked)
		}
	})
}

func (p *keyPage) keychain(do func(ctx context.Context) error, okMsg string) {
	stop := p.w.waitingForKeychain(p.msg)
	background(func() (struct{}, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		return struct{}{}, do(ctx)
	}, func(_ struct{}, err error) {
		stop()
		if err != nil {
			p.msg.SetText(keyError(err))
			return
		}
		p.msg.SetText(okMsg)
		p.refresh()
	})
}

// waitingForKeychain says "waiting for the keychain to unlock" on l if a
// keychain call takes longer than a moment; stop ends it.
func (w *Window) waitingForKeychain(l *widget.Label) (stop func()) {
	t := time.AfterFunc(keychainPromptAfter, func() {
		onUI(func() { l.SetText(lang.X("key.waiting_unlock", "Waiting for the keychain to unlock…")) })
	})
	return func() { t.Stop() }
}

// replaceKey stores a new key and points Claude Code at it (Keys.Replace).
func (w *Window) replaceKey(ctx context.Context, secret string) (*doctor.Change, error) {
	return w.svc.Keys.Replace(ctx, secret)
}

// saveKey stores secret with do (Keys.Replace, or the key fix of a
// finding), which points Claude Code at the keychain, then reports on msg and
// calls done on the UI goroutine with the settings change (nil when it failed).
func (w *Window) saveKey(do func(ctx context.Context, secret string) (*doctor.Change, error), secret string, msg *widget.Label, done func(c *doctor.Change)) {
	if w.svc.Keys == nil {
		msg.SetText(lang.X("key.unavailable", "No keychain on this system."))
		done(nil)
		return
	}
	stop := w.waitingForKeychain(msg)
	background(func() (*doctor.Change, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		return do(ctx, secret)
	}, func(c *doctor.Change, err error) {
		stop()
		if err != nil {
			msg.SetText(keyError(err))
			done(nil)
			return
		}
		msg.SetText(lang.X("key.saved", "The key is in the keychain, and Claude Code will use it."))
		if w.key != nil {
			w.key.refresh()
		}
		done(c)
	})
}

// keyForm is the wizard's inline key entry for a key finding: save stores the key.
func (w *Window) keyForm(save func(ctx context.Context, secret string) (*doctor.Change, error), applied func(*doctor.Change)) fyne.CanvasObject {
	e := widget.NewPasswordEntry()
	e.SetPlaceHolder("sk-ant-api03-…")
	msg := widget.NewLabel("")
	msg.Wrapping = wrapping()
	var btn *widget.Button
	btn = widget.NewButtonWithIcon(lang.X("wizard.key_save", "Save the key"), theme.DocumentSaveIcon(), func() {
		btn.Disable()
		w.saveKey(save, e.Text, msg, func(c *doctor.Change) {
			btn.Enable()
			if c != nil {
				e.SetText("")
				applied(c)
			}
		})
	})
	btn.Importance = widget.HighImportance
	return container.NewVBox(container.NewBorder(nil, nil, nil, btn, e), msg)
}
