// Command benchhello is a Fyne hello world built with the same Fyne as
// Claude Medic: scripts/bench-window.sh times its first frame beside the
// window's, so the window's start is judged against Fyne's own cost on the
// same machine in the same run. It prints the wall clock of its first frame
// as the window does with CLAUDEMEDIC_BENCH=1.
package main

import (
	"fmt"
	"image"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

func main() {
	start := time.Now()
	a := app.NewWithID("io.github.claudemedic.benchhello")
	w := a.NewWindow("Claude Medic")
	var once sync.Once
	px := canvas.NewRaster(func(int, int) image.Image {
		once.Do(func() {
			fmt.Fprintf(os.Stderr, "claudemedic-bench first-frame unix_ns=%d since_main_ms=%.1f\n",
				time.Now().UnixNano(), float64(time.Since(start).Microseconds())/1000)
		})
		return image.NewNRGBA(image.Rect(0, 0, 1, 1))
	})
	px.Resize(fyne.NewSize(1, 1))
	w.SetContent(container.NewStack(widget.NewLabel("Hello"), container.NewWithoutLayout(px)))
	w.Resize(fyne.NewSize(880, 680))
	w.ShowAndRun()
}
