package claudetranscript

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
)

type readAt struct{ b []byte }

func (r readAt) ReadAt(p []byte, off int64) (int, error) {
	return copy(p, r.b[off:]), nil
}

// The bounded readers agree with splitting the whole text, long lines and all.
func TestLineReaders(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const max = 300
	for round := range 400 {
		var lines []string
		for range rng.IntN(12) {
			n := rng.IntN(3)
			switch n {
			case 0:
				lines = append(lines, "")
			case 1:
				lines = append(lines, strings.Repeat(string(rune('a'+rng.IntN(26))), rng.IntN(max+1)))
			default:
				lines = append(lines, strings.Repeat("L", max+1+rng.IntN(200<<10)))
			}
		}
		text := strings.Join(lines, "\n")
		complete := lines
		if len(lines) > 0 {
			if rng.IntN(2) == 0 {
				text += "\n"
			} else {
				complete = lines[:len(lines)-1] // the last line has no newline yet
			}
		}
		want := func(l string) string {
			if len(l) > max {
				return "<long>"
			}
			return l
		}
		// Forward, from the start.
		fl := newForwardLines(strings.NewReader(text), 0, max, false)
		var got []string
		for {
			l, long, ok, err := fl.next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			if long {
				if !bytes.HasPrefix([]byte(strings.Repeat("L", headLen)), l) || len(l) > headLen {
					t.Fatalf("round %d: head %d bytes %.40q…%.40q", round, len(l), l, l[len(l)-min(40, len(l)):])
				}
				got = append(got, "<long>")
			} else {
				got = append(got, string(l))
			}
		}
		var w []string
		for _, l := range complete {
			w = append(w, want(l))
		}
		if strings.Join(got, "|") != strings.Join(w, "|") {
			t.Fatalf("round %d forward:\n got %.200q\nwant %.200q", round, got, w)
		}
		// Forward never passes a short partial last line, passes a long one.
		if last := len(lines) - 1; len(complete) < len(lines) && len(lines[last]) <= max && fl.off != int64(len(text)-len(lines[last])) {
			t.Fatalf("round %d: off %d", round, fl.off)
		}
		// Backward, from the end.
		bl := newBackwardLines(readAt{[]byte(text)}, int64(len(text)), max, 1<<40)
		got = got[:0]
		for {
			l, long, ok, _, err := bl.next()
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
			if long {
				got = append(got, "<long>")
			} else {
				got = append(got, string(l))
			}
		}
		var rev []string
		for i := len(w) - 1; i >= 0; i-- {
			rev = append(rev, w[i])
		}
		if strings.Join(got, "|") != strings.Join(rev, "|") {
			t.Fatalf("round %d backward:\n got %.300q\nwant %.300q", round, got, rev)
		}
	}
}

// A backward read stops at its budget.
func TestBackwardBudget(t *testing.T) {
	text := strings.Repeat(strings.Repeat("x", 99)+"\n", 10000)
	bl := newBackwardLines(readAt{[]byte(text)}, int64(len(text)), 1000, 300<<10)
	n := 0
	for {
		_, _, ok, exhausted, _ := bl.next()
		if !ok {
			if !exhausted {
				t.Errorf("not exhausted")
			}
			break
		}
		n++
	}
	if n < 2000 || n > 3100 {
		t.Errorf("%d lines within a 300 KB budget", n)
	}
}
