// Package tray is the all-day tray agent: the icon per state, its menu, the
// background monitor, the last report on disk, the optional metrics endpoint
// and one agent per user. It uses fyne.io/systray only, never Fyne, so it
// stays a few megabytes; the window is another process (`claudemedic window
// <page>`) that the menu starts.
package tray

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"fyne.io/systray"

	"claudemedic/app/instance"
	"claudemedic/app/prefs"
	"claudemedic/app/state"
	"claudemedic/netcheck"
)

// Options set up the agent. The zero value is the real agent.
type Options struct {
	// Check runs one check; nil resolves what Claude Code would use
	// (claudecfg, the login shell, the keychain) and runs netcheck on it.
	Check func(ctx context.Context, stream bool) (*netcheck.Report, error)
	// Notifier shows desktop notifications; nil uses the desktop's.
	Notifier Notifier
	// Window opens the window on a page; nil starts `claudemedic window <page>`.
	Window func(page string) error
	// Open is a page to open once the agent runs ("" opens none).
	Open string
	// InstanceDir holds the agent's lock and socket; "" means instance.Dir().
	InstanceDir string

	isAgent bool // running as cmd/claudemedic-agent, not the main binary
}

func (o Options) windowExe() (string, error) { return windowBinary(o.isAgent) }

// autostartArgv is what starts the agent at login: `claudemedic tray`, which
// hands over to the agent binary when it sits beside it.
func (o Options) autostartArgv() []string {
	if o.isAgent {
		if p, ok := sibling(MainName); ok {
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
	if os.Getenv("CLAUDEMEDIC_ONE_BINARY") == "" {
		if p, ok := sibling(AgentName); ok {
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
	fs := flag.NewFlagSet("tray", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: claudemedic tray [--open PAGE]\n\nRuns the tray agent; with --open, also opens the window on PAGE.")
		fs.PrintDefaults()
	}
	open := fs.String("open", "", "open the window on this page (status, wizard, key, settings, cache) once the agent runs")
	once := fs.Bool("check-once", false, "run one check, print its report as JSON and exit (the agent runs its checks so)")
	stream := fs.Bool("stream", false, "with --check-once: also run the stream check")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 64
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "claudemedic tray: unexpected argument %q\n", fs.Arg(0))
		return 64
	}
	if *once {
		return checkOnce(*stream)
	}
	return Run(Options{Open: *open, isAgent: isAgent})
}

// Run runs the agent until Quit, or asks the running agent to open the
// window and returns when one already runs.
func Run(opts Options) int {
	if opts.Check == nil {
		opts.Check = realCheck
	}
	if opts.Notifier == nil {
		opts.Notifier = newNotifier()
	}
	dir := opts.InstanceDir
	if dir == "" {
		d, err := instance.Dir()
		if err != nil {
			fmt.Fprintf(os.Stderr, "claudemedic tray: %v\n", err)
			return 1
		}
		dir = d
	}
	closeLog := setupLog()
	defer closeLog()

	p, err := prefs.Load()
	if err != nil {
		slog.Warn("preferences", "err", err)
	}
	m := newMenu(opts, p)
	agent, err := instance.Acquire(dir, func(verb, arg string) error {
		switch verb {
		case instance.Open:
			if arg == "" {
				arg = "status"
			}
			return m.openWindow(arg)
		case instance.Refresh:
			poke(m.refresh)
		}
		return nil
	})
	if errors.Is(err, instance.ErrRunning) {
		page := opts.Open
		if page == "" {
			page = "status"
		}
		if err := instance.Send(dir, 5*time.Second, instance.Open, page); err != nil {
			fmt.Fprintf(os.Stderr, "claudemedic tray: %v\n", err)
			return 1
		}
		fmt.Fprintln(os.Stderr, "claudemedic tray: the tray agent already runs; it opens the window.")
		return 0
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "claudemedic tray: %v\n", err)
		return 1
	}
	slog.Info("tray agent started", "pid", os.Getpid())
	if err := agent.HandOverErr(); err != nil {
		slog.Warn("a second launch cannot reach this agent, so it opens the window by itself", "err", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case <-sig:
			systray.Quit()
		case <-ctx.Done():
		}
	}()
	systray.Run(func() {
		m.build()
		go m.loop(ctx)
		go m.mon.Run(ctx)
		go watch(ctx, m)
		if opts.Open != "" {
			if err := m.openWindow(opts.Open); err != nil {
				slog.Error("opening the window", "err", err)
			}
		}
	}, func() {
		cancel()
		close(m.done)
		signal.Stop(sig)
		agent.Close()
		slog.Info("tray agent stopped")
	})
	return 0
}

func (m *menu) openWindow(page string) error {
	if m.opts.Window != nil {
		return m.opts.Window(page)
	}
	return m.windows.Open(page)
}

func poke(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}

// setupLog sends the agent's log (and systray's) to agent.log in the state
// folder, starting a new file when the old one passed 1 MB. Nothing logged
// ever holds a secret: reports are logged by verdict and codes only.
func setupLog() func() {
	dir, err := state.Dir()
	if err != nil {
		return func() {}
	}
	path := filepath.Join(dir, "agent.log")
	if info, err := os.Stat(path); err == nil && info.Size() > 1<<20 {
		os.Rename(path, path+".1")
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return func() {}
	}
	var w io.Writer = f
	slog.SetDefault(slog.New(slog.NewTextHandler(w, nil)))
	log.SetOutput(w)
	return func() { f.Close() }
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
			return 0
		}
	}
	if errors.Is(err, instance.ErrNotRunning) {
		if err = startAgent("--open", "status"); err == nil {
			return 0
		}
	}
	fmt.Fprintf(os.Stderr, "claudemedic: the tray agent did not start (%v); opening the window alone.\n", err)
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "claudemedic: %v\n", err)
		return 1
	}
	cmd := exec.Command(exe, "window", "status")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return ee.ExitCode()
		}
		fmt.Fprintf(os.Stderr, "claudemedic: %v\n", err)
		return 1
	}
	return 0
}

// startAgent starts the tray agent detached: the agent binary when it sits
// beside this one, else `this tray`.
func startAgent(args ...string) error {
	exe, ok := sibling(AgentName)
	if !ok || os.Getenv("CLAUDEMEDIC_ONE_BINARY") != "" {
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
