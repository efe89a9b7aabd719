package claudecfg

import (
	"runtime"
	"strings"
)

// ShellQuote quotes s for a POSIX shell when it holds anything but letters,
// digits and -_./:@%+=, : for shell-profile lines and for commands a person
// copies into sh.
func ShellQuote(s string) string {
	if plain(s, "-_./:@%+=,") {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// CommandQuote quotes s for the shell that runs this platform's commands:
// Claude Code's apiKeyHelper and the commands Claude Medic prints for a
// person to paste. That is sh on Unix (ShellQuote) and cmd.exe on Windows,
// where Claude Code runs apiKeyHelper with `%ComSpec% /d /s /c` and single
// quotes are no quotes at all.
func CommandQuote(s string) string { return commandQuote(runtime.GOOS, s) }

func commandQuote(goos, s string) string {
	if goos != "windows" {
		return ShellQuote(s)
	}
	if plain(s, `-_./:\+=@`) {
		return s
	}
	// A Windows path cannot hold a double quote; within one cmd.exe takes
	// spaces and & | < > ( ) ^ literally.
	return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
}

// plain reports whether s is not empty and holds only ASCII letters, digits
// and the characters of extra.
func plain(s, extra string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune(extra, r)) {
			return false
		}
	}
	return true
}
