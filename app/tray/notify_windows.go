//go:build windows

package tray

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"

	"git.sr.ht/~jackmordaunt/go-toast/wintoast"
	"github.com/go-ole/go-ole"

	"claudemedic/assets/trayicon"
	"claudemedic/internal/state"
)

// toastAppID names Claude Medic to the Windows Runtime: the name a toast and
// the notification centre show.
const toastAppID = "Claude Medic"

// toastNotifier shows a Windows toast notification with the state's icon,
// through the Windows Runtime's COM API (go-toast's wintoast). It has no
// PowerShell fallback: that script would expand "$(…)" in a text that came
// from a server.
type toastNotifier struct{ mu sync.Mutex }

func newNotifier() Notifier { return newQueued(&toastNotifier{}) }

func (n *toastNotifier) Notify(title, body string, icon trayicon.State) (err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	runtime.LockOSThread() // one COM apartment for the calls of one toast
	defer runtime.UnlockOSThread()
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("showing a notification: the Windows Runtime failed: %v", r)
		}
	}()
	if err := toastsAvailable(); err != nil {
		return fmt.Errorf("showing a notification: %w", err)
	}
	image, _ := iconFile(icon) // without its file a toast still shows, with no image
	logo, _ := iconFile(trayicon.OK)
	if err := wintoast.SetAppData(wintoast.AppData{AppID: toastAppID, IconPath: logo}); err != nil {
		return fmt.Errorf("showing a notification: registering Claude Medic with Windows: %w", err)
	}
	if err := wintoast.Push(toastXML(title, body, image)); err != nil {
		return fmt.Errorf("showing a notification: %w", err)
	}
	return nil
}

var toastProbe struct {
	once sync.Once
	err  error
}

// toastsAvailable checks once, on a thread of its own, that the Windows
// Runtime has the classes a toast needs. Without them (Wine 8 has neither)
// wintoast would fail after registering its COM class, which Wine then
// releases into Go while the process exits, and crashes it.
func toastsAvailable() error {
	p := &toastProbe
	p.once.Do(func() {
		done := make(chan error, 1)
		go func() {
			runtime.LockOSThread() // the thread ends with this goroutine, and its COM state with it
			if err := ole.RoInitialize(1); err != nil {
				done <- fmt.Errorf("the Windows Runtime does not start: %w", err)
				return
			}
			for _, class := range []string{"Windows.Data.Xml.Dom.XmlDocument", "Windows.UI.Notifications.ToastNotificationManager"} {
				f, err := ole.RoGetActivationFactory(class, ole.IID_IInspectable)
				var oe *ole.OleError
				if errors.As(err, &oe) {
					err = fmt.Errorf("HRESULT %#08x", oe.Code())
				}
				if err != nil {
					done <- fmt.Errorf("this Windows has no toast notifications (%s: %w)", class, err)
					return
				}
				f.Release()
			}
			done <- nil
		}()
		p.err = <-done
	})
	return p.err
}

// iconFile writes the state's 64 px icon into the state folder, where the
// Windows Runtime reads a toast's image from, and returns its path.
func iconFile(s trayicon.State) (string, error) {
	dir, err := state.Dir()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "notify-"+string(s)+".png")
	png := trayicon.PNG2x(s)
	if old, err := os.ReadFile(path); err == nil && string(old) == string(png) {
		return path, nil
	}
	if err := os.WriteFile(path, png, 0o600); err != nil {
		return "", err
	}
	return path, nil
}

// toastXML is the toast's content (ToastGeneric: the title, the body, the
// image as the app's logo), every text escaped.
func toastXML(title, body, image string) string {
	var b strings.Builder
	esc := func(s string) {
		xml.EscapeText(&b, []byte(s))
	}
	b.WriteString(`<toast activationType="foreground" duration="short"><visual><binding template="ToastGeneric">`)
	if image != "" {
		u := url.URL{Scheme: "file", Path: "/" + filepath.ToSlash(image)}
		b.WriteString(`<image placement="appLogoOverride" src="`)
		esc(u.String())
		b.WriteString(`"/>`)
	}
	for _, t := range []string{title, body} {
		if t != "" {
			b.WriteString("<text>")
			esc(t)
			b.WriteString("</text>")
		}
	}
	b.WriteString(`</binding></visual></toast>`)
	return b.String()
}
