package wine

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// display is an Xvfb of the Wine tests' own, on a display number it picked
// free (-displayfd), so no other run on the machine shares or ends it.
type display struct {
	name   string // ":N", for DISPLAY
	cmd    *exec.Cmd
	stderr *lockedBuffer
	done   chan struct{} // closed when Xvfb has exited
	err    error         // how it exited, once done is closed
}

// startDisplay starts Xvfb with -displayfd and waits, at most wait, for the
// display number it writes. Xvfb writes the number and its newline in two
// writes and exits ("Cannot write display number to fd 3") when the pipe's
// reading end is gone before the second: the number is read to its newline
// before the pipe is closed.
func startDisplay(wait time.Duration) (*display, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	d := &display{stderr: &lockedBuffer{}, done: make(chan struct{})}
	d.cmd = exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x900x24", "-nolisten", "tcp")
	d.cmd.ExtraFiles = []*os.File{w}
	d.cmd.Stderr = d.stderr
	if err := d.cmd.Start(); err != nil {
		w.Close()
		return nil, fmt.Errorf("starting Xvfb (Debian's xvfb package): %w", err)
	}
	w.Close()
	go func() { d.err = d.cmd.Wait(); close(d.done) }()
	n, err := readDisplayNumber(r, wait)
	if err != nil {
		d.stop()
		return nil, fmt.Errorf("Xvfb: %w%s", err, d.said())
	}
	d.name = ":" + n
	return d, nil
}

// readDisplayNumber reads what Xvfb writes on its -displayfd: a number and a
// newline, which may come in separate reads. It returns the number once the
// newline came, or an error when the writer is gone first or wait passed.
func readDisplayNumber(r io.Reader, wait time.Duration) (string, error) {
	type line struct {
		s   string
		err error
	}
	got := make(chan line, 1)
	go func() {
		s, err := bufio.NewReader(r).ReadString('\n')
		got <- line{s, err}
	}()
	select {
	case l := <-got:
		if l.err != nil {
			return "", fmt.Errorf("no display number came (%q, %v)", l.s, l.err)
		}
		n := strings.TrimSpace(l.s)
		if _, err := strconv.Atoi(n); err != nil {
			return "", fmt.Errorf("the display number %q is no number", n)
		}
		return n, nil
	case <-time.After(wait):
		return "", fmt.Errorf("no display number within %s", wait)
	}
}

// alive says why the display is gone, or "" while Xvfb runs.
func (d *display) alive() error {
	select {
	case <-d.done:
		return fmt.Errorf("Xvfb on %s exited (%v)%s", d.name, d.err, d.said())
	default:
		return nil
	}
}

// answers says whether an X client can open the display now (xdotool, which
// the window tests use anyway).
func (d *display) answers(ctx context.Context) error {
	if err := d.alive(); err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "xdotool", "getdisplaygeometry")
	cmd.Env = append(os.Environ(), "DISPLAY="+d.name)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("the display %s does not answer (xdotool getdisplaygeometry: %v %s)%s", d.name, err, bytes.TrimSpace(out), d.said())
	}
	return nil
}

func (d *display) said() string {
	if s := strings.TrimSpace(d.stderr.String()); s != "" {
		return "; it said:\n" + s
	}
	return ""
}

func (d *display) stop() {
	d.cmd.Process.Kill()
	<-d.done
}

// lockedBuffer is a bytes.Buffer that a process writes to while a test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// The display number is read to its newline, so Xvfb's second write (the
// newline) never meets a closed pipe, which makes Xvfb exit: the cause of
// every Wine window failing with "Failed to create helper window" once.
func TestReadDisplayNumber(t *testing.T) {
	for _, tc := range []struct {
		name   string
		writes []string // with a pause between
		want   string   // "" for an error
	}{
		{"the number, later its newline", []string{"7", "\n"}, "7"},
		{"digits apart", []string{"1", "2", "\n"}, "12"},
		{"in one write", []string{"42\n"}, "42"},
		{"no newline before the writer is gone", []string{"3"}, ""},
		{"not a number", []string{"x\n"}, ""},
		{"nothing", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, w, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			writeErr := make(chan error, 1)
			go func() {
				defer w.Close()
				for i, s := range tc.writes {
					if i > 0 {
						time.Sleep(100 * time.Millisecond)
					}
					if _, err := w.WriteString(s); err != nil {
						writeErr <- err
						return
					}
				}
				writeErr <- nil
			}()
			got, err := readDisplayNumber(r, 10*time.Second)
			r.Close() // as startDisplay does once it has the number
			if werr := <-writeErr; werr != nil {
				t.Errorf("a write after the number failed (%v): Xvfb would have exited", werr)
			}
			switch {
			case tc.want == "" && err == nil:
				t.Errorf("got %q, want an error", got)
			case tc.want != "" && (err != nil || got != tc.want):
				t.Errorf("got %q, %v; want %q", got, err, tc.want)
			}
		})
	}
	r, w, _ := os.Pipe()
	defer w.Close()
	defer r.Close()
	if _, err := readDisplayNumber(r, 100*time.Millisecond); err == nil || !strings.Contains(err.Error(), "within") {
		t.Errorf("a writer that says nothing: %v, want no display number within the wait", err)
	}
}

// A real Xvfb started this way stays up and answers a client.
func TestDisplayStartsAndAnswers(t *testing.T) {
	if _, err := exec.LookPath("Xvfb"); err != nil {
		if os.Getenv("CLAUDEMEDIC_TEST_DESKTOP") == "1" {
			t.Fatalf("Xvfb is not installed (Debian's xvfb package; scripts/deps.sh installs it): %v", err)
		}
		t.Skip("Xvfb is not installed; scripts/testenv.sh runs this with it")
	}
	d, err := startDisplay(30 * time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer d.stop()
	time.Sleep(500 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := d.answers(ctx); err != nil {
		t.Fatal(err)
	}
	d.stop()
	if err := d.alive(); err == nil || !strings.Contains(err.Error(), "exited") {
		t.Errorf("a stopped display: %v, want it to say it exited", err)
	}
}
