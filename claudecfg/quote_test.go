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
