package claudesettings_test

import (
	"strings"
	"testing"

	"claudemedic/claudesettings"
)

// Any proxy setting and NO_PROXY list: no panic; a URL that parses parses
// again to itself; its redacted form never holds its password.
func FuzzProxyURL(f *testing.F) {
	for _, s := range []string{"http://proxy:8080", "http://u:p%40ss@127.0.0.1:3128", "http:\\\\h:1", "socks5://h:1",
		"http://[::1]:3128", "http://0x7f.1:1", "http://bücher.example:8080", "proxy.corp:8080", "http://a b:1",
		"http://u:pa/ss@h:1", " http://h:1\n", "http://1.2.3.256:1", "*,.example.com [::1]:8080 10.0.0.0/8", "http:0000:0000@0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		claudesettings.NoProxyMatches(raw, "api.anthropic.com", "443")
		claudesettings.NoProxyMatches(raw, "::1", "8080")
		shown := claudesettings.RedactProxyURL(raw)
		u, err := claudesettings.ParseProxyURL(raw)
		if err != nil {
			return
		}
		again, err := claudesettings.ParseProxyURL(u.String())
		if err != nil || again.String() != u.String() {
			t.Errorf("%q parses to %q, which parses to %v, %v", raw, u, again, err)
		}
		// The shown URL's password is the mask, whatever else looks like
		// the password (http://0000:0000@0 shows 0000 as its user name).
		if _, ok := u.User.Password(); ok {
			rest := shown
			if i := strings.Index(rest, "://"); i >= 0 {
				rest = rest[i+3:]
			}
			if at := strings.LastIndex(rest, "@"); at >= 0 {
				if _, pw, ok := strings.Cut(rest[:at], ":"); ok && pw != "xxxxx" {
					t.Errorf("RedactProxyURL(%q) = %q shows the password", raw, shown)
				}
			}
		}
	})
}
