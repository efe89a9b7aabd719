package gui

import (
	"bytes"
	"errors"
	"image"
	"io"
	"log"
	"os"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/fontscan"

	"claudemedic/assets/cjkfont"
)

// TestThemeFonts: the Chinese window's text is drawn with the embedded
// Chinese font (Bold for bold); monospace, symbols and the English window
// keep the app theme's fonts.
func TestThemeFonts(t *testing.T) {
	styles := []fyne.TextStyle{{}, {Bold: true}, {Italic: true}, {Bold: true, Italic: true}, {Monospace: true}, {Symbol: true}}
	for _, tc := range []struct {
		language string
		want     []string // a font file per style; "" is the app theme's own
	}{
		{LangChinese, []string{cjkfont.FileName(cjkfont.Regular), cjkfont.FileName(cjkfont.Bold), cjkfont.FileName(cjkfont.Regular), cjkfont.FileName(cjkfont.Bold), "", ""}},
		{LangEnglish, []string{"", "", "", "", "", ""}},
	} {
		t.Run(tc.language, func(t *testing.T) {
			a := test.NewTempApp(t)
			base := a.Settings().Theme()
			useTheme(a, tc.language)
			useTheme(a, tc.language) // again, as a second window would: the app's theme is not wrapped twice
			th := a.Settings().Theme()
			if inner := th.(*appTheme).Theme; inner != base {
				t.Fatalf("the window's theme wraps %T, want the app's own theme", inner)
			}
			for i, s := range styles {
				got := th.Font(s)
				want := tc.want[i]
				if want == "" {
					want = base.Font(s).Name()
				}
				if got == nil || got.Name() != want {
					t.Errorf("Font(%+v) = %v, want %s", s, got, want)
				}
			}
		})
	}
}

// TestChineseDrawn: under the Chinese theme two Chinese characters, and the
// arrows, are drawn as different glyphs (with no font for them both would be
// the same replacement box).
func TestChineseDrawn(t *testing.T) {
	a := test.NewTempApp(t)
	useTheme(a, LangChinese)
	for _, pair := range [][2]string{{"中", "文"}, {"→", "←"}, {"，", "。"}} {
		if drawText(t, pair[0]).Bounds() == image.Rect(0, 0, 0, 0) || bytes.Equal(drawText(t, pair[0]).Pix, drawText(t, pair[1]).Pix) {
			t.Errorf("%q and %q are drawn the same: no glyphs for them", pair[0], pair[1])
		}
	}
}

// TestSystemFontFallback: a character the embedded font lacks (✗, as in a
// pasted message) is still drawn, from a system font that has it, and not as
// the replacement box a character no font has (U+0378, unassigned) gets.
func TestSystemFontFallback(t *testing.T) {
	const r = '✗'
	fm := fontscan.NewFontMap(log.New(io.Discard, "", 0))
	fm.SetQuery(fontscan.Query{Families: []string{fontscan.SansSerif}})
	if err := fm.UseSystemFonts(t.TempDir()); err != nil || !hasGlyph(fm.ResolveFace(r), r) {
		t.Skipf("no system font has %q (%v): nothing to fall back on here", r, err)
	}
	data, _ := cjkfont.Font(cjkfont.Regular)
	if f, err := font.ParseTTF(bytes.NewReader(data)); err != nil || hasGlyph(f, r) {
		t.Fatalf("the embedded font has %q (or does not parse: %v): pick another character for this test", r, err)
	}
	a := test.NewTempApp(t)
	useTheme(a, LangChinese)
	if bytes.Equal(drawText(t, string(r)).Pix, drawText(t, "\u0378").Pix) {
		t.Errorf("%q is drawn as the replacement box: Fyne did not fall back to the system font that has it", r)
	}
}

func hasGlyph(f *font.Face, r rune) bool {
	if f == nil {
		return false
	}
	_, ok := f.NominalGlyph(r)
	return ok
}

// drawText renders text on a label in a small test window.
func drawText(t *testing.T, text string) *image.NRGBA {
	t.Helper()
	w := test.NewWindow(widget.NewLabel(text))
	defer w.Close()
	w.Resize(fyne.NewSize(60, 40))
	img := w.Canvas().Capture()
	out := image.NewNRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			out.Set(x, y, img.At(x, y))
		}
	}
	return out
}

// TestFontMissingOrBroken: a Chinese font missing from the build, or one
// that does not parse, logs one line and leaves the window on Fyne's font;
// the window still draws Chinese text, without a crash.
func TestFontMissingOrBroken(t *testing.T) {
	for _, tc := range []struct {
		name string
		data []byte
		err  error
		want string
	}{
		{"missing", nil, errors.New("the Chinese font X.otf is not in this build (make it with scripts/gen-cjk-font.sh)"), "scripts/gen-cjk-font.sh"},
		{"not a font", []byte("<html>404</html>"), nil, "does not parse"},
		{"cut short", firstBytes(t, 4096), nil, "does not parse"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logged bytes.Buffer
			log.SetOutput(&logged)
			t.Cleanup(func() { log.SetOutput(os.Stderr) })
			if r := checkFont("X.otf", tc.data, tc.err); r != nil {
				t.Fatalf("checkFont gave a resource (%s) for a font that is not there", r.Name())
			}
			if lines := strings.Count(strings.TrimSpace(logged.String()), "\n") + 1; lines != 1 || !strings.Contains(logged.String(), tc.want) || !strings.Contains(logged.String(), "Fyne's") {
				t.Errorf("logged %d line(s), want one naming %q and the fallback:\n%s", lines, tc.want, logged.String())
			}

			a := test.NewTempApp(t)
			base := a.Settings().Theme()
			a.Settings().SetTheme(&appTheme{Theme: base, cjk: func(cjkfont.Weight) fyne.Resource { return checkFont("X.otf", tc.data, tc.err) }})
			if got := a.Settings().Theme().Font(fyne.TextStyle{}); got != base.Font(fyne.TextStyle{}) {
				t.Errorf("Font = %s, want the app theme's %s", got.Name(), base.Font(fyne.TextStyle{}).Name())
			}
			drawText(t, "检查代理 → 正常")
		})
	}
}

func firstBytes(t *testing.T, n int) []byte {
	data, err := cjkfont.Font(cjkfont.Regular)
	if err != nil {
		t.Fatal(err)
	}
	return data[:n]
}
