package gui

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"claudemedic/internal/prefs"
)

// startXvfb starts an X screen of the given geometry (WxHxDEPTH) for the
// test alone and returns its DISPLAY.
func startXvfb(t *testing.T, screen string) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", screen, "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	got := make(chan string, 1)
	go func() {
		b := make([]byte, 16)
		n, _ := r.Read(b)
		got <- strings.TrimSpace(string(b[:n]))
	}()
	select {
	case n := <-got:
		if n == "" {
			t.Fatal("Xvfb named no display")
		}
		return ":" + n
	case <-time.After(30 * time.Second):
		t.Fatal("Xvfb did not start in 30 s")
	}
	return ""
}

// noFonts is a command prefix that runs a command with no system font at
// all: /usr/share/fonts hidden under an empty folder (in a mount namespace
// of its own), fontconfig given an empty configuration, no font folders in
// the data folders. It reports why not when the machine cannot (no unshare,
// or not allowed to mount).
func noFonts(t *testing.T) (prefix, env []string, why string) {
	t.Helper()
	empty := t.TempDir()
	conf := filepath.Join(t.TempDir(), "fonts.conf")
	if err := os.WriteFile(conf, []byte("<?xml version=\"1.0\"?>\n<!DOCTYPE fontconfig SYSTEM \"fonts.dtd\">\n<fontconfig></fontconfig>\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	script := `for d in /usr/share/fonts /usr/local/share/fonts /usr/X11R6/lib/X11/fonts /usr/share/texmf/fonts/opentype/public; do
	[ -d "$d" ] && { mount --bind "$0" "$d" || exit 97; }
done
exec "$@"`
	env = []string{"FONTCONFIG_FILE=" + conf, "FONTCONFIG_PATH=" + empty, "XDG_DATA_DIRS=" + empty}
	// As root, a mount namespace; as a user, one inside a user namespace of
	// its own (where the window is root to itself only).
	var tried []string
	for _, ns := range [][]string{{"unshare", "--mount"}, {"unshare", "--map-root-user", "--mount"}} {
		prefix = append(append([]string{}, ns...), "--", "sh", "-c", script, empty)
		probe := exec.Command(prefix[0], append(prefix[1:], "sh", "-c", "find /usr/share/fonts /usr/local/share/fonts -type f 2>/dev/null | head -n1; fc-list 2>/dev/null | head -n1")...)
		probe.Env = append(os.Environ(), env...)
		out, err := probe.CombinedOutput()
		if err != nil {
			tried = append(tried, fmt.Sprintf("%s: %v %s", strings.Join(ns, " "), err, bytes.TrimSpace(out)))
			continue
		}
		if len(bytes.TrimSpace(out)) > 0 {
			t.Fatalf("the system fonts still show with them hidden: %s", out)
		}
		return prefix, env, ""
	}
	return nil, nil, "cannot hide the system fonts here: " + strings.Join(tried, "; ")
}

// TestRealWindowBadInput starts the real window (`claudemedic window PAGE`)
// on a 3840×2160 X screen with FYNE_SCALE=2, as on a 4K display: every page
// in English and Chinese; a Chinese locale with the English preference and
// the reverse; and, with no system font at all (fontconfig finding nothing,
// the font folders empty), the status page and the wizard in both languages
// from the embedded fonts. Each window must open at twice its size in
// logical units and fit on the screen, draw, and report no character its
// fonts lack (CLAUDEMEDIC_GLYPHCHECK). CLAUDEMEDIC_SCREENSHOTS=DIR keeps a
// picture of each window (the layout itself is checked by TestLayoutBadInput).
func TestRealWindowBadInput(t *testing.T) {
	desktopOrSkip(t, "xdotool", "import", "Xvfb")
	display := startXvfb(t, "3840x2160x24")
	realWindowHome(t, 20)
	bin := buildBinary(t)
	dir := os.Getenv("CLAUDEMEDIC_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	fontless, fontlessEnv, why := noFonts(t)

	type run struct {
		name, page, locale, pref string
		fontless                 bool
	}
	var runs []run
	for _, loc := range []struct{ name, locale string }{{"en", "C.UTF-8"}, {"zh-CN", "zh_CN.UTF-8"}} {
		for _, page := range []string{"status", "wizard", "key", "settings", "cache"} {
			runs = append(runs, run{name: page + "-" + loc.name, page: page, locale: loc.locale})
		}
	}
	runs = append(runs,
		run{name: "status-zh-locale-en-pref", page: "status", locale: "zh_CN.UTF-8", pref: prefs.English},
		run{name: "status-en-locale-zh-pref", page: "status", locale: "C.UTF-8", pref: prefs.Chinese},
		run{name: "status-en-nofonts", page: "status", locale: "C.UTF-8", fontless: true},
		run{name: "status-zh-CN-nofonts", page: "status", locale: "zh_CN.UTF-8", fontless: true},
		run{name: "wizard-zh-CN-nofonts", page: "wizard", locale: "zh_CN.UTF-8", fontless: true},
		run{name: "settings-en-nofonts", page: "settings", locale: "C.UTF-8", fontless: true},
	)
	for _, rc := range runs {
		t.Run(rc.name, func(t *testing.T) {
			if rc.fontless && why != "" {
				t.Skip(why)
			}
			p, _ := prefs.Load()
			p.Language = rc.pref
			if err := prefs.Save(p); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
			defer cancel()
			x := func(name string, args ...string) *exec.Cmd {
				cmd := exec.CommandContext(ctx, name, args...)
				cmd.Env = append(os.Environ(), "DISPLAY="+display)
				return cmd
			}
			argv := []string{bin, "window", rc.page}
			env := []string{"FYNE_SCALE=2", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=", "LANG=" + rc.locale, "CLAUDEMEDIC_GLYPHCHECK=1"}
			if rc.fontless {
				argv = append(append([]string{}, fontless...), argv...)
				env = append(env, fontlessEnv...)
			}
			cmd := x(argv[0], argv[1:]...)
			cmd.Env = append(cmd.Env, env...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			exited := make(chan struct{})
			go func() { cmd.Wait(); close(exited) }()
			stop := func() { cmd.Process.Kill(); <-exited }
			defer stop()
			out, err := x("xdotool", "search", "--sync", "--onlyvisible", "--name", "^Claude Medic$").Output()
			ids := strings.Fields(string(out))
			if err != nil || len(ids) == 0 {
				stop()
				t.Fatalf("no window appeared: %v\n%s", err, stderr.String())
			}
			var geo map[string]int
			shot := filepath.Join(dir, "window-4k-"+rc.name+".png")
			colours := 0
			for try := 0; try < 40 && colours < 50; try++ { // wait for the content to be drawn
				time.Sleep(250 * time.Millisecond)
				geo = geometry(t, x("xdotool", "getwindowgeometry", "--shell", ids[0]))
				crop := fmt.Sprintf("%dx%d+%d+%d", geo["WIDTH"], geo["HEIGHT"], geo["X"], geo["Y"])
				if out, err := x("import", "-window", "root", "-crop", crop, shot).CombinedOutput(); err != nil {
					t.Fatalf("screenshot: %v\n%s", err, out)
				}
				colours = distinctColours(t, shot)
			}
			if colours < 50 {
				stop()
				t.Fatalf("the window looks blank: %d colours\n%s", colours, stderr.String())
			}
			time.Sleep(2 * time.Second) // let the live check, the sign-in look-up finish
			crop := fmt.Sprintf("%dx%d+%d+%d", geo["WIDTH"], geo["HEIGHT"], geo["X"], geo["Y"])
			x("import", "-window", "root", "-crop", crop, shot).Run()
			// Scaled by 2: at least twice the smallest window's 600 logical
			// units wide, and all of it on the 3840×2160 screen.
			if geo["WIDTH"] < 1200 || geo["X"] < 0 || geo["Y"] < 0 || geo["X"]+geo["WIDTH"] > 3840 || geo["Y"]+geo["HEIGHT"] > 2160 {
				t.Errorf("the window at scale 2: %v; want at least 1200 pixels wide and all on the 3840×2160 screen", geo)
			}
			select {
			case <-exited:
				t.Fatalf("the window exited early: %s", stderr.String())
			default:
			}
			stop()
			if stderr.Len() > 0 {
				t.Errorf("the window wrote to stderr:\n%s", stderr.String())
			}
			t.Logf("%s: %dx%d at %d,%d", shot, geo["WIDTH"], geo["HEIGHT"], geo["X"], geo["Y"])
		})
	}
}

// geometry reads `xdotool getwindowgeometry --shell`.
func geometry(t *testing.T, cmd *exec.Cmd) map[string]int {
	t.Helper()
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the window's geometry: %v", err)
	}
	g := map[string]int{}
	for _, l := range strings.Fields(string(out)) {
		if k, v, ok := strings.Cut(l, "="); ok {
			g[k], _ = strconv.Atoi(v)
		}
	}
	return g
}
