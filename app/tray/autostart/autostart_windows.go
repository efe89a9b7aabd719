//go:build windows

package autostart

import (
	"errors"
	"fmt"
	"strings"
	"syscall"

	"golang.org/x/sys/windows/registry"
)

// runKey is the key under HKCU whose values Windows runs at login; tests
// point it elsewhere.
var runKey = `Software\Microsoft\Windows\CurrentVersion\Run`

// Enable makes argv run at login: a value under HKCU\...\Run.
func Enable(argv []string) error {
	if len(argv) == 0 {
		return errors.New("starting at login: no program to start")
	}
	k, _, err := registry.CreateKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if err != nil {
		return fmt.Errorf("starting at login: %w", err)
	}
	defer k.Close()
	q := make([]string, len(argv))
	for i, a := range argv {
		q[i] = syscall.EscapeArg(a)
	}
	if len(argv[0]) > 0 && !strings.HasPrefix(q[0], `"`) {
		q[0] = `"` + q[0] + `"`
	}
	if err := k.SetStringValue(Name, strings.Join(q, " ")); err != nil {
		return fmt.Errorf("starting at login: %w", err)
	}
	return nil
}

// Disable removes the Run value. It is not an error when it was off.
func Disable() error {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.SET_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("no longer starting at login: %w", err)
	}
	defer k.Close()
	if err := k.DeleteValue(Name); err != nil && !errors.Is(err, registry.ErrNotExist) {
		return fmt.Errorf("no longer starting at login: %w", err)
	}
	return nil
}

// Enabled reports whether the Run value exists.
func Enabled() (bool, error) {
	k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	defer k.Close()
	_, _, err = k.GetStringValue(Name)
	if errors.Is(err, registry.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}
