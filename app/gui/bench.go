package gui

import (
	"fmt"
	"image"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// benchFirstFrame prints, when the window paints its first frame, the wall
// clock in Unix nanoseconds and the time since Main started, for
// scripts/bench-window.sh (CLAUDEMEDIC_BENCH=1). A one-pixel raster is the
// hook: the painter calls its generator while it draws the frame.
func benchFirstFrame(w fyne.Window, start time.Time) {
	var once sync.Once
	px := canvas.NewRaster(func(int, int) image.Image {
		once.Do(func() {
			fmt.Fprintf(os.Stderr, "claudemedic-bench first-frame unix_ns=%d since_main_ms=%.1f\n",
				time.Now().UnixNano(), float64(time.Since(start).Microseconds())/1000)
		})
		return image.NewNRGBA(image.Rect(0, 0, 1, 1))
	})
	px.Resize(fyne.NewSize(1, 1))
	w.SetContent(container.NewStack(w.Content(), container.NewWithoutLayout(px)))
}
