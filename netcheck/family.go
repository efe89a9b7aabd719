package netcheck

import (
	"fmt"
	"net"

	"claudemedic/claudesettings"
)

// Address families. Claude Code (Bun) connects as Go's dialer does, trying
// IPv6 first and falling back to IPv4 when the IPv6 connect is refused or
// silent (measured: both reach the API within a second); but once a
// connection is made it stays on it, so an IPv6 path that accepts and then
// resets breaks it for good (measured). The request's own dial copies that;
// proveCause tries the other family once when the handshake fails.

// isIPv6 reports whether addr ("host:port" or an address) is an IPv6 address.
func isIPv6(addr string) bool {
	h, _, err := net.SplitHostPort(addr)
	if err != nil {
		h = addr
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.To4() == nil
}

// otherFamily returns the first address of addrs in the family addr is not
// in, joined with port, or "" when the host has none (or addr is unknown).
func otherFamily(addrs []net.IPAddr, addr, port string) string {
	if addr == "" {
		return ""
	}
	v6 := isIPv6(addr)
	for _, a := range addrs {
		if (a.IP.To4() == nil) != v6 {
			return net.JoinHostPort(a.IP.String(), port)
		}
	}
	return ""
}

// ipv6Broken turns the failure seen over IPv6 at v6 into IPV6_BROKEN, the
// handshake over IPv4 at v4 having succeeded.
func ipv6Broken(f Finding, host, v6, v4 string) Finding {
	what := claudesettings.Text{EN: "was reset during the TLS handshake", ZH: "在 TLS 握手中被重置"}
	if f.Code != TLSReset {
		what = claudesettings.Text{EN: "failed its TLS handshake", ZH: "TLS 握手失败"}
	}
	return newFinding(IPv6Broken, f.Check, claudesettings.Text{EN: fmt.Sprintf("%s resolves to IPv6 and IPv4. The connection over IPv6 (%s) %s, while over IPv4 (%s) the handshake succeeds: IPv6 is broken on the way to %s, and Claude Code, once connected over IPv6, does not fall back.", host, v6, what.EN, v4, host), ZH: fmt.Sprintf("%s 同时解析到 IPv6 和 IPv4。通过 IPv6（%s）的连接%s，而通过 IPv4（%s）握手成功：到 %s 的 IPv6 线路有故障，而 Claude Code 一旦通过 IPv6 连上就不会回退。", host, v6, what.ZH, v4, host)})
}
