// Package keystore keeps Claude Medic's API keys in the OS keychain (the
// Secret Service on Linux, the Keychain on macOS, the Credential Manager on
// Windows) through github.com/zalando/go-keyring: one service name, one
// account per profile. A key is validated before it is stored and never
// written anywhere else; Status shows it masked.
//
// A keychain call can block while the desktop asks for the keychain's
// password, so every call runs off the caller's goroutine, one at a time,
// bounded by the caller's context and DefaultTimeout.
package keystore

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/zalando/go-keyring"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// Service is the keychain service name every profile is stored under.
const Service = "claudemedic"

// DefaultProfile is the profile used when none is named.
const DefaultProfile = "default"

// DefaultTimeout bounds a keychain call when the caller's context allows
// longer: long enough to type the keychain's password at an unlock prompt.
const DefaultTimeout = 60 * time.Second

// MaxKeyBytes is the largest secret Set stores: the smallest platform limit
// (Windows' Credential Manager takes 2560 bytes), so a key that fits on one
// system fits on all. A real Anthropic key is about 110 bytes.
const MaxKeyBytes = 2560

// KeyStatus is what Status reports about a profile's key: never the key itself.
type KeyStatus struct {
	Profile  string
	Stored   bool                          // a key is in the keychain for the profile
	Masked   string                        // claudesettings.MaskKey of the key, "" when none is stored
	Kind     claudesettings.CredentialKind // how the key is meant to be sent (recorded by SetKind)
	Problems []netcheck.Finding            // shape problems of the stored key (one put there by another tool)
}

// Set validates key as an API key (what Claude Code's apiKeyHelper gives it,
// sent as x-api-key) and stores it for profile ("" means DefaultProfile).
// Surrounding whitespace (a pasted line's newline) is trimmed first.
func Set(ctx context.Context, profile, key string) error {
	return SetKind(ctx, profile, key, claudesettings.KindAPIKey)
}

// SetKind is Set for a credential of the given kind: claudesettings.KindBearer for
// a token sent as Authorization: Bearer (a relay's token, ANTHROPIC_AUTH_TOKEN).
// The kind is recorded with the profile's name, and a credential of the other
// kind (an sk-ant-oat… OAuth token as an API key, or the other way round) is
// refused with ErrInvalidKey.
func SetKind(ctx context.Context, profile, key string, kind claudesettings.CredentialKind) error {
	profile, err := checkProfile(profile)
	if err != nil {
		return err
	}
	key = strings.TrimSpace(key)
	if err := validate(profile, key, kind); err != nil {
		return err
	}
	_, err = call(ctx, func() (struct{}, error) {
		return struct{}{}, keyring.Set(Service, profile, key)
	})
	if err != nil {
		return newError("storing", profile, err, key)
	}
	if err := addProfile(profile, kind); err != nil {
		return fmt.Errorf("the key for profile %q is stored in the keychain, but the list of profiles could not be saved: %w", profile, err)
	}
	return nil
}

// validate refuses a key that is empty, too large or of the wrong shape for kind.
func validate(profile, key string, kind claudesettings.CredentialKind) error {
	invalid := func(reason string, findings []netcheck.Finding) error {
		return &Error{Op: "storing", Profile: profile, Kind: ErrInvalidKey, Reason: reason, Findings: findings}
	}
	switch {
	case key == "":
		return invalid("the key is empty", nil)
	case len(key) > MaxKeyBytes:
		return &Error{Op: "storing", Profile: profile, Kind: ErrTooLarge,
			Reason: fmt.Sprintf("it is %d bytes; the limit is %d", len(key), MaxKeyBytes)}
	case kind != claudesettings.KindAPIKey && kind != claudesettings.KindBearer:
		return fmt.Errorf("storing the key for profile %q: unknown credential kind %q", profile, kind)
	}
	if f := netcheck.InspectKey(key, kind); len(f) > 0 {
		return invalid(f[0].Summary.EN, f)
	}
	return nil
}

// Get returns the key stored for profile ("" means DefaultProfile), or an
// error that errors.Is ErrNotFound when there is none.
func Get(ctx context.Context, profile string) (string, error) {
	profile, err := checkProfile(profile)
	if err != nil {
		return "", err
	}
	key, err := call(ctx, func() (string, error) { return keyring.Get(Service, profile) })
	if err != nil {
		return "", newError("reading", profile, err, "")
	}
	return key, nil
}

// Delete removes profile's key from the keychain and its name from the list
// of profiles. It returns an error that errors.Is ErrNotFound when no key was stored.
func Delete(ctx context.Context, profile string) error {
	profile, err := checkProfile(profile)
	if err != nil {
		return err
	}
	_, err = call(ctx, func() (struct{}, error) { return struct{}{}, keyring.Delete(Service, profile) })
	if err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return newError("deleting", profile, err, "")
	}
	if rerr := removeProfile(profile); rerr != nil {
		return fmt.Errorf("the key for profile %q is deleted, but the list of profiles could not be saved: %w", profile, rerr)
	}
	if err != nil {
		return newError("deleting", profile, err, "")
	}
	return nil
}

// Status reports whether profile has a key, masked, with its shape problems.
// No key stored is a status (Stored false), not an error; a keychain that
// cannot be read is an error.
func Status(ctx context.Context, profile string) (KeyStatus, error) {
	profile, err := checkProfile(profile)
	if err != nil {
		return KeyStatus{}, err
	}
	st := KeyStatus{Profile: profile, Kind: kindOf(profile)}
	key, err := Get(ctx, profile)
	switch {
	case errors.Is(err, ErrNotFound):
		return st, nil
	case err != nil:
		return st, err
	}
	st.Stored, st.Masked = true, claudesettings.MaskKey(key)
	st.Problems = netcheck.InspectKey(key, st.Kind)
	return st, nil
}

// Getter returns a function that reads profile's key, for
// claudecfg.ResolveOptions.Keychain (which tells when a key is stored that
// Claude Code does not read). It returns "" and no error when no key is
// stored, so the caller needs no keystore error to tell "none" apart; a
// keychain that cannot be read (locked, no Secret Service) is an error. A
// profile the list of profiles does not name is not looked up at all, so a
// check never waits on a keychain prompt for a key that was never stored.
func Getter(profile string) func(ctx context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		if names, err := Profiles(); err == nil && !slices.Contains(names, orDefault(profile)) {
			return "", nil
		}
		key, err := Get(ctx, profile)
		if errors.Is(err, ErrNotFound) {
			return "", nil
		}
		return key, err
	}
}

// slot lets one keychain call run at a time: a second call waits (within its
// own deadline) while the first one waits for an unlock prompt, so one prompt
// shows, not one per call. go-keyring matches a prompt's answer to its call
// by the signals on a shared connection, which also wants one prompt at a time.
var slot = make(chan struct{}, 1)

// call runs f on its own goroutine and returns its result, or an error that
// errors.Is ErrTimeout when ctx's deadline or DefaultTimeout passes first
// (the caller's cancellation is returned as ctx.Err()). A call abandoned that
// way finishes in the background, its result dropped, and gives up its slot
// at once: a keychain that never answers (its daemon gone mid-prompt) cannot
// block every later call.
func call[T any](ctx context.Context, f func() (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, DefaultTimeout)
	defer cancel()
	var zero T
	if ctx.Err() != nil {
		return zero, ctxError(ctx)
	}
	select {
	case slot <- struct{}{}:
	case <-ctx.Done():
		return zero, ctxError(ctx)
	}
	release := sync.OnceFunc(func() { <-slot })
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer release()
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		release()
		return zero, ctxError(ctx)
	}
}

// orDefault is profile, or DefaultProfile for "".
func orDefault(profile string) string {
	if profile == "" {
		return DefaultProfile
	}
	return profile
}

func ctxError(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", ErrTimeout, ctx.Err())
	}
	return ctx.Err()
}
