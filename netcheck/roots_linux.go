//go:build linux && !android

package netcheck

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// systemRoots is x509.SystemCertPool on Linux, built from the same files in
// the same order as Go builds it (crypto/x509's root_unix.go and
// root_linux.go, Go 1.26: the first bundle file that reads, SSL_CERT_FILE
// instead of the distributions' list when set, then every file of the CA
// folders, SSL_CERT_DIR's when set, but the symlinks within a folder), with
// one difference: each certificate is decoded and parsed once. Debian's
// /etc/ssl/certs holds each root twice, in ca-certificates.crt and as its
// own .pem file, and Go parses both copies (then again, lazily, to verify):
// a third of the CPU time of `claudemedic check` went there. Each call gets
// its own copy, as from SystemCertPool.
func systemRoots() (*x509.CertPool, error) {
	p, err := linuxRoots()
	if err != nil {
		return nil, err
	}
	return p.Clone(), nil
}

var linuxRoots = sync.OnceValues(loadLinuxRoots)

// loadLinuxRoots reads the roots (systemRoots says how).
func loadLinuxRoots() (*x509.CertPool, error) {
	files := []string{
		"/etc/ssl/certs/ca-certificates.crt",                // Debian/Ubuntu/Gentoo etc.
		"/etc/pki/tls/certs/ca-bundle.crt",                  // Fedora/RHEL 6
		"/etc/ssl/ca-bundle.pem",                            // OpenSUSE
		"/etc/pki/tls/cacert.pem",                           // OpenELEC
		"/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem", // CentOS/RHEL 7
		"/etc/ssl/cert.pem",                                 // Alpine Linux
	}
	if f := os.Getenv("SSL_CERT_FILE"); f != "" {
		files = []string{f}
	}
	dirs := []string{"/etc/ssl/certs", "/etc/pki/tls/certs"}
	if d := os.Getenv("SSL_CERT_DIR"); d != "" {
		dirs = strings.Split(d, ":")
	}

	// seen: the certificates added, by their DER; texts: the PEM text of
	// each block read, so a file that repeats one of the bundle's blocks
	// (Debian's one file per root) is known without decoding it again.
	pool, seen, texts, n := x509.NewCertPool(), map[string]bool{}, map[string]bool{}, 0
	add := func(data []byte) {
		if texts[string(bytes.TrimSpace(data))] {
			return
		}
		for len(data) > 0 {
			var block *pem.Block
			rest := data
			if block, rest = pem.Decode(data); block == nil {
				return
			}
			texts[string(bytes.TrimSpace(data[:len(data)-len(rest)]))] = true
			data = rest
			if block.Type != "CERTIFICATE" || len(block.Headers) != 0 || seen[string(block.Bytes)] {
				continue
			}
			seen[string(block.Bytes)] = true
			if c, err := x509.ParseCertificate(block.Bytes); err == nil {
				pool.AddCert(c)
				n++
			}
		}
	}
	var firstErr error
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err == nil {
			add(data)
			break
		}
		if firstErr == nil && !os.IsNotExist(err) {
			firstErr = err
		}
	}
	for _, dir := range dirs {
		entries, err := os.ReadDir(dir)
		if err != nil {
			if firstErr == nil && !os.IsNotExist(err) {
				firstErr = err
			}
			continue
		}
		for _, e := range entries {
			if e.Type()&fs.ModeSymlink != 0 {
				if target, err := os.Readlink(filepath.Join(dir, e.Name())); err == nil && !strings.Contains(target, "/") {
					continue // a hash name for a file of this folder: read once, under its own name
				}
			}
			if data, err := os.ReadFile(dir + "/" + e.Name()); err == nil {
				add(data)
			}
		}
	}
	if n > 0 || firstErr == nil {
		return pool, nil
	}
	return nil, firstErr
}

// LoadRoots loads the system's certificate roots now (once per process), so
// a check started later finds them ready: internal/warm calls it in a
// goroutine while the program starts.
func LoadRoots() { _, _ = linuxRoots() }
