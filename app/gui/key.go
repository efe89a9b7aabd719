package gui

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"claudemedic/doctor"
	"claudemedic/internal/pages"
	"claudemedic/netcheck"
)

// keyPage is the sign-in page. Its top says what Claude Code signs in with
// (a claude.ai login, a key or token, apiKeyHelper, a cloud provider), what
// that hides and what is wrong with it, each with the fix doctor decides;
// a key in Claude Medic's keychain that Claude Code does not read gets "Use
// with Claude Code". Below, folded away when a login or a cloud provider
// makes a key needless, Claude Medic's own key in the keychain: a masked
// entry, Save, Test, Use with Claude Code and Delete.
type keyPage struct {
	w       *Window
	content fyne.CanvasObject

	body     *fyne.Container   // the page, laid out again when the sign-in's parts change
	signIn   *wrapLabel        // doctor.SignIn's Line
	about    *wrapLabel        // what it means for a key (none needed, or how to get one): the first of signInUI
	signInUI *fyne.Container   // the details, what is set but not used, the findings and an unused keychain key
	keys     *widget.Accordion // Claude Medic's key in the keychain
	folded   bool              // the fold was decided, from the first sign-in shown: the person's own clicks then stand

	current *wrapLabel
	entry   *widget.Entry
	msg     *wrapLabel
	changes *fyne.Container
}

func newKeyPage(w *Window) *keyPage {
	p := &keyPage{w: w}
	p.signIn = newWrapLabelWithStyle("…", fyne.TextStyle{Bold: true})
	p.signIn.SizeName = theme.SizeNameSubHeadingText
	p.signInUI = container.NewVBox()
	p.current = newWrapLabel("…")
	p.entry = widget.NewPasswordEntry()
	p.entry.SetPlaceHolder("sk-ant-api03-…")
	p.msg = newWrapLabel("")
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
	use := widget.NewButtonWithIcon(lang.X("key.use", "Use with Claude Code"), theme.LoginIcon(), func() { p.useWithClaudeCode(p.msg, p.changes) })
	intro := newWrapLabel(lang.X("key.intro", "Your Anthropic API key is kept in the system keychain, never in a file. \"Use with Claude Code\" sets Claude Code's apiKeyHelper so it reads the key from there."))
	form := widget.NewForm(
		widget.NewFormItem(lang.X("key.stored", "Stored key"), p.current),
		widget.NewFormItem(lang.X("key.new", "New key"), p.entry),
	)
	p.keys = widget.NewAccordion(widget.NewAccordionItem(lang.X("key.keychain_title", "Your API key in the keychain"),
		container.NewVBox(intro, form, container.NewHBox(save, test, use, del), p.msg, p.changes)))
	p.keys.Open(0)
	p.body = container.NewVBox(p.signIn, p.signInUI, widget.NewSeparator(), p.keys)
	p.content = container.NewVScroll(container.NewPadded(p.body))
	return p
}

// refresh reads, off the UI goroutine, what Claude Code signs in with (the
// key check alone: no network) and the keychain's key, saying so when the
// keychain waits for an unlock.
func (p *keyPage) refresh() {
	p.refreshSignIn()
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

// refreshSignIn runs the sign-in check (doctor.SignInCheck) and shows it.
func (p *keyPage) refreshSignIn() {
	if p.w.svc.Resolve == nil {
		return
	}
	svc := p.w.svc
	background(func() (*netcheck.Report, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return svc.SignInCheck(ctx)
	}, func(r *netcheck.Report, err error) {
		if err != nil {
			p.signIn.SetText(lang.X("status.resolve_failed", "Could not read Claude Code's settings: {{.Err}}", map[string]any{"Err": explain(err)}))
			return
		}
		p.showSignIn(r)
	})
}

// showSignIn shows what the sign-in check found: the credential Claude Code
// sends (or the provider), what that means for a key, the details, each
// credential it hides, each finding with its fix, and a keychain key it
// does not read. A claude.ai login or a cloud provider folds the keychain
// part away: no key is needed, and none is pressed on the person.
func (p *keyPage) showSignIn(r *netcheck.Report) {
	t := r.Target
	si := doctor.SignInOf(tr(), t)
	p.signIn.SetText(si.Line)
	about := ""
	switch {
	case si.Provider:
		about = lang.X("key.provider", "Claude Code calls {{.Provider}} with that provider's own credentials: it needs no Anthropic API key.", map[string]any{"Provider": t.Provider.Name.Title()})
	case si.Login:
		about = lang.X("key.login", "Claude Code uses your claude.ai subscription: you need no API key.")
	case si.Missing:
		about = lang.X("key.missing", "Claude Code finds no login and no API key. With a Claude subscription (Pro, Max, Team or Enterprise), run /login in Claude Code; to pay per use instead, store an API key from console.anthropic.com below.")
	}
	// The parts are made anew each time, so the page lays out their wrapped
	// text at its width.
	p.signInUI.Objects = nil
	p.about = newWrapLabel(about)
	if about != "" {
		p.signInUI.Add(p.about)
	}
	for _, lines := range [][]string{si.Details, si.Unused} {
		if len(lines) > 0 {
			p.signInUI.Add(smallText(strings.Join(lines, "\n")))
		}
	}
	rem := p.w.svc.Remedies(r)
	for i, f := range r.Findings {
		if f.Code == netcheck.KeyMissing {
			continue // said above, and the keychain part below is its fix
		}
		p.signInUI.Add(findingCard(f, p.w.fixWidget(rem, i)))
	}
	if t.UnusedKeychainKey {
		p.signInUI.Add(p.unusedKeyCard(si.Login))
	}

	if !p.folded {
		p.folded = true
		if si.Subscriber || si.Provider {
			p.keys.Close(0)
		} else {
			p.keys.Open(0)
		}
	}
	p.body.Refresh() // its parts came and went: lay the page out again
}

// unusedKeyCard says that Claude Medic's keychain holds a key Claude Code
// does not read, and offers "Use with Claude Code" (warning a subscriber
// that the key would then win over the login).
func (p *keyPage) unusedKeyCard(login bool) fyne.CanvasObject {
	text := lang.X("key.unused", "Claude Medic's keychain holds a key, but Claude Code does not read it: no apiKeyHelper runs `claudemedic key print`.")
	if login {
		text += " " + lang.X("key.unused_login", "Using it makes Claude Code send the key instead of your claude.ai login, billed per use.")
	}
	l := newWrapLabel(text)
	msg := newWrapLabel("")
	msg.Hide()
	changes := container.NewVBox()
	var use *widget.Button
	use = widget.NewButtonWithIcon(lang.X("key.use", "Use with Claude Code"), theme.LoginIcon(), func() {
		use.Disable()
		msg.Show()
		p.useWithClaudeCode(msg, changes)
	})
	use.Importance = widget.HighImportance
	if login {
		use.Importance = widget.MediumImportance
	}
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, container.NewPadded(container.NewBorder(nil, nil,
		container.NewVBox(widget.NewIcon(theme.InfoIcon())), nil, container.NewVBox(l, container.NewHBox(use), msg, changes))))
}

// useWithClaudeCode points Claude Code's apiKeyHelper at the keychain's key
// (Keys.UseWithClaudeCode, keystore's writer), saying on msg what failed or
// in changes what changed, with Undo.
func (p *keyPage) useWithClaudeCode(msg *wrapLabel, changes *fyne.Container) {
	if p.w.svc.Keys == nil {
		msg.SetText(lang.X("key.unavailable", "No keychain on this system."))
		return
	}
	background(func() (*doctor.Change, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return p.w.svc.Keys.UseWithClaudeCode(ctx)
	}, func(c *doctor.Change, err error) {
		if err != nil {
			msg.SetText(keyError(err))
			return
		}
		msg.SetText(lang.X("key.used", "Claude Code now reads the key from the keychain."))
		changes.Objects = []fyne.CanvasObject{changeNotice(p.w, c, nil)}
		changes.Refresh()
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
func (w *Window) waitingForKeychain(l *wrapLabel) (stop func()) {
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
func (w *Window) saveKey(do func(ctx context.Context, secret string) (*doctor.Change, error), secret string, msg *wrapLabel, done func(c *doctor.Change)) {
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
	msg := newWrapLabel("")
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
