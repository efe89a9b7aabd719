package gui

import (
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/software"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"claudemedic/internal/pages"
	"claudemedic/netcheck/netchecktest"
)

// drawn is a text or a button where it is drawn on the canvas.
type drawn struct {
	text   string
	rect   rect
	clip   rect // the part of the canvas it may show in (a scroll's viewport)
	clipV  bool // whether its vertical extent must fit in clip too (not when a scroll holds it)
	owners []fyne.CanvasObject
	inEdit bool // inside an entry, which scrolls its own text
}

type rect struct{ x0, y0, x1, y1 float32 }

func (a rect) overlaps(b rect, slack float32) bool {
	return a.x0+slack < b.x1 && b.x0+slack < a.x1 && a.y0+slack < b.y1 && b.y0+slack < a.y1
}

func (a rect) String() string { return fmt.Sprintf("(%.0f,%.0f)-(%.0f,%.0f)", a.x0, a.y0, a.x1, a.y1) }

// layoutOf collects every visible text, by the extent of its glyphs (not of
// its box, which may be wider), and every visible button, with where each
// may show.
func layoutOf(c fyne.Canvas) (texts, buttons []drawn, cut []string) {
	size := c.Size()
	var walk func(o fyne.CanvasObject, at fyne.Position, clip rect, clipV bool, owners []fyne.CanvasObject, inEdit bool)
	walk = func(o fyne.CanvasObject, at fyne.Position, clip rect, clipV bool, owners []fyne.CanvasObject, inEdit bool) {
		if o == nil || !o.Visible() {
			return
		}
		pos := at.Add(o.Position())
		sz := o.Size()
		owners = append(owners[:len(owners):len(owners)], o)
		switch v := o.(type) {
		case *canvas.Text:
			if strings.TrimSpace(v.Text) == "" {
				return
			}
			m := fyne.MeasureText(v.Text, v.TextSize, v.TextStyle)
			x := pos.X
			switch v.Alignment {
			case fyne.TextAlignCenter:
				x += (sz.Width - m.Width) / 2
			case fyne.TextAlignTrailing:
				x += sz.Width - m.Width
			}
			texts = append(texts, drawn{text: v.Text, rect: rect{x, pos.Y, x + m.Width, pos.Y + min(m.Height, max(sz.Height, m.Height))},
				clip: clip, clipV: clipV, owners: owners, inEdit: inEdit})
			return
		case *widget.Button:
			buttons = append(buttons, drawn{text: v.Text, rect: rect{pos.X, pos.Y, pos.X + sz.Width, pos.Y + sz.Height}, owners: owners})
		case *widget.Select:
			inEdit = true
			// A choice shown cut short ("The system…") cannot be read.
			if want := v.Selected; want != "" {
				shown := findVisible(v, func(x *canvas.Text) bool { return x.Text == want })
				if shown == nil {
					cut = append(cut, fmt.Sprintf("the drop-down's choice %q is shown cut short (%.0f wide)", want, sz.Width))
				}
			}
		case *widget.Entry:
			inEdit = true
		case *container.Scroll:
			view := rect{pos.X, pos.Y, pos.X + sz.Width, pos.Y + sz.Height}
			clip = rect{max(clip.x0, view.x0), max(clip.y0, view.y0), min(clip.x1, view.x1), min(clip.y1, view.y1)}
			if v.Direction != container.ScrollHorizontalOnly && v.Direction != container.ScrollNone {
				clipV = false // it scrolls: what is below shows when scrolled to
			}
			if v.Direction == container.ScrollHorizontalOnly || v.Direction == container.ScrollBoth {
				clip.x1 = 1e9
			}
		}
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c, pos, clip, clipV, owners, inEdit)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c, pos, clip, clipV, owners, inEdit)
			}
		}
	}
	walk(c.Content(), fyne.NewPos(0, 0), rect{0, 0, size.Width, size.Height}, true, nil, false)
	return texts, buttons, cut
}

func owns(d drawn, o fyne.CanvasObject) bool {
	for _, x := range d.owners {
		if x == o {
			return true
		}
	}
	return false
}

// assertLayout fails for two texts drawn over each other, a button drawn
// over a text not its own, and a text cut off by the window's or a
// scroll's edge (sideways; downwards only where nothing scrolls). Entries
// scroll their own text and are left out of the last check.
func assertLayout(t *testing.T, c fyne.Canvas) {
	t.Helper()
	for _, p := range layoutProblems(c) {
		t.Error(p)
	}
}

func layoutProblems(c fyne.Canvas) (problems []string) {
	texts, buttons, cut := layoutOf(c)
	problems = append(problems, cut...)
	const slack = 1 // anti-aliased edges may touch
	for i, a := range texts {
		for _, b := range texts[i+1:] {
			if a.rect.overlaps(b.rect, slack) && !(a.inEdit && b.inEdit) {
				problems = append(problems, fmt.Sprintf("%q %v and %q %v are drawn over each other", a.text, a.rect, b.text, b.rect))
			}
		}
		for _, btn := range buttons {
			if !owns(a, btn.owners[len(btn.owners)-1]) && btn.rect.overlaps(a.rect, slack) {
				problems = append(problems, fmt.Sprintf("the button %q %v covers %q %v", btn.text, btn.rect, a.text, a.rect))
			}
		}
		if a.inEdit {
			continue
		}
		if a.rect.x0 < a.clip.x0-slack || a.rect.x1 > a.clip.x1+slack || (a.clipV && (a.rect.y0 < a.clip.y0-slack || a.rect.y1 > a.clip.y1+slack)) {
			problems = append(problems, fmt.Sprintf("%q %v is cut off: it shows in %v only", a.text, a.rect, a.clip))
		}
	}
	for i, a := range buttons {
		for _, b := range buttons[i+1:] {
			if a.rect.overlaps(b.rect, slack) && !owns(a, b.owners[len(b.owners)-1]) && !owns(b, a.owners[len(a.owners)-1]) {
				problems = append(problems, fmt.Sprintf("the buttons %q %v and %q %v are drawn over each other", a.text, a.rect, b.text, b.rect))
			}
		}
	}
	return problems
}

// TestLayoutCheck: the check finds what it looks for.
func TestLayoutCheck(t *testing.T) {
	at := func(o fyne.CanvasObject, x, y, w, h float32) fyne.CanvasObject {
		o.Move(fyne.NewPos(x, y))
		o.Resize(fyne.NewSize(w, h))
		return o
	}
	for _, tc := range []struct {
		name    string
		content fyne.CanvasObject
		want    string
	}{
		{"apart", container.NewWithoutLayout(at(widget.NewLabel("one"), 0, 0, 100, 30), at(widget.NewLabel("two"), 0, 40, 100, 30)), ""},
		{"over each other", container.NewWithoutLayout(at(widget.NewLabel("Changed in settings.json"), 0, 0, 300, 30), at(widget.NewLabel("API_TIMEOUT_MS"), 60, 5, 200, 30)), "drawn over each other"},
		{"a button over a text", container.NewWithoutLayout(at(widget.NewLabel("Changed in settings.json: 3000 → 600000"), 0, 0, 400, 30), at(widget.NewButton("Undo", nil), 150, 0, 80, 30)), `the button "Undo"`},
		{"cut off", container.NewWithoutLayout(at(widget.NewLabel("a line far too long for the window it is in"), 100, 0, 400, 30)), "is cut off"},
		{"a choice cut short", container.NewWithoutLayout(at(func() fyne.CanvasObject {
			s := widget.NewSelect([]string{"The system's language"}, nil)
			s.SetSelectedIndex(0)
			return s
		}(), 0, 0, 90, 40)), "cut short"},
		{"in a scroll, below", container.NewVScroll(container.NewVBox(widget.NewLabel("one"), at(layout0(), 0, 0, 10, 900), widget.NewLabel("far below"))), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := test.NewTempWindow(t, tc.content)
			w.SetPadded(false)
			w.Resize(fyne.NewSize(300, 200))
			if c, ok := tc.content.(*fyne.Container); ok && c.Layout == nil {
				for _, o := range c.Objects { // NewTempWindow resized nothing inside
					o.Refresh()
				}
			}
			got := strings.Join(layoutProblems(w.Canvas()), "\n")
			if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
				t.Errorf("problems:\n%s\nwant one with %q", got, tc.want)
			}
		})
	}
}

// layout0 is a tall empty block.
func layout0() fyne.CanvasObject {
	r := canvas.NewRectangle(nil)
	r.SetMinSize(fyne.NewSize(10, 900))
	return r
}

// TestLayoutBadInput lays out every page and every state of a fix's change
// notice, in English and Chinese, at the window's smallest size and at
// 1280×900, at scale 1 and at scale 2 (a 4K screen: FYNE_SCALE=2, or what
// the desktop says), with the status page's longest notice (no tray host and
// no notification service), and checks each: no text over another, no button
// over a text, no text cut off, no glyph missing. CLAUDEMEDIC_SHOTS=DIR keeps
// a picture of each at 1280×900 in DIR (at scale 2: as a 4K screen shows it).
func TestLayoutBadInput(t *testing.T) {
	dir := os.Getenv("CLAUDEMEDIC_SHOTS")
	for _, l := range []string{LangEnglish, LangChinese} {
		for _, scale := range []float32{1, 2} {
			t.Run(fmt.Sprintf("%s-scale%g", l, scale), func(t *testing.T) {
				SetupLanguage(l)
				t.Cleanup(func() { SetupLanguage(LangEnglish) })
				f := newFixture(t, netchecktest.TimeoutTooLow)
				f.w.app.Settings().SetTheme(theme.DefaultTheme()) // the real window's theme and fonts
				useTheme(f.w.app, Language())
				f.svc.TrayHost = func() (bool, bool) { return true, true }
				f.w.status.checkTrayHost()
				f.w.win.Canvas().(software.WindowlessCanvas).SetScale(scale)
				check := func(name string) {
					t.Helper()
					settle(t)
					for _, size := range []fyne.Size{{Width: 600, Height: 400}, {Width: 1280, Height: 900}} {
						// The smallest window is as wide as the page asks, as the real window grows.
						f.w.win.Resize(fyne.NewSize(max(size.Width, f.w.win.Content().MinSize().Width), max(size.Height, f.w.win.Content().MinSize().Height)))
						relayout(f.w.win.Canvas())
						t.Run(fmt.Sprintf("%s-%.0fx%.0f", name, size.Width, size.Height), func(t *testing.T) {
							assertGlyphs(t, f.w.win.Canvas())
							assertLayout(t, f.w.win.Canvas())
						})
						if dir != "" && scale == 2 && size.Width == 1280 {
							out, err := os.Create(filepath.Join(dir, fmt.Sprintf("%s-%s-scale2.png", name, l)))
							if err != nil {
								t.Fatal(err)
							}
							if err := png.Encode(out, f.w.win.Canvas().Capture()); err != nil {
								t.Fatal(err)
							}
							out.Close()
						}
					}
				}
				f.w.Open(pages.Status)
				check("status")
				for _, p := range []pages.Page{pages.Key, pages.Settings, pages.Cache} {
					f.w.show(p)
					check(string(p))
				}
				// The settings page's change notice, saved and undone.
				f.w.show(pages.Settings)
				settle(t)
				s := f.w.settings
				s.timeout.SetText("600000")
				test.Tap(findButton(s.content, lang.X("settings.save", "Save")))
				settle(t)
				check("settings-applied")
				if undo := findButton(s.changes, lang.X("change.undo", "Undo")); undo != nil {
					test.Tap(undo)
					check("settings-undone")
				} else {
					t.Errorf("no Undo after Save: %s", resultText(s.content))
				}
				// The wizard: its pick, a result with a fix, the fix applied, undone.
				walkWizard(t, f, check)
			})
		}
	}
}
