//go:build (dragonfly && cgo) || (freebsd && cgo) || linux || netbsd || openbsd

package keystore

import (
	"errors"
	"net"
	"os"
	"strings"
	"syscall"

	"github.com/godbus/dbus/v5"
)

// classify maps an error from go-keyring's Secret Service client to a kind:
//   - the session bus cannot be reached (no bus, a socket where nothing
//     listens), or nothing owns org.freedesktop.secrets: ErrNoSecretService;
//   - the login collection stays locked: go-keyring reports "failed to unlock
//     correct collection" (the unlock prompt was dismissed, or no prompter
//     could be shown), or the service answers IsLocked: ErrLocked;
//   - the service did not answer: ErrTimeout.
func classify(err error) error {
	var de dbus.Error
	var dep *dbus.Error
	if errors.As(err, &dep) && dep != nil {
		de = *dep
	}
	if de.Name != "" || errors.As(err, &de) {
		switch {
		case de.Name == "org.freedesktop.DBus.Error.ServiceUnknown",
			de.Name == "org.freedesktop.DBus.Error.NameHasNoOwner",
			strings.HasPrefix(de.Name, "org.freedesktop.DBus.Error.Spawn."):
			return ErrNoSecretService
		case de.Name == "org.freedesktop.Secret.Error.IsLocked":
			return ErrLocked
		case de.Name == "org.freedesktop.DBus.Error.NoReply", de.Name == "org.freedesktop.DBus.Error.Timeout":
			return ErrTimeout
		}
		return nil
	}
	var oe *net.OpError
	var pe *os.PathError
	switch {
	case errors.As(err, &oe), errors.As(err, &pe),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ENOENT):
		return ErrNoSecretService
	case strings.HasPrefix(err.Error(), "dbus: "): // no bus address, authentication failed, connection closed
		return ErrNoSecretService
	case strings.Contains(err.Error(), "failed to unlock correct collection"):
		return ErrLocked
	}
	return nil
}
