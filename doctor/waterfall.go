package doctor

import (
	"time"

	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

// PhaseID names a phase of the request.
type PhaseID string

// The phases of the waterfall, in its order.
const (
	PhaseDNS       PhaseID = "dns"
	PhaseConnect   PhaseID = "connect"
	PhaseTLS       PhaseID = "tls"
	PhaseFirstByte PhaseID = "first_byte"
	PhaseTotal     PhaseID = "total"
)

// Phase is one bar of the waterfall: where it starts on the axis and how long it lasts.
type Phase struct {
	ID       PhaseID
	From     time.Duration
	Duration time.Duration
}

// Waterfall lays the phases of the request out the way httpstat does: each
// phase a bar that starts where the one before ended, on one axis from 0 to
// axis, and the total from 0; the window and the terminal draw the same
// bars. axis is 0 when no request reached a server.
func Waterfall(t netcheck.Timings) (phases []Phase, axis time.Duration) {
	axis = t.Total
	if sum := t.DNS + t.Connect + t.TLS + t.FirstByte; sum > axis {
		axis = sum
	}
	var at time.Duration
	for _, p := range []Phase{{ID: PhaseDNS, Duration: t.DNS}, {ID: PhaseConnect, Duration: t.Connect},
		{ID: PhaseTLS, Duration: t.TLS}, {ID: PhaseFirstByte, Duration: t.FirstByte}} {
		p.From = at
		at += p.Duration
		phases = append(phases, p)
	}
	return append(phases, Phase{ID: PhaseTotal, Duration: t.Total}), axis
}

// PhaseName is a phase as the waterfall labels it.
func PhaseName(tr i18n.Printer, id PhaseID) string {
	switch id {
	case PhaseDNS:
		return tr.X("phase.dns", "DNS lookup")
	case PhaseConnect:
		return tr.X("phase.connect", "TCP connect")
	case PhaseTLS:
		return tr.X("phase.tls", "TLS handshake")
	case PhaseFirstByte:
		return tr.X("phase.first_byte", "First byte")
	}
	return tr.X("phase.total", "Total")
}
