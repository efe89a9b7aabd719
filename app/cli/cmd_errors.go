package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"claudemedic/doctor"
	"claudemedic/internal/exitcode"
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

var errorsCommand = &command{
	name: "errors",
	summary: func(tr i18n.Printer) string {
		return tr.X("errors.summary", "the API errors Claude Code itself met, read from its transcripts")
	},
	run: runErrors,
}

// errorsOptions are errors' flags.
type errorsOptions struct {
	since   time.Duration
	project string
	json    bool
	lang    string
}

// errorsJSON is `errors --json`.
type errorsJSON struct {
	Schema  int                  `json:"schema"`
	Since   time.Time            `json:"since"`
	Errors  []doctor.ClaudeError `json:"errors"`
	Summary []doctor.CodeCount   `json:"summary"`
}

func runErrors(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	var o errorsOptions
	fs := e.flags(tr.X("errors.synopsis", `errors [--since DURATION] [--project DIR] [--json]

Lists the requests Claude Code itself failed on this machine, newest first, read
from its transcripts (projects/ under $CLAUDE_CONFIG_DIR or ~/.claude): one row
per request, with the finding code, the words Claude Code showed, the request-id,
the tries, and the folder it ran in. Only Claude Code's own error words are read
out; never a prompt, an answer or a tool's output.
Exit status: 0 no error in the window, 1 errors, 64 usage error.`))
	o.since = doctor.RecentWindow
	fs.Func("since", tr.X("errors.flag_since", "how far back to look, e.g. 1h, 30m or 7d (default 24h)"), func(s string) error {
		d, err := parseSince(s)
		o.since = d
		return err
	})
	fs.StringVar(&o.project, "project", "", tr.X("errors.flag_project", "only the errors of Claude Code run in this folder or below"))
	fs.BoolVar(&o.json, "json", false, tr.X("cli.flag_json", "print one JSON object"))
	fs.StringVar(&o.lang, "lang", "", tr.X("check.flag_lang", "language of the output: en or zh (default: from the locale)"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	now := time.Now()
	since := now.Add(-o.since).UTC().Truncate(time.Millisecond)
	errs, err := doctor.ReadClaudeErrors(ctx, doctor.ClaudeErrorQuery{Since: since, Project: o.project})
	if errors.Is(err, doctor.ErrTranscriptsOff) {
		return errors.New(tr.X("errors.off", "reading Claude Code's transcripts is turned off in Claude Medic's preferences (no_transcripts): nothing was read"))
	}
	if err != nil {
		return fmt.Errorf("%s: %w", tr.X("errors.reading", "reading Claude Code's transcripts"), err)
	}
	if o.json {
		if errs == nil {
			errs = []doctor.ClaudeError{}
		}
		if err := e.writeJSON(errorsJSON{Schema: netcheck.Schema, Since: since, Errors: errs, Summary: doctor.Summarize(errs)}); err != nil {
			return err
		}
	} else {
		writeClaudeErrors(e.Stdout, tr, errs, o.since, now, useColor(e.Stdout))
	}
	if len(errs) > 0 {
		return exitWith(exitcode.Failed)
	}
	return nil
}

// parseSince reads a window: a Go duration (90m, 1h30m) or whole days (7d).
func parseSince(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	var d time.Duration
	var err error
	if days, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		n, err = strconv.Atoi(days)
		d = time.Duration(n) * 24 * time.Hour
	} else {
		d, err = time.ParseDuration(s)
	}
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration such as 1h, 30m or 7d", s)
	}
	return d, nil
}

// writeClaudeErrors lists the errors for a person: a block per failed
// request, then the count by code and what to run next.
func writeClaudeErrors(w io.Writer, tr i18n.Printer, errs []doctor.ClaudeError, window time.Duration, now time.Time, paint doctor.Paint) {
	if len(errs) == 0 {
		fmt.Fprintln(w, tr.X("errors.none", "Claude Code met no API error in the last {{.Window}}.", "Window", windowText(window)))
		return
	}
	fmt.Fprintln(w, paint.Bold(tr.X("errors.title", "Claude Code's own API errors in the last {{.Window}}: {{.N}}", "Window", windowText(window), "N", len(errs))))
	for _, e := range errs {
		when := e.Time.In(now.Location()).Format("15:04:05")
		if y, m, d := e.Time.In(now.Location()).Date(); y != now.Year() || m != now.Month() || d != now.Day() {
			when = e.Time.In(now.Location()).Format("Jan 2 15:04")
		}
		what := e.Short()
		tries := tr.X("errors.tries", "{{.N}} tries", "N", e.Attempt)
		switch {
		case e.Recovered:
			tries = tr.X("errors.recovered", "{{.N}} failed tries, then answered", "N", e.Attempt)
		case e.Abandoned:
			tries = tr.X("errors.abandoned", "{{.N}} failed tries, then Claude Code stopped while retrying", "N", e.Attempt)
		}
		fmt.Fprintf(w, "\n%s  %s  %s  %s\n", paint.Bold(when), doctor.ShortPath(e.Project), string(e.Code), paint.Dim("("+what+", "+tries+")"))
		if e.Message != "" {
			fmt.Fprintf(w, "  %s\n", e.Message)
		}
		var ids []string
		if e.RequestID != "" {
			ids = append(ids, "request-id "+e.RequestID)
		}
		if e.Version != "" {
			ids = append(ids, "Claude Code "+e.Version)
		}
		if len(ids) > 0 {
			fmt.Fprintf(w, "  %s\n", paint.Dim(strings.Join(ids, " · ")))
		}
	}
	var parts []string
	for _, c := range doctor.Summarize(errs) {
		parts = append(parts, fmt.Sprintf("%s ×%d", c.Code, c.Count))
	}
	fmt.Fprintf(w, "\n%s %s\n", tr.X("errors.by_code", "By code:"), strings.Join(parts, ", "))
	newest := errs[0]
	f := newest.Finding()
	fmt.Fprintf(w, "%s %s\n", tr.X("errors.newest_means", "The newest means:"), f.Summary.In(tr.Lang()))
	fmt.Fprintln(w, tr.X("errors.diagnose_hint", "Find its cause on this machine with: claudemedic doctor --last"))
}

// windowText says a window as a person would: 1h, 30m, 7d.
func windowText(d time.Duration) string {
	switch {
	case d >= 48*time.Hour && d%(24*time.Hour) == 0:
		return strconv.Itoa(int(d/(24*time.Hour))) + "d"
	case d%time.Hour == 0:
		return strconv.Itoa(int(d/time.Hour)) + "h"
	case d%time.Minute == 0:
		return strconv.Itoa(int(d/time.Minute)) + "m"
	}
	return d.String()
}
