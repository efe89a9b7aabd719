package doctor

import (
	"context"
	"time"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/internal/state"
	"claudemedic/netcheck"
)

// Point is one check of the history, as the chart draws it and the timeout
// suggestion counts it.
type Point struct {
	At      time.Time
	Latency time.Duration // time to first byte, or the total when there was none
	Failed  bool          // the verdict was down
	Reached bool          // a request got through to a server
}

// History is the agent's checks since a time, oldest first (state.History).
func History(since time.Time) ([]Point, error) {
	pts, err := state.History(since)
	if err != nil {
		return nil, err
	}
	out := make([]Point, 0, len(pts))
	for _, p := range pts {
		lat := p.FirstByte
		if lat == 0 {
			lat = p.Total
		}
		out = append(out, Point{At: p.Time, Latency: lat, Failed: p.Verdict == netcheck.VerdictDown, Reached: p.Total > 0})
	}
	return out, nil
}

// Measure runs the checks n times against t and returns a sample per run
// (claudecfg.SampleOf); progress, if not nil, sees each report. It stops
// early when ctx ends.
func (d *Doctor) Measure(ctx context.Context, t claudesettings.Target, n int, opts netcheck.Options, progress func(i int, r *netcheck.Report)) []claudecfg.Sample {
	var out []claudecfg.Sample
	for i := range n {
		if ctx.Err() != nil {
			break
		}
		r := d.run(ctx, t, opts)
		out = append(out, claudecfg.SampleOf(r))
		if progress != nil {
			progress(i, r)
		}
	}
	return out
}

// SuggestionWindow is how far back the timeout suggestion looks.
const SuggestionWindow = 7 * 24 * time.Hour

// Suggestion is a proposed API_TIMEOUT_MS and the measurement behind it
// (claudecfg's, the one type).
type Suggestion = claudecfg.Suggestion

// Samples are the measurements a timeout suggestion counts: the report r
// and the history's checks of the last SuggestionWindow.
func (d *Doctor) Samples(r *netcheck.Report) []claudecfg.Sample {
	samples := []claudecfg.Sample{claudecfg.SampleOf(r)}
	if d.History == nil {
		return samples
	}
	pts, _ := d.History(time.Now().Add(-SuggestionWindow)) // no history yet: the report alone
	for _, p := range pts {
		if p.At.Equal(r.StartedAt) {
			continue // the report itself, already counted
		}
		samples = append(samples, claudecfg.Sample{FirstByte: p.Latency, OK: p.Reached})
	}
	return samples
}

// SuggestTimeout proposes API_TIMEOUT_MS from the p95 of the measured
// latencies: the report r and the history (claudecfg.SuggestTimeout).
func (d *Doctor) SuggestTimeout(r *netcheck.Report) (Suggestion, error) {
	current, _ := r.Target.APITimeout()
	return claudecfg.SuggestTimeout(d.Samples(r), current)
}
