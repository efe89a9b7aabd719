package netcheck_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// The proxy settings Claude Code 2.1.330 accepts and refuses, each row
// measured with `claude -p hi` (scripts/compare-route.sh).
func TestParseProxyURL(t *testing.T) {
	ok := map[string]string{ // as written → as used
		"http://proxy:8080":                    "http://proxy:8080",
		"HTTP://Proxy.Corp:3128":               "http://proxy.corp:3128",
		" http://127.0.0.1:3999 ":              "http://127.0.0.1:3999",
		"http://127.0.0.1:3999\n":              "http://127.0.0.1:3999",
		"http:127.0.0.1:3999":                  "http://127.0.0.1:3999",
		"http:/127.0.0.1:3999":                 "http://127.0.0.1:3999",
		`http:\\127.0.0.1:3999`:                "http://127.0.0.1:3999",
		"http://127.0.0.1:3999/path?x#y":       "http://127.0.0.1:3999",
		"https://127.0.0.1:3999":               "https://127.0.0.1:3999",
		"http://0x7f.1:3999":                   "http://127.0.0.1:3999",
		"http://127.1:3999":                    "http://127.0.0.1:3999",
		"http://[::1]:3128":                    "http://[::1]:3128",
		"http://prox_y.local:3999":             "http://prox_y.local:3999",
		"http://proxy:":                        "http://proxy",
		"http://u:p@ss@127.0.0.1:3999":         "http://u:p%40ss@127.0.0.1:3999",
		"http://u:p%zz@127.0.0.1:3999":         "http://u:p%25zz@127.0.0.1:3999",
		"http://bücher.example:8080":           "http://xn--bcher-kva.example:8080",
		"http://medic:p%40ss%3Aw%2Frd%25@h:80": "http://medic:p%40ss%3Aw%2Frd%25@h:80",
	}
	for raw, want := range ok {
		u, err := claudesettings.ParseProxyURL(raw)
		if err != nil {
			t.Errorf("ParseProxyURL(%q): %v", raw, err)
			continue
		}
		if got := u.String(); got != want {
			t.Errorf("ParseProxyURL(%q) = %s, want %s", raw, got, want)
		}
	}
	bad := map[string]bool{ // as written → Claude Code refuses to start (else its requests fail)
		"http://127.0.0.1:99999":    true,
		"http://pro|xy:3999":        true,
		"http://pro%20xy:3999":      true,
		"http://corp proxy:8080":    true,
		"http://127.0.0.1:3999x":    true,
		"http://:3999":              true,
		"http://1.2.3.256:3999":     true,
		"127.0.0.1:3999":            true, // refused in a terminal; repaired only under claude -p without one
		"proxy.corp:8080":           true,
		"http://u:pa/ss@host:80":    true, // an unencoded / ends the host
		"http://user@":              true,
		"http://[::1:3128":          true,
		"http://[::1]x":             true,
		"":                          true,
		"ftp://127.0.0.1:3999":      false, // parses; UnsupportedProxyProtocol on every request
		"gopher://proxy:70":         false,
		"http://user:hunter2@a b:1": true,
	}
	for raw, unparsable := range bad {
		_, err := claudesettings.ParseProxyURL(raw)
		var pe *claudesettings.ProxyURLError
		if !errors.As(err, &pe) {
			t.Errorf("ParseProxyURL(%q): %v, want a ProxyURLError", raw, err)
			continue
		}
		if pe.Unparsable != unparsable || pe.Reason.EN == "" || pe.Reason.ZH == "" {
			t.Errorf("ParseProxyURL(%q): %+v, want Unparsable %v", raw, pe, unparsable)
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("ParseProxyURL(%q): the error shows the password: %v", raw, err)
		}
	}
	for _, raw := range []string{"socks5://127.0.0.1:1080", "SOCKS5H://u:pw@h:1", "socks://h:1"} {
		if _, err := claudesettings.ParseProxyURL(raw); !errors.Is(err, claudesettings.ErrProxySOCKS) {
			t.Errorf("ParseProxyURL(%q): %v, want ErrProxySOCKS", raw, err)
		}
	}
}

// The user name and password are percent-decoded, as Claude Code sends them
// on CONNECT.
func TestParseProxyURLCredentials(t *testing.T) {
	u, err := claudesettings.ParseProxyURL("http://me%40corp:p%40ss%3Aw%2Frd%25@proxy:3128")
	if err != nil {
		t.Fatal(err)
	}
	pass, _ := u.User.Password()
	if u.User.Username() != "me@corp" || pass != "p@ss:w/rd%" {
		t.Errorf("user %q, password %q", u.User.Username(), pass)
	}
}

func TestRedactProxyURL(t *testing.T) {
	for raw, want := range map[string]string{
		"http://proxy:8080":                   "http://proxy:8080",
		"http://alice:hunter2@proxy:8080":     "http://alice:xxxxx@proxy:8080",
		"http://token123@proxy:8080":          "http://xxxxx@proxy:8080",
		"http://alice:p%40ss%3A@proxy:8080":   "http://alice:xxxxx@proxy:8080",
		"http://alice:hunter2@bad host:8080":  "http://xxxxx@bad host:8080",
		"http://alice:hun/ter2@proxy:8080":    "http://xxxxx@proxy:8080",
		"socks5h://alice:hunter2@h:1080":      "socks5h://xxxxx@h:1080",
		"alice:hunter2@proxy:8080":            "xxxxx@proxy:8080",
		"http://alice:hunter2@proxy:8080/a@b": "http://alice:xxxxx@proxy:8080",
	} {
		got := claudesettings.RedactProxyURL(raw)
		if got != want {
			t.Errorf("RedactProxyURL(%q) = %q, want %q", raw, got, want)
		}
		if strings.Contains(got, "hunter2") || strings.Contains(got, "hun/ter2") {
			t.Errorf("RedactProxyURL(%q) shows the password: %q", raw, got)
		}
	}
}

// TestUnredactProxyURL: a settings field shows RedactProxyURL(saved); what
// the person leaves or edits there comes back with the saved password where
// the credentials still read as redacted, and as typed otherwise.
func TestUnredactProxyURL(t *testing.T) {
	const saved = "http://alice:p%40ss%3A@proxy:8080"
	for _, tc := range []struct{ saved, edited, want string }{
		{saved, "http://alice:xxxxx@proxy:8080", saved},                                           // untouched: byte for byte
		{saved, "http://alice:xxxxx@proxy.corp:3128", "http://alice:p%40ss%3A@proxy.corp:3128"},   // a new host and port keep the password
		{saved, "http://alice:n3w@proxy:8080", "http://alice:n3w@proxy:8080"},                     // a password typed anew
		{saved, "http://bob:xxxxx@proxy:8080", "http://bob:xxxxx@proxy:8080"},                     // another user: alice's password does not follow
		{saved, "http://proxy:8080", "http://proxy:8080"},                                         // credentials removed
		{"http://token123@proxy:8080", "https://xxxxx@proxy:8443", "https://token123@proxy:8443"}, // a user name alone is hidden too
		{"socks5h://alice:hunter2@h:1080", "socks5h://xxxxx@h:1081", "socks5h://alice:hunter2@h:1081"},
		{"http://proxy:8080", "http://xxxxx@proxy:8080", "http://xxxxx@proxy:8080"}, // nothing saved to put back
		{"", "http://proxy:8080", "http://proxy:8080"},
		{saved, "", ""},
	} {
		if got := claudesettings.UnredactProxyURL(tc.edited, tc.saved); got != tc.want {
			t.Errorf("UnredactProxyURL(%q, %q) = %q, want %q", tc.edited, tc.saved, got, tc.want)
		}
	}
}

// NO_PROXY as Claude Code 2.1.330 reads it: every row with a host of the
// fake (api.claudemedic.test, 127.0.0.1, [::1]) was measured with the real
// CLI through a dead proxy (scripts/compare-route.sh).
func TestNoProxyMatches(t *testing.T) {
	const h = "api.claudemedic.test"
	tests := []struct {
		noProxy, host, port string
		want                bool
	}{
		{"", h, "443", false},
		{h, h, "443", true},
		{"claudemedic.test", h, "443", true},
		{".claudemedic.test", h, "443", true},
		{"*.claudemedic.test", h, "443", true},
		{"test", h, "443", true},
		{"*.test", h, "443", true},
		{"demic.test", h, "443", false},
		{"*demic.test", h, "443", false},
		{"api.*.test", h, "443", false},
		{"API.CLAUDEMEDIC.TEST", h, "443", true},
		{"api.claudemedic.test.", h, "443", true},
		{".api.claudemedic.test", h, "443", true},
		{"foo api.claudemedic.test", h, "443", true},
		{"foo, api.claudemedic.test", h, "443", true},
		{",,api.claudemedic.test,,", h, "443", true},
		{"foo\tbar\napi.claudemedic.test", h, "443", true},
		{",, ,", h, "443", false},
		{"*", h, "443", true},
		{" * ", h, "443", true},
		{"x,*", h, "443", true},
		{h + ":8443", h, "8443", true},
		{h + ":1", h, "8443", false},
		{"127.0.0.1", "127.0.0.1", "8443", true},
		{"localhost", "127.0.0.1", "8443", false}, // measured: localhost does not exempt 127.0.0.1
		{"127.0.0.1", "localhost", "8443", false},
		{"127.0.0.0/8", "127.0.0.1", "8443", true},
		{"10.0.0.0/8", "127.0.0.1", "8443", false},
		{"0.0.1", "127.0.0.1", "8443", false},
		{"127.0.0", "127.0.0.1", "443", false},
		{"127.0.0.1:8443", "127.0.0.1", "8443", true},
		{"127.0.0.1:8080", "127.0.0.1", "443", false},
		{"::1", "::1", "8443", true},
		{"[::1]", "::1", "8443", true},
		{"[::1]:8443", "::1", "8443", true},
		{"[::1]:1", "::1", "8443", false},
		{"::1:8443", "::1", "8443", false},
		{"0:0:0:0:0:0:0:1", "::1", "443", true},
		{"::1", "[::1]", "443", true},
		{"anthropic.com", "notanthropic.com", "443", false},
	}
	for _, tt := range tests {
		if got := claudesettings.NoProxyMatches(tt.noProxy, tt.host, tt.port); got != tt.want {
			t.Errorf("NoProxyMatches(%q, %q, %q) = %v, want %v", tt.noProxy, tt.host, tt.port, got, tt.want)
		}
	}
}

// Bad route settings become a finding with a fix, never a panic, and show
// no password.
func TestRouteBadInput(t *testing.T) {
	dir := t.TempDir()
	der := filepath.Join(dir, "ca.cer")
	os.WriteFile(der, []byte{0x30, 0x82, 0x01, 0x0a, 0x02}, 0o600) // DER-looking, but cut short
	empty := filepath.Join(dir, "empty.pem")
	os.WriteFile(empty, nil, 0o600)
	key := filepath.Join(dir, "key.pem")
	os.WriteFile(key, []byte("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF\n-----END PRIVATE KEY-----\n"), 0o600)
	cred := claudesettings.Credential{Secret: "sk-ant-api03-" + strings.Repeat("x", 90), Kind: claudesettings.KindAPIKey}
	base := flagSetting("https://127.0.0.1:1")
	tests := []struct {
		name   string
		target claudesettings.Target
		want   netcheck.Code
	}{
		{"CA file is a folder", claudesettings.Target{CAFile: flagSetting(dir)}, netcheck.CAFileInvalid},
		{"CA file empty", claudesettings.Target{CAFile: flagSetting(empty)}, netcheck.CAFileInvalid},
		{"CA file damaged DER", claudesettings.Target{CAFile: flagSetting(der)}, netcheck.CAFileInvalid},
		{"CA file a private key", claudesettings.Target{CAFile: flagSetting(key)}, netcheck.CAFileInvalid},
		{"CA file missing", claudesettings.Target{CAFile: flagSetting(filepath.Join(dir, "nope.pem"))}, netcheck.CAFileInvalid},
		{"proxy with spaces", claudesettings.Target{Proxy: flagSetting("http://corp proxy :8080")}, netcheck.ProxyURLInvalid},
		{"proxy without scheme", claudesettings.Target{Proxy: flagSetting("proxy.corp:8080")}, netcheck.ProxyURLInvalid},
		{"proxy password with an unencoded /", claudesettings.Target{Proxy: flagSetting("http://me:hunter/2@proxy:8080")}, netcheck.ProxyURLInvalid},
		{"proxy password with an unencoded #", claudesettings.Target{Proxy: flagSetting("http://me:hunter#2@proxy:8080")}, netcheck.ProxyURLInvalid},
		{"proxy ftp", claudesettings.Target{Proxy: flagSetting("ftp://me:hunter2@proxy:21")}, netcheck.ProxyURLInvalid},
		{"proxy port too big", claudesettings.Target{Proxy: flagSetting("http://me:hunter2@proxy:65536")}, netcheck.ProxyURLInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.target.BaseURL, tt.target.Credential = base, cred
			ids := []netcheck.CheckID{netcheck.CheckConfig, netcheck.CheckProxy}
			r := netcheck.Run(context.Background(), tt.target, netcheck.Options{Only: ids, Timeout: time.Second})
			if !r.Has(tt.want) || len(r.Findings) != 1 {
				t.Errorf("findings %+v, want one %s", r.Findings, tt.want)
			}
			for _, f := range r.Findings {
				if f.Summary.EN == "" || f.Summary.ZH == "" || f.Fix.EN == "" || f.Fix.ZH == "" {
					t.Errorf("%s: a text is empty", f.Code)
				}
			}
			if b, _ := json.Marshal(r); strings.Contains(string(b), "hunter") {
				t.Errorf("the report shows the proxy password: %s", b)
			}
		})
	}
}

func flagSetting(v string) claudesettings.Setting {
	return claudesettings.Setting{Value: v, Source: claudesettings.SourceFlag}
}
