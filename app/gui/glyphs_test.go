package gui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"

	langfiles "claudemedic/assets/lang"
)

// TestMessagesHaveGlyphs: every character of every message, in the window
// of its language, is in a font the window carries (no replacement box on a
// machine without fonts of its own).
func TestMessagesHaveGlyphs(t *testing.T) {
	for _, tc := range []struct{ file, lang string }{{"en.json", LangEnglish}, {"zh-CN.json", LangChinese}} {
		data, err := langfiles.Files.ReadFile(tc.file)
		if err != nil {
			t.Fatal(err)
		}
		saved := current
		current = tc.lang
		text := displayText(string(data))
		current = saved
		th := &appTheme{Theme: theme.DefaultTheme()}
		if tc.lang == LangChinese {
			th.cjk = chineseFont
		}
		for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
			if m := missingGlyphs(th, style, text); len(m) > 0 {
				t.Errorf("%s (%s): no font of the window has %s", tc.file, styleName(style), runeList(m))
			}
		}
	}
}

// assertGlyphs fails for each character drawn on c that no font of the window has.
func assertGlyphs(t *testing.T, c fyne.Canvas) {
	t.Helper()
	th := &appTheme{Theme: theme.DefaultTheme()}
	if Language() == LangChinese {
		th.cjk = chineseFont
	}
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *canvas.Text:
			if m := missingGlyphs(th, v.TextStyle, v.Text); len(m) > 0 {
				t.Errorf("%q: no font of the window has %s", v.Text, runeList(m))
			}
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(c.Content())
}
