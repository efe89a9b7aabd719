package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"claudemedic/internal/pages"
)

// TestShotsSettingsNotice draws the Settings page's change notice after Save
// and after Undo, in English and Chinese, 600 wide and as tall as the whole
// page (so the notice, below the form, shows), into CLAUDEMEDIC_SHOTS=DIR
// beside TestShots' pictures. Each is checked as it is drawn: no glyph
// missing, nothing over anything, nothing cut off.
func TestShotsSettingsNotice(t *testing.T) {
	eachShotLanguage(t, func(t *testing.T, f *fixture, save func(string)) {
		shot := func(name string) {
			t.Helper()
			settle(t)
			page := f.w.settings.content.(*container.Scroll).Content
			tabs := f.w.win.Content().MinSize().Height // the tab bar, and the page's own least height
			f.w.win.Resize(fyne.NewSize(600, 680))
			relayout(f.w.win.Canvas())
			f.w.win.Resize(fyne.NewSize(600, max(680, page.MinSize().Height+tabs)))
			relayout(f.w.win.Canvas())
			assertLayout(t, f.w.win.Canvas())
			save(name)
		}
		defer showPlausibleCA(f)()
		f.w.Open(pages.Settings)
		settle(t)
		s := f.w.settings
		s.timeout.SetText("600000")
		test.Tap(findButton(s.content, lang.X("settings.save", "Save")))
		settle(t)
		undo := findButton(s.changes, lang.X("change.undo", "Undo"))
		if undo == nil {
			t.Fatalf("no Undo after Save: %s", resultText(s.content))
		}
		shot("settings-applied")
		test.Tap(undo)
		shot("settings-undone")
	})
}
