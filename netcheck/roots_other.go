//go:build !linux || android

package netcheck

import "crypto/x509"

// systemRoots is the OS store: x509.SystemCertPool (on macOS and Windows a
// pool that verifies through the platform; see roots_linux.go for Linux).
func systemRoots() (*x509.CertPool, error) { return x509.SystemCertPool() }

// LoadRoots loads the system's certificate roots now (once per process, as
// Go caches them), and the bundled Mozilla roots, so a check started later
// finds them ready.
func LoadRoots() { _, _ = x509.SystemCertPool(); bundled() }
