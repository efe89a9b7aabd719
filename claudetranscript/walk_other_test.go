//go:build !linux

package claudetranscript

import "errors"

func mkfifo(path string) error { return errors.ErrUnsupported }
