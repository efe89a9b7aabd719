//go:build !linux

package gui

// trayHostMissing: Windows and macOS always have a tray and notifications.
func trayHostMissing() (noHost, noNotifications bool) { return false, false }
