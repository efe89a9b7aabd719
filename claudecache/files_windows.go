//go:build windows

package claudecache

import (
	"errors"
	"time"

	"golang.org/x/sys/windows"
)

// isCrossDevice reports a rename that failed because the two paths are on
// different volumes.
func isCrossDevice(err error) bool { return errors.Is(err, windows.ERROR_NOT_SAME_DEVICE) }

// symlinkTimes is a no-op on Windows: a copied link keeps the time of its copy.
func symlinkTimes(string, time.Time) error { return nil }
