package doctor

import (
	"errors"

	"claudemedic/claudecfg"
	"claudemedic/keystore"
)

// The errors of doctor's use cases carry facts; each front end words them
// (Explain for the window and the command line's sentences, the command
// line adding its own flags).

// ErrChangedSince is a fix refused because the user settings changed since
// the diagnosis read them: what was diagnosed may no longer hold, so nothing
// is changed until a new check. A *ChangedSinceError errors.Is it.
var ErrChangedSince = errors.New("changed since the diagnosis read it (another program, or you, edited it): nothing was changed; check again")

// ChangedSinceError is ErrChangedSince for one file. It is claudecfg's one
// "changed since read" guard (claudecfg.ChangedError) seen from a diagnosis:
// it errors.Is claudecfg.ErrChangedOnDisk too.
type ChangedSinceError struct{ File string }

func (e *ChangedSinceError) Error() string { return e.File + " " + ErrChangedSince.Error() }

// Unwrap makes errors.Is true for ErrChangedSince and claudecfg.ErrChangedOnDisk.
func (e *ChangedSinceError) Unwrap() []error {
	return []error{ErrChangedSince, claudecfg.ErrChangedOnDisk}
}

// PlaintextKeyError is pointing Claude Code at the keychain refused because
// the user settings hold a plaintext ANTHROPIC_API_KEY that Claude Code would
// use first: it must move into the keychain (Keychain.Use with move) or be
// removed by hand. Nothing was changed. It errors.Is
// keystore.ErrPlaintextInSettings.
type PlaintextKeyError struct {
	File    string // the user settings
	Key     string // the plaintext key, masked (claudesettings.MaskKey)
	Profile string
	Err     error // keystore's
}

func (e *PlaintextKeyError) Error() string {
	key := ""
	if e.Key != "" {
		key = " (" + e.Key + ")"
	}
	return e.File + ": " + keystore.ErrPlaintextInSettings.Error() + key + ": nothing was changed"
}

func (e *PlaintextKeyError) Unwrap() error { return e.Err }
