package netchecktest

import (
	"context"
	"net"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

// dnsServer is a tiny real DNS server on 127.0.0.1 (UDP): the names it knows
// resolve to 127.0.0.1 (and the dual-stack ones to ::1 too), every other
// name is NXDOMAIN.
type dnsServer struct {
	conn  net.PacketConn
	known map[string]bool // lower-case names with the final dot
	dual  map[string]bool // names that also have an AAAA record, ::1
}

// startDNS serves names (A 127.0.0.1) and dual (A 127.0.0.1 and AAAA ::1).
func startDNS(names, dual []string) (*dnsServer, error) {
	conn, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	d := &dnsServer{conn: conn, known: map[string]bool{}, dual: map[string]bool{}}
	for _, n := range names {
		d.known[strings.ToLower(n)+"."] = true
	}
	for _, n := range dual {
		n = strings.ToLower(n) + "."
		d.known[n], d.dual[n] = true, true
	}
	go d.serve()
	return d, nil
}

func (d *dnsServer) close() { d.conn.Close() }

// resolver returns a resolver whose every query goes to this server.
func (d *dnsServer) resolver() *net.Resolver {
	addr := d.conn.LocalAddr().String()
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var dl net.Dialer
		return dl.DialContext(ctx, "udp4", addr)
	}}
}

func (d *dnsServer) serve() {
	buf := make([]byte, 1500)
	for {
		n, from, err := d.conn.ReadFrom(buf)
		if err != nil {
			return
		}
		if out, ok := d.answer(buf[:n]); ok {
			d.conn.WriteTo(out, from)
		}
	}
}

func (d *dnsServer) answer(query []byte) ([]byte, bool) {
	var p dnsmessage.Parser
	h, err := p.Start(query)
	if err != nil {
		return nil, false
	}
	q, err := p.Question()
	if err != nil {
		return nil, false
	}
	known := d.known[strings.ToLower(q.Name.String())]
	rh := dnsmessage.Header{ID: h.ID, Response: true, Authoritative: true, RecursionDesired: h.RecursionDesired, RecursionAvailable: true}
	if !known {
		rh.RCode = dnsmessage.RCodeNameError
	}
	b := dnsmessage.NewBuilder(nil, rh)
	b.EnableCompression()
	if b.StartQuestions() != nil || b.Question(q) != nil || b.StartAnswers() != nil {
		return nil, false
	}
	if known && q.Type == dnsmessage.TypeA {
		rr := dnsmessage.ResourceHeader{Name: q.Name, Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET, TTL: 60}
		if b.AResource(rr, dnsmessage.AResource{A: [4]byte{127, 0, 0, 1}}) != nil {
			return nil, false
		}
	}
	if d.dual[strings.ToLower(q.Name.String())] && q.Type == dnsmessage.TypeAAAA {
		rr := dnsmessage.ResourceHeader{Name: q.Name, Type: dnsmessage.TypeAAAA, Class: dnsmessage.ClassINET, TTL: 60}
		if b.AAAAResource(rr, dnsmessage.AAAAResource{AAAA: [16]byte{15: 1}}) != nil {
			return nil, false
		}
	}
	out, err := b.Finish()
	return out, err == nil
}
