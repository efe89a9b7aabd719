// Package trayicon holds the tray agent's icons, one per state, drawn by
// gen.go (`go generate ./assets/trayicon`) and embedded: PNG for the Linux
// tray (32 px) and the macOS menu bar (64 px), ICO for Windows (16 to 64 px).
// It imports nothing of Fyne, so the tray agent stays small.
package trayicon

import (
	"embed"
	"runtime"
)

//go:generate go run gen.go

// State is what an icon shows.
type State string

// The states, each with its own colour and glyph.
const (
	OK       State = "ok"       // green ✓
	Degraded State = "degraded" // amber !
	Down     State = "down"     // red ×
	Checking State = "checking" // blue •••
	Unknown  State = "unknown"  // grey ?
)

// States lists every state.
var States = []State{OK, Degraded, Down, Checking, Unknown}

//go:embed *.png *.ico
var files embed.FS

func load(s State, suffix string) []byte {
	b, err := files.ReadFile(string(s) + suffix)
	if err != nil {
		b, _ = files.ReadFile(string(Unknown) + suffix)
	}
	return b
}

// PNG is the 32 px icon for s; an unknown state gives the Unknown icon.
func PNG(s State) []byte { return load(s, ".png") }

// PNG2x is the 64 px icon for s.
func PNG2x(s State) []byte { return load(s, "@2x.png") }

// ICO is the Windows icon for s, holding sizes from 16 to 64 px.
func ICO(s State) []byte { return load(s, ".ico") }

// ForTray is the icon in the form this platform's tray wants: ICO on Windows,
// 64 px PNG on macOS (Retina menu bars), 32 px PNG elsewhere.
func ForTray(s State) []byte {
	switch runtime.GOOS {
	case "windows":
		return ICO(s)
	case "darwin":
		return PNG2x(s)
	}
	return PNG(s)
}
