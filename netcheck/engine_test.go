package netcheck_test

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// codeConstants returns the value of every constant of type Code declared
// in the package's source.
func codeConstants(t *testing.T) []netcheck.Code {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []netcheck.Code
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Code" {
				return true
			}
			for _, v := range vs.Values {
				if lit, ok := v.(*ast.BasicLit); ok {
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, netcheck.Code(s))
				}
			}
			return true
		})
	}
	if len(out) < 40 {
		t.Fatalf("found only %d Code constants", len(out))
	}
	return out
}

// Every Code constant has a catalogue entry with a severity and every text
// in both languages; the catalogue holds nothing else.
func TestCatalogueComplete(t *testing.T) {
	consts := codeConstants(t)
	for _, c := range consts {
		e, ok := netcheck.Lookup(c)
		if !ok {
			t.Errorf("%s has no catalogue entry", c)
			continue
		}
		if e.Severity != netcheck.SeverityFail && e.Severity != netcheck.SeverityWarn {
			t.Errorf("%s: severity %q", c, e.Severity)
		}
		for what, s := range map[string]string{"summary EN": e.Summary.EN, "summary ZH": e.Summary.ZH, "fix EN": e.Fix.EN, "fix ZH": e.Fix.ZH} {
			if strings.TrimSpace(s) == "" {
				t.Errorf("%s: the %s is empty", c, what)
			}
		}
		if !strings.ContainsFunc(e.Fix.ZH, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
			t.Errorf("%s: the Chinese fix has no Chinese in it", c)
		}
	}
	for _, c := range netcheck.Codes() {
		if !slices.Contains(consts, c) {
			t.Errorf("catalogue entry %s has no Code constant", c)
		}
	}
}

func only(ids ...netcheck.CheckID) netcheck.Options { return netcheck.Options{Only: ids} }

func fails(r *netcheck.Report) []netcheck.Code {
	var out []netcheck.Code
	for _, f := range r.Findings {
		if f.Severity == netcheck.SeverityFail {
			out = append(out, f.Code)
		}
	}
	return out
}

func flag(v string) claudesettings.Setting {
	return claudesettings.Setting{Value: v, Source: claudesettings.SourceFlag}
}

// Bad input becomes a finding, never a panic, and sends nothing anywhere.
func TestBadInput(t *testing.T) {
	key := claudesettings.Credential{Secret: netchecktest.TestKey, Kind: claudesettings.KindAPIKey}
	tests := []struct {
		name   string
		target claudesettings.Target
		opts   netcheck.Options
		want   netcheck.Code
	}{
		{"base URL with a space", claudesettings.Target{BaseURL: flag("https://api anthropic.com"), Credential: key}, netcheck.Options{}, netcheck.ConfigInvalid},
		{"base URL without scheme", claudesettings.Target{BaseURL: flag("api.anthropic.com"), Credential: key}, netcheck.Options{}, netcheck.ConfigInvalid},
		{"base URL ftp", claudesettings.Target{BaseURL: flag("ftp://example.com"), Credential: key}, netcheck.Options{}, netcheck.ConfigInvalid},
		{"base URL bad port", claudesettings.Target{BaseURL: flag("https://127.0.0.1:99999"), Credential: key}, netcheck.Options{}, netcheck.ConfigInvalid},
		{"base URL control chars", claudesettings.Target{BaseURL: flag("https://\x00\x7f/"), Credential: key}, netcheck.Options{}, netcheck.ConfigInvalid},
		{"base URL empty host", claudesettings.Target{BaseURL: flag("https://:443"), Credential: key}, netcheck.Options{}, netcheck.ConfigInvalid},
		{"API_TIMEOUT_MS not a number", claudesettings.Target{APITimeout: flag("10m"), Credential: key}, only(netcheck.CheckConfig), netcheck.ConfigInvalid},
		{"API_TIMEOUT_MS fraction", claudesettings.Target{APITimeout: flag("1.5"), Credential: key}, only(netcheck.CheckConfig), netcheck.ConfigInvalid},
		{"API_TIMEOUT_MS too big", claudesettings.Target{APITimeout: flag("2147483648"), Credential: key}, only(netcheck.CheckConfig), netcheck.ConfigInvalid},
		{"API_TIMEOUT_MS negative", claudesettings.Target{APITimeout: flag("-1"), Credential: key}, only(netcheck.CheckConfig), netcheck.ConfigInvalid},
		{"settings problem", claudesettings.Target{Problems: []claudesettings.ConfigProblem{{Path: "/home/u/.claude/settings.json", Message: "invalid JSON at line 3, column 5"}}, Credential: key}, only(netcheck.CheckConfig), netcheck.ConfigInvalid},
		{"no key", claudesettings.Target{}, only(netcheck.CheckKey), netcheck.KeyMissing},
		{"quoted key", claudesettings.Target{Credential: claudesettings.Credential{Secret: `"` + netchecktest.TestKey + `"`, Kind: claudesettings.KindAPIKey}}, only(netcheck.CheckKey), netcheck.KeyMalformed},
		{"proxy with a space", claudesettings.Target{BaseURL: flag("https://127.0.0.1:1"), Proxy: flag("http://corp proxy:8080"), Credential: key}, netcheck.Options{}, netcheck.ProxyURLInvalid},
		{"proxy without scheme", claudesettings.Target{BaseURL: flag("https://127.0.0.1:1"), Proxy: flag("proxy.corp:8080"), Credential: key}, netcheck.Options{}, netcheck.ProxyURLInvalid},
		{"proxy socks5h", claudesettings.Target{BaseURL: flag("https://127.0.0.1:1"), Proxy: flag("socks5h://user:pw@127.0.0.1:1080"), Credential: key}, netcheck.Options{}, netcheck.ProxySocksUnsupported},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := netcheck.Run(context.Background(), tt.target, tt.opts)
			if got := fails(r); !slices.Equal(got, []netcheck.Code{tt.want}) {
				t.Errorf("fails %v, want [%s]", got, tt.want)
			}
			b, _ := json.Marshal(r)
			if strings.Contains(string(b), netchecktest.TestKey) || strings.Contains(string(b), ":pw@") {
				t.Errorf("the report holds a secret: %s", b)
			}
		})
	}
}

// Variants on the healthy fake: Bearer tokens, a wrong key, NO_PROXY
// exempting a local base URL, Only.
func TestHealthyVariants(t *testing.T) {
	srv := netchecktest.Start(t, netchecktest.Healthy)
	base := srv.Target()
	tests := []struct {
		name  string
		edit  func(*claudesettings.Target, *netcheck.Options)
		fails []netcheck.Code
		warns []netcheck.Code
		ran   []netcheck.CheckID
	}{
		{name: "bearer token", edit: func(t *claudesettings.Target, _ *netcheck.Options) {
			t.Credential = claudesettings.Credential{Secret: netchecktest.TestToken, Kind: claudesettings.KindBearer}
		}},
		{name: "another key", edit: func(t *claudesettings.Target, _ *netcheck.Options) {
			t.Credential.Secret = strings.Replace(netchecktest.TestKey, "netchecktest", "someoneelses", 1)
		}, fails: []netcheck.Code{netcheck.AuthInvalid}},
		{name: "token sent as api key", edit: func(t *claudesettings.Target, _ *netcheck.Options) {
			t.Credential.Secret = netchecktest.TestToken
		}, fails: []netcheck.Code{netcheck.KeyWrongKind}},
		{name: "NO_PROXY exempts the local base URL", edit: func(t *claudesettings.Target, _ *netcheck.Options) {
			t.Proxy, t.NoProxy = flag("http://127.0.0.1:9"), flag("localhost,127.0.0.1")
		}},
		{name: "stream and status", edit: func(_ *claudesettings.Target, o *netcheck.Options) { o.Stream, o.Status = true, true },
			ran: netcheck.AllChecks},
		{name: "only tls", edit: func(_ *claudesettings.Target, o *netcheck.Options) { o.Only = []netcheck.CheckID{netcheck.CheckTLS} },
			ran: []netcheck.CheckID{netcheck.CheckDNS, netcheck.CheckTCP, netcheck.CheckProxy, netcheck.CheckTLS}},
		{name: "API_TIMEOUT_MS set high", edit: func(t *claudesettings.Target, _ *netcheck.Options) { t.APITimeout = flag("600000") }},
		{name: "base URL with a path the server does not serve", edit: func(t *claudesettings.Target, _ *netcheck.Options) { t.BaseURL = flag(srv.URL() + "/relay") },
			fails: []netcheck.Code{netcheck.BaseURLPath}},
		{name: "base URL with a trailing slash and white space", edit: func(t *claudesettings.Target, _ *netcheck.Options) { t.BaseURL = flag("  " + srv.URL() + "/ \n") }},
		{name: "base URL ending in /v1/messages", edit: func(t *claudesettings.Target, _ *netcheck.Options) { t.BaseURL = flag(srv.URL() + "/v1/messages") },
			fails: []netcheck.Code{netcheck.BaseURLPath}},
		{name: "base URL with a query string", edit: func(t *claudesettings.Target, _ *netcheck.Options) { t.BaseURL = flag(srv.URL() + "?key=1") },
			fails: []netcheck.Code{netcheck.BaseURLPath}},
		{name: "base URL with a fragment", edit: func(t *claudesettings.Target, _ *netcheck.Options) { t.BaseURL = flag(srv.URL() + "/#relay") },
			fails: []netcheck.Code{netcheck.BaseURLPath}},
		{name: "model alias", edit: func(t *claudesettings.Target, _ *netcheck.Options) { t.Model = flag("sonnet[1m]") }},
		{name: "experimental betas off", edit: func(t *claudesettings.Target, _ *netcheck.Options) { t.DisableBetas = flag("1") }},
		{name: "a value Claude Code reads as its default", edit: func(t *claudesettings.Target, _ *netcheck.Options) {
			t.Problems = []claudesettings.ConfigProblem{{Path: "CLAUDE_CODE_MAX_RETRIES", Message: `Claude Code cannot read CLAUDE_CODE_MAX_RETRIES="abc" as a number, so it ignores it and uses its default, 10.`, Works: true}}
		}, warns: []netcheck.Code{netcheck.ConfigInvalid}},
		{name: "a settings file that does not load", edit: func(t *claudesettings.Target, _ *netcheck.Options) {
			t.Problems = []claudesettings.ConfigProblem{{Path: "/home/u/.claude/settings.json", Message: "invalid JSON at line 3, column 5"}}
		}, fails: []netcheck.Code{netcheck.ConfigInvalid}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			target, opts := base, srv.Options()
			tt.edit(&target, &opts)
			var mu sync.Mutex
			var progress []netcheck.CheckResult
			opts.Progress = func(c netcheck.CheckResult) { mu.Lock(); progress = append(progress, c); mu.Unlock() }
			r := netcheck.Run(context.Background(), target, opts)
			var warns []netcheck.Code
			for _, f := range r.Findings {
				if f.Severity == netcheck.SeverityWarn {
					warns = append(warns, f.Code)
				}
			}
			if !slices.Equal(fails(r), tt.fails) || !slices.Equal(warns, tt.warns) {
				t.Errorf("fails %v warns %v, want %v %v", fails(r), warns, tt.fails, tt.warns)
				for _, c := range r.Checks {
					t.Logf("  %-9s %-4s %s", c.ID, c.Status, c.Summary.EN)
				}
			}
			mu.Lock()
			defer mu.Unlock()
			if len(progress) != len(r.Checks) {
				t.Errorf("Progress called %d times for %d checks", len(progress), len(r.Checks))
			}
			for _, c := range r.Checks {
				if !slices.ContainsFunc(progress, func(p netcheck.CheckResult) bool { return p == c }) {
					t.Errorf("Progress never told %s", c.ID)
				}
			}
			if tt.ran != nil {
				var ids []netcheck.CheckID
				for _, c := range r.Checks {
					ids = append(ids, c.ID)
				}
				if !slices.Equal(ids, tt.ran) {
					t.Errorf("ran %v, want %v", ids, tt.ran)
				}
			}
			if r.Timings.Total <= 0 && tt.ran == nil {
				t.Errorf("no timings: %+v", r.Timings)
			}
		})
	}
}

// A report of a healthy run reads back from its JSON unchanged in substance.
func TestReportJSON(t *testing.T) {
	srv := netchecktest.Start(t, netchecktest.RateLimited)
	r := netcheck.Run(context.Background(), srv.Target(), srv.Options())
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var back netcheck.Report
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back.Verdict != netcheck.VerdictDown || !back.Has(netcheck.RateLimited) || back.Timings.TLS == 0 {
		t.Errorf("read back %+v", back)
	}
	f := back.Findings[0]
	if !strings.Contains(f.Summary.EN, "17 s") || !strings.Contains(f.Summary.ZH, "17 秒") {
		t.Errorf("the summary does not give retry-after: %q / %q", f.Summary.EN, f.Summary.ZH)
	}
}

// A plain-http base URL through a proxy: the proxy's 407 comes back as the
// answer itself, and is still PROXY_AUTH_REQUIRED.
func TestPlainHTTPThroughProxy(t *testing.T) {
	t.Parallel()
	srv := netchecktest.Start(t, netchecktest.ProxyAuthRequired)
	target := srv.Target()
	target.BaseURL = flag("http://api.claudemedic.test:8080")
	r := netcheck.Run(context.Background(), target, srv.Options())
	if got := fails(r); !slices.Equal(got, []netcheck.Code{netcheck.ProxyAuthRequired}) {
		t.Errorf("fails %v, want [PROXY_AUTH_REQUIRED]", got)
	}
	if c, _ := r.Check(netcheck.CheckTLS); c.Status != netcheck.StatusSkip {
		t.Errorf("tls %s, want skip", c.Status)
	}
}

// A stream silent for longer than the whole run is stalled too, caught by
// the run's deadline rather than the idle limit.
func TestStalledStreamAtDeadline(t *testing.T) {
	t.Parallel()
	srv := netchecktest.Start(t, netchecktest.StreamStalled)
	opts := srv.Options()
	opts.StreamIdle, opts.Timeout = time.Minute, time.Second
	r := netcheck.Run(context.Background(), srv.Target(), opts)
	if got := fails(r); !slices.Equal(got, []netcheck.Code{netcheck.StreamStalled}) {
		t.Errorf("fails %v, want [STREAM_STALLED]", got)
	}
}

// A TLS port that drops a plain request instead of answering 400 is still
// BASE_URL_SCHEME for an http:// base URL: one handshake proves it speaks TLS.
func TestPlainRequestDroppedByTLSPort(t *testing.T) {
	t.Parallel()
	ts := httptest.NewUnstartedServer(http.NotFoundHandler())
	ts.StartTLS() // for its certificate only
	ts.Close()
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				tc := tls.Server(c, ts.TLS)
				if tc.Handshake() != nil { // a plain request: reset, no answer
					c.(*net.TCPConn).SetLinger(0)
				}
				c.Close()
			}()
		}
	}()
	target := claudesettings.Target{BaseURL: flag("http://" + ln.Addr().String()), Credential: claudesettings.Credential{Secret: netchecktest.TestKey, Kind: claudesettings.KindAPIKey}}
	r := netcheck.Run(context.Background(), target, netcheck.Options{Timeout: 3 * time.Second})
	if got := fails(r); !slices.Equal(got, []netcheck.Code{netcheck.BaseURLScheme}) {
		t.Errorf("fails %v, want [BASE_URL_SCHEME]", got)
		for _, c := range r.Checks {
			t.Logf("  %-9s %-4s %s", c.ID, c.Status, c.Summary.EN)
		}
	}
}
