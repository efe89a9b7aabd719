// Package doctortest holds what the real Claude Code prints, fault by fault
// (claude-code-messages.md, copied from the team's shared notes: Claude Code
// 2.1.330 against real faults on loopback), for the table tests that hold
// every front end to the same diagnosis of each message.
package doctortest

import (
	_ "embed"
	"fmt"
	"strings"

	"claudemedic/netcheck"
)

//go:embed claude-code-messages.md
var messagesMD string

// Row is one fault of the file's tables.
type Row struct {
	Finding string // the finding cell, codes unquoted: "TCP_REFUSED", "AUTH_CONFLICT + AUTH_INVALID", "(healthy)"
	Fault   string // the fault as the file describes it
	Message string // what Claude Code printed
}

// Codes are the finding codes the row names ("NOT_ANTHROPIC_API / SERVER_ERROR" names two); none for "(healthy)".
func (r Row) Codes() []netcheck.Code {
	var out []netcheck.Code
	for _, f := range strings.FieldsFunc(r.Finding, func(c rune) bool { return c == '/' || c == '+' || c == ' ' }) {
		if _, ok := netcheck.Lookup(netcheck.Code(f)); ok {
			out = append(out, netcheck.Code(f))
		}
	}
	return out
}

// Rows are the rows of every table of the file, in its order.
func Rows() ([]Row, error) {
	var rows []Row
	for _, line := range strings.Split(messagesMD, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) < 6 || !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| finding") {
			continue
		}
		rows = append(rows, Row{
			Finding: strings.ReplaceAll(strings.TrimSpace(cells[1]), "`", ""),
			Fault:   strings.TrimSpace(cells[2]),
			Message: strings.TrimSpace(strings.Join(cells[3:len(cells)-2], "|")),
		})
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("claude-code-messages.md holds no table rows")
	}
	return rows, nil
}
