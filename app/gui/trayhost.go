package gui

import (
	"os"
	"strings"

	"fyne.io/fyne/v2/lang"
)

// trayHostNote is the sentence the status page shows when the tray cannot
// show itself on this desktop: no StatusNotifier host answers on the session
// bus (stock GNOME without the AppIndicator extension), or no notification
// service; "" when both answer (or where the question does not arise). The
// agent does not give up: fyne.io/systray registers its icon again as soon as
// a StatusNotifier host appears.
func trayHostNote(noHost, noNotifications bool) string {
	var parts []string
	if noHost {
		if strings.Contains(strings.ToUpper(os.Getenv("XDG_CURRENT_DESKTOP")), "GNOME") {
			parts = append(parts, lang.X("status.no_tray_gnome", "GNOME shows no tray icons by itself, so Claude Medic's icon cannot appear: install the AppIndicator extension (sudo apt install gnome-shell-extension-appindicator), log out and back in, and turn it on in Extensions; the agent keeps checking and shows its icon as soon as it can."))
		} else {
			parts = append(parts, lang.X("status.no_tray", "Nothing on this desktop shows tray icons (StatusNotifier), so Claude Medic's icon cannot appear: KDE, Xfce and Cinnamon show them, GNOME with the AppIndicator extension (gnome-shell-extension-appindicator); the agent keeps checking and shows its icon as soon as it can."))
		}
	}
	if noNotifications {
		parts = append(parts, lang.X("status.no_notifications", "No notification service answers on this desktop, so Claude Medic cannot tell you when the API goes down: install one, such as dunst or notification-daemon."))
	}
	return strings.Join(parts, "\n")
}
