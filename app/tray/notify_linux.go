package tray

import (
	"fmt"
	"sync"

	"github.com/godbus/dbus/v5"

	"claudemedic/assets/trayicon"
)

// desktopNotifier sends org.freedesktop.Notifications.Notify on the session
// bus, each notification replacing the one before.
type desktopNotifier struct {
	mu   sync.Mutex
	conn *dbus.Conn
	last uint32
}

func newNotifier() Notifier { return &desktopNotifier{} }

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
	call := obj.Call("org.freedesktop.Notifications.Notify", 0, "Claude Medic", n.last, "",
		title, body, []string{}, hints, int32(-1))
	if call.Err != nil {
		return fmt.Errorf("showing a notification: %w", call.Err)
	}
	return call.Store(&n.last)
}
