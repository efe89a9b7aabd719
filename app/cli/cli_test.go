package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claudemedic/appdirs"
	"claudemedic/doctor"
	"claudemedic/doctor/doctortest"
	"claudemedic/internal/exitcode"
)

// TestVersion: --version says the version, the commit and the Go it was built with.
func TestVersion(t *testing.T) {
	code, out, errOut := runCLI(t, "", "--version")
	if code != exitcode.OK || !strings.HasPrefix(out, "claudemedic "+doctor.Version+" (commit ") || !strings.Contains(out, "go1.") {
		t.Errorf("exit %d, --version printed %q %q", code, out, errOut)
	}
}

// TestUnknownFlagOneLine: a wrong flag is one line naming it and the
// command's --help, status 64, not the flag package's message and the whole help.
func TestUnknownFlagOneLine(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"check", "--bogus"}, "claudemedic check: unknown flag --bogus; run 'claudemedic check --help' for its flags\n"},
		{[]string{"cache", "clear", "--bogus"}, "claudemedic cache clear: unknown flag --bogus; run 'claudemedic cache clear --help' for its flags\n"},
		{[]string{"check", "--lang", "zh", "--bogus"}, "claudemedic check: 未知参数 --bogus；运行 “claudemedic check --help” 查看它的参数\n"},
	} {
		code, out, errOut := runCLI(t, "", tc.args...)
		if code != exitcode.Usage || out != "" || errOut != tc.want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want 64 and %q", tc.args, code, out, errOut, tc.want)
		}
	}
}

// TestBrokenPreferencesSaid: a preferences file that does not parse gets a
// sentence, and the command still runs on the defaults.
func TestBrokenPreferencesSaid(t *testing.T) {
	doctortest.Isolate(t)
	dir, err := appdirs.Ensure(appdirs.Config())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte("{\"language\": "), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCLI(t, "", "--version")
	if code != exitcode.OK || !strings.Contains(errOut, "your preferences file could not be read") {
		t.Errorf("exit %d, stderr %q: want a sentence about the broken preferences", code, errOut)
	}
}
