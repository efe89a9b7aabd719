// Package gui is the Fyne main window and the troubleshooting wizard:
// `claudemedic window [status|wizard|key|settings|cache]`. It renders what
// netcheck, keystore and claudecfg return and never checks anything itself.
package gui

import (
	"fmt"
	"image"
	"os"
	"runtime/debug"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"claudemedic/assets"
	"claudemedic/internal/exitcode"
	"claudemedic/internal/i18n"
	"claudemedic/internal/pages"
)

// AppID is the application's ID (FyneApp.toml, the .desktop entry, Fyne's preferences).
const AppID = "io.github.claudemedic"

// Main opens the window on the page named in args and returns the exit status
// when it is closed.
func Main(args []string) int {
	start := time.Now()
	if os.Getenv("CLAUDEMEDIC_BENCH") != "" {
		startProfile()
	}
	page := pages.Status
	if len(args) > 0 {
		page = pages.Page(args[0])
	}
	if _, err := pages.Parse(string(page)); len(args) > 1 || err != nil {
		usage := i18n.Chosen(preferredLanguage()).X("cli.usage_line", "Usage: claudemedic {{.Synopsis}}", "Synopsis", "window ["+pages.List()+"]")
		if len(args) == 1 && (args[0] == "--help" || args[0] == "-help" || args[0] == "-h") {
			fmt.Println(usage) // asked for: not an error
			return exitcode.OK
		}
		fmt.Fprintf(os.Stderr, "%s\n", usage)
		return exitcode.Usage
	}
	// One window per user: a window already open shows the page and comes to the front.
	dir, err := windowDir()
	if err != nil {
		dir = ""
	}
	if handOver(dir, page) {
		return exitcode.OK
	}
	lock, handed := lockWindow(dir, page)
	if handed {
		return exitcode.OK
	}
	defer lock.release()
	mark("main")
	// Until the first frame the start allocates what it keeps (fonts,
	// widgets: some 25 MB): collecting it as it grows is wasted work then
	// (a collection of some 10 ms of CPU). The heap may still not pass 96 MB,
	// and collection is back on after the first frame, or after 5 s if none
	// comes.
	restoreGC := sync.OnceFunc(func(gc, limit int64) func() {
		return func() { debug.SetGCPercent(int(gc)); debug.SetMemoryLimit(limit) }
	}(int64(debug.SetGCPercent(-1)), debug.SetMemoryLimit(96<<20)))
	gate := make(chan struct{})
	firstFrame = gate // background work waits for it (background)
	openGate = sync.OnceFunc(func() { close(gate) })
	time.AfterFunc(5*time.Second, func() { restoreGC(); openGate() })
	setLanguage(preferredLanguage())
	if d, err := os.UserCacheDir(); err == nil {
		os.MkdirAll(d, 0o700) // Fyne makes its cache folder inside it with Mkdir, and logs an error on a fresh account
	}
	a := app.NewWithID(AppID)
	useTheme(a, Language())
	waitFonts = warmFonts()
	messages := make(chan struct{})
	go func() {
		defer close(messages)
		loadMessages()
		mark("lang")
	}()
	mark("app")
	svc := NewServices()
	mark("svc")
	// The window opens on the main thread, in the app's loop (below): the
	// display's GL context and Fyne's painter, some 100 ms in C that no
	// other goroutine can share, with nothing in the window but the theme's
	// background. Meanwhile the fonts are parsed on one goroutine and the
	// pages are built on another, once the messages are in and the fonts
	// parsed: nothing asks Fyne's lang for a text, nor measures one, before.
	// The pages go into the window when both are done, and the loop draws
	// the first frame with them.
	//
	// Building them off the main goroutine is safe while they are in no
	// window: Fyne 2.8's caches (renderers, text sizes, fonts) are
	// goroutine-safe for an app not migrated to fyne.Do, as this one is not,
	// and nothing the build does calls the driver (a canvas refresh of an
	// object in no canvas does nothing; the pages' own work waits for the
	// first frame, and reaches the window through fyne.Do, which does not
	// wait). The channel orders all of it before SetContent.
	w := newWindow(a, svc, "Claude Medic")
	w.win.SetContent(container.NewStack())
	built := make(chan struct{})
	go func() {
		defer close(built)
		<-messages
		w.build()
		mark("new")
		w.afterFirstFrame(func() {
			restoreGC()
			// The window's icon: decoding it (512 pixels, 16 bits a channel) and
			// handing it to the window manager can wait for the first frame.
			icon := fyne.NewStaticResource("icon.png", assets.Icon)
			a.SetIcon(icon)
			w.win.SetIcon(icon)
		})
		w.Open(page)
		if os.Getenv("CLAUDEMEDIC_BENCH") != "" {
			w.root = benchFirstFrame(w.root, start)
		}
		// Laid out here at the size it will have in the window (inside the
		// window's padding), SetContent finds it laid out: one pass over every
		// widget and icon fewer on the main thread. Should the window open at
		// another size, SetContent lays it out again.
		pad := 2 * theme.Padding()
		w.root.Resize(windowSize.SubtractWidthHeight(pad, pad))
		mark("built")
	}()
	// The window opens as the first thing the app's loop does: the loop
	// draws a frame at each tick of its 60 Hz ticker, which starts with it,
	// and opening the window takes longer than a tick, so the frame with the
	// pages is drawn as soon as they are in. Opened before the loop, as it
	// was, the first frame waited for the loop's first tick, 17 ms after.
	// (fyne.Do from another goroutine: on the main goroutine it would run at
	// once, before the loop.)
	go fyne.Do(func() {
		w.win.Show()
		mark("shown")
		<-built
		w.win.SetTitle(lang.X("window.title", "Claude Medic"))
		// The pages go into the shown window once, whole: each SetContent of a
		// shown window lays out and refreshes all of it again (every icon's SVG
		// colourised and parsed anew: some 100 of them for the tabs alone).
		w.win.SetContent(w.root)
		lock.built(w)
		mark("open")
		if os.Getenv("CLAUDEMEDIC_GLYPHCHECK") != "" {
			checkGlyphs(a.Settings().Theme())
		}
	})
	a.Run()
	return exitcode.OK
}

// Window is the main window: one tab per page.
type Window struct {
	app  fyne.App
	win  fyne.Window
	svc  *Services
	tabs *container.AppTabs
	// root is the window's content: the tabs, and the first frame's hooks
	// in Main (which puts it in the window once, when it is whole).
	root fyne.CanvasObject

	status   *statusPage
	wizard   *wizardPage
	key      *keyPage
	settings *settingsPage
	cache    *cachePage

	// chooseFile asks for a file (the CA file): the file dialog; tests give the path.
	chooseFile func(done func(path string))

	// later holds the work Open starts (the check, the sign-in look-up)
	// until the first frame is on screen, when Main asks it to wait
	// (afterFirstFrame): on two busy cores it would slow the first frame.
	later    []func()
	deferred bool
}

// soon runs f now, or after the first frame when Main deferred the start.
func (w *Window) soon(f func()) {
	if w.deferred {
		w.later = append(w.later, f)
		return
	}
	f()
}

// firstFrame is closed when Main's window has painted its first frame;
// nil outside Main (tests), where nothing waits for it.
var firstFrame chan struct{}

// openGate closes firstFrame, once: at the first frame, or 5 s after the
// start if none comes (a display that never draws must not hold the pages'
// work back for good).
var openGate = func() {}

// waitFirstFrame returns when Main's window has painted its first frame: the
// work background starts (the last day's history, Claude Code's errors, the
// tray host's D-Bus look-up) would otherwise take the CPU the first frame needs.
func waitFirstFrame() {
	if c := firstFrame; c != nil {
		<-c
	}
}

// waitFonts waits until warmFonts is done; New calls it before it builds a page.
var waitFonts = func() {}

// afterFirstFrame defers what Open starts until the window's first frame is
// on screen, then runs then and what was deferred: a one-pixel raster's
// generator is the hook (the painter calls it while it draws the frame). The
// work is queued from another goroutine so that it runs once the frame is
// drawn and swapped: fyne.Do called on the main goroutine runs at once, in
// the middle of the frame, and the check's and the sign-in look-up's
// processes (Claude Code, the login shell) then took its CPU.
func (w *Window) afterFirstFrame(then func()) {
	w.deferred = true
	var once sync.Once
	px := canvas.NewRaster(func(int, int) image.Image {
		once.Do(func() {
			go fyne.Do(func() {
				openGate()
				then()
				w.deferred = false
				for _, f := range w.later {
					f()
				}
				w.later = nil
			})
		})
		return image.NewNRGBA(image.Rect(0, 0, 1, 1))
	})
	px.Resize(fyne.NewSize(1, 1))
	w.root = container.NewStack(w.root, container.NewWithoutLayout(px))
}

// New builds the window on a (the real app, or test.NewTempApp in tests).
// Only the status page is built now; the others are built when first shown,
// so the first frame comes sooner. Nothing here waits on the network or the keychain.
func New(a fyne.App, svc *Services) *Window {
	w := newWindow(a, svc, lang.X("window.title", "Claude Medic"))
	w.build()
	w.win.SetContent(w.root)
	return w
}

// windowSize is the window's size when it opens.
var windowSize = fyne.NewSize(880, 680)

// newWindow makes the window, at its size, with nothing in it yet.
func newWindow(a fyne.App, svc *Services, title string) *Window {
	w := &Window{app: a, svc: svc}
	w.chooseFile = w.pickCAFile
	useTheme(a, Language())
	w.win = a.NewWindow(title)
	w.win.Resize(windowSize)
	return w
}

// build makes the pages (the status page; the others when first shown) and
// the tabs that hold them, as the window's root; the caller puts it in the window.
func (w *Window) build() {
	waitFonts()
	mark("fonts")
	w.status = newStatusPage(w)
	w.tabs = container.NewAppTabs(
		container.NewTabItemWithIcon(lang.X("tab.status", "Status"), theme.InfoIcon(), w.status.content),
		container.NewTabItemWithIcon(lang.X("tab.wizard", "Troubleshoot"), theme.HelpIcon(), container.NewStack()),
		container.NewTabItemWithIcon(lang.X("tab.key", "Sign-in"), theme.AccountIcon(), container.NewStack()),
		container.NewTabItemWithIcon(lang.X("tab.settings", "Settings"), theme.SettingsIcon(), container.NewStack()),
		container.NewTabItemWithIcon(lang.X("tab.cache", "Cache"), theme.StorageIcon(), container.NewStack()),
	)
	w.tabs.OnSelected = func(*container.TabItem) { w.onTab(pages.All[w.tabs.SelectedIndex()]) }
	w.root = w.tabs
}

// Open shows page and starts what it shows: the status page checks (after
// showing the last report); the first launch with nothing to sign in with
// (no claude.ai login, key or cloud provider) opens the wizard's key step.
func (w *Window) Open(p pages.Page) {
	w.show(p)
	w.status.showLast()
	w.soon(func() { w.openKeyStepFirstTime(p) })
	if p == pages.Status {
		w.soon(w.status.checkNow)
	}
}

// openKeyStepFirstTime opens the wizard's key step on the first launch with
// nothing to sign in with.
func (w *Window) openKeyStepFirstTime(p pages.Page) {
	w.svc.signedIn(func(has bool) {
		// Only the first time: after Skip (or a key saved) the next launch opens where it was asked.
		if !has && (p == pages.Status || p == pages.Wizard) && !keyStepShown() {
			rememberKeyStep()
			w.show(pages.Wizard)
			w.wizard.showKeyStep()
		}
	})
}

// show selects page p, building it first if it is new.
func (w *Window) show(p pages.Page) {
	for i, q := range pages.All {
		if q != p {
			continue
		}
		if w.tabs.SelectedIndex() == i {
			w.onTab(p)
		}
		w.tabs.SelectIndex(i) // calls onTab
	}
}

// onTab builds a page the first time it is shown, and refreshes what it shows from disk.
func (w *Window) onTab(p pages.Page) {
	i := w.tabs.SelectedIndex()
	var content fyne.CanvasObject
	switch p {
	case pages.Wizard:
		if w.wizard == nil {
			w.wizard = newWizardPage(w)
			content = w.wizard.content
		}
	case pages.Key:
		if w.key == nil {
			w.key = newKeyPage(w)
			content = w.key.content
		}
		w.key.refresh()
	case pages.Settings:
		if w.settings == nil {
			w.settings = newSettingsPage(w)
			content = w.settings.content
		}
		w.settings.refresh()
	case pages.Cache:
		if w.cache == nil {
			w.cache = newCachePage(w)
			content = w.cache.content
		}
		w.cache.refresh()
	}
	if content != nil {
		w.tabs.Items[i].Content = content
		w.tabs.Refresh()
	}
}

// Canvas is the window's canvas (tests render it to markup).
func (w *Window) Canvas() fyne.Canvas { return w.win.Canvas() }
