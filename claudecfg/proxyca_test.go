package claudecfg

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
)

// makeCert writes a certificate (a CA or not, valid from nb to na) as PEM or DER.
func makeCert(t *testing.T, dir, name string, isCA bool, nb, na time.Time, asPEM bool) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: nb, NotAfter: na, IsCA: isCA, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	data := der
	if asPEM {
		data = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestInspectCA(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	good := makeCert(t, dir, "corp-root.pem", true, now.Add(-time.Hour), now.Add(365*24*time.Hour), true)
	leaf := makeCert(t, dir, "server.pem", false, now.Add(-time.Hour), now.Add(time.Hour), true)
	expired := makeCert(t, dir, "old-root.pem", true, now.Add(-48*time.Hour), now.Add(-24*time.Hour), true)
	der := makeCert(t, dir, "root.cer", true, now.Add(-time.Hour), now.Add(time.Hour), false)
	text := filepath.Join(dir, "notes.txt")
	os.WriteFile(text, []byte("hello"), 0o644)
	bundle := filepath.Join(dir, "bundle.pem")
	a, _ := os.ReadFile(leaf)
	b, _ := os.ReadFile(good)
	os.WriteFile(bundle, append(a, b...), 0o644)

	ca, err := InspectCA(good)
	if err != nil || len(ca.CAs) != 1 || !strings.Contains(ca.CAs[0], "corp-root.pem") {
		t.Errorf("a good CA: %+v, %v", ca, err)
	}
	if ca, err := InspectCA(bundle); err != nil || len(ca.CAs) != 1 || ca.Others != 1 {
		t.Errorf("a bundle: %+v, %v", ca, err)
	}
	for _, tc := range []struct {
		path string
		is   error
		want string
	}{
		{leaf, ErrNoCA, "server certificate"},
		{expired, ErrNoCA, "expired"},
		{der, ErrNotPEM, "openssl x509 -inform der"},
		{text, ErrNotPEM, "Base-64"},
		{filepath.Join(dir, "missing.pem"), os.ErrNotExist, "reading the CA file"},
		{dir, nil, "is a folder"},
	} {
		_, err := InspectCA(tc.path)
		if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.is != nil && !errors.Is(err, tc.is)) {
			t.Errorf("%s: %v, want %q", filepath.Base(tc.path), err, tc.want)
		}
	}
}

func TestCheckProxyURL(t *testing.T) {
	for _, ok := range []string{"http://proxy:8080", "https://user:p%40ss@proxy.corp.example:3128", "http://127.0.0.1:7890"} {
		if err := claudesettings.CheckProxyURL(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for raw, want := range map[string]string{
		"socks5://127.0.0.1:1080":          "not SOCKS",
		"socks5h://u:secret@h:1":           "not SOCKS",
		"http://corp proxy:8080":           "not a URL",
		"proxy.corp:8080":                  "",
		"ftp://proxy:21":                   "ftp://",
		"http://:8080":                     "no host",
		"http://proxy:99999":               "above 65535",
		"http://pro|xy:8080":               "not a URL",
		"http://proxy:8080x":               "not a number",
		"http://user:hunter2@bad host:808": "not a URL",
	} {
		err := claudesettings.CheckProxyURL(raw)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", raw, err, want)
		}
		if err != nil && (strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "secret")) {
			t.Errorf("%s: the error shows the password: %v", raw, err)
		}
	}
}

func TestProfileLine(t *testing.T) {
	for shell, want := range map[string]string{
		"/bin/bash":     "~/.bashrc export NODE_EXTRA_CA_CERTS=/etc/ssl/corp.pem",
		"/usr/bin/zsh":  "~/.zshrc export NODE_EXTRA_CA_CERTS=/etc/ssl/corp.pem",
		"/usr/bin/fish": "~/.config/fish/config.fish set -gx NODE_EXTRA_CA_CERTS /etc/ssl/corp.pem",
		"":              "~/.profile export NODE_EXTRA_CA_CERTS=/etc/ssl/corp.pem",
	} {
		f, l := ProfileLine(shell, "/etc/ssl/corp.pem")
		if f+" "+l != want {
			t.Errorf("%q: %q %q", shell, f, l)
		}
	}
	if _, l := ProfileLine("/bin/bash", "/home/me/My Certs/it's.pem"); l != `export NODE_EXTRA_CA_CERTS='/home/me/My Certs/it'\''s.pem'` {
		t.Errorf("quoting: %s", l)
	}
}

func TestDisplayValueHidesSecrets(t *testing.T) {
	if got := claudesettings.DisplayValue(claudesettings.VarAPIKey, testKey); strings.Contains(got, testKey[12:len(testKey)-4]) || got == testKey {
		t.Errorf("key shown: %q", got)
	}
	if got := claudesettings.DisplayValue(claudesettings.VarHTTPSProxy, "http://me:hunter2@proxy:3128"); strings.Contains(got, "hunter2") {
		t.Errorf("proxy password shown: %q", got)
	}
	if got := claudesettings.DisplayValue(claudesettings.VarNoProxy, "localhost,127.0.0.1"); got != "localhost,127.0.0.1" {
		t.Errorf("NO_PROXY: %q", got)
	}
}
