package tray

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"log/slog"
	"sync"

	"claudemedic/assets/trayicon"
)

// Notifier shows a desktop notification. The agent tells it when the API's
// state changes, never on every check.
type Notifier interface {
	Notify(title, body string, icon trayicon.State) error
}

// queued shows notifications from a goroutine of its own, so the agent never
// waits on the desktop: a notification service that takes the call and never
// answers holds up that goroutine only (until the platform notifier's own
// time limit), while the agent goes on checking and its menu on answering.
// A notification still waiting when a newer one comes is dropped for it: the
// newer says how things stand now. Errors go to the agent's log.
type queued struct {
	show Notifier
	once sync.Once
	next chan note // holds at most the one notification waiting
}

type note struct {
	title, body string
	icon        trayicon.State
}

func newQueued(show Notifier) *queued { return &queued{show: show, next: make(chan note, 1)} }

// Notify hands the notification over and returns at once; it never fails.
func (q *queued) Notify(title, body string, icon trayicon.State) error {
	q.once.Do(func() { go q.run() })
	n := note{title, body, icon}
	for {
		select {
		case q.next <- n:
			return nil
		default:
		}
		select { // a notification not yet shown: the newer one replaces it
		case <-q.next:
		default:
		}
	}
}

func (q *queued) run() {
	for n := range q.next {
		if err := q.show.Notify(n.title, n.body, n.icon); err != nil {
			slog.Warn("notifying", "err", err)
		}
	}
}

// rgba decodes a state's 64 px icon for a notification's image.
func rgba(s trayicon.State) *image.NRGBA {
	img, err := png.Decode(bytes.NewReader(trayicon.PNG2x(s)))
	if err != nil {
		return nil
	}
	out := image.NewNRGBA(img.Bounds())
	draw.Draw(out, out.Bounds(), img, img.Bounds().Min, draw.Src)
	return out
}
