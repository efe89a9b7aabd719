// Package instance keeps one tray agent per user: the agent holds a lock file
// and listens on a local socket beside it; a second launch finds the lock
// taken and sends its request (open the window, reload the last report) over
// the socket instead of starting another agent. The socket is a Unix domain
// socket on every platform (Windows has had AF_UNIX since Windows 10 1803), in
// a folder only the user can enter.
package instance

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"claudemedic/appdirs"
	"claudemedic/internal/filelock"
)

// Errors of Acquire and Send.
var (
	ErrRunning    = errors.New("the Claude Medic tray agent is already running")
	ErrNotRunning = errors.New("the Claude Medic tray agent is not running")
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

// Dir is where the lock and the socket live: $XDG_RUNTIME_DIR/claudemedic
// when set (Linux), else the state folder.
func Dir() (string, error) {
	if d := os.Getenv("XDG_RUNTIME_DIR"); d != "" && filepath.IsAbs(d) && runtime.GOOS != "windows" {
		return appdirs.Ensure(filepath.Join(d, appdirs.Name), nil)
	}
	return appdirs.Ensure(appdirs.State())
}

// Agent is the running agent's hold on the lock and the socket.
type Agent struct {
	lock *filelock.Lock
	ln   net.Listener
	wg   sync.WaitGroup
}

// Acquire makes this process the agent: it takes the lock in dir and serves
// requests on the socket there with handle. It returns ErrRunning when
// another agent holds the lock.
func Acquire(dir string, handle Handler) (*Agent, error) {
	lock, err := filelock.TryLock(filepath.Join(dir, "agent.lock"))
	if errors.Is(err, filelock.ErrLocked) {
		return nil, ErrRunning
	}
	if err != nil {
		return nil, err
	}
	sock := filepath.Join(dir, "agent.sock")
	os.Remove(sock) // left by an agent that crashed: the lock says none runs now
	ln, err := net.Listen("unix", sock)
	if err != nil {
		lock.Unlock()
		return nil, fmt.Errorf("listening for other launches: %w", err)
	}
	lock.File().Truncate(0)
	fmt.Fprintf(lock.File(), "%d\n", os.Getpid())
	a := &Agent{lock: lock, ln: ln}
	a.wg.Add(1)
	go a.serve(handle)
	return a, nil
}

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
			line, err := bufio.NewReader(c).ReadString('\n')
			if err != nil {
				return
			}
			verb, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
			err = dispatch(handle, verb, arg)
			if err != nil {
				fmt.Fprintf(c, "error %s\n", strings.ReplaceAll(err.Error(), "\n", " "))
				return
			}
			fmt.Fprint(c, "ok\n")
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
	err := a.ln.Close()
	a.wg.Wait()
	if uerr := a.lock.Unlock(); err == nil {
		err = uerr
	}
	return err
}

// Send asks the agent in dir to do verb (with arg), waiting up to wait for an
// agent that is still starting. It returns ErrNotRunning when none answers,
// and the agent's error when it refuses.
func Send(dir string, wait time.Duration, verb, arg string) error {
	deadline := time.Now().Add(wait)
	for {
		err := send(dir, verb, arg)
		if !errors.Is(err, ErrNotRunning) || time.Now().After(deadline) {
			return err
		}
		// The lock is taken while the agent starts up and is not listening yet.
		if l, lerr := filelock.TryLock(filepath.Join(dir, "agent.lock")); lerr == nil {
			l.Unlock()
			return ErrNotRunning
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func send(dir, verb, arg string) error {
	c, err := net.DialTimeout("unix", filepath.Join(dir, "agent.sock"), 2*time.Second)
	if err != nil {
		return fmt.Errorf("%w (%v)", ErrNotRunning, err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	msg := verb
	if arg != "" {
		msg += " " + arg
	}
	if _, err := fmt.Fprintf(c, "%s\n", msg); err != nil {
		return fmt.Errorf("%w (%v)", ErrNotRunning, err)
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
