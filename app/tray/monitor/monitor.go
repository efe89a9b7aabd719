// Package monitor runs the tray agent's background checks: one on start, then
// one every interval while the API answers, and soon again after a failure,
// backing off exponentially with jitter (1 s rising to 10 s,
// github.com/cenkalti/backoff/v5). A circuit breaker (github.com/sony/gobreaker/v2)
// stops checking for 30 s after 5 failures in a row, so a dead network is
// never hammered. Checks can be paused, and run at once on request.
package monitor

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/sony/gobreaker/v2"

	"claudemedic/netcheck"
)

// Check runs one check. An error means it could not run at all (the target
// could not be resolved); a report whose verdict is down is a failed check.
type Check func(ctx context.Context) (*netcheck.Report, error)

// Config sets up a Monitor. Zero durations take the defaults below.
type Config struct {
	Check    Check
	Interval time.Duration // between checks while the API answers; default 5 min
	RetryMin time.Duration // first retry after a failure; default 1 s
	RetryMax time.Duration // longest wait between retries; default 10 s
	Trips    int           // failures in a row that open the breaker; default 5
	Pause    time.Duration // how long the open breaker stops checks; default 30 s
	Timeout  time.Duration // bound on one check; default 2 min
	// OnEvent is told when a check starts and ends, from the monitor's goroutine.
	OnEvent func(Event)
	// after waits; tests record the waits asked for. Default time.After.
	after func(time.Duration) <-chan time.Time
}

// Defaults of Config.
const (
	DefaultInterval = 5 * time.Minute
	DefaultRetryMin = time.Second
	DefaultRetryMax = 10 * time.Second
	DefaultTrips    = 5
	DefaultPause    = 30 * time.Second
	DefaultTimeout  = 2 * time.Minute
)

// Kind says what an Event reports.
type Kind int

// The kinds of event.
const (
	Started  Kind = iota // a check began
	Finished             // a check ended: Report or Err is set
)

// Event is a check starting or ending.
type Event struct {
	Kind   Kind
	Manual bool             // the check was asked for (Check now), not scheduled
	Report *netcheck.Report // Finished: the report, nil when Err is set
	Err    error            // Finished: why the check could not run
	Next   time.Duration    // Finished: the wait before the next scheduled check; 0 while paused
	Held   bool             // Finished: the breaker is open, checks wait Next before trying again
}

// Failed reports whether the check failed: it could not run, or the verdict is down.
func (e Event) Failed() bool {
	return e.Err != nil || e.Report == nil || e.Report.Verdict == netcheck.VerdictDown
}

// Monitor schedules the checks. Its methods are safe from any goroutine.
type Monitor struct {
	cfg Config

	mu       sync.Mutex
	paused   bool
	interval time.Duration
	manual   bool
	wake     chan struct{}
}

// New returns a monitor for cfg; Run starts it.
func New(cfg Config) *Monitor {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&cfg.Interval, DefaultInterval)
	def(&cfg.RetryMin, DefaultRetryMin)
	def(&cfg.RetryMax, DefaultRetryMax)
	def(&cfg.Pause, DefaultPause)
	def(&cfg.Timeout, DefaultTimeout)
	if cfg.Trips <= 0 {
		cfg.Trips = DefaultTrips
	}
	if cfg.after == nil {
		cfg.after = time.After
	}
	if cfg.OnEvent == nil {
		cfg.OnEvent = func(Event) {}
	}
	return &Monitor{cfg: cfg, interval: cfg.Interval, wake: make(chan struct{}, 1)}
}

// CheckNow runs a check at once (after the one running, if any), paused or
// not and whatever the breaker says: a person asked for it.
func (m *Monitor) CheckNow() {
	m.mu.Lock()
	m.manual = true
	m.mu.Unlock()
	m.poke()
}

// SetPaused stops the scheduled checks, or resumes them with a check at once.
func (m *Monitor) SetPaused(p bool) {
	m.mu.Lock()
	changed := m.paused != p
	m.paused = p
	m.mu.Unlock()
	if changed {
		m.poke()
	}
}

// Paused reports whether scheduled checks are paused.
func (m *Monitor) Paused() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.paused
}

// SetInterval changes the wait between checks while the API answers; it
// applies from the next wait.
func (m *Monitor) SetInterval(d time.Duration) {
	if d <= 0 {
		return
	}
	m.mu.Lock()
	m.interval = d
	m.mu.Unlock()
}

func (m *Monitor) poke() {
	select {
	case m.wake <- struct{}{}:
	default:
	}
}

// errDown makes a down verdict count as a failure for the breaker.
var errDown = errors.New("the check failed")

// Run checks until ctx ends: one at once, then on schedule.
func (m *Monitor) Run(ctx context.Context) {
	b := &backoff.ExponentialBackOff{InitialInterval: m.cfg.RetryMin, RandomizationFactor: 0.5,
		Multiplier: 2, MaxInterval: m.cfg.RetryMax}
	b.Reset()
	newBreaker := func() *gobreaker.CircuitBreaker[Event] {
		return gobreaker.NewCircuitBreaker[Event](gobreaker.Settings{
			Name:        "claudemedic",
			MaxRequests: 1,
			Timeout:     m.cfg.Pause,
			ReadyToTrip: func(c gobreaker.Counts) bool { return int(c.ConsecutiveFailures) >= m.cfg.Trips },
		})
	}
	cb := newBreaker()

	timer := m.cfg.after(0)
	wasPaused := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-m.wake:
		case <-timer:
			timer = nil
		}
		m.mu.Lock()
		manual, paused, interval := m.manual, m.paused, m.interval
		m.manual = false
		m.mu.Unlock()
		resumed := wasPaused && !paused
		wasPaused = paused

		due := manual || resumed || (timer == nil && !paused)
		if !due {
			if paused {
				timer = nil // a scheduled check waits for the resume
			}
			continue
		}
		ev, ran := m.runOnce(ctx, cb, manual)
		if ctx.Err() != nil {
			return
		}
		if manual && !ev.Failed() && cb.State() != gobreaker.StateClosed {
			cb = newBreaker() // a person saw it work: forget the failures
		}
		var next time.Duration
		switch {
		case !ev.Failed():
			b.Reset()
			next = interval
		case cb.State() == gobreaker.StateOpen:
			next, ev.Held = m.cfg.Pause, true
		default:
			next = min(b.NextBackOff(), m.cfg.RetryMax)
		}
		if paused {
			timer = nil
		} else {
			timer = m.cfg.after(next)
			ev.Next = next
		}
		if ran {
			m.cfg.OnEvent(ev)
		}
	}
}

// runOnce runs a check through the breaker (directly when a person asked and
// the breaker is open). ran is false when the breaker refused the check.
func (m *Monitor) runOnce(ctx context.Context, cb *gobreaker.CircuitBreaker[Event], manual bool) (Event, bool) {
	run := func() (Event, error) {
		m.cfg.OnEvent(Event{Kind: Started, Manual: manual})
		cctx, cancel := context.WithTimeout(ctx, m.cfg.Timeout)
		defer cancel()
		r, err := m.cfg.Check(cctx)
		ev := Event{Kind: Finished, Manual: manual, Report: r, Err: err}
		if ev.Failed() {
			return ev, errDown
		}
		return ev, nil
	}
	if manual && cb.State() == gobreaker.StateOpen {
		ev, _ := run()
		return ev, true
	}
	ev, err := cb.Execute(run)
	if errors.Is(err, gobreaker.ErrOpenState) || errors.Is(err, gobreaker.ErrTooManyRequests) {
		return Event{Kind: Finished, Manual: manual, Err: err}, false
	}
	return ev, true
}
