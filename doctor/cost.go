package doctor

import (
	"context"
	"time"

	"claudemedic/internal/i18n"
	"claudemedic/internal/prefs"
	"claudemedic/netcheck"
)

// Cost is what the tray's periodic check costs against a base URL, for the
// settings page and `config show`.
type Cost struct {
	Generating  bool          // the check sends a generating request there (not the free count_tokens)
	Interval    time.Duration // the preferences' check interval
	PerCheck    int           // input tokens of one check (0: free)
	PerDay      int           // at that interval
	RequestFrom string        // whose request it sends: "transcript 2.1.332" or "built-in 2.1.332"
}

// PeriodicCost is the cost of the periodic check against baseURL: Claude
// Code's own request (from its newest transcript, unless the preferences
// say no_transcripts), at the preferences' interval, unless they say
// no_generating_check.
func PeriodicCost(ctx context.Context, baseURL string) Cost {
	p, _ := prefs.Load() // broken preferences give the defaults
	shape := netcheck.BuiltinShape()
	if req := ReadRequest(ctx, nil); req.Request != nil {
		shape = *req.Request
	}
	gen := netcheck.Generates(baseURL) && !p.NoGenerate
	per, day := netcheck.DailyCost(shape, p.CheckInterval, gen)
	return Cost{Generating: gen, Interval: p.CheckInterval, PerCheck: per, PerDay: day, RequestFrom: shape.RequestFrom()}
}

// Sentence says the cost in tr's language, its interval and counts worded
// as a person reads them ("every 5 minutes, about 27,360 tokens a day").
func (c Cost) Sentence(tr i18n.Printer) string {
	if !c.Generating {
		return tr.X("config.cost_free", "Periodic check: free (count_tokens), every {{.Interval}}.", "Interval", tr.Duration(c.Interval))
	}
	return tr.X("config.cost", "Periodic check: one generating request of about {{.Tokens}} input tokens every {{.Interval}}, about {{.PerDay}} tokens a day (Claude Medic's preference no_generating_check turns it off).",
		"Tokens", tr.Number(c.PerCheck), "Interval", tr.Duration(c.Interval), "PerDay", tr.Number(c.PerDay))
}
