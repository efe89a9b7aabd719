// Package tray is the all-day tray agent: the icon per state, its menu, the
// background monitor, the last report on disk, the optional metrics endpoint
// and one agent per user. It uses fyne.io/systray only, never Fyne, so it
// stays a few megabytes; the window is another process (`claudemedic window
// <page>`) that the menu starts.
package tray

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"fyne.io/systray"

	"claudemedic/app/tray/instance"
	"claudemedic/internal/exitcode"
	"claudemedic/internal/i18n"
	"claudemedic/internal/prefs"
	"claudemedic/internal/state"
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

// Run runs the agent until Quit, or asks the running agent to open the
// window and returns when one already runs.
func Run(opts Options) int {
	// An interrupt or a SIGTERM at any moment from here on ends the agent
	// cleanly: one that comes while it starts ends it once the tray is up.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan struct{})
	go func() {
		select {
		case <-sig:
		case <-ctx.Done():
			return
		}
		select {
		case <-ready:
			systray.Quit()
		case <-ctx.Done():
		}
	}()

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
			return exitcode.Failed
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
		// Another agent started first (alreadyRuns in roles.go says so before
		// getting here, but two can start at once): open only what was asked.
		tr := i18n.Chosen(p.Language)
		if opts.Open == "" {
			fmt.Println(tr.X("tray.already_runs", "Claude Medic's tray agent already runs; 'claudemedic window' opens the window."))
			return exitcode.OK
		}
		if err := instance.Send(dir, 5*time.Second, instance.Open, opts.Open); err != nil {
			fmt.Fprintf(os.Stderr, "claudemedic tray: %v\n", err)
			return exitcode.Failed
		}
		fmt.Println(tr.X("tray.already_runs_open", "Claude Medic's tray agent already runs; it opens the window on the {{.Page}} page.", "Page", opts.Open))
		return exitcode.OK
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "claudemedic tray: %v\n", err)
		return exitcode.Failed
	}
	slog.Info("tray agent started", "pid", os.Getpid())
	if err := agent.HandOverErr(); err != nil {
		slog.Warn("a second launch cannot reach this agent, so it opens the window by itself", "err", err)
	}

	systray.Run(func() {
		defer close(ready)
		m.build()
		go m.loop(ctx)
		go m.mon.Run(ctx)
		go watch(ctx, m)
		go m.watchClaudeCode(ctx)
		if opts.Open != "" {
			if err := m.openWindow(opts.Open); err != nil {
				slog.Error("opening the window", "err", err)
			}
		}
	}, func() {
		cancel()
		close(m.done)
		agent.Close()
		slog.Info("tray agent stopped")
	})
	return exitcode.OK
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
