package tray

import (
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
)

// Pages are the pages the window opens on (`claudemedic window <page>`).
var Pages = []string{"status", "wizard", "key", "settings", "cache"}

// AgentName is the small agent binary (cmd/claudemedic-agent) that
// `claudemedic tray` prefers when it sits beside it: it never links the
// window toolkit, so it never loads OpenGL or X11.
const AgentName = "claudemedic-agent"

// MainName is the binary with the window.
const MainName = "claudemedic"

// sibling is the path of name beside the running executable, and whether it exists.
func sibling(name string) (string, bool) {
	exe, err := os.Executable()
	if err != nil {
		return "", false
	}
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	p := filepath.Join(filepath.Dir(exe), name)
	info, err := os.Stat(p)
	if err != nil || info.IsDir() {
		return p, false
	}
	if same, err := os.Stat(exe); err == nil && os.SameFile(same, info) {
		return p, false // the running binary itself
	}
	return p, true
}

// windowBinary is the binary to run `window <page>` with: this one, or the
// main binary beside the agent binary.
func windowBinary(isAgent bool) (string, error) {
	if isAgent {
		if p, ok := sibling(MainName); ok {
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
	if !slices.Contains(Pages, page) {
		return fmt.Errorf("no page %q in the window (one of %v)", page, Pages)
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
