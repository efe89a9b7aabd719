package gui

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/internal/prefs"
	"claudemedic/netcheck"
)

// settingsPage edits the settings that decide whether Claude Code's requests
// get through: the timeout (with presets and a suggestion from the last
// measurement), the proxy (tested before saving) and the extra CA file.
// Each save shows what changed in which file, with Undo.
type settingsPage struct {
	w       *Window
	content fyne.CanvasObject
	timeout *widget.Entry
	presets *widget.Select
	proxy   *widget.Entry
	noProxy *widget.Entry
	// savedProxy is the proxy in effect, password and all: the field shows
	// it redacted (claudesettings.RedactProxyURL), and a save puts the password
	// back where the person left it hidden (claudesettings.UnredactProxyURL).
	savedProxy string
	proxyHint  *wrapLabel
	caFile     *widget.Entry
	sources    map[string]*widget.Label
	changes    *fyne.Container
	msg        *wrapLabel
	// preset is the preset picked and not yet saved: Save applies it whole
	// while the timeout field still shows its value.
	preset *claudecfg.Preset
	// problems says, as soon as the page is shown, which settings file
	// Claude Code cannot read and where (its line and column).
	problems *wrapLabel
	cost     *wrapLabel      // what the periodic check costs a day
	table    *fyne.Container // claudesettings.Table, a row per variable
}

func newSettingsPage(w *Window) *settingsPage {
	p := &settingsPage{w: w, sources: map[string]*widget.Label{}}
	p.timeout = widget.NewEntry()
	p.timeout.SetPlaceHolder("600000")
	names := make([]string, len(claudecfg.Presets))
	for i, pr := range claudecfg.Presets {
		names[i] = pr.Title.In(Language())
	}
	p.presets = widget.NewSelect(names, func(s string) {
		for i, n := range names {
			if n == s && p.presets.SelectedIndex() >= 0 {
				// A preset fills the field and waits for Save, like a value typed in.
				pr := claudecfg.Presets[i]
				p.preset = &pr
				p.timeout.SetText(pr.Values[claudesettings.VarAPITimeout])
				p.msg.SetText(pr.Why.In(Language()) + " " + lang.X("settings.preset_staged", "Save to apply it."))
			}
		}
	})
	p.presets.PlaceHolder = lang.X("settings.presets", "Apply a preset…")
	suggest := widget.NewButtonWithIcon(lang.X("settings.suggest", "Suggest from measurement"), theme.SearchIcon(), p.suggest)
	saveTimeout := widget.NewButtonWithIcon(lang.X("settings.save", "Save"), theme.DocumentSaveIcon(), func() {
		// The one timeout parser: "600000", "10m", "1h30m"; "" or "default" removes it.
		ms, err := claudesettings.ParseInput(claudesettings.VarAPITimeout, p.timeout.Text)
		if err != nil {
			p.msg.SetText(explain(err)) // the table's sentence for a value it refuses
			return
		}
		if pr := p.preset; pr != nil && strings.TrimSpace(p.timeout.Text) == pr.Values[claudesettings.VarAPITimeout] {
			p.save(func(ctx context.Context) (*doctor.Change, error) { return p.w.svc.Settings.ApplyPreset(ctx, pr.Name) })
			return
		}
		p.save(func(ctx context.Context) (*doctor.Change, error) {
			return p.w.svc.Settings.SetEnv(ctx, claudesettings.VarAPITimeout, ms)
		})
	})
	p.proxy = widget.NewEntry()
	p.proxy.SetPlaceHolder("http://proxy.example.com:8080")
	p.proxyHint = newWrapLabel(lang.X("settings.proxy_hidden", "The password is hidden: leave xxxxx as it is to keep it, or type the new one in its place."))
	p.proxyHint.SizeName = theme.SizeNameCaptionText // smaller, in the text colour: grey was too faint to read
	p.proxyHint.Hide()
	p.noProxy = widget.NewEntry()
	p.noProxy.SetPlaceHolder("localhost,127.0.0.1")
	saveProxy := widget.NewButtonWithIcon(lang.X("settings.test_save", "Test and save"), theme.DocumentSaveIcon(), func() {
		proxy := claudesettings.UnredactProxyURL(strings.TrimSpace(p.proxy.Text), p.savedProxy)
		noProxy := strings.TrimSpace(p.noProxy.Text)
		p.msg.SetText(lang.X("settings.testing_proxy", "Testing the proxy…"))
		p.save(func(ctx context.Context) (*doctor.Change, error) {
			return p.w.svc.Settings.SetProxy(ctx, proxy, &noProxy)
		})
	})
	p.caFile = widget.NewEntry()
	p.caFile.SetPlaceHolder("/etc/ssl/certs/corp-ca.pem")
	browse := widget.NewButtonWithIcon(lang.X("settings.browse", "Choose…"), theme.FolderOpenIcon(), func() {
		w.chooseFile(func(path string) { p.caFile.SetText(path) })
	})
	saveCA := widget.NewButtonWithIcon(lang.X("settings.check_save", "Check and save"), theme.DocumentSaveIcon(), func() {
		path := strings.TrimSpace(p.caFile.Text)
		p.save(func(ctx context.Context) (*doctor.Change, error) { return p.w.svc.Settings.SetCAFile(ctx, path) })
	})
	src := func(name string) *widget.Label {
		l := widget.NewLabel("")
		l.SizeName = theme.SizeNameCaptionText // smaller, in the text colour: grey was too faint to read
		p.sources[name] = l
		return l
	}
	p.msg = newWrapLabel("")
	p.changes = container.NewVBox()
	intro := newWrapLabel(lang.X("settings.intro", "These go into Claude Code's user settings (~/.claude/settings.json, \"env\"). Each change is backed up and can be undone."))
	// Each setting: its name above its field, the buttons under it, so the
	// page fits a narrow window in both languages.
	field := func(title string, input fyne.CanvasObject, below ...fyne.CanvasObject) fyne.CanvasObject {
		t := newWrapLabelWithStyle(title, fyne.TextStyle{Bold: true})
		return container.NewVBox(append([]fyne.CanvasObject{t, input}, below...)...)
	}
	form := container.NewVBox(
		field(lang.X("settings.timeout", "Request timeout (ms)"), p.timeout,
			container.NewHBox(p.presets, suggest, saveTimeout), src("API_TIMEOUT_MS")),
		field(lang.X("settings.proxy", "HTTPS proxy"), p.proxy, src("HTTPS_PROXY"), p.proxyHint),
		field(lang.X("settings.no_proxy", "No proxy for"), p.noProxy, container.NewHBox(saveProxy)),
		field(lang.X("settings.ca_file", "Extra CA file"), p.caFile, container.NewHBox(browse, saveCA), src("NODE_EXTRA_CA_CERTS")),
	)
	p.problems = newWrapLabel("")
	p.problems.Importance = widget.DangerImportance
	p.problems.Hide()
	p.table = container.NewVBox()
	all := widget.NewAccordion(widget.NewAccordionItem(lang.X("settings.all_variables", "Every setting Claude Code reads, and where it comes from"), p.table))
	p.content = container.NewVScroll(container.NewPadded(container.NewVBox(p.problems, intro, form, p.msg, p.changes,
		all, widget.NewSeparator(), p.languageChoice())))
	return p
}

// refresh fills the fields with the effective values and says where each comes from.
func (p *settingsPage) refresh() {
	if p.w.svc.Resolve == nil {
		return
	}
	background(func() (claudesettings.Target, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return p.w.svc.Resolve(ctx)
	}, func(t claudesettings.Target, err error) {
		if err != nil {
			p.msg.SetText(lang.X("status.resolve_failed", "Could not read Claude Code's settings: {{.Err}}", map[string]any{"Err": explain(err)}))
			return
		}
		p.showProblems(t.Problems)
		p.showCost(t)
		p.showTable(t)
		for name, s := range map[string]claudesettings.Setting{"API_TIMEOUT_MS": t.APITimeout, "HTTPS_PROXY": t.Proxy, "NODE_EXTRA_CA_CERTS": t.CAFile} {
			if s.Set() {
				p.sources[name].SetText(lang.X("settings.from", "In effect, from: {{.Source}}", map[string]any{"Source": doctor.SourceName(tr(), s.Source)}))
			} else {
				p.sources[name].SetText(lang.X("settings.unset", "Not set"))
			}
		}
		p.timeout.SetText(t.APITimeout.Value)
		p.preset = nil
		p.presets.ClearSelected()
		p.savedProxy = t.Proxy.Value
		p.proxy.SetText(claudesettings.RedactProxyURL(t.Proxy.Value)) // never the password on screen
		if p.proxy.Text != t.Proxy.Value {
			p.proxyHint.Show()
		} else {
			p.proxyHint.Hide()
		}
		p.noProxy.SetText(t.NoProxy.Value)
		p.caFile.SetText(t.CAFile.Value)
	})
}

// showProblems lists the settings files that do not load (and values out
// of range), each with what is wrong and where, above everything else.
func (p *settingsPage) showProblems(problems []claudesettings.ConfigProblem) {
	if len(problems) == 0 {
		p.problems.Hide()
		return
	}
	lines := []string{lang.X("settings.problems", "Claude Code cannot use these settings; fix them before changing others here:")}
	for _, pr := range problems {
		lines = append(lines, "• "+homeShort(pr.Path)+": "+pr.Message)
	}
	p.problems.SetText(strings.Join(lines, "\n"))
	p.problems.Show()
}

// languageChoice picks the language of the window, the tray and the command
// line (the preferences' language): the system's, English or Chinese.
func (p *settingsPage) languageChoice() fyne.CanvasObject {
	options := []string{lang.X("settings.language_system", "The system's language"), "English", "中文"}
	values := []string{"", LangEnglish, LangChinese}
	note := newWrapLabel("")
	note.SizeName = theme.SizeNameCaptionText
	pick := widget.NewSelect(options, nil)
	saved, _ := prefs.Load()
	for i, v := range values {
		if v == saved.Language {
			pick.SetSelectedIndex(i)
		}
	}
	pick.OnChanged = func(string) {
		i := pick.SelectedIndex()
		if i < 0 {
			return
		}
		pr, _ := prefs.Load() // a damaged file: the defaults, and Save keeps the damaged copy beside it
		pr.Language = values[i]
		if err := prefs.Save(pr); err != nil {
			note.SetText(lang.X("settings.not_saved", "Not saved: {{.Err}}", map[string]any{"Err": explain(err)}))
			return
		}
		note.SetText(lang.X("settings.language_saved", "Saved. The tray and the command line speak it from now on, the window from the next time it opens."))
	}
	title := newWrapLabelWithStyle(lang.X("settings.language", "Language"), fyne.TextStyle{Bold: true})
	// Claude Medic's own choices: reading Claude Code's transcripts for its
	// errors, and the periodic check's generating request (with its cost).
	transcripts := widget.NewCheck(lang.X("settings.read_transcripts", "Read Claude Code's own API errors from its transcripts (only its error words, never your conversation)"), nil)
	transcripts.SetChecked(!saved.NoTranscripts)
	transcripts.OnChanged = func(on bool) {
		pr, _ := prefs.Load()
		pr.NoTranscripts = !on
		if err := prefs.Save(pr); err != nil {
			note.SetText(lang.X("settings.not_saved", "Not saved: {{.Err}}", map[string]any{"Err": explain(err)}))
		}
	}
	generating := widget.NewCheck(lang.X("settings.generating_check", "Prove a relay or router with a generating request in the periodic check"), nil)
	generating.SetChecked(!saved.NoGenerate)
	generating.OnChanged = func(on bool) {
		pr, _ := prefs.Load()
		pr.NoGenerate = !on
		if err := prefs.Save(pr); err != nil {
			note.SetText(lang.X("settings.not_saved", "Not saved: {{.Err}}", map[string]any{"Err": explain(err)}))
			return
		}
		p.refresh()
	}
	p.cost = newWrapLabel("")
	p.cost.SizeName = theme.SizeNameCaptionText
	return container.NewVBox(title, container.NewGridWithColumns(2, pick), note, wrappedCheck(transcripts), wrappedCheck(generating), p.cost) // half the page: a drop-down shows its choice only as wide as it is
}

// wrappedCheck is a check box whose text wraps (a Check's own text does not,
// and would hold the window wider than its smallest size).
func wrappedCheck(c *widget.Check) fyne.CanvasObject {
	text := newWrapLabel(c.Text)
	c.Text = ""
	c.Refresh()
	return container.NewBorder(nil, nil, container.NewVBox(c), nil, text)
}

// showTable lists Claude Code's variables (claudesettings.Table, the one
// list every front end reads): each one's value in effect, masked when it is
// a credential, where it comes from, what Claude Code does with a value that
// is not what it seems, and what it means.
func (p *settingsPage) showTable(t claudesettings.Target) {
	p.table.Objects = nil
	for _, v := range claudesettings.Table {
		if v.Provider {
			continue
		}
		r := t.Read(v.Name)
		value := claudesettings.DisplayValue(v.Name, r.Raw)
		if r.Raw == "" {
			value = lang.X("settings.unset", "Not set")
			if r.Effective != "" {
				value += " (" + r.Effective + ")"
			}
		}
		line := value
		if src := t.Source(v.Name); r.Raw != "" && src != "" {
			line += " · " + doctor.SourceName(tr(), src)
		}
		if !r.Problem.None() {
			line += "\n" + r.Problem.In(Language())
		}
		name := newWrapLabelWithStyle(v.Name, fyne.TextStyle{Bold: true})
		meaning := newWrapLabel(v.Meaning.In(Language()))
		meaning.SizeName = theme.SizeNameCaptionText
		p.table.Add(container.NewVBox(name, newWrapLabel(line), meaning))
	}
	p.table.Refresh()
}

// showCost says what the periodic check costs a day against t (as config show does).
func (p *settingsPage) showCost(t claudesettings.Target) {
	background(func() (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return doctor.PeriodicCost(ctx, t.BaseURL.Value).Sentence(tr()), nil
	}, func(text string, _ error) { p.cost.SetText(text) })
}

func (p *settingsPage) suggest() {
	r := p.w.status.report
	if r == nil || p.w.svc.Settings == nil {
		p.msg.SetText(lang.X("settings.suggest_none", "Run a check first: the suggestion comes from the measured latency."))
		return
	}
	s, err := p.w.svc.SuggestTimeout(r)
	if err != nil {
		p.msg.SetText(lang.X("settings.suggest_failed", "No suggestion: {{.Err}}", map[string]any{"Err": explain(err)}))
		return
	}
	p.timeout.SetText(strconv.FormatInt(s.Timeout.Milliseconds(), 10))
	p.msg.SetText(lang.X("settings.suggested", "Suggested from {{.Samples}} measurements of the last 7 days (95% reached the first byte within {{.Latency}}). Save to use it.",
		map[string]any{"Samples": s.Samples, "Latency": netcheck.FormatDuration(s.P95FirstByte)}))
}

func (p *settingsPage) save(do func(ctx context.Context) (*doctor.Change, error)) {
	if p.w.svc.Settings == nil {
		return
	}
	background(func() (*doctor.Change, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return do(ctx)
	}, func(c *doctor.Change, err error) {
		if err != nil {
			p.msg.SetText(lang.X("settings.not_saved", "Not saved: {{.Err}}", map[string]any{"Err": explain(err)}))
			return
		}
		p.msg.SetText("")
		p.changes.Objects = append([]fyne.CanvasObject{changeNotice(p.w, c, p.refresh)}, p.changes.Objects...)
		p.changes.Refresh()
		p.refresh()
	})
}

// changeNotice says what a save changed in which file, with an Undo button
// above its right end that never covers the text.
func changeNotice(w *Window, c *doctor.Change, undone func()) fyne.CanvasObject {
	if c == nil {
		return widget.NewLabel("")
	}
	l := newWrapLabel(changeText(c))
	var undo *widget.Button
	undo = widget.NewButtonWithIcon(lang.X("change.undo", "Undo"), theme.ContentUndoIcon(), func() {
		undo.Disable()
		background(func() (struct{}, error) { return struct{}{}, w.svc.Settings.Undo(c) }, func(_ struct{}, err error) {
			if err != nil {
				l.SetText(lang.X("change.undo_failed", "Could not undo: {{.Err}}", map[string]any{"Err": explain(err)}))
				undo.Enable()
				return
			}
			l.SetText(lang.X("change.undone", "Undone: {{.File}} is as it was.", map[string]any{"File": homeShort(c.File)}))
			undo.Hide()
			if undone != nil {
				undone()
			}
		})
	})
	if c.Undo == nil || w.svc.Settings == nil {
		undo.Hide()
	}
	return container.NewBorder(nil, nil, container.NewVBox(widget.NewIcon(theme.DocumentIcon())), container.NewVBox(undo), l)
}

// changeText words a change in the window's language: the file, then each
// key's old and new value (claudecfg's Change, masked as it gives them),
// then doctor's warnings, already in the window's language.
func changeText(c *doctor.Change) string {
	lines := c.Lines
	if cc := c.Saved; cc != nil && len(cc.Keys) <= len(lines) {
		var keys []string
		for _, k := range cc.Keys {
			args := map[string]any{"Key": k.Key(), "Old": k.Old, "New": k.New}
			switch {
			case k.Added:
				keys = append(keys, lang.X("change.key_set", "{{.Key}}: set to {{.New}}", args))
			case k.Removed:
				keys = append(keys, lang.X("change.key_removed", "{{.Key}}: removed (was {{.Old}})", args))
			default:
				keys = append(keys, lang.X("change.key_changed", "{{.Key}}: from {{.Old}} to {{.New}}", args))
			}
		}
		lines = append(keys, lines[len(cc.Keys):]...)
	}
	if len(lines) == 0 {
		return lang.X("change.none", "Nothing changed: the setting already had this value.")
	}
	text := strings.Join(lines, "\n")
	if c.File != "" {
		text = lang.X("change.in_file", "Changed in {{.File}}:", map[string]any{"File": homeShort(c.File)}) + "\n" + text
	}
	return text
}

// homeShort writes a path in the home folder as ~/…, as the pages name Claude Code's files.
func homeShort(path string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return path
	}
	if rel, err := filepath.Rel(home, path); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
		return "~" + string(filepath.Separator) + rel
	}
	return path
}
