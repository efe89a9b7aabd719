package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"claudemedic/doctor/doctortest"
)

// TestCommandLineLinksNoWindow keeps `claudemedic check` quick to start: the
// claudemedic binary is the command line (and the tray's hand-over), and
// nothing it links may reach the window toolkit, whose package
// initialisation and OpenGL and X11 libraries were half its start-up. The
// window is cmd/claudemedic-window.
func TestCommandLineLinksNoWindow(t *testing.T) {
	out, err := doctortest.GoTool("list", "-deps", "claudemedic").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	for _, want := range []string{"claudemedic/app/cli", "claudemedic/app/tray"} {
		if !slices.Contains(deps, want) {
			t.Errorf("claudemedic does not link %s: the test no longer proves what it says", want)
		}
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "fyne.io/fyne") || strings.HasPrefix(d, "claudemedic/app/gui") || strings.HasPrefix(d, "github.com/go-gl/") {
			t.Errorf("claudemedic links %s", d)
		}
	}
	out, err = doctortest.GoTool("list", "-deps", "claudemedic/cmd/claudemedic-window").CombinedOutput()
	if err != nil || !slices.Contains(strings.Fields(string(out)), "claudemedic/app/gui") {
		t.Errorf("cmd/claudemedic-window does not link the window (%v)", err)
	}
}

// TestWindowHandOver: `claudemedic window PAGE` runs claudemedic-window
// beside it with the same arguments, in the same process (the tray agent
// waits for that process to know the page's window closed), and returns its
// exit status; without it, it says what is missing and how to build it.
func TestWindowHandOver(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the stand-in window is a shell script")
	}
	dir := filepath.Join(t.TempDir(), "Claude Medic") // a space, as in an install folder
	exe := filepath.Join(dir, "claudemedic")
	if out, err := doctortest.GoTool("build", "-o", exe, "claudemedic").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	// No window binary: a sentence that names it and how to build it, status 1.
	cmd := exec.Command(exe, "window", "settings")
	cmd.Env = append(os.Environ(), "LANG=C", "LC_ALL=", "LANGUAGE=")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("claudemedic window without claudemedic-window: %v, want exit status 1", err)
	}
	for _, want := range []string{filepath.Join(dir, "claudemedic-window"), "go build -o", "./cmd/claudemedic-window", "make build"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("claudemedic window without claudemedic-window says %q, which lacks %q", stderr.String(), want)
		}
	}

	// A stand-in window: it notes its process id and arguments, and exits 3.
	note := filepath.Join(t.TempDir(), "note")
	script := "#!/bin/sh\necho \"$$ $*\" >\"$NOTE\"\nexit 3\n"
	if err := os.WriteFile(filepath.Join(dir, "claudemedic-window"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	// Reached through a symbolic link elsewhere, as from /usr/local/bin.
	link := filepath.Join(t.TempDir(), "claudemedic")
	if err := os.Symlink(exe, link); err != nil {
		t.Fatal(err)
	}
	for _, bin := range []string{exe, link} {
		os.Remove(note)
		cmd = exec.Command(bin, "window", "settings")
		cmd.Env = append(os.Environ(), "NOTE="+note)
		err = cmd.Run()
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
			t.Errorf("%s window settings: %v, want the window's exit status 3", bin, err)
		}
		b, err := os.ReadFile(note)
		if err != nil {
			t.Fatalf("%s window settings did not run claudemedic-window: %v", bin, err)
		}
		if want := strconv.Itoa(cmd.Process.Pid) + " settings\n"; string(b) != want {
			t.Errorf("claudemedic-window ran as %q, want %q (the same process, the page)", b, want)
		}
	}
}
