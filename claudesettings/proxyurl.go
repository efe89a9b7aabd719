package claudesettings

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// ErrProxySOCKS is a SOCKS proxy URL: Claude Code supports HTTP and HTTPS
// proxies only (its requests fail with UnsupportedProxyProtocol).
var ErrProxySOCKS = errors.New("a SOCKS proxy")

// ProxyURLError says why a proxy setting is not a proxy Claude Code can use,
// in both languages. It never holds the setting's password.
type ProxyURLError struct {
	Reason Text
	// Unparsable is set when Claude Code itself cannot parse the value as a
	// URL ("Invalid proxy URL in HTTPS_PROXY … cannot be parsed as a URL")
	// and refuses to start; it is unset for a URL that parses but names a
	// scheme Claude Code cannot use (its requests fail instead).
	Unparsable bool
}

func (e *ProxyURLError) Error() string { return e.Reason.EN }

func proxyErr(en, zh string) error {
	return &ProxyURLError{Reason: Text{en, zh}, Unparsable: true}
}

// ParseProxyURL reads a proxy setting as Claude Code 2.1.330 does. Claude
// Code parses it with the WHATWG URL parser (JavaScript's new URL) and
// refuses a value that does not parse or has no host; Bun then supports only
// http:// and https:// proxies. So this follows the WHATWG rules where they
// differ from Go's url.Parse: surrounding spaces are stripped, tabs and
// newlines removed, "http:host:port" and backslashes are accepted, a port
// must be at most 65535, a host may not hold a space, "|", "^", "<", ">" or
// "%", and a host ending in a number must be an IPv4 address ("0x7f.1" is
// 127.0.0.1). The user name and password are percent-decoded, as they are
// sent on CONNECT (Proxy-Authorization: Basic).
//
// A value such as "proxy.corp:8080" has no scheme: Claude Code refuses it in
// a terminal (and reads it as http:// only when it runs without one, as
// `claude -p` in a script). ParseProxyURL refuses it, since a person's
// Claude Code would. The error is ErrProxySOCKS for a SOCKS proxy, else a
// *ProxyURLError; neither holds the password.
func ParseProxyURL(raw string) (*url.URL, error) {
	s := strings.TrimFunc(raw, func(r rune) bool { return r <= ' ' })
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
	if s == "" {
		return nil, proxyErr("it is empty", "它是空的")
	}
	scheme, rest, ok := cutScheme(s)
	if !ok {
		if schemeless.MatchString(s) {
			return nil, errNoScheme
		}
		return nil, proxyErr("it is not a URL with a scheme such as http://", "它不是带 http:// 这类协议头的 URL")
	}
	special := scheme == "http" || scheme == "https" || scheme == "ws" || scheme == "wss" || scheme == "ftp"
	var authority string
	switch {
	case special:
		rest = strings.TrimLeft(rest, `/\`)
		authority = rest[:indexAny(rest, `/\?#`)]
	case strings.HasPrefix(rest, "//"):
		rest = rest[2:]
		authority = rest[:indexAny(rest, `/?#`)]
	default:
		if schemeless.MatchString(s) {
			return nil, errNoScheme
		}
		return nil, proxyErr("there is no host name", "没有主机名")
	}
	if !strings.Contains(authority, "@") && strings.Contains(rest[len(authority):], "@") {
		// An @ after the host: a user name or password holds a character
		// that ends the host (/ ? # \). Say so without quoting any of it.
		unparsable := true
		if host, _, err := splitAuthority(authority); err == nil && host != "" {
			unparsable = false // it parses, as a proxy at the wrong host
		}
		return nil, &ProxyURLError{Unparsable: unparsable, Reason: Text{
			`the user name or password holds /, ?, # or \ as it is: write them percent-encoded (%2F, %3F, %23, %5C), as @ and : are (%40, %3A)`,
			`用户名或密码中直接含有 /、?、# 或 \：请写成百分号编码（%2F、%3F、%23、%5C），@ 和 : 也一样（%40、%3A）`}}
	}
	var user *url.Userinfo
	if at := strings.LastIndex(authority, "@"); at >= 0 {
		name, pass, hasPass := strings.Cut(authority[:at], ":")
		if hasPass {
			user = url.UserPassword(lenientUnescape(name), lenientUnescape(pass))
		} else {
			user = url.User(lenientUnescape(name))
		}
		authority = authority[at+1:]
	}
	host, port, err := splitAuthority(authority)
	if err != nil {
		return nil, err
	}
	switch {
	case strings.Contains(host, ":"): // an IPv6 address, checked by splitAuthority
	case special:
		host, err = specialHost(host)
	case strings.ContainsAny(host, forbiddenHost):
		i := strings.IndexAny(host, forbiddenHost)
		err = proxyErr(fmt.Sprintf("the host name holds %q, which a URL cannot hold there", host[i]),
			fmt.Sprintf("主机名中含有 URL 此处不允许的字符 %q", host[i]))
	}
	if err != nil {
		return nil, err
	}
	if host == "" {
		return nil, proxyErr("there is no host name", "没有主机名")
	}
	switch scheme {
	case "http", "https":
	case "socks", "socks4", "socks4a", "socks5", "socks5h":
		return nil, ErrProxySOCKS
	default:
		return nil, &ProxyURLError{Reason: Text{
			fmt.Sprintf("the scheme %s:// is not http:// or https://; Claude Code fails every request through it (UnsupportedProxyProtocol)", scheme),
			fmt.Sprintf("协议 %s:// 不是 http:// 或 https://；经由它的每个请求都会失败（UnsupportedProxyProtocol）", scheme)}}
	}
	hp := host
	if strings.Contains(host, ":") {
		hp = "[" + host + "]"
	}
	if port != "" {
		hp += ":" + port
	}
	return &url.URL{Scheme: scheme, User: user, Host: hp}, nil
}

// errNoScheme is a proxy written as host:port. Claude Code 2.1.330 refuses
// it in a terminal and reads it as http:// only without one (measured).
var errNoScheme = proxyErr("there is no scheme such as http:// in front of the host (Claude Code accepts that only when it runs without a terminal, as claude -p in a script)",
	"主机前面缺少 http:// 这样的协议头（只有在没有终端时，例如脚本里的 claude -p，Claude Code 才会接受）")

// schemeless is Claude Code's own test for a proxy written without a
// scheme: host:port, a port without a leading zero, maybe a final slash.
var schemeless = regexp.MustCompile(`(?i)^(\[[0-9a-f:.]+\]|[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]*[a-z0-9_])?)*):[1-9]\d{0,4}/?$`)

// cutScheme splits a URL's scheme (lower-cased) from the rest after the
// colon, as the WHATWG scheme state reads it.
func cutScheme(s string) (scheme, rest string, ok bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
		case i > 0 && ('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(s[:i]), s[i+1:], true
		default:
			return "", "", false
		}
	}
	return "", "", false
}

func indexAny(s, chars string) int {
	if i := strings.IndexAny(s, chars); i >= 0 {
		return i
	}
	return len(s)
}

// forbiddenHost are the WHATWG forbidden host code points (ASCII).
const forbiddenHost = "\x00\t\n\r #/:<>?@[\\]^|"

// splitAuthority splits host and port as the WHATWG host and port states do.
func splitAuthority(a string) (host, port string, err error) {
	if strings.HasPrefix(a, "[") {
		end := strings.IndexByte(a, ']')
		if end < 0 {
			return "", "", proxyErr("an IPv6 address in it lacks its closing ]", "其中的 IPv6 地址缺少右方括号 ]")
		}
		host, a = a[1:end], a[end+1:]
		if ip := net.ParseIP(host); ip == nil || ip.To4() != nil && !strings.Contains(host, ":") || strings.Contains(host, "%") {
			return "", "", proxyErr(fmt.Sprintf("[%s] is not an IPv6 address", host), fmt.Sprintf("[%s] 不是 IPv6 地址", host))
		}
		host = net.ParseIP(host).String()
		if a != "" && !strings.HasPrefix(a, ":") {
			return "", "", proxyErr("something follows the IPv6 address other than a port", "IPv6 地址后面跟着的不是端口")
		}
		a = strings.TrimPrefix(a, ":")
		if host == "" {
			return "", "", proxyErr("there is no host name", "没有主机名")
		}
		return host, a, checkPort(a)
	}
	host, port, _ = strings.Cut(a, ":")
	return host, port, checkPort(port)
}

func checkPort(p string) error {
	if p == "" {
		return nil
	}
	if strings.Trim(p, "0123456789") != "" {
		return proxyErr(fmt.Sprintf("the port %q is not a number", p), fmt.Sprintf("端口 %q 不是数字", p))
	}
	if n, err := strconv.ParseUint(p, 10, 32); err != nil || n > 65535 {
		return proxyErr(fmt.Sprintf("the port %s is above 65535", p), fmt.Sprintf("端口 %s 超过了 65535", p))
	}
	return nil
}

// specialHost checks and normalises an http(s) URL's host as the WHATWG host
// parser does: percent-decoded, mapped to ASCII (IDNA), no forbidden domain
// code point, and an IPv4 address when its last label is a number.
func specialHost(h string) (string, error) {
	if h == "" {
		return "", nil
	}
	dec, err := url.PathUnescape(h)
	if err != nil || !utf8.ValidString(dec) {
		return "", proxyErr("the host name holds a broken %-escape", "主机名中含有无效的 % 转义")
	}
	ascii := strings.ToLower(dec)
	if strings.ContainsFunc(dec, func(r rune) bool { return r >= utf8.RuneSelf }) || strings.Contains(ascii, "xn--") {
		if ascii, err = whatwgIDNA.ToASCII(dec); err != nil {
			return "", proxyErr(fmt.Sprintf("the host name %q is not a valid domain name", dec), fmt.Sprintf("主机名 %q 不是有效的域名", dec))
		}
	}
	for i := 0; i < len(ascii); i++ {
		if c := ascii[i]; c < 0x20 || c == 0x7f || c == '%' || strings.IndexByte(forbiddenHost, c) >= 0 {
			what := fmt.Sprintf("%q", c)
			if c == ' ' {
				what = "a space"
			}
			return "", proxyErr(fmt.Sprintf("the host name holds %s, which a URL cannot hold there", what),
				fmt.Sprintf("主机名中含有 URL 此处不允许的字符 %s", strings.Replace(what, "a space", "空格", 1)))
		}
	}
	labels := strings.Split(strings.TrimSuffix(ascii, "."), ".")
	if last := labels[len(labels)-1]; last != "" && (strings.Trim(last, "0123456789") == "" || ipv4Hex(last)) {
		ip, ok := whatwgIPv4(labels)
		if !ok {
			return "", proxyErr(fmt.Sprintf("%s ends in a number but is not an IPv4 address", ascii), fmt.Sprintf("%s 以数字结尾，却不是 IPv4 地址", ascii))
		}
		return ip, nil
	}
	return ascii, nil
}

// whatwgIDNA maps a domain to ASCII as the WHATWG URL standard's
// domain-to-ASCII does (UTS 46, non-transitional, no STD3 rules).
var whatwgIDNA = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.StrictDomainName(false),
	idna.BidiRule(), idna.CheckJoiners(true), idna.CheckHyphens(false))

func ipv4Hex(s string) bool {
	if len(s) < 2 || s[0] != '0' || s[1] != 'x' && s[1] != 'X' {
		return false
	}
	return strings.Trim(s[2:], "0123456789abcdefABCDEF") == ""
}

// whatwgIPv4 parses the labels as the WHATWG IPv4 parser does: one to four
// decimal, octal (leading 0) or hex (0x) numbers, the last filling the
// bytes that remain.
func whatwgIPv4(labels []string) (string, bool) {
	if len(labels) > 4 {
		return "", false
	}
	var nums []uint64
	for _, l := range labels {
		base, digits := 10, l
		switch {
		case ipv4Hex(l) || l == "0x" || l == "0X":
			base, digits = 16, l[2:]
		case len(l) > 1 && l[0] == '0':
			base, digits = 8, l[1:]
		}
		if digits == "" {
			nums = append(nums, 0)
			continue
		}
		n, err := strconv.ParseUint(digits, base, 64)
		if err != nil {
			return "", false
		}
		nums = append(nums, n)
	}
	var v uint64
	for i, n := range nums[:len(nums)-1] {
		if n > 255 {
			return "", false
		}
		v |= n << (8 * (3 - i))
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return "", false
	}
	v |= last
	return net.IPv4(byte(v>>24), byte(v>>16), byte(v>>8), byte(v)).String(), true
}

// lenientUnescape percent-decodes a user name or password, leaving a
// broken escape as it is written.
func lenientUnescape(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			n, _ := strconv.ParseUint(s[i+1:i+3], 16, 8)
			b.WriteByte(byte(n))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// RedactProxyURL shows a proxy setting without its credentials, whether
// or not it parses: "http://alice:xxxxx@proxy:8080" (a user name alone, which
// may be a token, is hidden too). A value that parses is shown as Claude
// Code reads it; one that does not hides everything between the scheme and
// its last "@". It is the one rule every report, error and screen uses for a
// proxy URL.
func RedactProxyURL(raw string) string {
	if u, err := ParseProxyURL(raw); err == nil {
		return RedactedURL(u)
	}
	at := strings.LastIndex(raw, "@")
	if at < 0 {
		return raw
	}
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 && i < at {
		start = i + 3
	}
	return raw[:start] + "xxxxx" + raw[at:]
}

// UnredactProxyURL is the proxy URL a person edited, starting from
// RedactProxyURL(saved) (a settings field shows the redacted form, never the
// password): where the edited URL's credentials still read as the redacted
// ones, saved's are put back, so changing the host or the port keeps the
// hidden password; credentials typed anew, or none, are taken as typed.
func UnredactProxyURL(edited, saved string) string {
	shown := RedactProxyURL(saved)
	if edited == shown {
		return saved
	}
	_, savedInfo, _, ok1 := splitUserinfo(saved)
	_, shownInfo, _, ok2 := splitUserinfo(shown)
	before, info, after, ok3 := splitUserinfo(edited)
	if !ok1 || !ok2 || !ok3 || info != shownInfo {
		return edited
	}
	return before + savedInfo + after
}

// splitUserinfo cuts a URL's text around its user info, as RedactProxyURL
// finds it: what comes before (the scheme and "://"), the user info as
// written, and the rest from its last "@"; ok is false without one.
func splitUserinfo(raw string) (before, info, after string, ok bool) {
	at := strings.LastIndex(raw, "@")
	if at < 0 {
		return "", "", "", false
	}
	start := 0
	if i := strings.Index(raw, "://"); i >= 0 && i < at {
		start = i + 3
	}
	return raw[:start], raw[start:at], raw[at:], true
}

// redactedProxy shows a parsed proxy URL without its credentials.
func RedactedURL(u *url.URL) string {
	c := *u
	if c.User != nil {
		if _, ok := c.User.Password(); ok {
			c.User = url.UserPassword(c.User.Username(), "xxxxx")
		} else {
			c.User = url.User("xxxxx")
		}
	}
	return c.String()
}
