package doctor

import (
	"errors"

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
	switch {
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
