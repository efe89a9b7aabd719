//go:build differential

package differential

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"time"
)

// The fake's certificates are its own, not netchecktest's: the certificate
// dimension needs an intermediate CA (a chain the server sends whole, or
// without its intermediate), which netchecktest's unexported authority does
// not make.

// authority is a throwaway CA (a root, or an intermediate signed by one).
type authority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

func (a *authority) pem() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: a.cert.Raw})
}

func serial() *big.Int {
	n, _ := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	return n
}

// newAuthority makes a CA named name, signed by parent (self-signed when nil).
func newAuthority(name string, parent *authority) (*authority, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{CommonName: name, Organization: []string{"claudemedic differential"}},
		NotBefore:             now.Add(-2 * time.Hour),
		NotAfter:              now.Add(48 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	signer, signerKey := tmpl, key
	if parent != nil {
		signer, signerKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, signer, &key.PublicKey, signerKey)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &authority{cert: cert, key: key}, nil
}

// leaf issues a server certificate for hosts, valid from nb to na; chain
// is sent after it (intermediates).
func (a *authority) leaf(hosts []string, nb, na time.Time, chain ...*authority) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: hosts[0]},
		NotBefore:    nb,
		NotAfter:     na,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	for _, h := range hosts {
		if ip := net.ParseIP(h); ip != nil {
			tmpl.IPAddresses = append(tmpl.IPAddresses, ip)
		} else {
			tmpl.DNSNames = append(tmpl.DNSNames, h)
		}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, a.cert, &key.PublicKey, a.key)
	if err != nil {
		return tls.Certificate{}, err
	}
	c := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
	for _, i := range chain {
		c.Certificate = append(c.Certificate, i.cert.Raw)
	}
	return c, nil
}

// pki is every certificate one run needs, made once and shared by the fakes.
type pki struct {
	root, rogue, inter                                     *authority
	good, other, expired, untrusted, chained, chainMissing tls.Certificate
}

func newPKI() (*pki, error) {
	p := &pki{}
	var err error
	if p.root, err = newAuthority("Differential Root CA", nil); err != nil {
		return nil, err
	}
	if p.rogue, err = newAuthority("Unknown Inspection CA", nil); err != nil {
		return nil, err
	}
	if p.inter, err = newAuthority("Differential Intermediate CA", p.root); err != nil {
		return nil, err
	}
	now := time.Now()
	hosts := []string{apiHost, otherHost, "localhost", "127.0.0.1"}
	nb, na := now.Add(-time.Hour), now.Add(24*time.Hour)
	if p.good, err = p.root.leaf(hosts, nb, na); err != nil {
		return nil, err
	}
	if p.other, err = p.root.leaf([]string{"other.example.net"}, nb, na); err != nil {
		return nil, err
	}
	if p.expired, err = p.root.leaf(hosts, now.Add(-60*24*time.Hour), now.Add(-30*24*time.Hour)); err != nil {
		return nil, err
	}
	if p.untrusted, err = p.rogue.leaf(hosts, nb, na); err != nil {
		return nil, err
	}
	if p.chained, err = p.inter.leaf(hosts, nb, na, p.inter); err != nil {
		return nil, err
	}
	if p.chainMissing, err = p.inter.leaf(hosts, nb, na); err != nil {
		return nil, err
	}
	return p, nil
}
