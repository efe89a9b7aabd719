package tray

// The processes Claude Medic runs and which binary runs each: the main
// binary (`claudemedic`, with the window toolkit) and the small agent binary
// (cmd/claudemedic-agent, without it); the agent that runs all day, the
// window it starts as a child per page, the child that runs one check, and
// the double-click that finds or starts the agent.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"claudemedic/app/tray/instance"
	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/internal/exitcode"
	"claudemedic/internal/i18n"
	"claudemedic/internal/pages"
	"claudemedic/internal/prefs"
	"claudemedic/internal/sibling"
	"claudemedic/netcheck"
)

func (o Options) windowExe() (string, error) { return windowBinary(o.isAgent) }

// autostartArgv is what starts the agent at login: `claudemedic tray`, which
// hands over to the agent binary when it sits beside it.
func (o Options) autostartArgv() []string {
	if o.isAgent {
		if p, err := sibling.Path(MainName); err == nil {
			return []string{p, "tray"}
		}
		exe, _ := os.Executable()
		return []string{exe}
	}
	exe, _ := os.Executable()
	return []string{exe, "tray"}
}

// Main is `claudemedic tray [--open PAGE]` in the main binary. When the small
// agent binary sits beside it, Main hands over to it, so the all-day process
// never loads the window toolkit's OpenGL and X11 libraries.
// CLAUDEMEDIC_ONE_BINARY=1 keeps the agent in this binary.
func Main(args []string) int {
	checkOnce, canCheck = runCheck, true
	if os.Getenv("CLAUDEMEDIC_ONE_BINARY") == "" && !isCheckOnce(args) {
		if p, err := sibling.Path(AgentName); err == nil {
			return handOver(p, args)
		}
	}
	return start(args, false)
}

// RunAgent is the main of cmd/claudemedic-agent: `claudemedic-agent [tray] [--open PAGE]`.
func RunAgent(args []string) int {
	if len(args) > 0 && args[0] == "tray" {
		args = args[1:]
	}
	return start(args, true)
}

func start(args []string, isAgent bool) int {
	tr := i18n.Chosen("")
	fs := flag.NewFlagSet("tray", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), tr.X("tray.synopsis", "Usage: claudemedic tray [--open PAGE]\n\nRuns the tray agent; with --open, also opens the window on PAGE."))
		fs.PrintDefaults()
	}
	open := fs.String("open", "", tr.X("tray.flag_open", "open the window on this page ({{.Pages}}) once the agent runs", "Pages", pages.List()))
	once := fs.Bool("check-once", false, tr.X("tray.flag_check_once", "run one check, print its report as JSON and exit (the agent runs its checks so)"))
	stream := fs.Bool("stream", false, tr.X("tray.flag_stream", "with --check-once: also run the stream check"))
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitcode.OK
		}
		return exitcode.Usage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "claudemedic tray: %s\n", tr.X("cli.unexpected_arg", "unexpected argument {{.Arg}}", "Arg", fmt.Sprintf("%q", fs.Arg(0))))
		return exitcode.Usage
	}
	if code, done := alreadyRuns(tr, *open, *once); done {
		return code
	}
	if *once {
		return checkOnce(*stream)
	}
	return Run(Options{Open: *open, isAgent: isAgent})
}

// alreadyRuns is `claudemedic tray` when an agent already runs for this user
// (at login with the agent already started, say): it says so in one line and
// opens no window, unless --open asked for one, which the running agent
// opens. It reports false when no agent runs, and the caller starts one
// (and always for a check child, --check-once). A page the window does not
// have is a usage error whoever runs.
func alreadyRuns(tr i18n.Printer, open string, once bool) (code int, done bool) {
	if once {
		return 0, false
	}
	if open != "" {
		if _, err := pages.Parse(open); err != nil {
			fmt.Fprintf(os.Stderr, "claudemedic tray: %v\n", err)
			return exitcode.Usage, true
		}
	}
	dir, err := instance.Dir()
	if err != nil {
		return 0, false // Run says why
	}
	verb := instance.Ping
	if open != "" {
		verb = instance.Open
	}
	// An agent still starting answers within the wait; one holding the lock
	// that never answers (its listener did not start) runs all the same.
	err = instance.Send(dir, 5*time.Second, verb, open)
	switch {
	case errors.Is(err, instance.ErrNotRunning):
		return 0, false
	case err == nil && open != "":
		fmt.Println(tr.X("tray.already_runs_open", "Claude Medic's tray agent already runs; it opens the window on the {{.Page}} page.", "Page", open))
	case err == nil || (open == "" && errors.Is(err, instance.ErrUnreachable)):
		fmt.Println(tr.X("tray.already_runs", "Claude Medic's tray agent already runs; 'claudemedic window' opens the window."))
	default: // it runs but did not open the window: say why, and start no second agent
		fmt.Fprintf(os.Stderr, "claudemedic tray: %v\n", err)
		return exitcode.Failed, true
	}
	return exitcode.OK, true
}

// Launch is what a double-click runs (`claudemedic` with no arguments): it
// asks the running agent to open the window, or starts the agent (detached,
// so it outlives this process) and has it open the window. When no agent
// can start, it opens the window by itself.
func Launch() int {
	dir, err := instance.Dir()
	if err == nil {
		// An agent that is still starting answers within the wait; one
		// whose listener did not start never does (ErrUnreachable).
		err = instance.Send(dir, 2*time.Second, instance.Open, "status")
		if err == nil {
			return exitcode.OK
		}
	}
	if errors.Is(err, instance.ErrNotRunning) {
		if err = startAgent("--open", "status"); err == nil {
			return exitcode.OK
		}
	}
	fmt.Fprintf(os.Stderr, "claudemedic: the tray agent did not start (%v); opening the window alone.\n", err)
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "claudemedic: %v\n", err)
		return exitcode.Failed
	}
	cmd := exec.Command(exe, "window", "status")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		fmt.Fprintf(os.Stderr, "claudemedic: %v\n", err)
		return exitcode.Failed
	}
	return exitcode.OK
}

// startAgent starts the tray agent detached: the agent binary when it sits
// beside this one, else `this tray`.
func startAgent(args ...string) error {
	exe, err := sibling.Path(AgentName)
	if err != nil || os.Getenv("CLAUDEMEDIC_ONE_BINARY") != "" {
		self, err := os.Executable()
		if err != nil {
			return err
		}
		exe, args = self, append([]string{"tray"}, args...)
	}
	cmd := exec.Command(exe, args...)
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting the tray agent: %w", err)
	}
	return cmd.Process.Release()
}

// AgentName is the small agent binary (cmd/claudemedic-agent) that
// `claudemedic tray` prefers when it sits beside it: it never links the
// window toolkit, so it never loads OpenGL or X11.
const AgentName = "claudemedic-agent"

// MainName is the main binary, the command line: it runs the checks
// (`tray --check-once`) and hands `window` over to claudemedic-window.
const MainName = "claudemedic"

// windowBinary is the binary to run `window <page>` with: this one, or the
// main binary beside the agent binary.
func windowBinary(isAgent bool) (string, error) {
	if isAgent {
		if p, err := sibling.Path(MainName); err == nil {
			return p, nil
		} else {
			return "", fmt.Errorf("the Claude Medic window (%s) is not beside the tray agent", p)
		}
	}
	return os.Executable()
}

// windowOpener starts the window as a child process, one per page at a time:
// asking again for a page whose window is open does not open a second.
type windowOpener struct {
	exe  func() (string, error)
	mu   sync.Mutex
	open map[string]bool
}

func (w *windowOpener) Open(page string) error {
	if _, err := pages.Parse(page); err != nil {
		return err
	}
	exe, err := w.exe()
	if err != nil {
		return err
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.open[page] {
		slog.Info("the window is open already", "page", page)
		return nil
	}
	cmd := exec.Command(exe, "window", page)
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("opening the window: %w", err)
	}
	if w.open == nil {
		w.open = map[string]bool{}
	}
	w.open[page] = true
	slog.Info("opened the window", "page", page, "pid", cmd.Process.Pid)
	go func() {
		err := cmd.Wait()
		slog.Info("the window closed", "page", page, "err", err)
		w.mu.Lock()
		delete(w.open, page)
		w.mu.Unlock()
	}()
	return nil
}

// realCheck runs one check in a child process (`<this binary> tray
// --check-once`) and reads the report it prints. The agent itself then never
// runs the TLS, HTTP and JSON code of a check, so none of it stays resident
// all day (about 3 MB less), and whatever a check allocates dies with the
// child. The child finds the key itself: it never passes through argv.
func realCheck(ctx context.Context, stream bool) (*netcheck.Report, error) {
	exe, err := checkBinary()
	if err != nil {
		return nil, fmt.Errorf("running a check: %w", err)
	}
	args := []string{"tray", "--check-once"}
	if stream {
		args = append(args, "--stream")
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	quiet(cmd)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return nil, errors.New(strings.SplitN(msg, "\n", 2)[0])
		}
		return nil, fmt.Errorf("running a check: %w", err)
	}
	var r netcheck.Report
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return nil, fmt.Errorf("reading the check's report: %w", err)
	}
	return &r, nil
}

// runCheck is the child's side of realCheck: it resolves what Claude Code
// would use on this machine (its settings, the login shell's environment, the
// key in the keychain), checks it, and prints the report as JSON (the key
// masked, as in every report).
func runCheck(stream bool) int {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	src := doctor.Desktop()
	rctx, rcancel := context.WithTimeout(ctx, 30*time.Second)
	target, err := doctor.Resolve(rctx, src, doctor.Overrides{})
	rcancel()
	if err != nil {
		fmt.Fprintf(os.Stderr, "reading Claude Code's settings: %v\n", err)
		return exitcode.Failed
	}
	p, _ := prefs.Load() // the agent logs a broken file; the defaults serve here
	d := doctor.New(src, doctor.Overrides{}, "")
	d.Resolve = func(context.Context) (claudesettings.Target, error) { return target, nil }
	d.Record = nil // the agent records what this prints
	r, _ := d.Run(ctx, netcheck.Options{Stream: stream, Status: p.StatusPage}, doctor.Progress{})
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		fmt.Fprintf(os.Stderr, "writing the report: %v\n", err)
		return exitcode.Failed
	}
	return exitcode.OK
}
