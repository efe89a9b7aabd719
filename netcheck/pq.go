package netcheck

import (
	"crypto/tls"
	"fmt"
	"net"

	"claudemedic/claudesettings"
)

// claudeCurves are the key exchanges Claude Code's (Bun's) ClientHello
// offers, the post-quantum hybrid first: its key share makes the hello about
// 1.5 KB, two TCP segments, which some middleboxes reset.
var claudeCurves = []tls.CurveID{tls.X25519MLKEM768, tls.X25519, tls.CurveP256, tls.CurveP384}

// classicalCurves are claudeCurves without the post-quantum share: a hello
// of about 300 bytes, which proves whether the size was what was reset.
var classicalCurves = []tls.CurveID{tls.X25519, tls.CurveP256, tls.CurveP384}

// pqBlocked is TLS_PQ_BLOCKED: the handshake with host:port (at addr, when
// known) was reset with the post-quantum key share and succeeded without it.
func pqBlocked(host, port, addr string) Finding {
	at := ""
	if addr != "" && addr != net.JoinHostPort(host, port) {
		at = " (" + addr + ")"
	}
	return newFinding(TLSPQBlocked, CheckTLS, claudesettings.Text{EN: fmt.Sprintf("The connection to %s:%s%s was reset right after a ClientHello carrying a post-quantum key share (X25519MLKEM768, about 1.5 KB), as Claude Code's does; one more handshake without that share succeeded. A middlebox on the way drops large ClientHellos.", host, port, at), ZH: fmt.Sprintf("与 %s:%s%s 的连接在发出携带后量子密钥交换（X25519MLKEM768，约 1.5 KB，与 Claude Code 的相同）的 ClientHello 后立即被重置；不带它再握手一次则成功。链路上有中间设备丢弃较大的 ClientHello。", host, port, at)})
}
