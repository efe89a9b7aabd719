// Package cli is the `claudemedic` command line: check, doctor, key, config
// and cache, in English or Simplified Chinese (internal/i18n). It is thin:
// each command reads its flags into its own options struct, calls doctor (or
// keystore and claudecfg for the key, the settings and the cache), and
// renders what they return. A command returns an error; Main turns it into
// the exit status and the sentence a person reads, in one place (exit).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/internal/exitcode"
	"claudemedic/internal/i18n"
	"claudemedic/internal/pages"
	"claudemedic/internal/prefs"
	"claudemedic/netcheck"
)

// IO is what a command reads and writes. Tests run commands in-process with
// buffers, and give Options to point the checks at a fake API.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Options, when set, adjusts each run's options with what no flag gives
	// (a test's fake DNS, status page and short limits).
	Options func(*netcheck.Options)
	// Resolve, when set, stands for resolving Claude Code's settings in
	// check and doctor: a test's target that no settings file can give (a
	// failing apiKeyHelper's error, a saved login, a cloud provider).
	Resolve func(ctx context.Context) (claudesettings.Target, error)
}

// env is one run of a command: its streams, its language and its name.
type env struct {
	IO
	tr   i18n.Printer
	name string // "config set-timeout", for its messages
}

// command is a command, or a group of subcommands (key, config, cache).
type command struct {
	name    string
	summary func(tr i18n.Printer) string
	run     func(ctx context.Context, e *env, args []string) error
	subs    []*command
}

// commands are the top-level commands in the order the usage lists them.
var commands = []*command{checkCommand, doctorCommand, errorsCommand, keyCommand, configCommand, cacheCommand, claudeCodeCommand, uninstallHelperCommand}

// Main runs the command line args (without the program name) and returns the exit status.
func Main(ctx context.Context, args []string, std IO) int {
	brokenPrefs = nil
	e := &env{IO: std, tr: i18n.Chosen(languageIn(args)), name: ""}
	if brokenPrefs != nil {
		fmt.Fprintf(e.Stderr, "claudemedic: %s\n", e.tr.X("cli.broken_prefs", "your preferences file could not be read, so the defaults are used for what it got wrong: {{.Err}}", "Err", brokenPrefs))
	}
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.Stdout, e.tr)
		return exitcode.OK
	}
	if args[0] == "--version" || args[0] == "-version" || args[0] == "version" {
		fmt.Fprintln(e.Stdout, versionLine())
		return exitcode.OK
	}
	for _, c := range commands {
		if c.name == args[0] {
			e.name = c.name
			return e.exit(c.dispatch(ctx, e, args[1:]))
		}
	}
	fmt.Fprintf(e.Stderr, "claudemedic: %s\n\n", e.tr.X("cli.unknown_command", "unknown command {{.Name}}", "Name", fmt.Sprintf("%q", args[0])))
	usage(e.Stderr, e.tr)
	return exitcode.Usage
}

// Run is Main for the real process: standard streams, and a context that ends on Ctrl-C.
func Run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return Main(ctx, args, IO{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr})
}

// versionLine is "claudemedic 0.1.0 (commit 1a2b3c4d5e6f, go1.25.1 linux/amd64)":
// the version (doctor.Version, which FyneApp.toml's matches, or what the
// build's -ldflags "-X claudemedic/doctor.Version=…" gave), the commit the
// build came from (with "+changes" when its tree had uncommitted changes)
// and the Go it was built with, from the build's own information.
func versionLine() string {
	commit, goVersion := "unknown", runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
		dirty := false
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
				if len(commit) > 12 {
					commit = commit[:12]
				}
			case "vcs.modified":
				dirty = s.Value == "true"
			}
		}
		if dirty && commit != "unknown" {
			commit += "+changes"
		}
	}
	return fmt.Sprintf("claudemedic %s (commit %s, %s %s/%s)", doctor.Version, commit, goVersion, runtime.GOOS, runtime.GOARCH)
}

// languageIn is the --lang a command line gives (so its help speaks it too),
// else the preferences' language ("" lets the locale decide).
func languageIn(args []string) string {
	for i, a := range args {
		if v, ok := strings.CutPrefix(strings.TrimPrefix(a, "-"), "-lang="); ok {
			return v
		}
		if (a == "--lang" || a == "-lang") && i+1 < len(args) {
			return args[i+1]
		}
	}
	p, err := prefs.Load() // broken preferences give the defaults (the locale decides), and a sentence
	if err != nil {
		brokenPrefs = err
	}
	return p.Language
}

// brokenPrefs is why the preferences file could not be read whole, said
// once on stderr before the command's own output.
var brokenPrefs error

func usage(w io.Writer, tr i18n.Printer) {
	fmt.Fprintln(w, tr.X("cli.about", "Claude Medic finds out why Claude API and Claude Code requests fail, and fixes what it can."))
	fmt.Fprintf(w, "\n%s\n\n%s\n", tr.X("cli.usage", "Usage: claudemedic <command> [flags]"), tr.X("cli.commands", "Commands:"))
	for _, c := range commands {
		fmt.Fprintf(w, "  %-16s %s\n", c.name, c.summary(tr))
	}
	fmt.Fprintf(w, "  %-16s %s\n", "tray", tr.X("cli.tray", "run the tray agent"))
	fmt.Fprintf(w, "  %-16s %s\n", "window", tr.X("cli.window", "open the window [{{.Pages}}]", "Pages", pages.List()))
	fmt.Fprintf(w, "\n%s\n%s\n", tr.X("cli.no_command", "With no command, Claude Medic starts the tray agent and opens its window."),
		tr.X("cli.help", "Run 'claudemedic <command> --help' for a command's flags."))
}

// dispatch runs a command, or the subcommand of a group args name.
func (c *command) dispatch(ctx context.Context, e *env, args []string) error {
	if c.subs == nil {
		return c.run(ctx, e, args)
	}
	names := make([]string, len(c.subs))
	for i, s := range c.subs {
		names[i] = s.name
	}
	slices.Sort(names)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(e.Stderr, "%s\n", e.tr.X("cli.group_usage", "Usage: claudemedic {{.Group}} <{{.Commands}}> [flags]", "Group", c.name, "Commands", strings.Join(names, "|")))
		for _, s := range c.subs {
			fmt.Fprintf(e.Stderr, "  %-22s %s\n", s.name, s.summary(e.tr))
		}
		if len(args) == 0 {
			return exitWith(exitcode.Usage)
		}
		return nil
	}
	for _, s := range c.subs {
		if s.name == args[0] {
			e.name = c.name + " " + s.name
			return s.run(ctx, e, args[1:])
		}
	}
	return usageErr(e.tr.X("cli.unknown_subcommand", "unknown command {{.Name}} (one of: {{.Commands}})", "Name", fmt.Sprintf("%q", args[0]), "Commands", strings.Join(names, ", ")))
}

// flags is a command's flag set: errors go to stderr, not to an exit, and
// --help prints the synopsis in the command's language, then the flags.
//
// A wrong flag gets one line that names it and the command's --help, not
// the flag package's message and the whole help.
func (e *env) flags(synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(e.name, flag.ContinueOnError)
	var failed strings.Builder // the flag package's error, written before it calls Usage
	fs.SetOutput(&failed)
	fs.Usage = func() {
		if msg := strings.TrimSpace(failed.String()); msg != "" {
			fmt.Fprintf(e.Stderr, "claudemedic %s: %s\n", e.name, e.flagError(msg))
			return
		}
		fmt.Fprintf(e.Stderr, "%s\n\n", e.tr.X("cli.usage_line", "Usage: claudemedic {{.Synopsis}}", "Synopsis", synopsis))
		fs.SetOutput(e.Stderr)
		fs.PrintDefaults()
		fs.SetOutput(&failed)
	}
	return fs
}

// flagError words the flag package's error msg in one line, in the
// command's language, with where to read the command's flags.
func (e *env) flagError(msg string) string {
	help := e.tr.X("cli.flag_help", "run 'claudemedic {{.Command}} --help' for its flags", "Command", e.name)
	switch {
	case strings.HasPrefix(msg, "flag provided but not defined: "):
		return e.tr.X("cli.unknown_flag", "unknown flag {{.Flag}}; {{.Help}}", "Flag", "-"+strings.TrimPrefix(msg, "flag provided but not defined: "), "Help", help)
	case strings.HasPrefix(msg, "flag needs an argument: "):
		return e.tr.X("cli.flag_needs_value", "the flag {{.Flag}} needs a value; {{.Help}}", "Flag", "-"+strings.TrimPrefix(msg, "flag needs an argument: "), "Help", help)
	}
	return msg + "; " + help
}

// parse parses args into fs; the error ends the command (--help: status 0;
// a wrong flag, which fs has already said: status 64).
func parse(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return exitWith(exitcode.OK)
	case err != nil:
		return exitWith(exitcode.Usage)
	}
	return nil
}

// noArgs refuses positional arguments.
func (e *env) noArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return usageErr(e.tr.X("cli.unexpected_arg", "unexpected argument {{.Arg}}", "Arg", fmt.Sprintf("%q", fs.Arg(0))))
	}
	return nil
}

// usageError is a command line that is wrong: its sentence, status 64.
type usageError struct{ msg string }

func (u *usageError) Error() string { return u.msg }

func usageErr(msg string) error { return &usageError{msg} }

// statusError ends a command with a status and nothing more to say (a
// verdict, --help, a question answered no, a flag error already printed).
type statusError int

func (s statusError) Error() string { return fmt.Sprintf("exit status %d", int(s)) }

func exitWith(code int) error { return statusError(code) }

// hinted is a failure with what to do next, said after it.
type hinted struct {
	err   error
	hints []string
}

func (h *hinted) Error() string { return h.err.Error() }
func (h *hinted) Unwrap() error { return h.err }

func withHint(err error, hints ...string) error { return &hinted{err, hints} }

// exit is the one place a command's error becomes an exit status and what
// the person reads: a usage error is 64, a status is itself, any other error
// is a failed command (1), said in the command's language (doctor.Explain for
// the failures a person can act on; the error's own words otherwise).
func (e *env) exit(err error) int {
	var st statusError
	var ue *usageError
	switch {
	case err == nil:
		return exitcode.OK
	case errors.As(err, &st):
		return int(st)
	case errors.As(err, &ue):
		fmt.Fprintf(e.Stderr, "claudemedic %s: %s\n", e.name, ue.msg)
		return exitcode.Usage
	}
	fmt.Fprintf(e.Stderr, "claudemedic %s: %s\n", e.name, e.say(err))
	var h *hinted
	if errors.As(err, &h) {
		for _, line := range h.hints {
			fmt.Fprintln(e.Stderr, line)
		}
	}
	return exitcode.Failed
}

// say is an error in the command's language: the logic packages' own words
// in English (they say what to do), doctor's translation in Chinese when it
// knows the failure.
func (e *env) say(err error) string {
	if e.tr.Chinese() {
		var h *hinted
		if errors.As(err, &h) {
			err = h.err
		}
		if text, known := doctor.Explain(err, e.tr); known {
			return text
		}
	}
	return err.Error()
}

// doctor is the use cases for this command line, resolving from src
// (doctor.Terminal: Claude Code as started in a folder) with the overrides o.
func (e *env) doctor(src claudecfg.ResolveOptions, o doctor.Overrides) *doctor.Doctor {
	d := doctor.New(src, o, e.tr.Lang())
	if e.Resolve != nil {
		d.Resolve = e.Resolve
		d.Settings = doctor.UserSettings{Resolve: e.Resolve, Lang: e.tr.Lang()}
	}
	if e.Options != nil {
		d.Check = func(ctx context.Context, t claudesettings.Target, opts netcheck.Options) *netcheck.Report {
			return netcheck.Run(ctx, t, e.options(opts))
		}
	}
	return d
}

// options are opts with the IO's adjustments.
func (e *env) options(opts netcheck.Options) netcheck.Options {
	if e.Options != nil {
		e.Options(&opts)
	}
	return opts
}

func projectDir(p string) string {
	if p == "" {
		p, _ = os.Getwd()
	}
	return p
}

// writeJSON prints v as one JSON object (doctor.WriteJSON).
func (e *env) writeJSON(v any) error {
	if err := doctor.WriteJSON(e.Stdout, v); err != nil {
		return fmt.Errorf("writing the JSON: %w", err)
	}
	return nil
}

// useColor reports whether w is a terminal that wants colour (NO_COLOR unset).
func useColor(w io.Writer) doctor.Paint {
	f, ok := w.(*os.File)
	if !ok || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
