package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"claudemedic/claudecfg"
	"claudemedic/doctor"
	"claudemedic/internal/exitcode"
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

var doctorCommand = &command{
	name: "doctor",
	summary: func(tr i18n.Printer) string {
		return tr.X("doctor.summary", "the troubleshooting wizard: from the message you saw to the cause and its fix")
	},
	run: runDoctor,
}

// doctorOptions are doctor's flags.
type doctorOptions struct {
	symptom    string
	symptomSet bool
	last       bool // start from the newest error Claude Code met (lastSymptom)
	apply, yes bool
	json       bool
	timeout    time.Duration
	lang       string
}

func (o *doctorOptions) flags(fs *flag.FlagSet, tr i18n.Printer) {
	fs.Func("symptom", tr.X("doctor.flag_symptom", "the message Claude Code printed, a symptom's name (see --help), or - to read the message from standard input"), func(s string) error {
		o.symptom, o.symptomSet = s, true
		return nil
	})
	fs.BoolVar(&o.last, "last", false, tr.X("doctor.flag_last", "start from the newest API error Claude Code itself met (its transcripts), without pasting"))
	fs.BoolVar(&o.apply, "apply", false, tr.X("doctor.flag_apply", "apply the fixes found, then test again"))
	fs.BoolVar(&o.yes, "yes", false, tr.X("doctor.flag_yes", "with --apply: apply every fix that needs no input without asking"))
	fs.BoolVar(&o.json, "json", false, tr.X("doctor.flag_json", "print one JSON object: the diagnosis, each fix, the re-test"))
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, tr.X("check.flag_timeout", "bound for each check; the whole run ends within about this"))
	fs.StringVar(&o.lang, "lang", "", tr.X("check.flag_lang", "language of the output: en or zh (default: from the locale)"))
}

// doctorSession is one run of the wizard in a terminal or from a script.
type doctorSession struct {
	e           *env
	o           doctorOptions
	interactive bool          // questions are asked on the terminal
	in          *bufio.Reader // the answers
	d           *doctor.Doctor
	out         doctorJSON
}

// doctorJSON is `doctor --json`.
type doctorJSON struct {
	Schema     int                `json:"schema"`
	Symptom    doctor.Symptom     `json:"symptom"`
	Label      string             `json:"label"`
	Matched    bool               `json:"matched"`
	Report     *netcheck.Report   `json:"report"`
	Fixes      []fixJSON          `json:"fixes"`
	Retest     *netcheck.Report   `json:"retest"`
	Comparison *doctor.Comparison `json:"comparison"`
	// ClaudeCodeError is the error --last started from.
	ClaudeCodeError *doctor.ClaudeError `json:"claude_code_error,omitempty"`
}

type fixJSON struct {
	doctor.Fix
	Label    string         `json:"label"`
	Describe string         `json:"describe"`
	Input    doctor.Input   `json:"input,omitempty"`
	Applied  bool           `json:"applied"`
	Change   *doctor.Change `json:"change,omitempty"`
	Error    string         `json:"error,omitempty"`
}

func runDoctor(ctx context.Context, e *env, args []string) error {
	s := &doctorSession{e: e, out: doctorJSON{Schema: netcheck.Schema, Fixes: []fixJSON{}}}
	var names []string
	for _, sym := range doctor.Symptoms {
		names = append(names, fmt.Sprintf("  %-12s %s", sym, sym.Label(e.tr)))
	}
	fs := e.flags(e.tr.X("doctor.synopsis", `doctor [--symptom TEXT|NAME|-|--last] [--apply [--yes]] [--json] [--timeout DURATION]

The troubleshooting wizard. On a terminal it asks what you saw (pick it, or
paste the message), runs the checks that tell its causes apart, shows the
cause, asks before each fix and tests again. --last starts from the newest
API error Claude Code itself met. With --symptom or --last it asks nothing:
--apply --yes applies every fix that needs no input, then tests again, and the
exit status is the re-test's (0 ok, 1 degraded, 2 down, 64 usage error).

Symptoms:`) + "\n" + strings.Join(names, "\n"))
	s.o.flags(fs, e.tr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noArgs(fs); err != nil {
		return err
	}
	if s.o.timeout <= 0 {
		return usageErr(e.tr.X("check.timeout_positive", "--timeout must be positive, e.g. --timeout 10s"))
	}
	s.interactive = !s.o.symptomSet && !s.o.last && isTerminal(e.Stdin)
	if !s.o.symptomSet && !s.o.last && !s.interactive {
		return usageErr(e.tr.X("doctor.no_terminal", "without a terminal to ask on, give the message with --symptom TEXT (or --symptom - to read it from standard input)"))
	}
	if s.o.apply && !s.o.yes && !isTerminal(e.Stdin) {
		return usageErr(e.tr.X("doctor.apply_needs_yes", "add --yes to apply the fixes without being asked (there is no terminal to ask on)"))
	}
	if e.Stdin != nil {
		s.in = bufio.NewReader(e.Stdin)
	}
	s.d = e.doctor(doctor.Terminal(projectDir(""), false), doctor.Overrides{})
	s.d.Timeout = s.o.timeout

	symptom, matched, err := s.pickSymptom()
	if err != nil {
		return err
	}
	s.out.Symptom, s.out.Label, s.out.Matched = symptom, symptom.Label(e.tr), matched
	r, err := s.diagnose(ctx, symptom)
	if err != nil {
		return err
	}
	s.out.Report = r
	rem := s.d.Remedies(r)
	applied := s.fixes(ctx, rem, matched)
	final := r
	if applied {
		after, err := s.retest(ctx, symptom, r)
		if err != nil {
			return err
		}
		final = after
	}
	if s.o.json {
		if err := e.writeJSON(s.out); err != nil {
			return err
		}
	}
	return exitWith(exitcode.Of(final.Verdict))
}

// pickSymptom is what the person saw: --symptom's text or name, standard
// input's message, or, on a terminal, their pick or paste. matched is false
// for a message Claude Medic does not recognise (every check runs for it).
func (s *doctorSession) pickSymptom() (doctor.Symptom, bool, error) {
	e, tr := s.e, s.e.tr
	text := s.o.symptom
	switch {
	case s.o.last:
		return s.lastSymptom()
	case s.interactive:
		return s.askSymptom()
	case text == "-":
		b, err := readAllLimited(e.Stdin, 64<<10)
		if err != nil {
			return "", false, usageErr(tr.X("cli.reading_stdin", "reading standard input") + ": " + err.Error())
		}
		if text = string(b); strings.TrimSpace(text) == "" {
			return "", false, usageErr(tr.X("doctor.stdin_empty", "standard input was empty: pipe in the message Claude Code printed; nothing was checked or changed"))
		}
	case strings.TrimSpace(text) == "":
		return "", false, usageErr(tr.X("doctor.empty_symptom", "the message is empty: give the text Claude Code printed, or a symptom's name (see --help); nothing was checked or changed"))
	}
	if sym, ok := doctor.ParseSymptom(strings.TrimSpace(text)); ok {
		return sym, true, nil
	}
	return s.matched(text)
}

// matched matches a message and says what it looks like, or that it is none Claude Medic knows.
func (s *doctorSession) matched(text string) (doctor.Symptom, bool, error) {
	sym, ok := doctor.MatchSymptom(text)
	if !s.o.json {
		if ok {
			fmt.Fprintln(s.e.Stdout, s.e.tr.X("wizard.matched", "This looks like: {{.Symptom}}", "Symptom", sym.Label(s.e.tr)))
		} else {
			fmt.Fprintln(s.e.Stdout, s.e.tr.X("doctor.not_matched", "Claude Medic does not recognise this message, in English or in Chinese: it runs every check."))
		}
	}
	return sym, ok, nil
}

// askSymptom lists the symptoms and reads a number or a pasted message.
func (s *doctorSession) askSymptom() (doctor.Symptom, bool, error) {
	e, tr := s.e, s.e.tr
	fmt.Fprintf(e.Stdout, "%s\n%s\n\n", tr.X("wizard.pick_title", "What did you see?"),
		tr.X("wizard.pick_intro", "Pick the message closest to what Claude Code printed, or paste it below. Claude Medic runs the checks that tell its causes apart."))
	for i, sym := range doctor.Symptoms {
		fmt.Fprintf(e.Stdout, "  %2d. %s\n", i+1, sym.Label(tr))
	}
	for {
		line, err := s.ask(tr.X("doctor.pick_prompt", "Number, or the message you saw:") + " ")
		if err != nil {
			return "", false, err
		}
		if line == "" {
			continue
		}
		if n, err := strconv.Atoi(line); err == nil {
			if n >= 1 && n <= len(doctor.Symptoms) {
				return doctor.Symptoms[n-1], true, nil
			}
			fmt.Fprintln(e.Stdout, tr.X("doctor.pick_range", "Pick a number from 1 to {{.N}}, or paste the message.", "N", len(doctor.Symptoms)))
			continue
		}
		return s.matched(line)
	}
}

// ask prints a question and reads one line of answer; a closed input cancels.
func (s *doctorSession) ask(question string) (string, error) {
	fmt.Fprint(s.e.Stdout, question)
	if s.in == nil {
		return "", s.cancelled()
	}
	line, err := s.in.ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(s.e.Stdout)
		return "", s.cancelled()
	}
	return strings.TrimSpace(line), nil
}

func (s *doctorSession) cancelled() error {
	return usageErr(s.e.tr.X("doctor.cancelled", "standard input closed: cancelled, nothing more was checked or changed"))
}

// confirm asks a yes-or-no question; no is the default.
func (s *doctorSession) confirm(question string) (bool, error) {
	a, err := s.ask(question + " " + s.e.tr.X("doctor.yes_no", "[y/N]") + " ")
	if err != nil {
		return false, err
	}
	a = strings.ToLower(a)
	return a == "y" || a == "yes" || a == "是" || a == "好", nil
}

// diagnose runs the symptom's checks, a row each as it ends, then the cause.
func (s *doctorSession) diagnose(ctx context.Context, symptom doctor.Symptom) (*netcheck.Report, error) {
	e, tr := s.e, s.e.tr
	if !s.o.json {
		fmt.Fprintf(e.Stdout, "\n%s %s\n", e.tr.X("wizard.running_title", "Checking…"), symptom.Label(tr))
	}
	r, err := s.d.Diagnose(ctx, symptom, s.progress())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tr.X("doctor.resolve_failed", "reading Claude Code's settings"), err)
	}
	if !s.o.json {
		fmt.Fprintf(e.Stdout, "\n%s\n", useColor(e.Stdout).Bold(tr.X("wizard.result_title", "What Claude Medic found")))
		fmt.Fprintf(e.Stdout, "%s\n", useColor(e.Stdout).Verdict(r.Verdict, doctor.VerdictLine(tr, r.Verdict)))
		if len(r.Findings) == 0 {
			fmt.Fprintln(e.Stdout, tr.X("wizard.no_findings", "No problem found on this machine for this symptom. If the error came back just now, it may have been a passing fault of the service: try again, and check status.claude.com."))
		}
	}
	return r, nil
}

// progress prints each check's row as it ends (nothing with --json).
func (s *doctorSession) progress() doctor.Progress {
	if s.o.json {
		return doctor.Progress{}
	}
	paint := useColor(s.e.Stdout)
	return doctor.Progress{Checked: func(c netcheck.CheckResult) { doctor.WriteCheck(s.e.Stdout, c, s.e.tr, paint) }}
}

// fixes shows each finding with its fix, and applies the fixes the person
// confirms (or, with --apply --yes, every one that needs no input). It
// reports whether any was applied.
func (s *doctorSession) fixes(ctx context.Context, rem *doctor.Remedies, matched bool) bool {
	e, tr := s.e, s.e.tr
	paint := useColor(e.Stdout)
	applied := false
	for i, f := range rem.Report.Findings {
		fix := rem.Fixes[i]
		j := fixJSON{Fix: fix}
		if !s.o.json {
			doctor.WriteFinding(e.Stdout, f, tr, paint)
		}
		if fix.Kind != doctor.FixNone {
			j.Label, j.Describe, j.Input = fix.Label(tr), fix.Describe(tr, rem.File), fix.Input()
			if !s.o.json {
				fmt.Fprintf(e.Stdout, "  %s %s: %s\n", paint.Bold("→"), j.Label, j.Describe)
			}
			s.applyOne(ctx, rem, i, &j, matched)
			applied = applied || j.Applied
		}
		s.out.Fixes = append(s.out.Fixes, j)
	}
	if !applied && !s.interactive && !s.o.apply && rem.Any() && !s.o.json {
		fmt.Fprintf(e.Stdout, "\n%s\n", tr.X("doctor.apply_hint", "Apply these fixes with: claudemedic doctor --symptom {{.Symptom}} --apply --yes", "Symptom", s.out.Symptom))
	}
	return applied
}

// applyOne applies fix i when the person wants it, saying what changed and how to undo it.
func (s *doctorSession) applyOne(ctx context.Context, rem *doctor.Remedies, i int, j *fixJSON, matched bool) {
	e, tr := s.e, s.e.tr
	fix := rem.Fixes[i]
	say := func(line string) {
		if !s.o.json {
			fmt.Fprintln(e.Stdout, "    "+line)
		}
	}
	ask := s.interactive || (s.o.apply && !s.o.yes)
	switch {
	case !s.o.apply && !s.interactive:
		return
	case !matched && !s.interactive:
		j.Error = tr.X("doctor.apply_unmatched", "not applied: --apply needs a message Claude Medic recognises, or a symptom's name")
		say(j.Error)
		return
	case fix.Input() != doctor.InputNone && !ask:
		j.Error = tr.X("doctor.needs_input", "not applied: this fix needs an input; run claudemedic doctor in a terminal, or see the fix above")
		say(j.Error)
		return
	}
	input := ""
	if ask {
		ok, err := s.confirm("    " + tr.X("doctor.apply_prompt", "Apply “{{.Fix}}”?", "Fix", j.Label))
		if err != nil || !ok {
			say(tr.X("doctor.not_applied", "Not applied."))
			return
		}
		if input, err = s.input(fix); err != nil {
			j.Error = err.Error()
			say(j.Error)
			return
		}
	}
	c, err := rem.Apply(ctx, i, input)
	if err != nil {
		text, _ := doctor.Explain(err, tr)
		j.Error = text
		say(tr.X("fix.failed", "Could not apply the fix: {{.Err}}", "Err", text))
		return
	}
	j.Applied, j.Change = true, c
	if !s.o.json {
		printDoctorChange(e.Stdout, tr, c)
	}
}

// input asks for what a fix needs: the key without echo, or the CA file's path.
func (s *doctorSession) input(fix doctor.Fix) (string, error) {
	tr := s.e.tr
	switch fix.Input() {
	case doctor.InputKey:
		f, ok := s.e.Stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return "", errors.New(tr.X("doctor.key_needs_terminal", "a key is read on a terminal only, where it is not shown"))
		}
		fmt.Fprint(s.e.Stdout, "    "+tr.X("doctor.key_prompt", "Paste the new API key and press Enter (it is not shown):")+" ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(s.e.Stdout)
		if err != nil || strings.TrimSpace(string(b)) == "" {
			return "", errors.New(tr.X("doctor.no_key", "no key was given; nothing was changed"))
		}
		return string(b), nil
	case doctor.InputCAFile:
		path, err := s.ask("    " + tr.X("doctor.ca_prompt", "The CA certificate's PEM file:") + " ")
		if err != nil {
			return "", err
		}
		if path == "" {
			return "", errors.New(tr.X("doctor.no_file", "no file was given; nothing was changed"))
		}
		return path, nil
	}
	return "", nil
}

// retest runs the symptom's checks again and sets the result beside the first.
func (s *doctorSession) retest(ctx context.Context, symptom doctor.Symptom, before *netcheck.Report) (*netcheck.Report, error) {
	e, tr := s.e, s.e.tr
	if !s.o.json {
		fmt.Fprintf(e.Stdout, "\n%s\n", useColor(e.Stdout).Bold(tr.X("wizard.retest", "Test again")))
	}
	after, err := s.d.Diagnose(ctx, symptom, s.progress())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", tr.X("doctor.resolve_failed", "reading Claude Code's settings"), err)
	}
	c := doctor.Compare(before, after)
	s.out.Retest, s.out.Comparison = after, &c
	if !s.o.json {
		codes := func(cs []netcheck.Code) string {
			if len(cs) == 0 {
				return tr.X("wizard.no_problems", "No problems")
			}
			out := make([]string, len(cs))
			for i, c := range cs {
				out[i] = string(c)
			}
			return strings.Join(out, ", ")
		}
		paint := useColor(e.Stdout)
		fmt.Fprintf(e.Stdout, "  %-8s %s  (%s)\n", tr.X("wizard.before", "Before"), paint.Verdict(before.Verdict, string(before.Verdict)), codes(append(c.Fixed, c.Remaining...)))
		fmt.Fprintf(e.Stdout, "  %-8s %s  (%s)\n", tr.X("wizard.after", "After"), paint.Verdict(after.Verdict, string(after.Verdict)), codes(append(c.Remaining, c.New...)))
		if len(c.Fixed) > 0 {
			fmt.Fprintf(e.Stdout, "  %s\n", tr.X("doctor.fixed", "Fixed: {{.Codes}}", "Codes", codes(c.Fixed)))
		}
		for _, f := range after.Findings {
			doctor.WriteFinding(e.Stdout, f, tr, paint)
		}
		fmt.Fprintf(e.Stdout, "\n%s\n", paint.Verdict(after.Verdict, doctor.VerdictLine(tr, after.Verdict)))
	}
	return after, nil
}

// printDoctorChange says what a fix changed in which file, and how to undo it.
func printDoctorChange(w io.Writer, tr i18n.Printer, c *doctor.Change) {
	if c.File != "" {
		fmt.Fprintf(w, "    %s\n", tr.X("change.in_file", "Changed in {{.File}}:", "File", c.File))
	}
	for _, l := range c.Lines {
		fmt.Fprintf(w, "      %s\n", l)
	}
	if c.Undoable() && c.Backup != "" {
		fmt.Fprintf(w, "    %s\n", tr.X("cli.undo_restore", "The old file is backed up. Undo: claudemedic config restore {{.Backup}}", "Backup", claudecfg.CommandQuote(c.Backup)))
	}
}

// isTerminal reports whether r is a terminal.
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
