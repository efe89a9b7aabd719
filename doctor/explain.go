package doctor

import (
	"context"
	"errors"
	"io/fs"
	"strings"
	"syscall"

	"claudemedic/claudecache"
	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/internal/i18n"
	"claudemedic/keystore"
)

// Explain says what an error of the logic packages means and what to do, in
// tr's language, for the kinds of failure a person can act on; known is
// false for any other error (the front end shows err itself). What a front
// end offers beyond the sentence is its own: the command line's --force, the
// window's "Clear anyway".
func Explain(err error, tr i18n.Printer) (text string, known bool) {
	var ke *keystore.Error
	var se *claudecfg.SyntaxError
	var running *claudecache.RunningError
	var moved *claudecache.MoveError
	var conflict *claudecache.ConflictError
	var proxy *ProxyTestError
	var plain *PlaintextKeyError
	var noBackup *NoBackupError
	var notBackup *NotABackupError
	var fe *claudecfg.FileError
	var we *claudecfg.WriteError
	switch {
	case errors.As(err, &proxy) && len(proxy.Findings) > 0:
		f := proxy.Findings[0]
		return tr.X("settings.proxy_failed", "The proxy does not work, so it was not saved: {{.Summary}} {{.Fix}}", "Summary", f.Summary.In(tr.Lang()), "Fix", f.Fix.In(tr.Lang())), true
	case errors.As(err, &plain):
		return tr.X("key.err_plaintext", "{{.File}} holds a plaintext ANTHROPIC_API_KEY, which Claude Code uses before the keychain's key, so nothing was changed: move it into the keychain, or remove it from the file.", "File", plain.File), true
	case errors.Is(err, keystore.ErrKeyConflict):
		return tr.X("key.err_conflict", "The keychain already holds a different key for this profile, so nothing was changed: delete the keychain's key first, or use another profile."), true
	case errors.As(err, &moved) && moved.Moved == 0:
		return tr.X("cache.err_move_none", "Could not move {{.Item}} to the trash ({{.Err}}), so nothing was cleared.", "Item", moved.Item, "Err", moved.Err), true
	case errors.As(err, &moved):
		return tr.X("cache.err_move_some", "Could not move {{.Item}} to the trash ({{.Err}}); the {{.N}} item(s) moved before it can be put back with Undo.", "Item", moved.Item, "Err", moved.Err, "N", moved.Moved), true
	case errors.As(err, &conflict):
		return tr.X("cache.err_conflict", "Claude Code made {{.Items}} again since the clear, so nothing was put back.", "Items", strings.Join(conflict.Items, ", ")), true
	case errors.Is(err, claudecache.ErrNoTrash):
		return tr.X("cache.err_no_trash", "There is no cleared cache to put back (cleared items are kept for 7 days)."), true
	case errors.As(err, &noBackup):
		return tr.X("config.no_backup_of", "there is no backup of {{.File}}", "File", noBackup.File), true
	case errors.As(err, &notBackup):
		return tr.X("config.err_not_a_backup", "{{.Path}} is not one of Claude Medic's backups.", "Path", notBackup.Path), true
	case errors.Is(err, claudecfg.ErrNoSamples):
		return tr.X("fix.err_no_samples", "No check reached the API yet, so there is nothing to measure a timeout from: fix what the check reports first."), true
	case errors.As(err, &running):
		return tr.X("cache.err_running", "Claude Code is running (process {{.PIDs}}): quit it first, then clear, so it does not write into what moves.", "PIDs", claudecache.ProcessList(running.PIDs)), true
	case errors.Is(err, keystore.ErrNotFound):
		return tr.X("key.none", "No key stored"), true
	case errors.Is(err, keystore.ErrNoSecretService):
		return tr.X("key.err_no_service", "No keychain service is running: start GNOME Keyring or KWallet, then try again."), true
	case errors.Is(err, keystore.ErrLocked):
		return tr.X("key.err_locked", "The keychain is locked: unlock it (Passwords and Keys, or KWallet), then try again."), true
	case errors.Is(err, keystore.ErrTimeout):
		return tr.X("key.err_timeout", "The keychain did not unlock in time: answer its password prompt, then try again."), true
	case errors.Is(err, keystore.ErrTooLarge):
		return tr.X("key.err_too_large", "This is too long to be an API key (a real one is about 110 characters)."), true
	case errors.Is(err, keystore.ErrInvalidKey) && errors.As(err, &ke) && len(ke.Findings) > 0:
		return tr.X("key.err_invalid", "This key was not stored: {{.Reason}}", "Reason", ke.Findings[0].Summary.In(tr.Lang())), true
	case errors.Is(err, keystore.ErrInvalidKey):
		return tr.X("key.err_invalid", "This key was not stored: {{.Reason}}", "Reason", err.Error()), true
	case errors.Is(err, ErrChangedSince):
		return tr.X("fix.err_changed", "Your Claude Code settings changed since this check, so nothing was changed: test again, then apply the fix."), true
	case errors.Is(err, claudecfg.ErrChangedOnDisk):
		return tr.X("fix.err_changed_on_disk", "The settings file changed while Claude Medic was editing it, so nothing was changed: try again."), true
	case errors.Is(err, claudecfg.ErrReadOnly):
		return tr.X("fix.err_read_only", "The settings file is read-only, so nothing was changed: make it writable if Claude Medic should edit it."), true
	case errors.As(err, &se):
		return tr.X("fix.err_invalid_json", "The settings file is not valid JSON (line {{.Line}}, column {{.Column}}), so nothing was changed: fix it by hand or restore a backup.", "Line", se.Line, "Column", se.Column), true
	case errors.As(err, &fe):
		return explainFile(fe, tr), true
	case errors.As(err, &we):
		return explainWrite(we, tr), true
	case errors.As(err, &ke) && ke.Kind == nil:
		return tr.X("key.err_failed", "The keychain could not finish {{.Op}} the key ({{.Reason}}), so nothing was changed: try again.", "Op", keyOp(tr, ke.Op), "Reason", osReason(tr, ke.Err)), true
	case errors.Is(err, ErrNeedsInput):
		return tr.X("fix.err_needs_input", "This fix needs an input first (the key, or the CA file)."), true
	case errors.Is(err, ErrNoFix):
		return tr.X("fix.err_no_fix", "This finding has no fix to apply."), true
	}
	if p, ok := claudesettings.ProblemOf(err); ok { // a value Claude Code would not read as meant
		return p.In(tr.Lang()), true
	}
	return err.Error(), false
}

// explainFile words a settings file Claude Medic will not read or edit.
func explainFile(fe *claudecfg.FileError, tr i18n.Printer) string {
	switch {
	case errors.Is(fe, claudecfg.ErrReadOnly) && fe.Link != "":
		return tr.X("fix.err_read_only_link", "{{.File}} is a link to {{.Link}}, which is read-only, so nothing was changed: if a tool such as home-manager made it, change the setting there.", "File", fe.File, "Link", fe.Link)
	case errors.Is(fe, claudecfg.ErrReadOnly):
		return tr.X("fix.err_read_only", "The settings file is read-only, so nothing was changed: make it writable if Claude Medic should edit it.")
	case errors.Is(fe, claudecfg.ErrNotUTF8):
		return tr.X("fix.err_not_utf8", "{{.File}} is not UTF-8 text (line {{.Line}}, column {{.Column}}), so Claude Medic does not edit it: save it as UTF-8 first.", "File", fe.File, "Line", fe.Line, "Column", fe.Column)
	case errors.Is(fe, claudecfg.ErrNotObject):
		return tr.X("fix.err_not_object", "{{.File}} does not hold a JSON object ({ … }), so Claude Medic does not edit it: fix it by hand or restore a backup.", "File", fe.File)
	case errors.Is(fe, claudecfg.ErrTooLarge):
		return tr.X("fix.err_too_large", "{{.File}} is too large to be a settings file (at most 1 MB), so Claude Medic does not read or edit it.", "File", fe.File)
	case errors.Is(fe, claudecfg.ErrStateFile):
		return tr.X("fix.err_state_file", "{{.File}} is Claude Code's own state file, which Claude Medic never edits.", "File", fe.File)
	}
	return tr.X("fix.err_not_regular", "{{.File}} is not a regular file (a folder, say), so Claude Medic does not read or edit it.", "File", fe.File)
}

// explainWrite words a write that failed on its way: nothing was changed.
func explainWrite(we *claudecfg.WriteError, tr i18n.Printer) string {
	reason := osReason(tr, we.Err)
	switch we.Step {
	case "lock":
		return tr.X("fix.err_lock", "Could not lock {{.File}} for the edit ({{.Reason}}), so nothing was changed: try again.", "File", we.File, "Reason", reason)
	case "backup":
		return tr.X("fix.err_backup", "Could not back up {{.File}} before the edit ({{.Reason}}), so nothing was changed.", "File", we.File, "Reason", reason)
	}
	return tr.X("fix.err_write", "Could not write {{.File}} ({{.Reason}}), so nothing was changed.", "File", we.File, "Reason", reason)
}

// keyOp is a keystore.Error's Op ("storing", "reading", "deleting") in tr's words.
func keyOp(tr i18n.Printer, op string) string {
	switch op {
	case "storing":
		return tr.X("key.op_storing", "storing")
	case "deleting":
		return tr.X("key.op_deleting", "deleting")
	}
	return tr.X("key.op_reading", "reading")
}

// osReason is a system error in tr's words, for the failures a person can
// act on; any other is the system's own words.
func osReason(tr i18n.Printer, err error) string {
	switch {
	case err == nil:
		return tr.X("os.failed", "it failed")
	case errors.Is(err, fs.ErrPermission):
		return tr.X("os.permission", "permission denied")
	case errors.Is(err, syscall.ENOSPC):
		return tr.X("os.no_space", "the disk is full")
	case errors.Is(err, syscall.EROFS):
		return tr.X("os.read_only_fs", "the file system is read-only")
	case errors.Is(err, syscall.ENOTDIR):
		return tr.X("os.not_dir", "a folder on the way is a file")
	case errors.Is(err, fs.ErrNotExist):
		return tr.X("os.not_found", "a folder on the way does not exist")
	case errors.Is(err, context.DeadlineExceeded):
		return tr.X("os.timeout", "it took too long")
	}
	return err.Error()
}
