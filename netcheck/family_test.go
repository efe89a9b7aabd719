package netcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
)

// The opposite of IPV6_BROKEN: the request connected over IPv4, which
// resets, while IPv6 works. Claude Code does not fall back once connected,
// so the failure stays, and its summary says IPv6 would work.
func TestProveCauseIPv4Broken(t *testing.T) {
	ca, caKey := testCert(t, "Family Test CA", true, nil, nil)
	leaf, leafKey := testCert(t, "dual.test", false, ca, caKey)
	ln6, err := tls.Listen("tcp6", "[::1]:0", &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{leaf.Raw}, PrivateKey: leafKey}}})
	if err != nil {
		t.Skipf("no IPv6 on ::1: %v", err)
	}
	defer ln6.Close()
	port := strconv.Itoa(ln6.Addr().(*net.TCPAddr).Port)
	ln4, err := net.Listen("tcp4", "127.0.0.1:"+port)
	if err != nil {
		t.Skipf("port %s is taken on 127.0.0.1: %v", port, err)
	}
	defer ln4.Close()
	go func() {
		for {
			c, err := ln6.Accept()
			if err != nil {
				return
			}
			go func() { c.(*tls.Conn).Handshake(); c.Close() }()
		}
	}()
	go func() {
		for {
			c, err := ln4.Accept()
			if err != nil {
				return
			}
			c.Read(make([]byte, 4096))
			c.(*net.TCPConn).SetLinger(0)
			c.Close()
		}
	}()
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	base, _ := url.Parse("https://dual.test:" + port)
	cfg := config{base: base, trust: trust{pool: pool}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s := &phases{ctx: ctx, connAddr: "127.0.0.1:" + port,
		dnsAddrs: []net.IPAddr{{IP: net.ParseIP("127.0.0.1")}, {IP: net.ParseIP("::1")}}}
	r := &run{opts: Options{Timeout: 5 * time.Second}}
	in := newFinding(TLSReset, CheckTLS, claudesettings.Text{EN: "reset.", ZH: "重置。"})
	f := r.proveCause(s, in, cfg, route{}, "dual.test", port)
	if f.Code != TLSReset || !strings.Contains(f.Summary.EN, "Over IPv6 ([::1]:"+port+") the handshake succeeds") || f.Summary.ZH == in.Summary.ZH {
		t.Errorf("%s: %+v", f.Code, f.Summary)
	}
	s.connAddr = "[::1]:" + port // a reset that one more handshake to the same address does not repeat
	if f := r.proveCause(s, in, cfg, route{}, "dual.test", port); f.Code != TLSPQBlocked {
		t.Errorf("a reset that a second handshake to the same address does not repeat is %s, want TLS_PQ_BLOCKED", f.Code)
	}
}

func TestOtherFamily(t *testing.T) {
	addrs := []net.IPAddr{{IP: net.ParseIP("::1")}, {IP: net.ParseIP("127.0.0.1")}, {IP: net.ParseIP("10.0.0.1")}}
	for addr, want := range map[string]string{"[::1]:443": "127.0.0.1:443", "127.0.0.1:443": "[::1]:443", "": ""} {
		if got := otherFamily(addrs, addr, "443"); got != want {
			t.Errorf("otherFamily(%q) = %q, want %q", addr, got, want)
		}
	}
	if got := otherFamily(addrs[1:], "127.0.0.1:443", "443"); got != "" {
		t.Errorf("no IPv6 address, yet %q", got)
	}
}
