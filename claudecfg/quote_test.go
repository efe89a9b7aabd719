package claudecfg

import (
	"os/exec"
	"testing"
)

func TestShellQuote(t *testing.T) {
	for _, s := range []string{"/usr/local/bin/claudemedic", "/home/a b/claudemedic", "it's", "", "$(rm -rf x)", "a\nb", "默认"} {
		q := ShellQuote(s)
		out, err := exec.Command("sh", "-c", "printf %s "+q).Output()
		if err != nil || string(out) != s {
			t.Errorf("ShellQuote(%q) = %s: sh printed %q, %v", s, q, out, err)
		}
	}
	if q := ShellQuote("/usr/bin/claudemedic"); q != "/usr/bin/claudemedic" {
		t.Errorf("a plain path was quoted: %s", q)
	}
}

// On Windows a command is quoted for cmd.exe, which Claude Code runs
// apiKeyHelper with: double quotes around a path with a space or a cmd
// metacharacter, nothing around a plain one (the Wine test runs the result
// through cmd.exe).
func TestCommandQuoteWindows(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{`C:\Users\me\AppData\Local\Programs\ClaudeMedic\claudemedic.exe`, `C:\Users\me\AppData\Local\Programs\ClaudeMedic\claudemedic.exe`},
		{`C:\Users\me\AppData\Local\Programs\Claude Medic\claudemedic.exe`, `"C:\Users\me\AppData\Local\Programs\Claude Medic\claudemedic.exe"`},
		{`C:\Users\张三\claudemedic.exe`, `"C:\Users\张三\claudemedic.exe"`},
		{`C:\a&b\claudemedic.exe`, `"C:\a&b\claudemedic.exe"`},
		{"work", "work"},
	} {
		if got := commandQuote("windows", tc.in); got != tc.want {
			t.Errorf("commandQuote(windows, %q) = %s; want %s", tc.in, got, tc.want)
		}
	}
	if got := commandQuote("linux", "/home/a b/claudemedic"); got != "'/home/a b/claudemedic'" {
		t.Errorf("on Linux a command is quoted for sh: %s", got)
	}
}
