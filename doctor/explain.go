package doctor

import (
	"errors"
	"strings"

	"claudemedic/claudecache"
	"claudemedic/claudecfg"
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
	}
	return err.Error(), false
}
