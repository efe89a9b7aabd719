package gui

import (
	"context"
	"errors"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"claudemedic/claudecache"
	"claudemedic/claudecfg"
	"claudemedic/doctor"
)

// The cache classes the page shows (claudecache's; "never touch" items are not listed).
var (
	ClassCache    = string(claudecache.ClassCache)    // safe to delete: cleared as a whole
	ClassUserData = string(claudecache.ClassUserData) // deleting loses something: only when ticked
)

// cachePage lists Claude Code's cache in its classes with sizes; Clear moves
// the chosen items to Claude Medic's trash, and Undo brings them back.
type cachePage struct {
	w       *Window
	content fyne.CanvasObject
	list    *fyne.Container
	checks  map[string]*widget.Check
	msg     *wrapLabel
	clear   *widget.Button
	anyway  *widget.Button // "Clear anyway", shown while Claude Code runs
	undo    *widget.Button
	undoFn  func() error // the last clear's undo
}

func newCachePage(w *Window) *cachePage {
	p := &cachePage{w: w, checks: map[string]*widget.Check{}}
	p.list = container.NewVBox()
	p.msg = newWrapLabel("")
	p.clear = widget.NewButtonWithIcon(lang.X("cache.clear", "Clear"), theme.DeleteIcon(), func() { p.clearChosen(false) })
	p.clear.Importance = widget.HighImportance
	p.anyway = widget.NewButtonWithIcon(lang.X("cache.clear_anyway", "Clear anyway"), theme.WarningIcon(), func() { p.clearChosen(true) })
	p.anyway.Importance = widget.DangerImportance
	p.anyway.Hide()
	p.undo = widget.NewButtonWithIcon(lang.X("change.undo", "Undo"), theme.ContentUndoIcon(), p.undoClear)
	p.undo.Hide()
	intro := newWrapLabel(lang.X("cache.intro", "Claude Code keeps logs, caches and snapshots under ~/.claude. Clearing moves them to Claude Medic's trash for 7 days, so Undo brings them back. Your settings, CLAUDE.md, agents and commands are never touched."))
	refresh := widget.NewButtonWithIcon(lang.X("cache.refresh", "Refresh"), theme.ViewRefreshIcon(), p.refresh)
	p.content = container.NewVScroll(container.NewPadded(container.NewVBox(intro, p.list,
		container.NewHBox(p.clear, p.anyway, p.undo, refresh), p.msg)))
	return p
}

func (p *cachePage) refresh() {
	if p.w.svc.Cache == nil {
		p.msg.SetText(lang.X("cache.unavailable", "Claude Code's folder was not found."))
		return
	}
	background(func() ([]CacheItem, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		return p.w.svc.Cache.List(ctx)
	}, func(items []CacheItem, err error) {
		if err != nil {
			p.msg.SetText(lang.X("cache.list_failed", "Could not read the cache: {{.Err}}", map[string]any{"Err": explain(err)}))
			return
		}
		p.show(items)
	})
}

func (p *cachePage) show(items []CacheItem) {
	p.list.Objects = nil
	p.checks = map[string]*widget.Check{}
	for _, class := range []string{ClassCache, ClassUserData} {
		var total int64
		rows := container.NewVBox()
		for _, it := range items {
			if it.Class != class {
				continue
			}
			total += it.Size
			size := widget.NewLabelWithStyle(claudecfg.HumanSize(it.Size), fyne.TextAlignTrailing, fyne.TextStyle{Monospace: true})
			var item fyne.CanvasObject = widget.NewLabel(it.Name)
			if class == ClassUserData { // only with explicit consent: unticked
				c := widget.NewCheck(it.Name, nil)
				p.checks[it.Name] = c
				item = c
			}
			rows.Add(container.NewBorder(nil, nil, nil, size, item))
		}
		if len(rows.Objects) == 0 {
			continue
		}
		title := lang.X("cache.class_cache", "Cache (safe to clear, all of it goes): {{.Size}}", map[string]any{"Size": claudecfg.HumanSize(total)})
		if class == ClassUserData {
			title = lang.X("cache.class_user", "Your data (transcripts, history; cleared only if you tick it): {{.Size}}", map[string]any{"Size": claudecfg.HumanSize(total)})
		}
		p.list.Add(section(title, rows))
	}
	if len(p.list.Objects) == 0 {
		p.list.Add(widget.NewLabel(lang.X("cache.empty", "Nothing to clear.")))
	}
	p.content.Refresh() // the list's height changed: lay the page out again
}

// clearChosen clears the cache and the ticked user data; force clears even
// while Claude Code runs (the "Clear anyway" the refusal offers).
func (p *cachePage) clearChosen(force bool) {
	var userData []string
	for n, c := range p.checks {
		if c.Checked {
			userData = append(userData, n)
		}
	}
	if p.w.svc.Cache == nil {
		return
	}
	p.clear.Disable()
	background(func() (func() error, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		return p.w.svc.Cache.Clear(ctx, userData, force)
	}, func(undo func() error, err error) {
		p.clear.Enable()
		p.anyway.Hide()
		if errors.Is(err, claudecache.ErrClaudeRunning) {
			text, _ := doctor.Explain(err, tr())
			p.msg.SetText(text)
			p.anyway.Show()
			return
		}
		if err != nil {
			p.msg.SetText(lang.X("cache.clear_failed", "Could not clear: {{.Err}}", map[string]any{"Err": explain(err)}))
			if undo != nil { // it failed part way: what moved can be put back
				p.undoFn = undo
				p.undo.Show()
				p.refresh()
			}
			return
		}
		if undo == nil {
			p.msg.SetText(lang.X("cache.empty", "Nothing to clear."))
			return
		}
		p.undoFn = undo
		p.undo.Show()
		p.msg.SetText(lang.X("cache.cleared", "Cleared. Undo puts everything back."))
		p.refresh()
	})
}

func (p *cachePage) undoClear() {
	undo := p.undoFn
	if undo == nil {
		return
	}
	background(func() (struct{}, error) { return struct{}{}, undo() }, func(_ struct{}, err error) {
		if err != nil {
			p.msg.SetText(lang.X("change.undo_failed", "Could not undo: {{.Err}}", map[string]any{"Err": explain(err)}))
			return
		}
		p.undoFn = nil
		p.undo.Hide()
		p.msg.SetText(lang.X("cache.restored", "Restored."))
		p.refresh()
	})
}

// claudeCache is Cache over doctor's use cases on Claude Code's folder.
type claudeCache struct {
	// processes lists the running Claude Code processes a clear waits for;
	// nil is the machine's (claudecache.ClaudeProcesses).
	processes func() []int
}

func (c claudeCache) cache() doctor.Cache { return doctor.Cache{Processes: c.processes} }

func (c claudeCache) List(ctx context.Context) ([]CacheItem, error) {
	l, err := c.cache().List(ctx)
	if err != nil {
		return nil, err
	}
	var out []CacheItem
	for _, it := range l.Items {
		if it.Known && (it.Class == claudecache.ClassCache || it.Class == claudecache.ClassUserData) {
			out = append(out, CacheItem{Name: it.Name, Class: string(it.Class), Size: it.Size})
		}
	}
	return out, nil
}

func (c claudeCache) Clear(ctx context.Context, userData []string, force bool) (func() error, error) {
	res, err := c.cache().Clear(ctx, doctor.CacheClear{Include: userData, Force: force})
	if res == nil {
		return nil, err
	}
	return res.Undo, err // a clear that failed part way can still be undone
}
