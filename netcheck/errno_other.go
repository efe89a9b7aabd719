//go:build !windows

package netcheck

import "syscall"

// The errors of a refused and a reset connection.
var (
	refusedErrnos = []error{syscall.ECONNREFUSED}
	resetErrnos   = []error{syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE}
)
