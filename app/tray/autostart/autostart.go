// Package autostart starts the tray agent at login, and stops doing so: an
// XDG autostart entry on Linux and the BSDs, a LaunchAgent on macOS, a value
// under the Run key on Windows. Files are written atomically.
package autostart

import (
	"fmt"
	"html"
	"strings"
)

// Name is the entry's name where the system shows it (the Windows Run value,
// the desktop entry's Name).
const Name = "Claude Medic"

// Label is the LaunchAgent's label on macOS.
const Label = "com.claudemedic.tray"

// Set turns starting at login on (running argv: the program and its
// arguments) or off.
func Set(on bool, argv []string) error {
	if !on {
		return Disable()
	}
	return Enable(argv)
}

// desktopEntry is the XDG autostart entry that runs argv.
func desktopEntry(argv []string) string {
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = quoteExec(a)
	}
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=" + Name + "\n" +
		"Comment=Shows in the tray whether the Claude API answers from this computer\n" +
		"Exec=" + strings.Join(q, " ") + "\n" +
		"Terminal=false\n" +
		"X-GNOME-Autostart-enabled=true\n"
}

// quoteExec quotes one argument of a desktop entry's Exec key as the Desktop
// Entry Specification says: in double quotes when it holds a reserved
// character, with ", `, $ and \ escaped inside, and % doubled.
func quoteExec(a string) string {
	a = strings.ReplaceAll(a, "%", "%%")
	if a != "" && !strings.ContainsAny(a, " \t\n\"'\\><~|&;$*?#()`") {
		return a
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`)
	// The key's value is itself unescaped once (\\ → \), so escape the backslashes again.
	return strings.ReplaceAll(`"`+r.Replace(a)+`"`, `\`, `\\`)
}

// launchAgent is the macOS LaunchAgent property list that runs argv at login.
func launchAgent(argv []string) string {
	var args strings.Builder
	for _, a := range argv {
		fmt.Fprintf(&args, "\t\t<string>%s</string>\n", html.EscapeString(a))
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>Label</key>
	<string>` + Label + `</string>
	<key>ProgramArguments</key>
	<array>
` + args.String() + `	</array>
	<key>RunAtLoad</key>
	<true/>
	<key>ProcessType</key>
	<string>Interactive</string>
	<key>LimitLoadToSessionType</key>
	<string>Aqua</string>
</dict>
</plist>
`
}
