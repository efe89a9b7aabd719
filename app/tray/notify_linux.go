package tray

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"

	"claudemedic/assets/trayicon"
)

// notifyTimeout bounds the wait for the notification service's answer: a
// service that takes the call and never answers (a hung notification daemon)
// would otherwise hold the notifying goroutine for ever.
var notifyTimeout = 10 * time.Second

// desktopNotifier sends org.freedesktop.Notifications.Notify on the session
// bus, each notification replacing the one before.
type desktopNotifier struct {
	mu   sync.Mutex
	conn *dbus.Conn
	last uint32
}

func newNotifier() Notifier { return newQueued(&desktopNotifier{}) }

// imageData is the image-data hint: (iiibiiay).
type imageData struct {
	Width, Height, Stride int32
	Alpha                 bool
	Bits, Channels        int32
	Data                  []byte
}

func (n *desktopNotifier) Notify(title, body string, icon trayicon.State) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.conn == nil {
		conn, err := dbus.ConnectSessionBus()
		if err != nil {
			return fmt.Errorf("showing a notification: %w", err)
		}
		n.conn = conn
	}
	hints := map[string]dbus.Variant{"urgency": dbus.MakeVariant(byte(1))}
	if img := rgba(icon); img != nil {
		b := img.Bounds()
		hints["image-data"] = dbus.MakeVariant(imageData{int32(b.Dx()), int32(b.Dy()), int32(img.Stride), true, 8, 4, img.Pix})
	}
	obj := n.conn.Object("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
	ctx, cancel := context.WithTimeout(context.Background(), notifyTimeout)
	defer cancel()
	call := obj.CallWithContext(ctx, "org.freedesktop.Notifications.Notify", 0, "Claude Medic", n.last, "",
		title, body, []string{}, hints, int32(-1))
	if errors.Is(call.Err, context.DeadlineExceeded) {
		return fmt.Errorf("showing a notification: the notification service did not answer within %v", notifyTimeout)
	}
	if call.Err != nil {
		return fmt.Errorf("showing a notification: %w", call.Err)
	}
	return call.Store(&n.last)
}
