package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"claudemedic/netcheck/netchecktest"
)

// terminal is the real binary running in a tmux pane: a real pseudo-terminal
// that the test types into and reads back, as a person would.
type terminal struct {
	t    *testing.T
	sock string
	name string
	env  []string
}

// startTerminal runs the built binary with args in a new tmux session of a
// private tmux server, in env; the pane prints EXIT=<status> when it ends.
func startTerminal(t *testing.T, exe string, env []string, args ...string) *terminal {
	t.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Fatal("tmux is missing (scripts/deps.sh installs it):", err)
	}
	term := &terminal{t: t, sock: filepath.Join(t.TempDir(), "tmux.sock"), name: "doctor", env: env}
	quoted := []string{strconv.Quote(exe)}
	for _, a := range args {
		quoted = append(quoted, strconv.Quote(a))
	}
	term.tmux("-f", "/dev/null", "new-session", "-d", "-s", term.name, "-x", "200", "-y", "80",
		strings.Join(quoted, " ")+`; echo "EXIT=$?"; sleep 120`)
	t.Cleanup(func() { exec.Command("tmux", "-S", term.sock, "kill-server").Run() })
	return term
}

func (term *terminal) tmux(args ...string) string {
	term.t.Helper()
	cmd := exec.Command("tmux", append([]string{"-S", term.sock}, args...)...)
	cmd.Env = term.env
	out, err := cmd.CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// screen is what the pane shows, its history included, lines joined.
func (term *terminal) screen() string {
	return term.tmux("capture-pane", "-p", "-J", "-S", "-2000", "-t", term.name)
}

// waitFor waits until the pane shows text.
func (term *terminal) waitFor(text string) {
	term.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		s := term.screen()
		if strings.Contains(s, text) {
			return
		}
		if time.Now().After(deadline) {
			term.t.Fatalf("the terminal never showed %q:\n%s", text, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// typeLine types text and Enter.
func (term *terminal) typeLine(text string) {
	term.t.Helper()
	if text != "" {
		term.tmux("send-keys", "-t", term.name, "-l", text)
	}
	term.tmux("send-keys", "-t", term.name, "Enter")
}

// ttyEnv is a sandbox for the binary: HOME and Claude Medic's folders in a
// temporary folder, the fake API in the user settings, no keychain.
func ttyEnv(t *testing.T, sc netchecktest.Scenario, lang string) (env []string, settings string) {
	t.Helper()
	home := t.TempDir()
	srv := netchecktest.Start(t, sc)
	settings = fakeSettings(t, home, srv)
	return []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "TERM=xterm-256color", "LANG=" + lang, "LC_ALL=",
		"XDG_CONFIG_HOME=" + filepath.Join(home, ".config"), "XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".local", "state"), "XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"DBUS_SESSION_BUS_ADDRESS=unix:path=" + filepath.Join(home, "no-bus"), "NO_COLOR=1"}, settings
}

// TestDoctorOnATerminal walks `claudemedic doctor` on a real terminal: paste
// or pick what you saw, watch the checks run, read the cause, confirm the fix,
// see the re-test; a settings file edited while the question is up makes the
// fix refuse with a sentence and change nothing; a closed input cancels.
func TestDoctorOnATerminal(t *testing.T) {
	exe := buildBinary(t)

	t.Run("paste, confirm, re-test", func(t *testing.T) {
		env, settings := ttyEnv(t, netchecktest.ProxyCatchesLocal, "C.UTF-8")
		term := startTerminal(t, exe, env, "doctor", "--timeout", "5s")
		term.waitFor("What did you see?")
		term.waitFor("Number, or the message you saw:")
		term.typeLine("API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)")
		term.waitFor("This looks like: ConnectionError")
		term.waitFor("PROXY_CATCHES_LOCAL")
		term.waitFor("Apply “Don't send local requests through the proxy”? [y/N]")
		term.typeLine("y")
		term.waitFor("env.NO_PROXY: set to localhost,127.0.0.1")
		term.waitFor("Fixed: PROXY_CATCHES_LOCAL")
		term.waitFor("EXIT=0")
		if data, _ := os.ReadFile(settings); !strings.Contains(string(data), `"NO_PROXY": "localhost,127.0.0.1"`) {
			t.Errorf("settings.json after the fix:\n%s", data)
		}
		if s := term.screen(); !strings.Contains(s, "✓ auth") || !strings.Contains(s, "What Claude Medic found") {
			t.Errorf("the checks did not show as they ran:\n%s", s)
		}
	})

	t.Run("the settings change while the question is up", func(t *testing.T) {
		env, settings := ttyEnv(t, netchecktest.Overloaded, "C.UTF-8")
		term := startTerminal(t, exe, env, "doctor", "--timeout", "5s")
		term.waitFor("Number, or the message you saw:")
		term.typeLine("13") // 529 Overloaded, in the wizard's order
		term.waitFor("Apply “Let Claude Code retry longer”? [y/N]")
		edited := `{"env": {"MINE": "edited while Claude Medic asked"}}`
		if err := os.WriteFile(settings, []byte(edited), 0o600); err != nil {
			t.Fatal(err)
		}
		term.typeLine("y")
		term.waitFor("Your Claude Code settings changed since this check, so nothing was changed")
		term.waitFor("EXIT=2")
		if data, _ := os.ReadFile(settings); string(data) != edited {
			t.Errorf("the refused fix changed settings.json:\n%s", data)
		}
	})

	t.Run("a closed input cancels, in Chinese", func(t *testing.T) {
		env, settings := ttyEnv(t, netchecktest.Overloaded, "zh_CN.UTF-8")
		before, _ := os.ReadFile(settings)
		term := startTerminal(t, exe, env, "doctor")
		term.waitFor("你看到了什么？")
		term.tmux("send-keys", "-t", term.name, "C-d")
		term.waitFor("标准输入已关闭")
		term.waitFor("EXIT=64")
		if after, _ := os.ReadFile(settings); string(after) != string(before) {
			t.Errorf("settings.json changed:\n%s", after)
		}
	})
}
