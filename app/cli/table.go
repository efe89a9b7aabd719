package cli

import (
	"io"
	"strings"

	"golang.org/x/text/width"
)

// table is a text table for the terminal: each column padded to its widest
// cell as the terminal draws it (a Chinese character or a full-width sign
// takes two columns, which text/tabwriter does not know), two spaces apart,
// the last column unpadded. A note under a row (a value's problem) is not
// part of any column, so a long sentence does not widen one.
type table struct {
	indent string
	rows   [][]string
	notes  map[int]string
}

// row adds a row of cells.
func (t *table) row(cells ...string) { t.rows = append(t.rows, cells) }

// note puts s on its own line under the last row.
func (t *table) note(s string) {
	if t.notes == nil {
		t.notes = map[int]string{}
	}
	t.notes[len(t.rows)-1] = s
}

// write prints the table to w.
func (t *table) write(w io.Writer) error {
	var widths []int
	for _, r := range t.rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], cellWidth(c))
		}
	}
	var b strings.Builder
	for n, r := range t.rows {
		b.WriteString(t.indent)
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-cellWidth(c)+2))
			}
		}
		b.WriteByte('\n')
		if s, ok := t.notes[n]; ok {
			b.WriteString(t.indent + "  ! " + s + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// cellWidth is how many terminal columns s takes.
func cellWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}
