// Package cli is the `claudemedic` command line: check, key, config and cache.
// It is thin: each command parses its flags, calls netcheck, keystore or
// claudecfg, and renders what they return.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
)

// Exit statuses of DESIGN.md's command-line contract.
const (
	ExitOK       = 0  // the verdict is ok, or a command succeeded
	ExitDegraded = 1  // the verdict is degraded, or a command failed
	ExitDown     = 2  // the verdict is down
	ExitUsage    = 64 // the command line is wrong
)

// IO is what a command reads and writes. Tests run commands in-process with buffers.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// command is one top-level command, registered by the file that implements it.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, io IO) int
}

var commands = map[string]command{}

// register adds a top-level command; each command's file calls it from init.
func register(c command) { commands[c.name] = c }

// Main runs the command line args (without the program name) and returns the exit status.
func Main(ctx context.Context, args []string, io IO) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(io.Stdout)
		return ExitOK
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(io.Stderr, "claudemedic: unknown command %q\n\n", args[0])
		usage(io.Stderr)
		return ExitUsage
	}
	return c.run(ctx, args[1:], io)
}

// Run is Main for the real process: standard streams, and a context that ends on Ctrl-C.
func Run(args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return Main(ctx, args, IO{os.Stdin, os.Stdout, os.Stderr})
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "Claude Medic finds out why Claude API and Claude Code requests fail, and fixes what it can.")
	fmt.Fprintln(w, "\nUsage: claudemedic <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "  tray     run the tray agent")
	fmt.Fprintln(w, "  window   open the window [status|wizard|key|settings|cache]")
	fmt.Fprintln(w, "\nWith no command, Claude Medic starts the tray agent and opens its window.")
	fmt.Fprintln(w, "Run 'claudemedic <command> --help' for a command's flags.")
}

// newFlagSet returns a flag set that reports errors to io.Stderr and not by exiting.
func newFlagSet(name, synopsis string, io IO) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(io.Stderr, "Usage: claudemedic %s\n\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args into fs. It returns the exit status to stop with and false
// when the command should not go on (--help, or a usage error).
func parse(fs *flag.FlagSet, args []string) (int, bool) {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return ExitOK, false
	case err != nil:
		return ExitUsage, false
	}
	return 0, true
}

// subcommand dispatches "claudemedic <group> <sub> ..." to one of subs.
func subcommand(ctx context.Context, group string, subs map[string]func(context.Context, []string, IO) int, args []string, io IO) int {
	names := make([]string, 0, len(subs))
	for n := range subs {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(io.Stderr, "Usage: claudemedic %s <%s> [flags]\n", group, strings.Join(names, "|"))
		if len(args) == 0 {
			return ExitUsage
		}
		return ExitOK
	}
	run, ok := subs[args[0]]
	if !ok {
		fmt.Fprintf(io.Stderr, "claudemedic %s: unknown command %q (one of: %s)\n", group, args[0], strings.Join(names, ", "))
		return ExitUsage
	}
	return run(ctx, args[1:], io)
}
