package i18n

import (
	"strconv"
	"strings"
	"time"
)

// Duration words d as a person reads it, in whole hours, minutes and
// seconds: "5 minutes", "1 hour 30 minutes", "5 分钟" (not Go's "5m0s").
// Less than a second is "0 seconds".
func (p Printer) Duration(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d/time.Hour), int(d%time.Hour/time.Minute), int(d%time.Minute/time.Second)
	var parts []string
	if h > 0 {
		parts = append(parts, p.X("unit.hours", "{{.N}} hours", "N", h))
	}
	if m > 0 {
		parts = append(parts, p.X("unit.minutes", "{{.N}} minutes", "N", m))
	}
	if s > 0 || len(parts) == 0 {
		parts = append(parts, p.X("unit.seconds", "{{.N}} seconds", "N", s))
	}
	return strings.Join(parts, " ")
}

// Number writes n with its thousands grouped, as both languages write a
// count of tokens: 27,360.
func (p Printer) Number(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
