package gui

import (
	"fmt"
	"image"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

// benchFirstFrame returns content with a hook that prints, when the window
// paints its first frame, the wall
// clock in Unix nanoseconds, the time since Main started, the CPU time used
// and the process ID, for scripts/bench-window.sh (CLAUDEMEDIC_BENCH=1). A
// one-pixel raster is the hook: the painter calls its generator while it
// draws the frame. For a closer look at the start, with CLAUDEMEDIC_BENCH=1:
// CLAUDEMEDIC_BENCH_CPUPROFILE=FILE writes a CPU profile of it,
// CLAUDEMEDIC_BENCH_TRACE=1 prints the time and CPU at each of its stages,
// and CLAUDEMEDIC_BENCH_EXIT=1 exits at the first frame (for perf record).
func benchFirstFrame(content fyne.CanvasObject, start time.Time) fyne.CanvasObject {
	var once sync.Once
	px := canvas.NewRaster(func(int, int) image.Image {
		once.Do(func() {
			fmt.Fprintf(os.Stderr, "claudemedic-bench first-frame unix_ns=%d since_main_ms=%.1f cpu_ms=%.1f pid=%d\n",
				time.Now().UnixNano(), float64(time.Since(start).Microseconds())/1000, cpuMillis(), os.Getpid())
			stopProfile()
			mark("frame")
			if os.Getenv("CLAUDEMEDIC_BENCH_EXIT") != "" {
				os.Exit(0) // for perf: the start only
			}
		})
		return image.NewNRGBA(image.Rect(0, 0, 1, 1))
	})
	px.Resize(fyne.NewSize(1, 1))
	return container.NewStack(content, container.NewWithoutLayout(px))
}

var stopProfile = func() {}

// startProfile writes a CPU profile (1000 samples a second) of the start to
// CLAUDEMEDIC_BENCH_CPUPROFILE, until the first frame, when it is set.
func startProfile() {
	path := os.Getenv("CLAUDEMEDIC_BENCH_CPUPROFILE")
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err != nil {
		return
	}
	runtime.SetCPUProfileRate(1000) // pprof's own 100 Hz then only warns
	if pprof.StartCPUProfile(f) != nil {
		f.Close()
		return
	}
	stopProfile = sync.OnceFunc(func() { pprof.StopCPUProfile(); f.Close() })
}

var traceOn = os.Getenv("CLAUDEMEDIC_BENCH_TRACE") != ""

// mark prints, with CLAUDEMEDIC_BENCH_TRACE=1, that the start reached stage what.
func mark(what string) {
	if traceOn {
		fmt.Fprintf(os.Stderr, "claudemedic-trace %s unix_ns=%d cpu_ms=%.1f\n", what, time.Now().UnixNano(), cpuMillis())
	}
}
