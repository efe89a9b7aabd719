// Package claudecfg owns Claude Code's settings files: it reads the settings
// layers and the shell into the effective claudesettings.Target (Resolve), edits a
// settings file safely (EditFile: only the keys meant, atomically, after a
// backup, with Undo) and tunes timeouts, proxy and CA. Claude Code's cache is
// claudecache's; testing a proxy against the API before saving it is doctor's.
//
// Where things are: document.go reads a settings file as Claude Code parses
// it and edits its JSON text in memory (Edit, Set, Unset, EnvEdit); write.go
// is the one writer (Doc, EditFile: the lock taken before the read, the
// "changed since read" guard, the backup, the atomic write, Undo, Backups
// and Restore); resolve.go and its kin read the layers into a Target.
//
// It imports no UI package and prints nothing: the CLI, the tray and the
// window render what it returns.
package claudecfg
