package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"claudemedic/internal/exitcode"
	"claudemedic/keystore"
)

const cliTestKey = "sk-ant-api03-CLITESTq2Vr9LmWcK4pZ8sN1bH6dF3gJ0aQeRtUyIoPlKjHgFdSaZxCvBnM-Wx9QAA"

// runMain runs the command line in-process.
func runMain(stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb})
	return out.String(), errb.String(), code
}

// TestKeyCommandLine covers what needs no keychain: usage, a key on argv,
// empty or runaway input, deleting without --yes. None of them touches the
// keychain (the bus address points nowhere, so a call would fail loudly).
func TestKeyCommandLine(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+t.TempDir()+"/no-bus")
	tests := []struct {
		name           string
		stdin          string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"no subcommand", "", []string{"key"}, exitcode.Usage, "", "Usage: claudemedic key <delete|print|set|status|use-with-claude-code>"},
		{"unknown subcommand", "", []string{"key", "show"}, exitcode.Usage, "", `unknown command "show"`},
		{"help", "", []string{"key", "set", "--help"}, exitcode.OK, "", "never from the command line"},
		{"key on argv", "", []string{"key", "set", cliTestKey}, exitcode.Usage, "", "never taken from the command line"},
		{"key on argv after a flag", "", []string{"key", "set", "--profile", "x", cliTestKey}, exitcode.Usage, "", "shell history"},
		{"empty stdin", "", []string{"key", "set"}, exitcode.Degraded, "", "no key was given on standard input"},
		{"blank stdin", " \n\t\n", []string{"key", "set"}, exitcode.Degraded, "", "Nothing was stored"},
		{"runaway stdin", strings.Repeat("a", maxKeyInput+1), []string{"key", "set"}, exitcode.Degraded, "", "more than 64 KiB"},
		{"delete without --yes", "", []string{"key", "delete"}, exitcode.Usage, "", "add --yes"},
		{"bad profile", cliTestKey, []string{"key", "set", "--profile", "a/b"}, exitcode.Degraded, "", "profile name"},
		{"print extra argument", "", []string{"key", "print", "x"}, exitcode.Usage, "", `unexpected argument "x"`},
		{"no bus", "", []string{"key", "print"}, exitcode.Degraded, "", "gnome-keyring"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runMain(tt.stdin, tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want exit %d, stderr with %q", code, stdout, stderr, tt.code, tt.stderr)
			}
			if strings.Contains(stdout+stderr, cliTestKey) {
				t.Fatalf("the output holds the key: %q %q", stdout, stderr)
			}
		})
	}
}

// TestKeyCommandsInProcess: set, status, print and delete on the real
// Secret Service of scripts/testenv.sh, on a profile of its own.
func TestKeyCommandsInProcess(t *testing.T) {
	if os.Getenv("CLAUDEMEDIC_TEST_DESKTOP") != "1" {
		t.Skip("needs a real Secret Service: run under scripts/testenv.sh (CLAUDEMEDIC_TEST_DESKTOP=1)")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("CLAUDE_CONFIG_DIR", "")
	t.Setenv("XDG_CONFIG_HOME", home+"/.config")
	t.Setenv("XDG_DATA_HOME", home+"/.local/share")
	b := make([]byte, 4)
	rand.Read(b)
	p := "clitest-" + hex.EncodeToString(b)
	t.Cleanup(func() { keystore.Delete(context.Background(), p) })

	steps := []struct {
		name           string
		stdin          string
		args           []string
		code           int
		stdout, stderr string
	}{
		{"status before", "", []string{"key", "status", "--profile", p}, exitcode.Degraded, "no key is stored", ""},
		{"print before", "", []string{"key", "print", "--profile", p}, exitcode.Degraded, "", "claudemedic key set --profile " + p},
		{"set", cliTestKey + "\r\n", []string{"key", "set", "--profile", p}, exitcode.OK, "use-with-claude-code --profile " + p, ""},
		{"set a token as an API key", "sk-ant-oat01-" + strings.Repeat("x", 60), []string{"key", "set", "--profile", p}, exitcode.Degraded, "", "OAuth token"},
		{"status", "", []string{"key", "status", "--profile", p}, exitcode.OK, "an API key is stored in the keychain (sk-ant-api03…", ""},
		{"status json", "", []string{"key", "status", "--profile", p, "--json"}, exitcode.OK, `"stored": true`, ""},
		{"print", "", []string{"key", "print", "--profile", p}, exitcode.OK, cliTestKey + "\n", ""},
		{"delete", "", []string{"key", "delete", "--profile", p, "--yes"}, exitcode.OK, "Deleted the key", ""},
		{"delete again", "", []string{"key", "delete", "--profile", p, "--yes"}, exitcode.Degraded, "", "no key is stored"},
		{"print after", "", []string{"key", "print", "--profile", p}, exitcode.Degraded, "", "no key is stored"},
		{"use with no key", "", []string{"key", "use-with-claude-code", "--profile", p}, exitcode.Degraded, "", "store the key first"},
	}
	for _, s := range steps {
		stdout, stderr, code := runMain(s.stdin, s.args...)
		if code != s.code || !strings.Contains(stdout, s.stdout) || !strings.Contains(stderr, s.stderr) {
			t.Fatalf("%s: exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
				s.name, code, stdout, stderr, s.code, s.stdout, s.stderr)
		}
		if s.name != "print" && strings.Contains(stdout+stderr, cliTestKey) {
			t.Fatalf("%s: the output holds the key: %q %q", s.name, stdout, stderr)
		}
		if s.name == "print" && stdout != cliTestKey+"\n" {
			t.Fatalf("print: stdout %q; want the key and a newline only", stdout)
		}
	}
}
