package gui

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"claudemedic/doctor/doctortest"
	"claudemedic/internal/state"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// desktopOrSkip skips without a desktop, and fails when
// CLAUDEMEDIC_TEST_DESKTOP=1 (scripts/testenv.sh) promised one.
func desktopOrSkip(t *testing.T, tools ...string) {
	t.Helper()
	promised := os.Getenv("CLAUDEMEDIC_TEST_DESKTOP") == "1"
	missing := func(what string) {
		if promised {
			t.Fatalf("CLAUDEMEDIC_TEST_DESKTOP=1 but %s", what)
		}
		t.Skipf("no desktop: %s (run under scripts/testenv.sh)", what)
	}
	if os.Getenv("DISPLAY") == "" {
		missing("DISPLAY is not set")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			missing(tool + " is not installed")
		}
	}
}

// TestRealWindowSmoke builds the binary, starts `claudemedic window PAGE`
// for real on the X display, waits for the window, screenshots the screen
// and checks that something was drawn. Claude Code's settings point at a
// netchecktest server, so the window's check stays on 127.0.0.1.
// It does so in English and, for the status page, in Chinese.
// CLAUDEMEDIC_SCREENSHOTS=DIR keeps the screenshots (the README's come from here).
func TestRealWindowSmoke(t *testing.T) {
	desktopOrSkip(t, "xdotool", "import")
	srv := realWindowHome(t, 20, 21)
	bin := buildBinary(t)
	for _, tc := range []struct{ name, page, locale string }{
		{"status", "status", "C"}, // a C locale: English, no complaint
		{"wizard", "wizard", "C"},
		{"status-zh", "status", "zh_CN.UTF-8"}, // Chinese, drawn with the embedded font (no Chinese font on a fresh machine)
		{"wizard-zh", "wizard", "zh_CN.UTF-8"},
	} {
		page := tc.page
		t.Run(tc.name, func(t *testing.T) {
			srv.SetScenario(netchecktest.Healthy) // the wizard's run leaves it overloaded
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			var stderr bytes.Buffer
			cmd := exec.CommandContext(ctx, bin, "window", page)
			// CLAUDEMEDIC_GLYPHCHECK: the window writes to stderr (which fails
			// the test) each character of its language's messages that its fonts lack.
			cmd.Env = append(os.Environ(), "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=", "LANG="+tc.locale, "CLAUDEMEDIC_GLYPHCHECK=1")
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{}) // closed once the process is gone and stderr is all read
			go func() { cmd.Wait(); close(exited) }()
			stop := func() { cmd.Process.Kill(); <-exited }
			defer stop()
			find := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--onlyvisible", "--name", "^Claude Medic$")
			if out, err := find.Output(); err != nil || len(bytes.TrimSpace(out)) == 0 {
				stop()
				t.Fatalf("no window appeared: %v\n%s", err, stderr.String())
			}
			shot := filepath.Join(t.TempDir(), "screen.png")
			var colours int
			for try := 0; try < 40 && colours < 50; try++ { // wait for the content and the check to be drawn
				time.Sleep(250 * time.Millisecond)
				if out, err := exec.CommandContext(ctx, "import", "-window", "root", shot).CombinedOutput(); err != nil {
					t.Fatalf("screenshot: %v\n%s", err, out)
				}
				colours = distinctColours(t, shot)
			}
			if colours < 50 {
				stop()
				t.Fatalf("the screen looks blank: %d colours\n%s", colours, stderr.String())
			}
			if dir := os.Getenv("CLAUDEMEDIC_SCREENSHOTS"); dir != "" {
				if page == "wizard" { // pick "529" and run it against an overloaded API, for the README
					srv.SetScenario(netchecktest.Overloaded)
					for _, at := range [][2]string{{"22", "394"}, {"800", "653"}} {
						exec.CommandContext(ctx, "xdotool", "mousemove", at[0], at[1], "click", "1").Run()
						time.Sleep(300 * time.Millisecond)
					}
				}
				time.Sleep(3 * time.Second) // let the live check finish
				exec.CommandContext(ctx, "import", "-window", "root", "-crop", "880x680+0+0", filepath.Join(dir, "screenshot-"+tc.name+".png")).Run()
			}
			select {
			case <-exited:
				t.Fatalf("the window exited early: %s", stderr.String())
			default:
			}
			stop() // stderr is read once the process is gone
			if stderr.Len() > 0 {
				t.Errorf("the window wrote to stderr under LANG=%s:\n%s", tc.locale, stderr.String())
			}
		})
	}
}

// buildBinary builds claudemedic and, beside it, the window's binary
// (cmd/claudemedic-window), once per test run, and returns claudemedic's
// path: the tests start `claudemedic window PAGE`, which hands the window
// over to claudemedic-window, as the tray agent and the desktop do.
func buildBinary(t *testing.T) string {
	t.Helper()
	builtOnce.Do(func() {
		dir, err := os.MkdirTemp("", "claudemedic-smoke")
		if err != nil {
			builtErr = err
			return
		}
		builtBin = filepath.Join(dir, "claudemedic")
		for out, pkg := range map[string]string{builtBin: "claudemedic", filepath.Join(dir, "claudemedic-window"): "claudemedic/cmd/claudemedic-window"} {
			// The window as make builds it: without Fyne's emoji font (Makefile's WINDOW_TAGS).
			if b, err := doctortest.GoTool("build", "-tags", "no_emoji", "-o", out, pkg).CombinedOutput(); err != nil {
				builtErr = fmt.Errorf("go build %s: %v\n%s", pkg, err, b)
				return
			}
		}
	})
	if builtErr != nil {
		t.Fatal(builtErr)
	}
	return builtBin
}

var (
	builtOnce sync.Once
	builtBin  string
	builtErr  error
)

// TestSecondWindowRaisesFirst starts the window, then `claudemedic window
// settings` again: the second launch hands the page to the first and exits
// (quickly: it loads no window of its own), and one window is left.
func TestSecondWindowRaisesFirst(t *testing.T) {
	desktopOrSkip(t, "xdotool")
	home := isolate(t)
	os.MkdirAll(filepath.Join(home, ".cache"), 0o700)
	srv := netchecktest.Start(t, netchecktest.Healthy)
	(&fixture{t: t, home: home}).writeSettings(srv.Target())
	bin := buildBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	first := exec.CommandContext(ctx, bin, "window", "status")
	var stderr bytes.Buffer
	first.Stderr = &stderr
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { first.Process.Kill(); first.Wait() }()
	if out, err := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--onlyvisible", "--name", "^Claude Medic$").Output(); err != nil || len(bytes.TrimSpace(out)) == 0 {
		t.Fatalf("no window appeared: %v\n%s", err, stderr.String())
	}
	var times []time.Duration
	for range 5 {
		start := time.Now()
		second := exec.CommandContext(ctx, bin, "window", "settings")
		out, err := second.CombinedOutput()
		took := time.Since(start)
		if err != nil {
			t.Fatalf("the second launch: %v\n%s", err, out)
		}
		times = append(times, took)
	}
	t.Logf("second launches handed over and exited in %v", times)
	out, _ := exec.CommandContext(ctx, "xdotool", "search", "--onlyvisible", "--name", "^Claude Medic$").Output()
	if n := len(bytes.Fields(out)); n != 1 {
		t.Errorf("%d windows after the second launches, want 1", n)
	}
	for _, d := range times {
		if d > 2*time.Second {
			t.Errorf("a second launch took %v to hand over", d)
		}
	}
}

func distinctColours(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}

// realWindowHome makes the isolated home a real window runs in: Claude
// Code's settings pointing at a healthy netchecktest server (the window's
// check stays on 127.0.0.1), and a day of history for the chart, a check
// every 40 minutes, down at the given ones (0 to 35). It returns the server.
func realWindowHome(t *testing.T, downAt ...int) *netchecktest.Server {
	t.Helper()
	home := isolate(t)
	os.MkdirAll(filepath.Join(home, ".cache"), 0o700) // Fyne keeps its cache there
	srv := netchecktest.Start(t, netchecktest.Healthy)
	(&fixture{t: t, home: home}).writeSettings(srv.Target())
	now := time.Now()
	for i := range 36 {
		r := sampleReport()
		r.StartedAt = now.Add(-time.Duration(36-i) * 40 * time.Minute)
		r.Timings.FirstByte = time.Duration(280+(i*53)%240) * time.Millisecond
		r.Timings.Total = r.Timings.FirstByte + 70*time.Millisecond
		if slices.Contains(downAt, i) {
			r.Verdict = netcheck.VerdictDown
		}
		if err := state.Record(r); err != nil {
			t.Fatal(err)
		}
	}
	return srv
}
