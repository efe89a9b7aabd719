package gui

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/go-text/typesetting/font"

	langfiles "claudemedic/assets/lang"
)

// The window draws every character with a font it carries: the theme's
// (the embedded Chinese font in the Chinese window), then Fyne's own text
// and symbol fonts (not its emoji font: see windowFonts). A character none
// of them has would fall to whatever font the machine has, or show as a
// replacement box where it has none: missingGlyphs finds such characters
// before a person does.

var (
	facesMu sync.Mutex
	faces   = map[string]*font.Face{} // parsed fonts by resource name; nil when one does not parse
)

func face(r fyne.Resource) *font.Face {
	if r == nil {
		return nil
	}
	facesMu.Lock()
	defer facesMu.Unlock()
	if f, ok := faces[r.Name()]; ok {
		return f
	}
	f, err := font.ParseTTF(bytes.NewReader(r.Content()))
	if err != nil {
		f = nil
	}
	faces[r.Name()] = f
	return f
}

// windowFonts are the fonts text of style is drawn with, in the order Fyne
// tries them. Fyne's emoji font is not among them: the window is built
// with -tags no_emoji (cmd/claudemedic-window), which leaves it out, so a
// character only it has would show as a replacement box there; the tests,
// built without the tag, find such a character all the same.
func windowFonts(th fyne.Theme, style fyne.TextStyle) []*font.Face {
	var out []*font.Face
	for _, r := range []fyne.Resource{th.Font(style), theme.DefaultTextFont(), theme.DefaultTextBoldFont(), theme.DefaultSymbolFont()} {
		if f := face(r); f != nil {
			out = append(out, f)
		}
	}
	return out
}

// missingGlyphs returns the characters of text that none of the window's
// fonts for style carry (control characters aside), once each. A space is
// drawn with the font of the character before it (go-text keeps a run's
// font across spaces): after a character only Fyne's symbol font has
// ("→"), which has no space, the space is a replacement box, and is
// reported.
func missingGlyphs(th fyne.Theme, style fyne.TextStyle, text string) []rune {
	fonts := windowFonts(th, style)
	seen := map[rune]bool{}
	var out []rune
	var prev *font.Face // the font of the last character that chose one
	for _, r := range text {
		if unicode.IsControl(r) || r == '\u200b' {
			continue
		}
		if unicode.Is(unicode.Zs, r) {
			if prev != nil {
				if _, ok := prev.NominalGlyph(r); !ok && !seen[r] {
					seen[r] = true
					out = append(out, r)
				}
			}
			continue
		}
		var found *font.Face
		for _, f := range fonts {
			if _, ok := f.NominalGlyph(r); ok {
				found = f
				break
			}
		}
		prev = found
		if found == nil && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// displayText is s as the window draws it: in a window whose theme font
// lacks "→" (the English one: Noto Sans), Fyne draws it with its symbol
// font, and the space after it too, as a replacement box; the window
// writes a menu path's "→" as "›" (in Noto Sans) there.
func displayText(s string) string {
	if current == LangChinese || !strings.Contains(s, "→") {
		return s
	}
	return strings.ReplaceAll(s, "→", "›")
}

// checkGlyphs (CLAUDEMEDIC_GLYPHCHECK=1, for the smoke test under Xvfb)
// writes to stderr each character of the chosen language's messages that
// the window's fonts lack, in regular and bold text.
func checkGlyphs(th fyne.Theme) {
	file := "en.json"
	if current == LangChinese {
		file = "zh-CN.json"
	}
	data, err := langfiles.Files.ReadFile(file)
	if err != nil {
		fmt.Fprintf(os.Stderr, "glyph check: %v\n", err)
		return
	}
	for _, style := range []fyne.TextStyle{{}, {Bold: true}} {
		if m := missingGlyphs(th, style, displayText(string(data))); len(m) > 0 {
			fmt.Fprintf(os.Stderr, "glyph check: the window's fonts lack %s (%s text, %s)\n", runeList(m), styleName(style), file)
		}
	}
}

func styleName(s fyne.TextStyle) string {
	if s.Bold {
		return "bold"
	}
	return "regular"
}

// runeList is "U+2192 →, U+2026 …", sorted.
func runeList(rs []rune) string {
	sort.Slice(rs, func(i, j int) bool { return rs[i] < rs[j] })
	var parts []string
	for _, r := range rs {
		parts = append(parts, fmt.Sprintf("U+%04X %c", r, r))
	}
	return strings.Join(parts, ", ")
}
