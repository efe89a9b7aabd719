package cli

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/netcheck"
)

// suggestOptions are suggest-timeout's flags.
type suggestOptions struct {
	runs          int
	stream, apply bool
	json          bool
	timeout       time.Duration
	layerFlags
}

func runSuggestTimeout(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("config.suggest_synopsis", `config suggest-timeout [--runs N] [--stream] [--timeout DURATION] [--apply] [--layer ...] [--json]

Measures the API from here N times (the same checks as 'claudemedic check'),
takes the p95 of the time to first byte (and, with --stream, of a whole
streamed answer; this spends a few tokens), and proposes API_TIMEOUT_MS with
headroom, explaining the number. --apply saves it when it is above the current value.`))
	var o suggestOptions
	fs.IntVar(&o.runs, "runs", 5, tr.X("config.flag_runs", "how many times to measure (1 to 50)"))
	fs.BoolVar(&o.stream, "stream", false, tr.X("config.flag_suggest_stream", "also time a streamed answer (spends a few tokens)"))
	fs.DurationVar(&o.timeout, "timeout", 60*time.Second, tr.X("config.flag_suggest_timeout", "bound for each check, long enough for a slow relay"))
	fs.BoolVar(&o.apply, "apply", false, tr.X("config.flag_suggest_apply", "save the proposal when it is above the current value"))
	fs.BoolVar(&o.json, "json", false, tr.X("config.flag_suggest_json", "print the suggestion as JSON"))
	o.layerFlags.add(fs, tr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	if o.runs < 1 || o.runs > 50 {
		return usageErr(tr.X("config.runs_range", "--runs must be from 1 to 50"))
	}
	if o.timeout <= 0 {
		return usageErr(tr.X("config.suggest_timeout_positive", "--timeout must be positive, e.g. --timeout 60s"))
	}
	file, err := o.file(tr)
	if o.apply && err != nil {
		return usageErr(err.Error())
	}
	d := e.doctor(doctor.Terminal(projectDir(o.project), false), doctor.Overrides{})
	target, err := d.Resolve(ctx)
	if err != nil {
		return err
	}
	samples := d.Measure(ctx, target, o.runs, netcheck.Options{Timeout: o.timeout, Stream: o.stream}, func(i int, r *netcheck.Report) {
		if !o.json {
			e.printRun(i, o.runs, r)
		}
	})
	current, _ := target.EffectiveAPITimeout()
	sug, err := claudecfg.SuggestTimeout(samples, current)
	if err != nil {
		return err
	}
	type out struct {
		claudecfg.Suggestion
		Explanation string            `json:"explanation"`
		Change      *claudecfg.Change `json:"saved,omitempty"`
	}
	j := out{Suggestion: sug, Explanation: sug.Explanation.EN}
	if !o.json {
		fmt.Fprintf(e.Stdout, "%s\n%s\n", tr.X("config.suggested", "Suggested API_TIMEOUT_MS: {{.MS}}", "MS", sug.APITimeoutMS), sug.Explanation.In(tr.Lang()))
	}
	if o.apply && sug.Change {
		c, err := doctor.SetVars(file, doctor.Var{Name: claudesettings.VarAPITimeout, Value: strconv.FormatInt(sug.APITimeoutMS, 10)})
		if err != nil {
			return err
		}
		j.Change = c.Saved
		if !o.json {
			e.printChange(c.Saved)
			e.printShadows(ctx, o.layerFlags, c.Saved)
		}
	} else if !o.json && sug.Change {
		fmt.Fprintln(e.Stdout, tr.X("config.save_with", "Save it with: claudemedic config set-timeout --api-timeout {{.MS}}", "MS", sug.APITimeoutMS))
	}
	if o.json {
		return e.writeJSON(j)
	}
	return nil
}

// printRun says how one measurement went, on standard error.
func (e *env) printRun(i, n int, r *netcheck.Report) {
	tr := e.tr
	line := tr.X("config.run", "run {{.I}}/{{.N}}:", "I", i+1, "N", n) + " "
	if s := claudecfg.SampleOf(r); s.OK {
		line += tr.X("config.run_first_byte", "first byte {{.Time}}", "Time", netcheck.FormatDuration(s.FirstByte))
		if c, ok := r.Check(netcheck.CheckStream); ok && c.Status == netcheck.StatusPass {
			line += ", " + tr.X("config.run_stream", "stream {{.Time}}", "Time", netcheck.FormatDuration(c.Duration))
		}
	} else {
		line += tr.X("config.run_failed", "did not reach the API")
		for _, f := range r.Findings {
			if f.Severity == netcheck.SeverityFail {
				line += " (" + string(f.Code) + ": " + f.Summary.In(tr.Lang()) + ")"
				break
			}
		}
	}
	fmt.Fprintln(e.Stderr, line)
}
