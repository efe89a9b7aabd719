//go:build differential

package differential

import (
	"reflect"
	"testing"
)

// The generator is deterministic, starts from the healthy baseline, and
// reaches every value of every dimension within a full run's worth of
// set-ups (so the table by dimension has a row for each).
func TestGenerate(t *testing.T) {
	if s := Generate(1, 0); len(s.Moved()) != 0 {
		t.Errorf("set-up 0 moves %v, want the baseline", s.Moved())
	}
	if a, b := Generate(7, 42), Generate(7, 42); !reflect.DeepEqual(a, b) {
		t.Errorf("seed 7, #42 twice: %v and %v", a, b)
	}
	seen := map[string]bool{}
	for i := range 2000 {
		s := Generate(1, i)
		if len(s) != len(dimensions) {
			t.Fatalf("#%d has %d dimensions, want %d", i, len(s), len(dimensions))
		}
		for k, v := range s {
			seen[k+"="+v] = true
		}
	}
	for _, d := range dimensions {
		for _, v := range d.values {
			if !seen[d.name+"="+v] {
				t.Errorf("%s=%s never generated in 2000 set-ups", d.name, v)
			}
		}
	}
}

func TestFilter(t *testing.T) {
	f, err := parseFilter("3,10-12 relay=strict_system")
	if err != nil {
		t.Fatal(err)
	}
	s := Generate(1, 0)
	for i, want := range map[int]bool{3: true, 10: true, 12: true, 13: false} {
		if got := f.keep(i, s); got != want {
			t.Errorf("keep(%d) = %v, want %v", i, got, want)
		}
	}
	s["relay"] = "strict_system"
	if !f.keep(99, s) {
		t.Error("a set-up with relay=strict_system is not kept")
	}
	if _, err := parseFilter("relay=nonsense"); err == nil {
		t.Error("an unknown value is accepted")
	}
}
