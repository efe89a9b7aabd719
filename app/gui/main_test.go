package gui

import (
	"os"
	"testing"
	"time"
)

// uiQueue is the tests' UI goroutine: the window's callbacks from background
// work queue here and settle runs them on the test goroutine, one at a time,
// as the real driver's event loop does (Fyne's test driver would run them on
// whatever goroutine calls fyne.Do).
var uiQueue = make(chan func(), 4096)

func TestMain(m *testing.M) {
	onUI = func(f func()) { uiQueue <- f }
	// The golden pages show times: they are rendered in UTC on every machine.
	// Set once, here, before any goroutine can read the zone (a test that
	// swapped it raced the timers of the one before).
	time.Local = time.UTC
	os.Exit(m.Run())
}

// settle runs queued UI callbacks until no background work is left.
func settle(t *testing.T) {
	t.Helper()
	deadline := time.After(60 * time.Second)
	for {
		select {
		case f := <-uiQueue:
			f()
			continue
		default:
		}
		if inflight.Load() == 0 {
			return
		}
		select {
		case f := <-uiQueue:
			f()
		case <-time.After(5 * time.Millisecond):
		case <-deadline:
			t.Fatalf("the window did not settle in 60 s (%d calls under way)", inflight.Load())
		}
	}
}
