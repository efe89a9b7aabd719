package cli

import (
	"fmt"
	"io"

	"claudemedic/doctor"
	"claudemedic/internal/i18n"
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

// costOf is the JSON of a periodic check's cost (its interval as Go writes it).
func costOf(c doctor.Cost) costJSON {
	return costJSON{Generating: c.Generating, Interval: c.Interval.String(), PerCheck: c.PerCheck, PerDay: c.PerDay, RequestFrom: c.RequestFrom}
}

// fullCost says what check --full sends before it does.
func fullCost(w io.Writer, shape netcheck.Shape, tr i18n.Printer) {
	fmt.Fprintln(w, tr.X("check.full_cost", "--full sends Claude Code's whole request ({{.From}}, tools included): about {{.Tokens}} input tokens, billed as Claude Code's requests are.",
		"From", shape.RequestFrom(), "Tokens", shape.RequestTokens(true)))
}
