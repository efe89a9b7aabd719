package gui

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"claudemedic/assets/cjkfont"
)

// appTheme is the window's theme: the app's own (Fyne's default; the test
// theme in tests) except that the Chinese window draws its text with the
// embedded Noto Sans CJK SC (assets/cjkfont), which carries every character
// the texts use, so Chinese shows on a machine without a Chinese font and
// reads the same on every machine. Monospace and symbol text keep Fyne's fonts.
//
// Fyne looks a character up in the theme's font, then in its own fonts
// (Noto Sans and the symbol font; the window is built with -tags no_emoji,
// which leaves out Fyne's 4 MB emoji font, parsed once per text style
// before the first frame otherwise: some 15 MB and 18 ms of CPU at the
// start, for characters no text of the window uses), then in the system's
// font for the locale's language, then in any system font that has it: a
// character outside the subset (a pasted error message in Japanese, an
// emoji, say) still shows wherever the machine has a font for it.
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
		if (t.cjk != nil) == (language == LangChinese) {
			return // already so: setting it again would drop the fonts Fyne has parsed (warmFonts)
		}
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
// when there is none (err) or it is not a whole OpenType font: Fyne 2.8.1
// crashes on the first character drawn with a theme font it cannot parse (a
// nil face), so the window keeps Fyne's own font instead. It reads only the
// font's table directory: Fyne parses the font itself, and parsing it here
// too cost the Chinese window's start a few milliseconds a weight (the
// embedded fonts' own test, in assets/cjkfont, parses them whole).
func checkFont(name string, data []byte, err error) fyne.Resource {
	if err == nil {
		if serr := sfntWhole(data); serr != nil {
			err = fmt.Errorf("the Chinese font %s does not parse: %w", name, serr)
		}
	}
	if err != nil {
		log.Printf("claudemedic: %v; Chinese text is drawn with Fyne's and the system's fonts instead", err)
		return nil
	}
	return fyne.NewStaticResource(name, data)
}

// sfntWhole checks that data is an OpenType font whose table directory lists
// the tables a font needs to be drawn with, each lying wholly within data.
func sfntWhole(data []byte) error {
	if len(data) < 12 {
		return errors.New("it is not an OpenType font")
	}
	switch string(data[:4]) {
	case "OTTO", "\x00\x01\x00\x00", "true":
	default:
		return errors.New("it is not an OpenType font")
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if n == 0 || 12+16*n > len(data) {
		return errors.New("its table directory is cut short")
	}
	need := map[string]bool{"cmap": true, "head": true, "hhea": true, "hmtx": true, "maxp": true}
	outlines := false
	for i := range n {
		rec := data[12+16*i:]
		tag := string(rec[:4])
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(length) > uint64(len(data)) {
			return fmt.Errorf("its %q table is cut short", tag)
		}
		delete(need, tag)
		if tag == "CFF " || tag == "CFF2" || tag == "glyf" {
			outlines = true
		}
	}
	for tag := range need {
		return fmt.Errorf("it has no %q table", tag)
	}
	if !outlines {
		return errors.New("it has no glyph outlines")
	}
	return nil
}

// warmFonts has Fyne parse the fonts of the window's three text styles
// (bold, regular, monospace: the status page's first frame draws all three)
// on a goroutine of its own, while the main goroutine opens the display,
// and returns a function that waits until it is done.
// For each style Fyne parses the theme's font, its own fallback and symbol
// fonts (and its emoji font, in a build without -tags no_emoji), and looks
// up the system's font for the language: about half of the window's own
// work before its first frame, which on two cores need not wait for the
// rest. The pages are built (build) once it is done, so no font is parsed
// twice. a's theme must be the window's (useTheme).
func warmFonts() (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, s := range []fyne.TextStyle{{Bold: true}, {}, {Monospace: true}} {
			fyne.MeasureText("M", theme.TextSize(), s)
			mark(fmt.Sprintf("warm-%v", s))
		}
	}()
	return func() { <-done }
}
