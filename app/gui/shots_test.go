package gui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	"claudemedic/doctor"
	"claudemedic/internal/pages"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// TestShots draws every page and the wizard's change notice in each state
// (before, applied, undone), in English and Chinese, with Fyne's own theme
// and fonts, at the window's smallest size, into CLAUDEMEDIC_SHOTS=DIR. It
// is for looking at, not a check: the golden tests and the smoke test check.
func TestShots(t *testing.T) {
	eachShotLanguage(t, func(t *testing.T, f *fixture, save func(string)) {
		shot := func(name string) {
			t.Helper()
			settle(t)
			// The smallest window: 600 wide, or wider if the page asks (as the real window grows).
			f.w.win.Resize(fyne.NewSize(max(600, f.w.win.Content().MinSize().Width), 680))
			relayout(f.w.win.Canvas())
			save(name)
		}
		f.w.Open(pages.Status)
		shot("status")
		for _, p := range []pages.Page{pages.Key, pages.Settings, pages.Cache} {
			restore := func() {}
			if p == pages.Settings {
				restore = showPlausibleCA(f)
			}
			f.w.show(p)
			shot(string(p))
			restore() // the wizard's check needs the real one
		}
		walkWizard(t, f, shot)
	})
}

// walkWizard takes the wizard through the timeout symptom, calling at with
// the name of each state: its pick, a result with a fix, the fix applied,
// the fix undone ("wizard-pick", "wizard-before", "wizard-applied",
// "wizard-undone").
func walkWizard(t *testing.T, f *fixture, at func(state string)) {
	t.Helper()
	f.w.show(pages.Wizard)
	wz := f.w.wizard
	wz.showPick()
	at("wizard-pick")
	wz.choices.SetSelected(doctor.SymptomTimeout.Label(tr()))
	test.Tap(wz.runBtn)
	settle(t)
	at("wizard-before")
	fix := fixOf(f.svc.Remedies(wz.before), netcheck.TimeoutTooLow)
	btn := findButton(wz.result, fix.Label(tr()))
	if btn == nil {
		t.Fatalf("no fix button: %s", resultText(wz.result))
	}
	test.Tap(btn)
	at("wizard-applied")
	undo := findButton(wz.result, lang.X("change.undo", "Undo"))
	if undo == nil {
		t.Fatal("no Undo button")
	}
	test.Tap(undo)
	at("wizard-undone")
}

// plausibleCAFile is the extra CA file the Settings page's pictures show:
// the fixture's own is in a test's temporary folder
// (/tmp/TestShots…/netchecktest-ca.pem), which no one's settings would name.
const plausibleCAFile = "/etc/ssl/certs/company-ca.pem"

// showPlausibleCA points the user settings' NODE_EXTRA_CA_CERTS at
// plausibleCAFile, for the Settings page's pictures, and returns what puts
// the fixture's real CA file back (a check needs it).
func showPlausibleCA(f *fixture) (restore func()) {
	real := f.srv.Target()
	shown := real
	shown.CAFile.Value = plausibleCAFile
	f.writeSettings(shown)
	return func() { f.writeSettings(real) }
}

// eachShotLanguage runs draw in English and then in Chinese, each on a
// fresh fixture (the timeout scenario) with Fyne's own theme and fonts;
// save writes the window as NAME-LANGUAGE.png into CLAUDEMEDIC_SHOTS, after
// checking that no glyph is missing. Without CLAUDEMEDIC_SHOTS the test is
// skipped: the pictures are for looking at.
func eachShotLanguage(t *testing.T, draw func(t *testing.T, f *fixture, save func(name string))) {
	dir := os.Getenv("CLAUDEMEDIC_SHOTS")
	if dir == "" {
		t.Skip("CLAUDEMEDIC_SHOTS=DIR draws the pages into DIR")
	}
	for _, l := range []string{LangEnglish, LangChinese} {
		t.Run(l, func(t *testing.T) {
			SetupLanguage(l)
			t.Cleanup(func() { SetupLanguage(LangEnglish) })
			f := newFixture(t, netchecktest.TimeoutTooLow)
			f.w.app.Settings().SetTheme(theme.DefaultTheme())
			useTheme(f.w.app, Language())
			draw(t, f, func(name string) {
				t.Helper()
				assertGlyphs(t, f.w.win.Canvas())
				out, err := os.Create(filepath.Join(dir, name+"-"+l+".png"))
				if err != nil {
					t.Fatal(err)
				}
				defer out.Close()
				if err := png.Encode(out, f.w.win.Canvas().Capture()); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

// relayout lays out every container and widget under c again from the
// top, twice (a wrapping label's height follows its width), as the real
// driver does before each frame when a minimum size changed: Fyne's test
// canvas does not.
func relayout(c fyne.Canvas) {
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *fyne.Container:
			if v.Layout != nil {
				v.Layout.Layout(v.Objects, v.Size())
			}
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			r := test.WidgetRenderer(v)
			r.Layout(v.Size())
			for _, c := range r.Objects() {
				walk(c)
			}
		}
	}
	for range 3 {
		walk(c.Content())
	}
}
