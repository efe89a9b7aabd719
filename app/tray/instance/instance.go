// Package instance keeps one tray agent per user: the agent holds a lock file
// and listens for other launches; a second launch finds the lock taken and
// sends its request (open the window, reload the last report) to the agent
// instead of starting another one. The listener is a Unix domain socket beside
// the lock, in a folder only the user can enter, on Linux and macOS, and a
// named pipe only the user can open on Windows (its own convention, and what
// Wine has). A listener that cannot start costs the hand-over, not the agent:
// the lock still keeps the agent one per user.
package instance

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"claudemedic/appdirs"

	"github.com/gofrs/flock"
)

// Errors of Acquire and Send.
var (
	ErrRunning    = errors.New("the Claude Medic tray agent is already running")
	ErrNotRunning = errors.New("the Claude Medic tray agent is not running")
	// ErrUnreachable is a running agent (it holds the lock) that does not
	// answer: its listener did not start, or it is still starting.
	ErrUnreachable = errors.New("the Claude Medic tray agent runs but does not answer other launches")
)

// Requests the agent understands. Open takes a page: status, wizard, key,
// settings or cache.
const (
	Open    = "open"
	Refresh = "refresh" // the last report changed on disk
	Ping    = "ping"
)

// Handler answers a request: the verb and its argument; an error is sent back.
type Handler func(verb, arg string) error

// Dir is where the lock (and the socket, outside Windows) live: $XDG_RUNTIME_DIR/claudemedic
// when set (Linux), else the state folder.
func Dir() (string, error) {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) && runtime.GOOS != "windows" {
		return appdirs.Ensure(filepath.Join(d, appdirs.Name), nil)
	}
	return appdirs.Ensure(appdirs.State())
}

// PIDFile is the file of the folder Dir that holds the running agent's process ID.
const PIDFile = "agent.pid"

// Agent is the running agent's hold on the lock and its listener.
type Agent struct {
	lock      *flock.Flock
	dir       string
	ln        net.Listener // nil when it could not start
	listenErr error
	wg        sync.WaitGroup
}

// Acquire makes this process the agent: it takes the lock in dir and serves
// requests from other launches with handle. It returns ErrRunning when
// another agent holds the lock. When the listener cannot start, the agent
// still runs (and still holds the lock): HandOverErr says why other launches
// cannot reach it.
func Acquire(dir string, handle Handler) (*Agent, error) {
	lock := flock.New(filepath.Join(dir, "agent.lock"))
	switch held, err := lock.TryLock(); {
	case err != nil:
		return nil, fmt.Errorf("taking the agent's lock: %w", err)
	case !held:
		return nil, ErrRunning
	}
	// Which process is the agent, for a person (and a test) who wants to
	// stop it: the lock says whether the ID is current.
	os.WriteFile(filepath.Join(dir, PIDFile), fmt.Appendf(nil, "%d\n", os.Getpid()), 0o600)
	a := &Agent{lock: lock, dir: dir}
	var err error
	a.ln, err = listen(dir)
	if err != nil {
		a.listenErr = fmt.Errorf("listening for other launches: %w", err)
		return a, nil
	}
	a.wg.Add(1)
	go a.serve(handle)
	return a, nil
}

// HandOverErr is why other launches cannot reach this agent (its listener did
// not start), or nil when they can.
func (a *Agent) HandOverErr() error { return a.listenErr }

func (a *Agent) serve(handle Handler) {
	defer a.wg.Done()
	for {
		c, err := a.ln.Accept()
		if err != nil {
			return // closed
		}
		a.wg.Add(1)
		go func() {
			defer a.wg.Done()
			defer c.Close()
			c.SetDeadline(time.Now().Add(5 * time.Second))
			r := bufio.NewReader(c)
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			verb, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
			if err := dispatch(handle, verb, arg); err != nil {
				fmt.Fprintf(c, "error %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
			} else {
				fmt.Fprint(c, "ok\n")
			}
			// Let the caller hang up first: a named pipe closed by its server
			// drops a reply the client has not read yet.
			c.SetReadDeadline(time.Now().Add(2 * time.Second))
			io.Copy(io.Discard, r)
		}()
	}
}

func dispatch(handle Handler, verb, arg string) error {
	switch verb {
	case Ping:
		return nil
	case Open, Refresh:
		return handle(verb, arg)
	}
	return fmt.Errorf("unknown request %q", verb)
}

// Close stops serving and releases the lock.
func (a *Agent) Close() error {
	var err error
	if a.ln != nil {
		err = a.ln.Close()
	}
	a.wg.Wait()
	os.Remove(filepath.Join(a.dir, PIDFile))
	if uerr := a.lock.Unlock(); err == nil {
		err = uerr
	}
	return err
}

// Send asks the agent in dir to do verb (with arg), waiting up to wait for an
// agent that is still starting. It returns ErrNotRunning when no agent runs,
// ErrUnreachable when one runs (holds the lock) but does not answer within
// wait, and the agent's error when it refuses.
func Send(dir string, wait time.Duration, verb, arg string) error {
	deadline := time.Now().Add(wait)
	for {
		err := send(dir, verb, arg)
		var unreached *unreachedError
		if !errors.As(err, &unreached) {
			return err
		}
		// The lock is taken while the agent starts up and is not listening
		// yet, and for good by an agent whose listener did not start.
		l := flock.New(filepath.Join(dir, "agent.lock"))
		if held, lerr := l.TryLock(); lerr == nil && held {
			l.Unlock()
			return fmt.Errorf("%w (%v)", ErrNotRunning, unreached.err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w (%v)", ErrUnreachable, unreached.err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// unreachedError is a request that did not reach an agent.
type unreachedError struct{ err error }

func (e *unreachedError) Error() string { return e.err.Error() }

func send(dir, verb, arg string) error {
	c, err := dial(dir, 2*time.Second)
	if err != nil {
		return &unreachedError{err}
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	msg := verb
	if arg != "" {
		msg += " " + arg
	}
	if _, err := fmt.Fprintf(c, "%s\n", msg); err != nil {
		return &unreachedError{err}
	}
	reply, err := bufio.NewReader(c).ReadString('\n')
	if err != nil {
		return fmt.Errorf("the tray agent did not answer: %w", err)
	}
	reply = strings.TrimSpace(reply)
	if reply == "ok" {
		return nil
	}
	return fmt.Errorf("the tray agent refused %q: %s", msg, strings.TrimPrefix(reply, "error "))
}
