package claudesettings

import (
	"net"
	"strings"
	"unicode"
)

// NoProxyMatches reports whether the NO_PROXY list exempts host:port from
// the proxy, as Claude Code 2.1.330 reads it (each rule measured with it):
// entries are separated by commas or white space and compared without
// regard to case; "*" exempts everything; an entry may carry a port
// ("host:8080", "[::1]:8080"), and then exempts only that port; a name
// exempts itself and its subdomains ("example.com", ".example.com" and
// "*.example.com" all exempt api.example.com, but "ample.com" does not); an
// IP address exempts only itself, and a CIDR range ("10.0.0.0/8") the
// addresses in it. Unlike Go's http.ProxyFromEnvironment, localhost and
// loopback addresses are not exempt unless listed, and "localhost" does not
// exempt 127.0.0.1.
func NoProxyMatches(noProxy, host, port string) bool {
	host = trimDots(strings.ToLower(strings.Trim(host, "[]")))
	hostIP := net.ParseIP(host)
	for _, e := range noProxyEntries(strings.ToLower(noProxy)) {
		if e == "*" {
			return true
		}
		name, p := e, ""
		switch {
		case strings.HasPrefix(e, "["):
			if end := strings.IndexByte(e, ']'); end > 0 {
				name, p = e[1:end], strings.TrimPrefix(e[end+1:], ":")
			}
		case strings.Count(e, ":") == 1:
			name, p, _ = strings.Cut(e, ":")
		}
		if p != "" && p != port {
			continue
		}
		name = trimDots(strings.TrimPrefix(strings.TrimPrefix(name, "*"), "."))
		switch {
		case name == "":
		case hostIP != nil:
			if ip := net.ParseIP(name); ip != nil && ip.Equal(hostIP) {
				return true
			}
			if _, n, err := net.ParseCIDR(name); err == nil && n.Contains(hostIP) {
				return true
			}
		case host == name || strings.HasSuffix(host, "."+name):
			return true
		}
	}
	return false
}

// noProxyEntries splits a NO_PROXY list as Claude Code does: at commas and
// white space.
func noProxyEntries(s string) []string {
	return strings.FieldsFunc(s, func(c rune) bool { return c == ',' || unicode.IsSpace(c) })
}

func trimDots(s string) string { return strings.TrimRight(s, ".") }
