package monitor

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"claudemedic/netcheck"
)

// script is a Check that answers with the verdicts it is given, in turn,
// then ok; it counts its calls.
type script struct {
	mu    sync.Mutex
	next  []netcheck.Verdict
	calls int
}

func (s *script) check(ctx context.Context) (*netcheck.Report, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls++
	v := netcheck.VerdictOK
	if len(s.next) > 0 {
		v, s.next = s.next[0], s.next[1:]
	}
	if v == "" {
		return nil, errors.New("could not resolve the target")
	}
	return &netcheck.Report{Verdict: v, StartedAt: time.Now()}, nil
}

func (s *script) push(v ...netcheck.Verdict) {
	s.mu.Lock()
	s.next = append(s.next, v...)
	s.mu.Unlock()
}

// harness runs a monitor with tiny retry waits, a 1 h interval that never
// fires on its own, and records each Finished event.
type harness struct {
	m      *Monitor
	events chan Event
	cancel func()
}

const (
	retryMin = time.Millisecond
	retryMax = 10 * time.Millisecond
	pause    = 40 * time.Millisecond
)

func start(t *testing.T, s *script, paused bool) *harness {
	t.Helper()
	h := &harness{events: make(chan Event, 100)}
	h.m = New(Config{
		Check: s.check, Interval: time.Hour, RetryMin: retryMin, RetryMax: retryMax, Pause: pause,
		OnEvent: func(e Event) {
			if e.Kind == Finished {
				h.events <- e
			}
		},
		after: func(d time.Duration) <-chan time.Time {
			if d >= time.Minute {
				return nil // the interval: only CheckNow moves on
			}
			return time.After(d)
		},
	})
	h.m.SetPaused(paused)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { h.m.Run(ctx); close(done) }()
	h.cancel = func() { cancel(); <-done }
	t.Cleanup(h.cancel)
	return h
}

func (h *harness) next(t *testing.T) Event {
	t.Helper()
	select {
	case e := <-h.events:
		return e
	case <-time.After(10 * time.Second):
		t.Fatal("no check ended")
		return Event{}
	}
}

func (h *harness) none(t *testing.T, wait time.Duration) {
	t.Helper()
	select {
	case e := <-h.events:
		t.Fatalf("an unexpected check ran: %+v", e)
	case <-time.After(wait):
	}
}

func TestBackoffThenBreakerThenRecovery(t *testing.T) {
	down := netcheck.VerdictDown
	s := &script{next: []netcheck.Verdict{down, down, down, "", down, down}}
	h := start(t, s, false)

	// Failures 1 to 4 retry soon, backing off with jitter: base 1, 2, 4, 8 ms (±50 %), never over 10 ms.
	for i, base := range []time.Duration{1, 2, 4, 8} {
		e := h.next(t)
		lo, hi := base*retryMin/2, min(base*retryMin*3/2+time.Microsecond, retryMax)
		if !e.Failed() || e.Held || e.Next < lo || e.Next > hi {
			t.Fatalf("failure %d: failed=%v held=%v next=%v; want a retry in [%v, %v]", i+1, e.Failed(), e.Held, e.Next, lo, hi)
		}
	}
	// The 5th failure in a row opens the breaker: checks wait for the pause.
	e := h.next(t)
	if !e.Held || e.Next != pause {
		t.Fatalf("failure 5: held=%v next=%v; want the breaker open for %v", e.Held, e.Next, pause)
	}
	opened := time.Now()
	// After the pause one check goes through (half-open); it fails and the breaker opens again.
	e = h.next(t)
	if waited := time.Since(opened); waited < pause {
		t.Errorf("a check ran %v after the breaker opened, inside the %v pause", waited, pause)
	}
	if !e.Failed() || !e.Held || e.Next != pause {
		t.Fatalf("half-open failure: held=%v next=%v; want open again", e.Held, e.Next)
	}
	// Then the API recovers: the next check passes and the interval applies again.
	e = h.next(t)
	if e.Failed() || e.Held || e.Next != time.Hour {
		t.Fatalf("recovery: failed=%v held=%v next=%v; want ok and the 1h interval", e.Failed(), e.Held, e.Next)
	}
	h.none(t, 3*pause)
	if s.calls != 7 {
		t.Errorf("%d checks ran, want 7", s.calls)
	}
	// A failure after the recovery starts the backoff from the start again.
	s.push(down)
	h.m.CheckNow()
	if e := h.next(t); e.Next > 3*retryMin/2+time.Microsecond {
		t.Errorf("first retry after a recovery waits %v; want the backoff reset to ~%v", e.Next, retryMin)
	}
}

func TestBackoffHasJitter(t *testing.T) {
	seen := map[time.Duration]bool{}
	for range 20 {
		s := &script{next: []netcheck.Verdict{netcheck.VerdictDown}}
		h := start(t, s, false)
		seen[h.next(t).Next] = true
		h.cancel()
	}
	if len(seen) < 5 {
		t.Errorf("20 first retries took only %d different waits; want jitter", len(seen))
	}
}

func TestCheckNowBypassesTheOpenBreaker(t *testing.T) {
	down := netcheck.VerdictDown
	s := &script{next: []netcheck.Verdict{down, down, down, down, down}}
	h := start(t, s, false)
	for range 4 {
		h.next(t)
	}
	if e := h.next(t); !e.Held {
		t.Fatal("the breaker did not open after 5 failures")
	}
	h.m.CheckNow() // the breaker is open, but a person asked
	e := h.next(t)
	if !e.Manual || e.Failed() || e.Next != time.Hour {
		t.Fatalf("manual check: manual=%v failed=%v next=%v; want it to run, pass, and restore the interval", e.Manual, e.Failed(), e.Next)
	}
	// The breaker was reset: one failure retries soon, it does not reopen.
	s.push(down)
	h.m.CheckNow()
	if e := h.next(t); e.Held {
		t.Error("one failure after a manual success reopened the breaker")
	}
}

func TestPauseAndResume(t *testing.T) {
	s := &script{}
	h := start(t, s, true)
	h.none(t, 50*time.Millisecond) // paused from the start: no check
	h.m.CheckNow()                 // a person asks: it runs, paused or not
	if e := h.next(t); !e.Manual || e.Next != 0 {
		t.Fatalf("manual check while paused: manual=%v next=%v; want it run and nothing scheduled", e.Manual, e.Next)
	}
	s.push(netcheck.VerdictDown)
	h.m.CheckNow()
	h.next(t)
	h.none(t, 50*time.Millisecond) // a failure while paused schedules no retry
	h.m.SetPaused(false)           // resuming checks at once
	if e := h.next(t); e.Manual || e.Next != time.Hour {
		t.Fatalf("resume: manual=%v next=%v; want a scheduled check and the interval", e.Manual, e.Next)
	}
	if h.m.Paused() {
		t.Error("Paused() after resume")
	}
}

func TestSetInterval(t *testing.T) {
	h := start(t, &script{}, false)
	if e := h.next(t); e.Next != time.Hour {
		t.Fatalf("next = %v, want 1h", e.Next)
	}
	h.m.SetInterval(2 * time.Hour)
	h.m.CheckNow()
	if e := h.next(t); e.Next != 2*time.Hour {
		t.Fatalf("next = %v after SetInterval(2h)", e.Next)
	}
}

func TestDefaults(t *testing.T) {
	m := New(Config{})
	c := m.cfg
	if c.Interval != 5*time.Minute || c.RetryMin != time.Second || c.RetryMax != 10*time.Second ||
		c.Trips != 5 || c.Pause != 30*time.Second {
		t.Errorf("defaults: %+v", c)
	}
}
