package keystore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zalando/go-keyring"

	"claudemedic/netcheck"
)

// The kinds of failure a person can act on. Every error this package returns
// for them errors.Is one of these; its message says what to do.
var (
	// ErrNotFound: no key is stored for the profile.
	ErrNotFound = errors.New("no key is stored in the keychain")
	// ErrNoSecretService: nothing on the session bus provides the Secret Service.
	ErrNoSecretService = errors.New("no keychain service (Secret Service) is running: " +
		"start gnome-keyring (gnome-keyring-daemon --start --components=secrets, or log in to a GNOME session) " +
		"or KWallet with its Secret Service enabled, then try again")
	// ErrLocked: the keychain is locked and was not unlocked (the prompt was dismissed or could not be shown).
	ErrLocked = errors.New("the keychain is locked: unlock the \"login\" keyring " +
		"(log in to the desktop, or unlock it in Passwords and Keys or KWallet Manager), then try again")
	// ErrTooLarge: the secret is larger than the platform's keychain takes
	// (macOS about 3000 bytes, Windows 2560).
	ErrTooLarge = errors.New("the key is too large for the keychain (macOS takes about 3000 bytes, Windows 2560; " +
		"an Anthropic key is about 110 characters)")
	// ErrInvalidKey: the key was refused before storing; Error.Reason says why.
	ErrInvalidKey = errors.New("the key was not stored")
	// ErrTimeout: the keychain did not answer in time, usually because it waits
	// for its password at an unlock prompt.
	ErrTimeout = errors.New("timed out waiting for the keychain to unlock: " +
		"answer the unlock prompt on your desktop (or unlock the keychain), then try again")
)

// Error is a failed keychain operation on one profile. It errors.Is its Kind
// and the underlying error. It never holds the secret.
type Error struct {
	Op       string             // what was being done: "storing", "reading", "deleting"
	Profile  string             // the profile
	Kind     error              // one of the Err* values above, or nil for another fault
	Reason   string             // why, for ErrInvalidKey and ErrTooLarge
	Findings []netcheck.Finding // for ErrInvalidKey: the shape problems, in English and Chinese
	Err      error              // the keychain's own error, if any
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s the key for profile %q: ", e.Op, e.Profile)
	switch {
	case e.Kind == nil && e.Err != nil:
		b.WriteString(e.Err.Error())
		return b.String()
	case e.Kind == nil:
		b.WriteString("failed")
		return b.String()
	}
	b.WriteString(e.Kind.Error())
	if e.Reason != "" {
		b.WriteString(": " + e.Reason)
	}
	if e.Err != nil && e.Kind != ErrTimeout && e.Kind != ErrNotFound {
		fmt.Fprintf(&b, " (%v)", e.Err)
	}
	return b.String()
}

// Unwrap gives errors.Is and errors.As the kind and the keychain's error.
func (e *Error) Unwrap() []error {
	var errs []error
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// newError classifies a keychain error for op on profile. If the error's text
// holds secret (an error from a platform tool echoing its input), it is
// replaced by a copy with the secret removed.
func newError(op, profile string, err error, secret string) *Error {
	e := &Error{Op: op, Profile: profile, Err: err}
	switch {
	case errors.Is(err, ErrTimeout):
		e.Kind, e.Err = ErrTimeout, errors.Unwrap(err)
	case errors.Is(err, context.Canceled):
		e.Kind, e.Err = nil, err
	case errors.Is(err, keyring.ErrNotFound):
		e.Kind = ErrNotFound
	case errors.Is(err, keyring.ErrSetDataTooBig):
		e.Kind = ErrTooLarge
	default:
		e.Kind = classify(err) // per platform; nil when unknown
	}
	if secret != "" && e.Err != nil && strings.Contains(e.Err.Error(), secret) {
		e.Err = errors.New(strings.ReplaceAll(e.Err.Error(), secret, "[the key]"))
	}
	return e
}
