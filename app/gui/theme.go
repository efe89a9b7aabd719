package gui

import (
	"bytes"
	"fmt"
	"log"
	"sync"

	"fyne.io/fyne/v2"
	"github.com/go-text/typesetting/font"

	"claudemedic/assets/cjkfont"
)

// appTheme is the window's theme: the app's own (Fyne's default; the test
// theme in tests) except that the Chinese window draws its text with the
// embedded Noto Sans CJK SC (assets/cjkfont), which carries every character
// the texts use, so Chinese shows on a machine without a Chinese font and
// reads the same on every machine. Monospace and symbol text keep Fyne's fonts.
//
// Fyne looks a character up in the theme's font, then in its own fonts
// (Noto Sans, the emoji and symbol fonts), then in the system's font for the
// locale's language, then in any system font that has it: a character
// outside the subset (a pasted error message in Japanese, say) still shows
// wherever the machine has a font for it.
type appTheme struct {
	fyne.Theme
	// cjk is the Chinese font of a weight, nil when there is none to use;
	// cjk itself is nil outside the Chinese window.
	cjk func(cjkfont.Weight) fyne.Resource
}

// useTheme gives app a the window's theme for language.
func useTheme(a fyne.App, language string) {
	base := a.Settings().Theme()
	if t, ok := base.(*appTheme); ok {
		base = t.Theme
	}
	t := &appTheme{Theme: base}
	if language == LangChinese {
		t.cjk = chineseFont
	}
	a.Settings().SetTheme(t)
}

// Font is the Chinese font for the Chinese window's text (Bold for bold,
// Regular otherwise: Chinese has no italics), and the app theme's font
// for everything else.
func (t *appTheme) Font(s fyne.TextStyle) fyne.Resource {
	if t.cjk != nil && !s.Monospace && !s.Symbol {
		w := cjkfont.Regular
		if s.Bold {
			w = cjkfont.Bold
		}
		if r := t.cjk(w); r != nil {
			return r
		}
	}
	return t.Theme.Font(s)
}

// chineseFonts read and check each weight once, when first drawn with.
var chineseFonts = map[cjkfont.Weight]func() fyne.Resource{
	cjkfont.Regular: sync.OnceValue(func() fyne.Resource { return loadFont(cjkfont.Regular) }),
	cjkfont.Bold:    sync.OnceValue(func() fyne.Resource { return loadFont(cjkfont.Bold) }),
}

func chineseFont(w cjkfont.Weight) fyne.Resource { return chineseFonts[w]() }

func loadFont(w cjkfont.Weight) fyne.Resource {
	data, err := cjkfont.Font(w)
	return checkFont(cjkfont.FileName(w), data, err)
}

// checkFont makes a font resource of data, or logs one line and returns nil
// when there is none (err) or it does not parse: Fyne 2.8.1 crashes on the
// first character drawn with a theme font it cannot parse (a nil face), so
// the window keeps Fyne's own font instead.
func checkFont(name string, data []byte, err error) fyne.Resource {
	if err == nil {
		if _, perr := font.ParseTTF(bytes.NewReader(data)); perr != nil {
			err = fmt.Errorf("the Chinese font %s does not parse: %w", name, perr)
		}
	}
	if err != nil {
		log.Printf("claudemedic: %v; Chinese text is drawn with Fyne's and the system's fonts instead", err)
		return nil
	}
	return fyne.NewStaticResource(name, data)
}
