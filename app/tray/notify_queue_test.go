package tray

import (
	"slices"
	"sync"
	"testing"
	"time"

	"claudemedic/assets/trayicon"
)

// slowShow is a notifier that holds each notification until released.
type slowShow struct {
	mu      sync.Mutex
	shown   []string
	release chan struct{}
	started chan struct{}
}

func (s *slowShow) Notify(title, body string, _ trayicon.State) error {
	s.started <- struct{}{}
	<-s.release
	s.mu.Lock()
	s.shown = append(s.shown, title)
	s.mu.Unlock()
	return nil
}

// TestQueuedNeverWaits: Notify returns at once while the desktop holds a
// notification; of those that come meanwhile only the newest is shown next.
func TestQueuedNeverWaits(t *testing.T) {
	s := &slowShow{release: make(chan struct{}), started: make(chan struct{}, 8)}
	q := newQueued(s)
	start := time.Now()
	q.Notify("down", "", trayicon.Down)
	<-s.started // the first is being shown, and hangs
	for _, title := range []string{"degraded", "ok", "down again"} {
		if err := q.Notify(title, "", trayicon.Down); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("Notify waited %v on a desktop that does not answer", took)
	}
	close(s.release)
	deadline := time.Now().Add(10 * time.Second)
	for {
		s.mu.Lock()
		got := slices.Clone(s.shown)
		s.mu.Unlock()
		if len(got) == 2 {
			if !slices.Equal(got, []string{"down", "down again"}) {
				t.Errorf("shown %q; want the first, then the newest", got)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("shown %q", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
