package gui

import (
	"errors"
	"os"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"claudemedic/app/tray/instance"
	"claudemedic/appdirs"
	"claudemedic/internal/pages"
)

// One window per user, kept as the tray agent is kept one per user
// (app/tray/instance): the window holds a lock and listens on a socket (a
// named pipe on Windows) in a folder of its own beside the agent's; a second
// `claudemedic window PAGE` (from the tray, the command line or the desktop
// entry) finds the lock taken, asks the first to show PAGE and come to the
// front, and exits.

// windowDir is the folder of the window's lock and socket.
func windowDir() (string, error) {
	d, err := instance.Dir()
	if err != nil {
		return "", err
	}
	return appdirs.Ensure(filepath.Join(d, "window"), nil)
}

// handOver asks a window that already runs to show page. It reports whether
// one did: then this launch has nothing more to do.
func handOver(dir string, page pages.Page) bool {
	if dir == "" {
		return false
	}
	err := instance.Send(dir, 0, instance.Open, string(page))
	return err == nil
}

// windowLock is this process's hold on the one window: requests from other
// launches wait for the window to be built, then raise it.
type windowLock struct {
	agent *instance.Agent
	ready chan struct{}
	w     *Window
}

// lockWindow makes this process the one window. It returns nil, true when
// another window took the lock first and showed page (a launch racing this
// one), and nil, false when the lock cannot be had for another reason:
// the window then runs without it.
func lockWindow(dir string, page pages.Page) (*windowLock, bool) {
	if dir == "" {
		return nil, false
	}
	l := &windowLock{ready: make(chan struct{})}
	a, err := instance.Acquire(dir, func(verb, arg string) error {
		if verb != instance.Open {
			return nil
		}
		select {
		case <-l.ready:
		case <-time.After(4 * time.Second):
			return errors.New("the window is still starting")
		}
		p := pages.Status
		if q, err := pages.Parse(arg); err == nil && arg != "" {
			p = q
		}
		fyne.Do(func() { l.w.raise(p) })
		return nil
	})
	if errors.Is(err, instance.ErrRunning) {
		return nil, instance.Send(dir, 5*time.Second, instance.Open, string(page)) == nil
	}
	if err != nil {
		return nil, false
	}
	l.agent = a
	return l, false
}

// built lets requests through to w.
func (l *windowLock) built(w *Window) {
	if l == nil {
		return
	}
	l.w = w
	close(l.ready)
}

func (l *windowLock) release() {
	if l != nil && l.agent != nil {
		l.agent.Close()
	}
}

// raise shows page p and brings the window to the front.
func (w *Window) raise(p pages.Page) {
	w.show(p)
	w.win.Show()
	w.win.RequestFocus()
}

// keyStepFile remembers that the key step opened by itself once: it does
// not come back at the next launch (Skip is remembered), only from the wizard.
func keyStepFile() (string, error) {
	d, err := appdirs.Ensure(appdirs.State())
	return filepath.Join(d, "key-step-shown"), err
}

func keyStepShown() bool {
	f, err := keyStepFile()
	if err != nil {
		return false
	}
	_, err = os.Stat(f)
	return err == nil
}

func rememberKeyStep() {
	if f, err := keyStepFile(); err == nil {
		os.WriteFile(f, nil, 0o600)
	}
}
