package gui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// wrapLabel is a label whose text wraps as Chinese and English are set
// together: a break may come between two Chinese characters or at a space,
// never inside a Latin word, a path or an address ("/login",
// "console.anthropic.com"), never before a closing mark ("，", "。", ")")
// and never after an opening one ("（", "“"). Fyne's word wrap breaks only at
// spaces (a Chinese sentence is one long word to it, broken anywhere), and
// its character wrap breaks inside words.
//
// Its minimum width is its longest word's (at most maxWordWidth), so it
// never holds a window or a row wider than needed, and its minimum height
// is that of its lines at its current width.
type wrapLabel struct {
	widget.BaseWidget
	Text       string
	TextStyle  fyne.TextStyle
	Importance widget.Importance
	SizeName   fyne.ThemeSizeName

	label *widget.Label // the text broken into lines, not wrapping itself
	width float32       // the width label's lines were broken for
	lines int

	// What the lines and the minimum width were worked out for: Fyne asks
	// for both often, and a Chinese text is a word per character to measure.
	brokeFor, minFor layoutKey
	minWidth         float32
}

// layoutKey is what a wrapLabel's layout depends on.
type layoutKey struct {
	text  string
	width float32
	size  float32
	style fyne.TextStyle
}

// maxWordWidth caps the minimum width a long unbreakable word (a path)
// asks for: a longer one is broken where it must.
const maxWordWidth = 220

func newWrapLabel(text string) *wrapLabel {
	l := &wrapLabel{Text: text, label: widget.NewLabel(text)}
	l.ExtendBaseWidget(l)
	return l
}

func newWrapLabelWithStyle(text string, style fyne.TextStyle) *wrapLabel {
	l := newWrapLabel(text)
	l.TextStyle = style
	return l
}

// SetText changes the text and lays it out again.
func (l *wrapLabel) SetText(text string) {
	l.Text = text
	l.Refresh()
}

func (l *wrapLabel) textSize() float32 {
	if l.SizeName != "" {
		return theme.Size(l.SizeName)
	}
	return theme.TextSize()
}

// rebreak breaks the text for width w and reports whether the number of lines changed.
func (l *wrapLabel) rebreak(w float32) bool {
	key := layoutKey{l.Text, w, l.textSize(), l.TextStyle}
	if key == l.brokeFor && l.label.Importance == l.Importance && l.label.SizeName == l.SizeName {
		return false
	}
	l.brokeFor = key
	l.width = w
	l.label.TextStyle, l.label.Importance, l.label.SizeName = l.TextStyle, l.Importance, l.SizeName
	l.label.Wrapping = fyne.TextWrapOff
	text := displayText(l.Text)
	if w > 0 {
		size, style := l.textSize(), l.TextStyle
		widths := map[string]float32{} // a Chinese text measures the same characters again and again
		measure := func(s string) float32 {
			w, ok := widths[s]
			if !ok {
				w = fyne.MeasureText(s, size, style).Width
				widths[s] = w
			}
			return w
		}
		text = strings.Join(breakLines(text, w-2*theme.InnerPadding(), measure), "\n")
	}
	lines := strings.Count(text, "\n") + 1
	changed := lines != l.lines
	l.lines = lines
	l.label.Text = text
	l.label.Refresh()
	return changed
}

func (l *wrapLabel) CreateRenderer() fyne.WidgetRenderer {
	l.rebreak(l.width)
	return &wrapLabelRenderer{l: l}
}

type wrapLabelRenderer struct{ l *wrapLabel }

func (r *wrapLabelRenderer) Layout(size fyne.Size) {
	l := r.l
	if size.Width != l.width {
		if l.rebreak(size.Width) {
			defer l.Refresh() // the height changed: the parent lays out again
		}
	}
	l.label.Resize(size)
}

func (r *wrapLabelRenderer) MinSize() fyne.Size {
	l := r.l
	ms := l.label.MinSize()
	size, style := l.textSize(), l.TextStyle
	if key := (layoutKey{text: l.Text, size: size, style: style}); key != l.minFor {
		widest := float32(0)
		for _, word := range words(displayText(l.Text)) {
			if word == "\n" || strings.TrimSpace(word) == "" {
				continue
			}
			widest = max(widest, fyne.MeasureText(word, size, style).Width)
			if widest >= maxWordWidth {
				break
			}
		}
		l.minFor, l.minWidth = key, min(widest, maxWordWidth)
	}
	ms.Width = l.minWidth + 2*theme.InnerPadding()
	return ms
}

func (r *wrapLabelRenderer) Refresh() {
	r.l.rebreak(r.l.width)
	r.l.label.Resize(r.l.Size())
}

func (r *wrapLabelRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.l.label} }
func (r *wrapLabelRenderer) Destroy()                     {}

// isWide reports whether r is a character lines may break before and after
// (Chinese, Japanese and Korean characters and full-width marks).
func isWide(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) ||
		unicode.Is(unicode.Hangul, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef)
}

// closing marks never start a line; opening marks never end one.
const (
	closing = "，。、；：！？）」』》】〉”’…,.;:!?)]}%·"
	opening = "（「『《【〈“‘([{"
)

// words splits a paragraph into the pieces a line may not break inside:
// each Chinese character with the marks that hold on to it, each run of
// other characters between spaces; a space is a piece of its own.
func words(text string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	prev := rune(0)
	for _, r := range text {
		switch {
		case r == '\n':
			flush()
			out = append(out, "\n")
		case unicode.IsSpace(r):
			flush()
			out = append(out, string(r))
		case strings.ContainsRune(closing, r):
			cur.WriteRune(r) // a closing mark stays with what it closes
		case cur.Len() > 0 && strings.ContainsRune(opening, prev):
			cur.WriteRune(r) // an opening mark stays with what it opens
		case isWide(r):
			flush()
			cur.WriteRune(r)
		default:
			if p, _ := utf8.DecodeLastRuneInString(cur.String()); cur.Len() > 0 && (isWide(p) || isWideMark(p)) {
				flush() // a Latin word may start after a Chinese character or mark
			}
			cur.WriteRune(r)
		}
		prev = r
	}
	flush()
	return out
}

// isWideMark is a full-width closing mark: a Latin word may start after it.
func isWideMark(r rune) bool { return isWide(r) || r == '”' || r == '’' }

// breakLines breaks text into lines of at most width as measure measures
// them, at the breaks words allows; a piece wider than a line is cut by characters.
func breakLines(text string, width float32, measure func(string) float32) []string {
	var lines []string
	var line strings.Builder
	lineW := float32(0)
	pending := "" // a space between words, written only if a word follows on the line
	end := func() {
		lines = append(lines, line.String())
		line.Reset()
		lineW, pending = 0, ""
	}
	for _, w := range words(text) {
		if w == "\n" {
			end()
			continue
		}
		if strings.TrimSpace(w) == "" {
			if line.Len() > 0 {
				pending += w
			}
			continue
		}
		ww := measure(w)
		pw := float32(0)
		if pending != "" {
			pw = measure(pending)
		}
		if line.Len() > 0 && lineW+pw+ww > width {
			end()
			pw = 0
		}
		if line.Len() == 0 && ww > width { // longer than a line: cut it after a dot or slash, or where it must
			for w != "" {
				cut := fit(w, width, measure)
				if cut == len(w) {
					break
				}
				lines = append(lines, w[:cut])
				w = w[cut:]
			}
			line.WriteString(w)
			lineW = measure(w)
			continue
		}
		if pending != "" && line.Len() > 0 {
			line.WriteString(pending)
			lineW += pw
		}
		pending = ""
		line.WriteString(w)
		lineW += ww
	}
	lines = append(lines, line.String())
	return lines
}

// fit is how many bytes of word fit in width: up to its last '.', '/', '-'
// or '_' that fits, else as many characters as fit (at least one).
func fit(word string, width float32, measure func(string) float32) int {
	if measure(word) <= width {
		return len(word)
	}
	chars, at := 0, 0
	for i, r := range word {
		end := i + utf8.RuneLen(r)
		if measure(word[:end]) > width {
			break
		}
		chars = end
		if strings.ContainsRune("./-_", r) {
			at = end
		}
	}
	switch {
	case at > 0:
		return at
	case chars > 0:
		return chars
	}
	_, n := utf8.DecodeRuneInString(word)
	return n
}
