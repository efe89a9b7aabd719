package gui

import (
	"errors"

	"fyne.io/fyne/v2/lang"

	"claudemedic/keystore"
)

// keyError says what a keychain error means and what to do, in the window's language.
func keyError(err error) string {
	var ke *keystore.Error
	switch {
	case errors.Is(err, keystore.ErrNotFound):
		return lang.X("key.none", "No key stored")
	case errors.Is(err, keystore.ErrNoSecretService):
		return lang.X("key.err_no_service", "No keychain service is running: start GNOME Keyring or KWallet, then try again.")
	case errors.Is(err, keystore.ErrLocked):
		return lang.X("key.err_locked", "The keychain is locked: unlock it (Passwords and Keys, or KWallet), then try again.")
	case errors.Is(err, keystore.ErrTimeout):
		return lang.X("key.err_timeout", "The keychain did not unlock in time: answer its password prompt, then try again.")
	case errors.Is(err, keystore.ErrTooLarge):
		return lang.X("key.err_too_large", "This is too long to be an API key (a real one is about 110 characters).")
	case errors.Is(err, keystore.ErrInvalidKey) && errors.As(err, &ke) && len(ke.Findings) > 0:
		return lang.X("key.err_invalid", "This key was not stored: {{.Reason}}", map[string]any{"Reason": ke.Findings[0].Summary.In(Language())})
	case errors.Is(err, keystore.ErrInvalidKey):
		return lang.X("key.err_invalid", "This key was not stored: {{.Reason}}", map[string]any{"Reason": err.Error()})
	}
	return lang.X("key.err_other", "The keychain failed: {{.Err}}", map[string]any{"Err": err.Error()})
}
