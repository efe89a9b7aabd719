package metrics

// The series and their text exposition, in Prometheus' text format 0.0.4
// (https://prometheus.io/docs/instrumenting/exposition_formats/), written
// here rather than with client_golang: the agent keeps a dozen series that
// change once per check, and client_golang brought protobuf, procfs and
// expfmt into the all-day process (1.9 MB of its binary, most of it resident;
// scripts/bench-tray.sh). The text is the same, byte for byte, as
// client_golang's: families sorted by name, series by their label values in
// the order of the label names, `le` last, floats as Go's shortest 'g'.

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

const (
	typeCounter   = "counter"
	typeGauge     = "gauge"
	typeHistogram = "histogram"
)

// family is one metric: its name, help, type, label names and series.
// The caller holds Metrics.mu.
type family struct {
	name, help, typ string
	labels          []string  // names, in the order values are given
	buckets         []float64 // upper bounds, histograms only
	series          map[string]*series
}

// series is one set of label values: a counter's or a gauge's value, or a
// histogram's counts per bucket (not cumulative), sum and count.
type series struct {
	values []string
	v      float64
	counts []uint64
	sum    float64
	n      uint64
}

func newFamily(typ, name, help string, labels ...string) *family {
	return &family{name: name, help: help, typ: typ, labels: labels, series: map[string]*series{}}
}

func newHistogram(name, help string, buckets []float64, labels ...string) *family {
	f := newFamily(typeHistogram, name, help, labels...)
	f.buckets = buckets
	return f
}

// with is the series of these label values, made (at zero) the first time.
func (f *family) with(values ...string) *series {
	if len(values) != len(f.labels) {
		panic("metrics: " + f.name + " takes " + strconv.Itoa(len(f.labels)) + " label values")
	}
	key := strings.Join(values, "\xff")
	s := f.series[key]
	if s == nil {
		s = &series{values: values}
		if f.typ == typeHistogram {
			s.counts = make([]uint64, len(f.buckets))
		}
		f.series[key] = s
	}
	return s
}

func (f *family) reset() { clear(f.series) }

func (s *series) set(v float64) { s.v = v }
func (s *series) inc()          { s.v++ }

// observe counts v in the first bucket whose upper bound is at least v.
func (s *series) observe(f *family, v float64) {
	if i, _ := slices.BinarySearch(f.buckets, v); i < len(s.counts) {
		s.counts[i]++
	}
	s.sum += v
	s.n++
}

// appendText appends the families that have a series, sorted by name.
func appendText(b []byte, families []*family) []byte {
	families = slices.Clone(families)
	slices.SortFunc(families, func(x, y *family) int { return strings.Compare(x.name, y.name) })
	for _, f := range families {
		b = f.appendText(b)
	}
	return b
}

func (f *family) appendText(b []byte) []byte {
	if len(f.series) == 0 {
		return b
	}
	// The label names sorted, and where each sits in the values given.
	order := make([]int, len(f.labels))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(i, j int) int { return strings.Compare(f.labels[i], f.labels[j]) })
	all := make([]*series, 0, len(f.series))
	for _, s := range f.series {
		all = append(all, s)
	}
	slices.SortFunc(all, func(x, y *series) int {
		for _, i := range order {
			if c := strings.Compare(x.values[i], y.values[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	b = append(b, "# HELP "...)
	b = append(b, f.name...)
	b = append(b, ' ')
	b = appendEscaped(b, f.help, false)
	b = append(b, "\n# TYPE "...)
	b = append(b, f.name...)
	b = append(b, ' ')
	b = append(b, f.typ...)
	b = append(b, '\n')
	for _, s := range all {
		if f.typ != typeHistogram {
			b = f.appendSample(b, "", s, order, "", s.v)
			continue
		}
		var cum uint64
		for i, le := range f.buckets {
			cum += s.counts[i]
			b = f.appendSample(b, "_bucket", s, order, string(appendFloat(nil, le)), float64(cum))
		}
		b = f.appendSample(b, "_bucket", s, order, "+Inf", float64(s.n))
		b = f.appendSample(b, "_sum", s, order, "", s.sum)
		b = f.appendSample(b, "_count", s, order, "", float64(s.n))
	}
	return b
}

// appendSample appends one line: name+suffix, the labels (and le, last,
// when not empty) and the value.
func (f *family) appendSample(b []byte, suffix string, s *series, order []int, le string, v float64) []byte {
	b = append(b, f.name...)
	b = append(b, suffix...)
	if len(order) > 0 || le != "" {
		b = append(b, '{')
		for k, i := range order {
			if k > 0 {
				b = append(b, ',')
			}
			b = append(b, f.labels[i]...)
			b = append(b, `="`...)
			b = appendEscaped(b, s.values[i], true)
			b = append(b, '"')
		}
		if le != "" {
			if len(order) > 0 {
				b = append(b, ',')
			}
			b = append(b, `le="`...)
			b = append(b, le...)
			b = append(b, '"')
		}
		b = append(b, '}')
	}
	b = append(b, ' ')
	b = appendFloat(b, v)
	return append(b, '\n')
}

// appendEscaped escapes a backslash and a line feed, and in a label value a
// double quote too.
func appendEscaped(b []byte, s string, quote bool) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			b = append(b, `\\`...)
		case c == '\n':
			b = append(b, `\n`...)
		case c == '"' && quote:
			b = append(b, `\"`...)
		default:
			b = append(b, c)
		}
	}
	return b
}

func appendFloat(b []byte, v float64) []byte {
	switch {
	case v == 1:
		return append(b, '1')
	case v == 0:
		return append(b, '0')
	case v == -1:
		return append(b, "-1"...)
	case math.IsNaN(v):
		return append(b, "NaN"...)
	case math.IsInf(v, +1):
		return append(b, "+Inf"...)
	case math.IsInf(v, -1):
		return append(b, "-Inf"...)
	}
	return strconv.AppendFloat(b, v, 'g', -1, 64)
}
