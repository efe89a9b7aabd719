package netcheck

// Planned lists, in report order, the checks a run with opts does: opts.Only
// and what they need, or the default set with the opt-in stream and status
// checks asked for. Front ends use it to size their progress.
func Planned(opts Options) []CheckID {
	want := plan(opts)
	var out []CheckID
	for _, id := range AllChecks {
		if want[id] {
			out = append(out, id)
		}
	}
	return out
}
