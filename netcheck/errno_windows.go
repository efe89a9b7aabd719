package netcheck

import "syscall"

// Winsock's codes for a refused and a reset connection, which do not match
// syscall.ECONNREFUSED and syscall.ECONNRESET on Windows.
var (
	refusedErrnos = []error{syscall.ECONNREFUSED, syscall.Errno(10061)}                                                          // WSAECONNREFUSED
	resetErrnos   = []error{syscall.ECONNRESET, syscall.ECONNABORTED, syscall.EPIPE, syscall.Errno(10054), syscall.Errno(10053)} // WSAECONNRESET, WSAECONNABORTED
)
