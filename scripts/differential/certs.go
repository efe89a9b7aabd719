//go:build differential

package differential

import (
	"crypto/tls"
	"time"

	"claudemedic/netcheck/netchecktest"
)

// pki is every certificate one run needs, made once and shared by the fakes.
type pki struct {
	root, rogue, inter                                     *netchecktest.Authority
	good, other, expired, untrusted, chained, chainMissing tls.Certificate
}

func newPKI() (*pki, error) {
	p := &pki{}
	var err error
	if p.root, err = netchecktest.NewAuthority("Differential Root CA", nil); err != nil {
		return nil, err
	}
	if p.rogue, err = netchecktest.NewAuthority("Unknown Inspection CA", nil); err != nil {
		return nil, err
	}
	if p.inter, err = netchecktest.NewAuthority("Differential Intermediate CA", p.root); err != nil {
		return nil, err
	}
	now := time.Now()
	hosts := []string{apiHost, otherHost, "localhost", "127.0.0.1"}
	nb, na := now.Add(-time.Hour), now.Add(24*time.Hour)
	if p.good, err = p.root.Leaf(hosts, nb, na); err != nil {
		return nil, err
	}
	if p.other, err = p.root.Leaf([]string{"other.example.net"}, nb, na); err != nil {
		return nil, err
	}
	if p.expired, err = p.root.Leaf(hosts, now.Add(-60*24*time.Hour), now.Add(-30*24*time.Hour)); err != nil {
		return nil, err
	}
	if p.untrusted, err = p.rogue.Leaf(hosts, nb, na); err != nil {
		return nil, err
	}
	if p.chained, err = p.inter.Leaf(hosts, nb, na, p.inter); err != nil {
		return nil, err
	}
	if p.chainMissing, err = p.inter.Leaf(hosts, nb, na); err != nil {
		return nil, err
	}
	return p, nil
}
