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
	"runtime"
	"runtime/pprof"
	"sync"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

var stop = func() {}

func main() {
	start := time.Now()
	if p := os.Getenv("CLAUDEMEDIC_BENCH_CPUPROFILE"); p != "" {
		f, _ := os.Create(p)
		runtime.SetCPUProfileRate(1000)
		pprof.StartCPUProfile(f)
		defer pprof.StopCPUProfile()
		stop = func() { pprof.StopCPUProfile(); f.Close() }
	}
	a := app.NewWithID("io.github.claudemedic.benchhello")
	w := a.NewWindow("Claude Medic")
	var once sync.Once
	px := canvas.NewRaster(func(int, int) image.Image {
		once.Do(func() {
			var ru syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
			fmt.Fprintf(os.Stderr, "claudemedic-bench first-frame unix_ns=%d since_main_ms=%.1f cpu_ms=%.1f\n",
				time.Now().UnixNano(), float64(time.Since(start).Microseconds())/1000,
				float64(ru.Utime.Nano()+ru.Stime.Nano())/1e6)
			stop()
			if os.Getenv("CLAUDEMEDIC_BENCH_EXIT") != "" {
				os.Exit(0) // for perf: the start only
			}
		})
		return image.NewNRGBA(image.Rect(0, 0, 1, 1))
	})
	px.Resize(fyne.NewSize(1, 1))
	w.SetContent(container.NewStack(widget.NewLabel("Hello"), container.NewWithoutLayout(px)))
	w.Resize(fyne.NewSize(880, 680))
	w.ShowAndRun()
}
