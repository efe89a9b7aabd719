//go:build linux && !android

package netcheck

import (
	"crypto/x509"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
)

// The system's roots as read once each are the roots Go reads: the same
// certificates (Equal compares them all).
func TestSystemRootsAreGos(t *testing.T) {
	ours, err := loadLinuxRoots()
	if err != nil {
		t.Fatal(err)
	}
	gos, err := x509.SystemCertPool()
	if err != nil {
		t.Fatal(err)
	}
	if !ours.Equal(gos) {
		t.Errorf("the roots differ from x509.SystemCertPool's")
	}
}

// SSL_CERT_FILE and SSL_CERT_DIR choose the files as Go does: a certificate
// in the bundle and again in the folder counts once, a symlink within the
// folder is not read, and a file that is not PEM adds nothing.
func TestSystemRootsFromEnvironment(t *testing.T) {
	ts := httptest.NewTLSServer(http.NotFoundHandler())
	ts.Close()
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
	dir := t.TempDir()
	bundle := filepath.Join(dir, "bundle.pem")
	certs := filepath.Join(dir, "certs")
	if err := os.Mkdir(certs, 0o755); err != nil {
		t.Fatal(err)
	}
	for path, data := range map[string][]byte{bundle: ca, filepath.Join(certs, "ca.pem"): ca, filepath.Join(certs, "README"): []byte("not a certificate")} {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("ca.pem", filepath.Join(certs, "abcd1234.0")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("SSL_CERT_FILE", bundle)
	t.Setenv("SSL_CERT_DIR", certs)
	p, err := loadLinuxRoots()
	if err != nil {
		t.Fatal(err)
	}
	want := x509.NewCertPool()
	want.AppendCertsFromPEM(ca)
	if !p.Equal(want) {
		t.Errorf("SSL_CERT_FILE and SSL_CERT_DIR: the pool is not the one CA")
	}
}

// BenchmarkSystemRoots is the roots read once each against Go's way.
func BenchmarkSystemRoots(b *testing.B) {
	b.Run("once-each", func(b *testing.B) {
		for b.Loop() {
			loadLinuxRoots()
		}
	})
	b.Run("go", func(b *testing.B) {
		var gos func() // Go caches its pool: read the same files its way
		gos = func() {
			p := x509.NewCertPool()
			if data, err := os.ReadFile("/etc/ssl/certs/ca-certificates.crt"); err == nil {
				p.AppendCertsFromPEM(data)
			}
			entries, _ := os.ReadDir("/etc/ssl/certs")
			for _, e := range entries {
				if target, err := os.Readlink(filepath.Join("/etc/ssl/certs", e.Name())); err == nil && filepath.Base(target) == target {
					continue
				}
				if data, err := os.ReadFile(filepath.Join("/etc/ssl/certs", e.Name())); err == nil {
					p.AppendCertsFromPEM(data)
				}
			}
		}
		for b.Loop() {
			gos()
		}
	})
}
