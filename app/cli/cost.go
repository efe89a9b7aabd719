package cli

import (
	"fmt"
	"io"

	"claudemedic/internal/i18n"
	"claudemedic/internal/prefs"
	"claudemedic/netcheck"
)

// costJSON is what the periodic check costs a day (config show).
type costJSON struct {
	Generating  bool   `json:"generating"`       // the check sends a generating request to this base URL
	Interval    string `json:"interval"`         // the tray's check interval
	PerCheck    int    `json:"tokens_per_check"` // input tokens of one check (0: count_tokens, free)
	PerDay      int    `json:"tokens_per_day"`   // at the interval
	RequestFrom string `json:"request_from"`
}

// periodicCost is the periodic check's cost for baseURL at the preferences' interval.
func periodicCost(baseURL string, shape netcheck.Shape) costJSON {
	p, _ := prefs.Load()
	gen := netcheck.Generates(baseURL) && !p.NoGenerate
	per, day := netcheck.DailyCost(shape, p.CheckInterval, gen)
	return costJSON{Generating: gen, Interval: p.CheckInterval.String(), PerCheck: per, PerDay: day, RequestFrom: shape.RequestFrom()}
}

func printCost(w io.Writer, c costJSON, tr i18n.Printer) {
	if !c.Generating {
		fmt.Fprintln(w, tr.X("config.cost_free", "Periodic check: free (count_tokens), every {{.Interval}}.", "Interval", c.Interval))
		return
	}
	fmt.Fprintln(w, tr.X("config.cost", "Periodic check: one generating request of about {{.Tokens}} input tokens every {{.Interval}}, about {{.PerDay}} tokens a day (Claude Medic's preference no_generating_check turns it off).",
		"Tokens", c.PerCheck, "Interval", c.Interval, "PerDay", c.PerDay))
}

// fullCost says what check --full sends before it does.
func fullCost(w io.Writer, shape netcheck.Shape, tr i18n.Printer) {
	fmt.Fprintln(w, tr.X("check.full_cost", "--full sends Claude Code's whole request ({{.From}}, tools included): about {{.Tokens}} input tokens, billed as Claude Code's requests are.",
		"From", shape.RequestFrom(), "Tokens", shape.RequestTokens(true)))
}
