// Package claudecfg owns Claude Code's settings files: it reads the settings
// layers and the shell into the effective claudesettings.Target (Resolve), edits a
// settings file safely (EditFile: only the keys meant, atomically, after a
// backup, with Undo) and tunes timeouts, proxy and CA. Claude Code's cache is
// claudecache's; testing a proxy against the API before saving it is doctor's.
//
// It imports no UI package and prints nothing: the CLI, the tray and the
// window render what it returns.
package claudecfg
