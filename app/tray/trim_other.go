//go:build !linux

package tray

// trimResident is Linux's alone (see trim_linux.go).
func trimResident() {}
