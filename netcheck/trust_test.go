package netcheck

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
)

// testCert issues a certificate for name, signed by parent (self-signed
// when parent is nil).
func testCert(t *testing.T, name string, ca bool, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: ca, BasicConstraintsValid: true,
		DNSNames: []string{name}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	if ca {
		tmpl.KeyUsage, tmpl.DNSNames = x509.KeyUsageCertSign, nil
	}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c, key
}

func pemOf(blockType string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der})
}

// NODE_EXTRA_CA_CERTS read as Claude Code reads it: every file it cannot use
// whole gets a sentence (CA_FILE_INVALID), never a panic.
func TestReadCAFile(t *testing.T) {
	dir := t.TempDir()
	ca, caKey := testCert(t, "Corp Root CA", true, nil, nil)
	leaf, _ := testCert(t, "relay.corp.example", false, ca, caKey)
	keyDER, _ := x509.MarshalECPrivateKey(caKey)
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := pemOf("CERTIFICATE", ca.Raw)
	damaged := []byte(strings.Replace(string(pemOf("CERTIFICATE", leaf.Raw)), "M", "Q", 3))
	unreadable := write("unreadable.pem", good)
	os.Chmod(unreadable, 0)
	tests := []struct {
		name  string
		path  string
		certs int
		why   string // a word the sentence holds; "" when the file is used whole
	}{
		{"PEM CA", write("ca.pem", good), 1, ""},
		{"X509 CERTIFICATE header", write("x509.pem", pemOf("X509 CERTIFICATE", ca.Raw)), 1, ""},
		{"CA and server, with text around", write("bundle.pem", append(append([]byte("Corp root\n"), good...), pemOf("CERTIFICATE", leaf.Raw)...)), 2, ""},
		{"missing", filepath.Join(dir, "nope.pem"), 0, "does not exist"},
		{"a folder", dir, 0, "folder"},
		{"empty", write("empty.pem", nil), 0, "empty"},
		{"white space only", write("blank.pem", []byte("\n \n")), 0, "empty"},
		{"DER", write("ca.cer", ca.Raw), 0, "DER"},
		{"a private key", write("key.pem", pemOf("EC PRIVATE KEY", keyDER)), 0, "private key"},
		{"not PEM", write("text.pem", []byte("this is not a certificate\n")), 0, "no PEM certificate"},
		{"UTF-16", write("utf16.pem", append([]byte{0xff, 0xfe}, []byte(strings.Join(strings.Split(string(good), ""), "\x00"))...)), 0, "UTF-16"},
		{"damaged only", write("damaged.pem", damaged), 0, "damaged"},
		{"damaged and good", write("mixed.pem", append(append([]byte{}, good...), damaged...)), 1, "damaged"},
		{"server certificate only", write("server.pem", pemOf("CERTIFICATE", leaf.Raw)), 1, "no CA certificate"},
	}
	if os.Geteuid() != 0 { // root reads any file
		tests = append(tests, struct {
			name  string
			path  string
			certs int
			why   string
		}{"unreadable", unreadable, 0, "cannot be read"})
	}
	for _, tt := range tests {
		certs, why := readCAFile(tt.path)
		if len(certs) != tt.certs {
			t.Errorf("%s: %d certificates, want %d", tt.name, len(certs), tt.certs)
		}
		switch {
		case tt.why == "" && why.EN != "":
			t.Errorf("%s: %q, want the file used whole", tt.name, why.EN)
		case tt.why != "" && (!strings.Contains(why.EN, tt.why) || why.ZH == "" || !strings.Contains(why.EN, tt.path)):
			t.Errorf("%s: %+v, want a sentence with %q and the path", tt.name, why, tt.why)
		}
	}
}

func TestCertStores(t *testing.T) {
	both := []string{storeBundled, storeSystem}
	for _, tt := range []struct {
		store, nodeOptions string
		want               []string
	}{
		{"", "", both},
		{"bundled", "", []string{storeBundled}},
		{" System ", "", []string{storeSystem}},
		{"system,bundled,system", "", []string{storeSystem, storeBundled}},
		{"bundled,nss", "", []string{storeBundled}},
		{"nss", "", both},
		{",", "", both},
		{"", "--use-system-ca", []string{storeSystem}},
		{"", "--max-old-space-size=4096 --use-openssl-ca", []string{storeSystem}},
		{"", "--use-system-ca=1", both},
		{"", "--use-bundled-ca", both},
		{"bundled", "--use-system-ca", []string{storeBundled}}, // CLAUDE_CODE_CERT_STORE comes first
	} {
		got, why := certStores(claudesettings.Target{CertStore: claudesettings.Setting{Value: tt.store}, NodeOptions: claudesettings.Setting{Value: tt.nodeOptions}})
		if !slices.Equal(got, tt.want) || why.EN == "" || why.ZH == "" {
			t.Errorf("CLAUDE_CODE_CERT_STORE=%q NODE_OPTIONS=%q: %v (%s), want %v", tt.store, tt.nodeOptions, got, why.EN, tt.want)
		}
	}
}

// A CA that only the OS store trusts is trusted only when the stores
// include "system"; the untrusted note says so. The bundled Mozilla roots
// are there whenever "bundled" is.
func TestTrustStores(t *testing.T) {
	osCA, osKey := testCert(t, "OS-only Root", true, nil, nil)
	leaf, _ := testCert(t, "relay.corp.example", false, osCA, osKey)
	old := systemPool
	systemPool = func() (*x509.CertPool, error) {
		p := x509.NewCertPool()
		p.AddCert(osCA)
		return p, nil
	}
	t.Cleanup(func() {
		systemPool = old
		lastPool.Lock()
		lastPool.pool = nil
		lastPool.Unlock()
	})
	if n := len(bundled().certs); n < 100 {
		t.Fatalf("only %d bundled roots", n)
	}
	for _, tt := range []struct {
		target  claudesettings.Target
		trusted bool
		note    string
	}{
		{claudesettings.Target{}, true, ""},
		{claudesettings.Target{NodeOptions: claudesettings.Setting{Value: "--use-system-ca"}}, true, ""},
		{claudesettings.Target{CertStore: claudesettings.Setting{Value: "bundled"}}, false, "The OS store would trust it, but CLAUDE_CODE_CERT_STORE=bundled leaves it out."},
	} {
		tr := trustFor(tt.target)
		_, err := leaf.Verify(x509.VerifyOptions{Roots: tr.pool, DNSName: "relay.corp.example"})
		if (err == nil) != tt.trusted {
			t.Errorf("%+v: verify %v, want trusted %v", tt.target, err, tt.trusted)
		}
		if tt.trusted {
			if got := tr.rootStore(osCA); got.EN != "the OS store" {
				t.Errorf("root store %q", got.EN)
			}
			continue
		}
		if note := tr.untrustedNote([]*x509.Certificate{leaf}, "relay.corp.example"); !strings.Contains(note.EN, tt.note) || note.ZH == "" {
			t.Errorf("note %q, want %q", note.EN, tt.note)
		}
	}
	// A server's certificate alone in NODE_EXTRA_CA_CERTS is no authority
	// for Claude Code (OpenSSL needs a self-signed anchor): not trusted.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "leaf.pem"), pemOf("CERTIFICATE", leaf.Raw), 0o600)
	tr := trustFor(claudesettings.Target{CertStore: claudesettings.Setting{Value: "bundled"}, CAFile: claudesettings.Setting{Value: filepath.Join(dir, "leaf.pem")}})
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: tr.pool, DNSName: "relay.corp.example"}); err == nil || tr.problem.Code != CAFileInvalid {
		t.Errorf("a leaf in the CA file is trusted (%v) or not reported (%q)", err, tr.problem.Code)
	}
	if tr := trustFor(claudesettings.Target{CertStore: claudesettings.Setting{Value: "system"}}); tr.rootStore(bundled().certs[0]).EN != "the OS store" ||
		trustFor(claudesettings.Target{}).rootStore(bundled().certs[0]).EN != "the bundled Mozilla roots" {
		t.Error("a Mozilla root is not named as bundled when the bundled store is used, or the other way round")
	}
}
