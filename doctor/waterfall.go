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

// Waterfall lays the phases of the request out the way httpstat does, on
// one axis from 0 to axis: each phase a bar that ends at its mark from the
// start of the request (netcheck.Timings' …At), so a proxy's CONNECT or a
// reused connection shows where it really happened, and the total from 0;
// the window and the terminal draw the same bars. A report written before the
// marks existed has its phases follow one another. axis is 0 when no request
// reached a server.
func Waterfall(t netcheck.Timings) (phases []Phase, axis time.Duration) {
	marked := t.DNSDoneAt > 0 || t.ConnectedAt > 0 || t.TLSDoneAt > 0 || t.FirstByteAt > 0 || t.EndAt > 0
	var at time.Duration
	for _, p := range []struct {
		id     PhaseID
		d, end time.Duration
	}{{PhaseDNS, t.DNS, t.DNSDoneAt}, {PhaseConnect, t.Connect, t.ConnectedAt}, {PhaseTLS, t.TLS, t.TLSDoneAt}, {PhaseFirstByte, t.FirstByte, t.FirstByteAt}} {
		from := at
		if marked {
			from = max(p.end-p.d, 0)
		}
		at = from + p.d
		axis = max(axis, at)
		phases = append(phases, Phase{ID: p.id, From: from, Duration: p.d})
	}
	total := max(t.Total, t.EndAt)
	axis = max(axis, total)
	return append(phases, Phase{ID: PhaseTotal, Duration: total}), axis
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
