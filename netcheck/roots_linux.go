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

	"golang.org/x/sys/unix"
)

// systemRoots is x509.SystemCertPool on Linux, built from the same files in
// the same order as Go builds it (crypto/x509's root_unix.go and
// root_linux.go, Go 1.26: the first bundle file that reads, SSL_CERT_FILE
// instead of the distributions' list when set, then every file of the CA
// folders, SSL_CERT_DIR's when set, but the symlinks within a folder), with
// one difference: each certificate is decoded and parsed once. Debian's
// /etc/ssl/certs holds each root twice, in ca-certificates.crt and as its
// own .pem file, and Go parses both copies (then again, lazily, to verify):
// a third of the CPU time of `claudemedic check` went there. A root that is
// also one of the bundled Mozilla roots (most of Debian's are) is not parsed
// again either: the bundle's parsed certificate serves both pools. Each call
// gets its own copy, as from SystemCertPool.
func systemRoots() (*x509.CertPool, error) {
	p, err := linuxRoots()
	if err != nil {
		return nil, err
	}
	return p.Clone(), nil
}

var (
	linuxRootsOnce sync.Once
	linuxRootsPool *x509.CertPool
	linuxRootsErr  error
)

// linuxRoots reads the roots once (a function, not a package variable, as
// trust.go's bundled says).
func linuxRoots() (*x509.CertPool, error) {
	linuxRootsOnce.Do(func() { linuxRootsPool, linuxRootsErr = loadLinuxRoots() })
	return linuxRootsPool, linuxRootsErr
}

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
	mozilla := bundled().raw
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
			if c := mozilla[string(block.Bytes)]; c != nil {
				pool.AddCert(c)
				n++
			} else if c, err := x509.ParseCertificate(block.Bytes); err == nil {
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
		d := openDir(dir)
		for _, e := range entries {
			if e.Type()&fs.ModeSymlink != 0 {
				if target, err := d.readlink(e.Name()); err == nil && !strings.Contains(target, "/") {
					continue // a hash name for a file of this folder: read once, under its own name
				}
			}
			if data, err := d.read(e.Name()); err == nil {
				add(data)
			}
		}
		d.close()
	}
	if n > 0 || firstErr == nil {
		return pool, nil
	}
	return nil, firstErr
}

// LoadRoots loads the system's certificate roots and the bundled Mozilla
// roots now (once per process), so a check started later finds them ready:
// internal/warm calls it in a goroutine while the program starts.
func LoadRoots() { _, _ = linuxRoots() }

// certDir reads the files of a CA folder as os.ReadFile and os.Readlink
// would, for less: relative to the folder (no path walk to it per file),
// into one buffer, with four system calls a file instead of six (no fstat,
// no epoll registration). A Debian folder holds about 300 entries, and
// reading them was most of the time the roots took (about 2.5 ms of 7).
type certDir struct {
	path string
	fd   int // -1 when the folder could not be opened: then by path
	buf  []byte
}

func openDir(path string) *certDir {
	fd, err := unix.Open(path, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		fd = -1
	}
	return &certDir{path: path, fd: fd, buf: make([]byte, 16<<10)}
}

func (d *certDir) close() {
	if d.fd >= 0 {
		unix.Close(d.fd)
	}
}

func (d *certDir) readlink(name string) (string, error) {
	if d.fd < 0 {
		return os.Readlink(filepath.Join(d.path, name))
	}
	b := make([]byte, 256)
	for {
		n, err := unix.Readlinkat(d.fd, name, b)
		if err != nil {
			return "", err
		}
		if n < len(b) {
			return string(b[:n]), nil
		}
		b = make([]byte, 2*len(b))
	}
}

// read returns the whole content of the file name, valid until the next read.
func (d *certDir) read(name string) ([]byte, error) {
	if d.fd < 0 {
		return os.ReadFile(d.path + "/" + name)
	}
	fd, err := openFile(d.fd, name)
	if err != nil {
		return nil, err
	}
	defer unix.Close(fd)
	n := 0
	for {
		if n == len(d.buf) {
			d.buf = append(d.buf, make([]byte, len(d.buf))...)
		}
		m, err := unix.Read(fd, d.buf[n:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if m == 0 {
			return d.buf[:n], nil
		}
		n += m
	}
}

func openFile(dir int, name string) (int, error) {
	for {
		fd, err := unix.Openat(dir, name, unix.O_RDONLY|unix.O_CLOEXEC, 0)
		if err != unix.EINTR {
			return fd, err
		}
	}
}
