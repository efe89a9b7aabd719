package tray

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"

	"claudemedic/assets/trayicon"
)

// Notifier shows a desktop notification. The agent tells it when the API's
// state changes, never on every check.
type Notifier interface {
	Notify(title, body string, icon trayicon.State) error
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
