package netcheck

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"claudemedic/claudesettings"
)

// tlsFailure names why a verified TLS handshake with host failed, from the
// x509 errors of a normal verification (never by skipping it).
func tlsFailure(err error, host, port string, tr trust) Finding {
	var (
		invalid  x509.CertificateInvalidError
		hostname x509.HostnameError
		unknown  x509.UnknownAuthorityError
		verify   *tls.CertificateVerificationError
	)
	msg := err.Error()
	switch {
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		c := invalid.Cert
		issued := ""
		if n := certName(c); n != host {
			issued = " (" + n + ")"
		}
		if c.NotAfter.Before(time.Now()) {
			return newFinding(TLSExpired, CheckTLS, claudesettings.Text{EN: fmt.Sprintf("The certificate of %s%s expired on %s.", host, issued, c.NotAfter.UTC().Format("2006-01-02 15:04 MST")), ZH: fmt.Sprintf("%s 的证书%s已于 %s 过期。", host, issued, c.NotAfter.UTC().Format("2006-01-02 15:04 MST"))})
		}
		return newFinding(TLSExpired, CheckTLS, claudesettings.Text{EN: fmt.Sprintf("The certificate of %s%s is not valid until %s: it is brand new, or this machine's clock is behind.", host, issued, c.NotBefore.UTC().Format("2006-01-02 15:04 MST")), ZH: fmt.Sprintf("%s 的证书%s要到 %s 才生效：证书刚签发，或本机时钟慢了。", host, issued, c.NotBefore.UTC().Format("2006-01-02 15:04 MST"))})
	case errors.As(err, &hostname):
		names := certHosts(hostname.Certificate)
		return newFinding(TLSHostnameMismatch, CheckTLS, claudesettings.Text{EN: fmt.Sprintf("The certificate served at %s:%s is for %s, not for %s.", host, port, names, host), ZH: fmt.Sprintf("%s:%s 提供的证书属于 %s，而不是 %s。", host, port, names, host)})
	case errors.As(err, &unknown):
		issuer := "an unknown authority"
		if unknown.Cert != nil {
			issuer = issuerName(unknown.Cert)
		}
		var chain []*x509.Certificate
		if errors.As(err, &verify) {
			chain = verify.UnverifiedCertificates
		}
		note := tr.untrustedNote(chain, host)
		return newFinding(TLSUntrusted, CheckTLS, claudesettings.Text{EN: fmt.Sprintf("The certificate of %s is issued by %s, which Claude Code does not trust here (a TLS-inspecting proxy or a private CA).", host, issuer) + note.EN, ZH: fmt.Sprintf("%s 的证书由 %s 签发，Claude Code 在本机不信任它（可能是做 TLS 检查的代理或私有 CA）。", host, issuer) + note.ZH})
	case errors.As(err, &verify):
		note := tr.untrustedNote(nil, host)
		return newFinding(TLSUntrusted, CheckTLS, claudesettings.Text{EN: fmt.Sprintf("The certificate of %s does not verify: %v.", host, verify.Err) + note.EN, ZH: fmt.Sprintf("%s 的证书验证失败：%v。", host, verify.Err) + note.ZH})
	case strings.Contains(msg, "protocol version") || strings.Contains(msg, "unsupported protocol version") ||
		strings.Contains(msg, "no supported versions"):
		return newFinding(TLSOldVersion, CheckTLS, claudesettings.Text{EN: fmt.Sprintf("%s:%s offers only TLS versions below 1.2 (%s).", host, port, alertText(msg)), ZH: fmt.Sprintf("%s:%s 只提供低于 1.2 的 TLS 版本（%s）。", host, port, alertText(msg))})
	case isReset(err):
		return newFinding(TLSReset, CheckTLS, claudesettings.Text{EN: fmt.Sprintf("The connection to %s:%s was reset during the TLS handshake, right after the ClientHello (%s).", host, port, errText(err, 0)), ZH: fmt.Sprintf("与 %s:%s 的连接在 TLS 握手中、刚发出 ClientHello 后被重置（%s）。", host, port, errTextZH(err, 0))})
	}
	return newFinding(TLSHandshakeFailed, CheckTLS, claudesettings.Text{EN: fmt.Sprintf("The TLS handshake with %s:%s failed: %s.", host, port, alertText(msg)), ZH: fmt.Sprintf("与 %s:%s 的 TLS 握手失败：%s。", host, port, alertText(msg))})
}

// tlsSuccess describes a handshake that verified, and warns when it went
// through a middlebox or without HTTP/2.
func (r *run) tlsSuccess(cs *tls.ConnectionState, cfg config, host string) (claudesettings.Text, []Finding) {
	var fs []Finding
	leaf := cs.PeerCertificates[0]
	alpn := cs.NegotiatedProtocol
	if alpn == "" {
		alpn = "no ALPN"
	}
	sum := claudesettings.Text{EN: fmt.Sprintf("%s, %s, %s; certificate for %s issued by %s, valid until %s.", tls.VersionName(cs.Version),
		tls.CipherSuiteName(cs.CipherSuite), alpn, host, issuerName(leaf), leaf.NotAfter.UTC().Format("2006-01-02")), ZH: fmt.Sprintf("%s，%s，%s；%s 的证书由 %s 签发，有效期至 %s。", tls.VersionName(cs.Version),
		tls.CipherSuiteName(cs.CipherSuite), alpn, host, issuerName(leaf), leaf.NotAfter.UTC().Format("2006-01-02"))}

	if len(cs.VerifiedChains) > 0 && len(cs.VerifiedChains[0]) > 0 {
		ch := cs.VerifiedChains[0]
		from := cfg.trust.rootStore(ch[len(ch)-1])
		stores := cfg.trust.storeNames()
		sum.EN += fmt.Sprintf(" The chain ends at %s, from %s; Claude Code trusts %s.", certName(ch[len(ch)-1]), from.EN, stores.EN)
		sum.ZH += fmt.Sprintf("证书链止于 %s（来自%s）；Claude Code 信任%s。", certName(ch[len(ch)-1]), from.ZH, stores.ZH)
	}
	if cs.NegotiatedProtocol != "h2" {
		fs = append(fs, newFinding(HTTP2Unavailable, CheckTLS, claudesettings.Text{EN: fmt.Sprintf("%s did not choose HTTP/2 in ALPN (%s): something between may be an old proxy or relay.", host, alpn), ZH: fmt.Sprintf("%s 在 ALPN 中没有选择 HTTP/2（%s）：中间可能有老旧的代理或中转。", host, alpn)}))
	}
	if isAnthropicHost(host) && !publicRoot(cs.VerifiedChains) {
		fs = append(fs, newFinding(TLSIntercepted, CheckTLS, claudesettings.Text{EN: fmt.Sprintf("The certificate for %s is issued by %s and does not chain to a public (Mozilla) root, as the Claude API's own does: a middlebox decrypts this traffic.", host, issuerName(leaf)), ZH: fmt.Sprintf("%s 的证书由 %s 签发，没有链到公共（Mozilla）根证书，而 Claude API 自己的证书是会链到的：有中间设备在解密这些流量。", host, issuerName(leaf))}))
	}
	return sum, fs
}

// isAnthropicHost reports whether host is one of the Claude API's public
// hosts, whose real certificates chain to a public root. A relay at another
// host signed by a private CA is not interception.
func isAnthropicHost(host string) bool {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	for _, d := range []string{"anthropic.com", "claude.ai", "claude.com"} {
		if h == d || strings.HasSuffix(h, "."+d) {
			return true
		}
	}
	return false
}

func certName(c *x509.Certificate) string {
	if c == nil {
		return "unknown"
	}
	if c.Subject.CommonName != "" {
		return c.Subject.CommonName
	}
	return c.Subject.String()
}

func issuerName(c *x509.Certificate) string {
	if c.Issuer.CommonName != "" {
		return fmt.Sprintf("%q", c.Issuer.CommonName)
	}
	return fmt.Sprintf("%q", c.Issuer.String())
}

// certHosts lists the names and addresses a certificate is for.
func certHosts(c *x509.Certificate) string {
	if c == nil {
		return "another host"
	}
	var names []string
	names = append(names, c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	if len(names) == 0 {
		names = append(names, c.Subject.CommonName)
	}
	if len(names) > 4 {
		names = append(names[:4], "…")
	}
	return strings.Join(names, ", ")
}

// alertText strips Go's prefixes from a TLS error.
func alertText(msg string) string {
	if i := strings.LastIndex(msg, "tls: "); i >= 0 {
		return msg[i+len("tls: "):]
	}
	return msg
}
