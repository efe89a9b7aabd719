//go:build unix

package claudeinstall

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// script writes an executable shell script at path (its folders made).
func script(t testing.TB, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
}

func link(t testing.TB, target, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, path); err != nil {
		t.Fatal(err)
	}
}

// printer is a fake claude that counts its runs in calls and prints out for --version.
func printer(calls, out string) string {
	return fmt.Sprintf("echo run >> %q\nif [ \"$1\" = --version ]; then printf '%%s\\n' %q; fi", calls, out)
}

// machine is a throwaway home with a native install (~/.local/bin/claude ->
// ~/.local/share/claude/versions/2.1.300) and an npm install under prefix
// (bin/claude -> ../lib/node_modules/@anthropic-ai/claude-code/bin/claude.exe, 2.1.330).
type machine struct {
	home, prefix, calls string
	nativeBin, npmBin   string
}

func newMachine(t testing.TB) machine {
	t.Helper()
	home := t.TempDir()
	m := machine{home: home, prefix: filepath.Join(home, "npm-prefix"), calls: filepath.Join(home, "calls")}
	native := filepath.Join(home, ".local", "share", "claude", "versions", "2.1.300")
	script(t, native, printer(m.calls, "2.1.300 (Claude Code)"))
	link(t, native, filepath.Join(home, ".local", "bin", "claude"))
	pkg := filepath.Join(m.prefix, "lib", "node_modules", "@anthropic-ai", "claude-code", "bin", "claude.exe")
	script(t, pkg, printer(m.calls, "2.1.330 (Claude Code)"))
	link(t, "../lib/node_modules/@anthropic-ai/claude-code/bin/claude.exe", filepath.Join(m.prefix, "bin", "claude"))
	m.nativeBin, m.npmBin = filepath.Join(home, ".local", "bin"), filepath.Join(m.prefix, "bin")
	return m
}

func (m machine) env(path ...string) Env {
	return Env{PATH: strings.Join(path, string(os.PathListSeparator)), Home: m.home, Vars: map[string]string{}}
}

func (m machine) runs() int {
	b, _ := os.ReadFile(m.calls)
	return strings.Count(string(b), "run\n")
}

// registry is a fake npm registry on loopback.
type registry struct {
	*httptest.Server
	hits atomic.Int32
}

func newRegistry(t testing.TB, h http.HandlerFunc) *registry {
	r := &registry{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, q *http.Request) {
		r.hits.Add(1)
		h(w, q)
	}))
	t.Cleanup(r.Close)
	return r
}

func distTags(latest string) http.HandlerFunc {
	return func(w http.ResponseWriter, q *http.Request) {
		if q.URL.EscapedPath() != "/-/package/@anthropic-ai%2Fclaude-code/dist-tags" {
			http.NotFound(w, q)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"latest": %q, "stable": "2.1.200", "next": "2.2.0-beta.1"}`, latest)
	}
}

func opts(m machine, env Env, reg string) Options {
	env.Vars["npm_config_registry"] = reg
	return Options{Env: env, CacheDir: filepath.Join(m.home, "state"), RegistryTimeout: time.Second, VersionTimeout: time.Second}
}

func codes(fs []netcheck.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, string(f.Code))
	}
	return out
}

func TestInstalls(t *testing.T) {
	m := newMachine(t)
	reg := newRegistry(t, distTags("2.1.330"))
	for _, c := range []struct {
		name         string
		path         []string
		wantRun      string // the path that runs, "" for none
		wantMethod   Method
		wantVersion  string
		wantCodes    []string
		wantInstalls int
	}{
		{"native first on the PATH", []string{m.nativeBin, m.npmBin}, filepath.Join(m.nativeBin, "claude"), MethodNative, "2.1.300",
			[]string{"CLAUDE_CODE_MULTIPLE", "CLAUDE_CODE_OUTDATED"}, 2},
		{"npm first on the PATH", []string{m.npmBin, m.nativeBin}, filepath.Join(m.npmBin, "claude"), MethodNPM, "2.1.330",
			[]string{"CLAUDE_CODE_MULTIPLE"}, 2},
		{"only the native folder on the PATH", []string{m.nativeBin}, filepath.Join(m.nativeBin, "claude"), MethodNative, "2.1.300",
			[]string{"CLAUDE_CODE_OUTDATED"}, 1},
		{"nothing on the PATH", []string{"/nonexistent"}, "", "", "", []string{"CLAUDE_CODE_NOT_FOUND"}, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			o := opts(m, m.env(c.path...), reg.URL)
			o.CacheDir = ""
			r := Lookup(context.Background(), o)
			if len(r.Installs) != c.wantInstalls {
				t.Errorf("%d installs: %+v", len(r.Installs), r.Installs)
			}
			run := r.Running()
			switch {
			case c.wantRun == "" && run != nil:
				t.Errorf("runs %s; want none on the PATH", run.Path)
			case c.wantRun != "" && (run == nil || run.Path != c.wantRun || run.Method != c.wantMethod || run.Version != c.wantVersion):
				t.Errorf("runs %+v; want %s (%s %s)", run, c.wantRun, c.wantMethod, c.wantVersion)
			}
			if got := codes(r.Findings()); strings.Join(got, ",") != strings.Join(c.wantCodes, ",") {
				t.Errorf("findings %v; want %v", got, c.wantCodes)
			}
			for _, f := range r.Findings() {
				if f.Severity != netcheck.SeverityWarn || f.Check != netcheck.CheckVersion || f.Summary.EN == "" || f.Summary.ZH == "" || f.Fix.EN == "" || f.Fix.ZH == "" {
					t.Errorf("finding %+v lacks a text, or is not a warning of the version check", f)
				}
			}
		})
	}

	r := Lookup(context.Background(), opts(m, m.env(m.nativeBin, m.npmBin), reg.URL))
	fs := r.Findings()
	if s := fs[0].Summary.EN; !strings.Contains(s, "~/.local/bin/claude (native 2.1.300)") || !strings.Contains(s, "npm-prefix/bin/claude (npm 2.1.330)") || !strings.Contains(s, "a shell runs ~/.local/bin/claude") {
		t.Errorf("CLAUDE_CODE_MULTIPLE says %q", s)
	}
	if s, fix := fs[1].Summary.EN, fs[1].Fix.EN; !strings.Contains(s, "2.1.300") || !strings.Contains(s, "2.1.330") || !strings.Contains(fix, "claude update") {
		t.Errorf("CLAUDE_CODE_OUTDATED says %q, fix %q", s, fix)
	}
	if s := r.Summary().EN; s != "Claude Code 2.1.300 (native, ~/.local/bin/claude); 2.1.330 is out." {
		t.Errorf("summary %q", s)
	}

	// Installed in ~/.local/bin but the PATH misses it: the finding says where, and the fix how.
	r = Lookup(context.Background(), Options{Env: m.env("/usr/local/nothing"), NoUpdateCheck: true})
	if f := r.Findings(); len(f) != 1 || !strings.Contains(f[0].Summary.EN, "~/.local/bin is not on the PATH") || !strings.Contains(f[0].Fix.EN, "export PATH=\""+m.nativeBin) {
		t.Errorf("not on the PATH: %+v", f)
	}
}

// TestNPMLayouts: npm's global folder (from npm prefix -g), ~/.npm-global and
// nvm's folders are found off the PATH, and told apart from the native install.
func TestNPMLayouts(t *testing.T) {
	for _, c := range []struct{ name, prefix string }{
		{"npm prefix -g", "custom-prefix"},
		{"~/.npm-global", ".npm-global"},
		{"nvm", ".nvm/versions/node/v22.11.0"},
	} {
		t.Run(c.name, func(t *testing.T) {
			home := t.TempDir()
			prefix := filepath.Join(home, c.prefix)
			pkg := filepath.Join(prefix, "lib", "node_modules", "@anthropic-ai", "claude-code", "cli.js")
			script(t, pkg, `echo "1.0.100 (Claude Code)"`)
			link(t, pkg, filepath.Join(prefix, "bin", "claude"))
			path := filepath.Join(home, "empty")
			if c.prefix == "custom-prefix" { // a fake npm on the PATH that knows the prefix
				script(t, filepath.Join(home, "tools", "npm"), fmt.Sprintf(`[ "$1 $2" = "prefix -g" ] && echo %q`, prefix))
				path = filepath.Join(home, "tools")
			}
			r := Lookup(context.Background(), Options{Env: Env{PATH: path, Home: home}, NoUpdateCheck: true})
			if len(r.Installs) != 1 || r.Installs[0].Method != MethodNPM || r.Installs[0].Version != "1.0.100" || r.Installs[0].OnPath {
				t.Fatalf("installs %+v", r.Installs)
			}
			if u, _ := UpdateCommand(r.Installs[0], Env{}); !strings.HasSuffix(strings.Join(u, " "), "install -g @anthropic-ai/claude-code@latest") {
				t.Errorf("the update is %v", u)
			}
		})
	}
}

// TestBadVersions: a claude that prints garbage, fails or hangs gives
// CLAUDE_CODE_VERSION_UNKNOWN, within the bound, and the rest goes on.
func TestBadVersions(t *testing.T) {
	for _, c := range []struct{ name, body, want string }{
		{"garbage", `echo "Segmentation fault (core dumped)"; echo more`, `printed "Segmentation fault (core dumped)"`},
		{"nothing", `exit 0`, `printed ""`},
		{"an error", `echo "node: not found" >&2; exit 127`, "failed (exit status 127)"},
		{"a hang", `PATH=/usr/bin:/bin; sleep 30 & sleep 30`, "did not finish within 300ms"},
		{"binary junk", `printf '\377\376\000\001'`, "printed"},
	} {
		t.Run(c.name, func(t *testing.T) {
			home := t.TempDir()
			bin := filepath.Join(home, "bin")
			script(t, filepath.Join(bin, "claude"), c.body)
			start := time.Now()
			r := Lookup(context.Background(), Options{Env: Env{PATH: bin, Home: home}, NoUpdateCheck: true, VersionTimeout: 300 * time.Millisecond})
			if took := time.Since(start); took > 20*time.Second {
				t.Errorf("the look-up took %v", took) // a bound that hangs would take the test's whole timeout
			}
			run := r.Running()
			if run == nil || !errors.Is(run.Err, ErrNoVersion) && !strings.Contains(fmt.Sprint(run.Err), "did not print a version") {
				t.Fatalf("running %+v", run)
			}
			if !strings.Contains(run.Err.Error(), c.want) {
				t.Errorf("the error %q does not say %q", run.Err, c.want)
			}
			if got := codes(r.Findings()); strings.Join(got, ",") != "CLAUDE_CODE_VERSION_UNKNOWN" {
				t.Errorf("findings %v", got)
			}
		})
	}
}

// TestRegistryAnswers: a healthy registry, one without the dist-tags route
// (the package document instead), an HTML page, a timeout, and a version
// that is not one: a clear sentence, no finding, the rest unaffected.
func TestRegistryAnswers(t *testing.T) {
	m := newMachine(t)
	os.Remove(filepath.Join(m.nativeBin, "claude")) // the npm install alone
	slow := make(chan struct{})
	t.Cleanup(func() { close(slow) })
	for _, c := range []struct {
		name    string
		h       http.HandlerFunc
		latest  string
		wantErr string
	}{
		{"healthy", distTags("2.1.331"), "2.1.331", ""},
		{"package document", func(w http.ResponseWriter, q *http.Request) {
			if q.URL.EscapedPath() != "/@anthropic-ai%2Fclaude-code" || !strings.Contains(q.Header.Get("Accept"), "application/vnd.npm.install-v1+json") {
				http.NotFound(w, q)
				return
			}
			w.Header().Set("Content-Type", "application/vnd.npm.install-v1+json")
			fmt.Fprint(w, `{"name": "@anthropic-ai/claude-code", "dist-tags": {"latest": "2.1.332"}, "versions": {}}`)
		}, "2.1.332", ""},
		{"HTML", func(w http.ResponseWriter, q *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, "<!doctype html><html><body>Please sign in to the proxy</body></html>")
		}, "", "answered with a web page (text/html)"},
		{"timeout", func(w http.ResponseWriter, q *http.Request) {
			select {
			case <-slow:
			case <-q.Context().Done():
			}
		}, "", "did not answer in time"},
		{"server error", func(w http.ResponseWriter, q *http.Request) { http.Error(w, "oops", http.StatusBadGateway) }, "", "answered 502 Bad Gateway"},
		{"not a version", func(w http.ResponseWriter, q *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			fmt.Fprint(w, `{"latest": "banana"}`)
		}, "", `no version as latest ("banana")`},
	} {
		t.Run(c.name, func(t *testing.T) {
			reg := newRegistry(t, c.h)
			o := opts(m, m.env(m.npmBin), reg.URL)
			o.CacheDir, o.RegistryTimeout = "", 300*time.Millisecond
			r := Lookup(context.Background(), o)
			if r.Latest != c.latest {
				t.Errorf("latest %q; want %q", r.Latest, c.latest)
			}
			if c.wantErr == "" && r.LatestErr != nil || c.wantErr != "" && (r.LatestErr == nil || !strings.Contains(r.LatestErr.Error(), c.wantErr)) {
				t.Errorf("error %v; want one saying %q", r.LatestErr, c.wantErr)
			}
			if run := r.Running(); run == nil || run.Version != "2.1.330" {
				t.Errorf("the install was not read: %+v", run)
			}
			if c.wantErr != "" {
				if f := r.Findings(); len(f) != 0 {
					t.Errorf("a registry fault gave findings %v", codes(f))
				}
				if s := r.Summary().EN; !strings.Contains(s, reg.URL) || !strings.Contains(s, c.wantErr) {
					t.Errorf("the summary %q does not say what the registry did", s)
				}
			}
		})
	}
}

// TestRegistryThroughTrust: an https registry whose certificate only the
// Target's extra CA (NODE_EXTRA_CA_CERTS) vouches for is read through it.
func TestRegistryThroughTrust(t *testing.T) {
	m := newMachine(t)
	srv := httptest.NewTLSServer(distTags("2.1.340"))
	defer srv.Close()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw}), 0o600)
	o := opts(m, m.env(m.npmBin), srv.URL)
	o.CacheDir = ""
	if r := Lookup(context.Background(), o); r.LatestErr == nil || !strings.Contains(r.LatestErr.Error(), "certificate") {
		t.Errorf("without the CA: latest %q, err %v; want a certificate error", r.Latest, r.LatestErr)
	}
	o.Target = claudesettings.Target{CAFile: claudesettings.Setting{Value: caFile, Source: claudesettings.SourceFlag}}
	if r := Lookup(context.Background(), o); r.Latest != "2.1.340" || r.LatestErr != nil {
		t.Errorf("with the CA: latest %q, err %v", r.Latest, r.LatestErr)
	}
	_ = tls.VersionTLS12
}

// TestCache: a warm cache starts no process and sends no request; the latest
// version is asked again after a day, a changed claude is read again, and
// the preference off never asks the registry.
func TestCache(t *testing.T) {
	m := newMachine(t)
	reg := newRegistry(t, distTags("2.1.330"))
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	o := opts(m, m.env(m.nativeBin, m.npmBin), reg.URL)
	o.Now = func() time.Time { return now }
	r := Lookup(context.Background(), o)
	if !r.Fetched || reg.hits.Load() != 1 || m.runs() != 2 {
		t.Fatalf("first look-up: fetched %v, %d requests, %d runs of claude", r.Fetched, reg.hits.Load(), m.runs())
	}
	now = now.Add(23 * time.Hour)
	r = Lookup(context.Background(), o)
	if r.Fetched || reg.hits.Load() != 1 || m.runs() != 2 || r.Latest != "2.1.330" || r.Running().Version != "2.1.300" {
		t.Errorf("warm cache: fetched %v, %d requests, %d runs, latest %q", r.Fetched, reg.hits.Load(), m.runs(), r.Latest)
	}
	now = now.Add(2 * time.Hour)
	if r = Lookup(context.Background(), o); !r.Fetched || reg.hits.Load() != 2 {
		t.Errorf("after a day: fetched %v, %d requests", r.Fetched, reg.hits.Load())
	}
	// The native install updates itself: its file changes, so it is read again.
	native := filepath.Join(m.home, ".local", "share", "claude", "versions", "2.1.300")
	script(t, native, printer(m.calls, "2.1.330 (Claude Code)\n"))
	os.Chtimes(native, now, now.Add(time.Second))
	if r = Lookup(context.Background(), o); r.Running().Version != "2.1.330" || m.runs() != 3 || r.Outdated() {
		t.Errorf("after an update: %q, %d runs, outdated %v", r.Running().Version, m.runs(), r.Outdated())
	}
	// A damaged cache is rebuilt.
	os.WriteFile(filepath.Join(o.CacheDir, CacheFile), []byte("{not json"), 0o600)
	if r = Lookup(context.Background(), o); r.Running().Version != "2.1.330" || r.Latest != "2.1.330" {
		t.Errorf("damaged cache: %+v", r)
	}
	// Off: never a request, even with nothing cached.
	o.NoUpdateCheck, o.Refresh = true, true
	hits := reg.hits.Load()
	if r = Lookup(context.Background(), o); reg.hits.Load() != hits || r.Latest != "" || !strings.Contains(r.Summary().EN, "the update check is off") {
		t.Errorf("off: %d requests, latest %q, summary %q", reg.hits.Load()-hits, r.Latest, r.Summary().EN)
	}
}

func TestRegistryChoice(t *testing.T) {
	home := t.TempDir()
	env := Env{Home: home, Vars: map[string]string{}}
	if u, from := Registry(env); u != DefaultRegistry || from != "npm's default" {
		t.Errorf("default: %s from %s", u, from)
	}
	os.WriteFile(filepath.Join(home, ".npmrc"), []byte("; a comment\nregistry = https://npm.corp.example/repo\n//npm.corp.example/:_authToken=${NPM_TOKEN}\n"), 0o600)
	if u, from := Registry(env); u != "https://npm.corp.example/repo/" || from != "~/.npmrc registry" {
		t.Errorf(".npmrc: %s from %s", u, from)
	}
	env.Vars["NPM_CONFIG_REGISTRY"] = "https://registry.npmmirror.com"
	if u, from := Registry(env); u != "https://registry.npmmirror.com/" || from != "npm_config_registry" {
		t.Errorf("environment: %s from %s", u, from)
	}
	os.WriteFile(filepath.Join(home, ".npmrc"), []byte("@anthropic-ai:registry=${MIRROR}/anthropic\n"), 0o600)
	env.Vars["MIRROR"] = "https://mirror.example"
	if u, from := Registry(env); u != "https://mirror.example/anthropic/" || from != "~/.npmrc @anthropic-ai:registry" {
		t.Errorf("scope: %s from %s", u, from)
	}
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]string{
		"2.1.330 (Claude Code)\n": "2.1.330", "v1.0.0": "1.0.0", "2.2.0-beta.1 (Claude Code)": "2.2.0-beta.1",
		"  10.20.30\nmore": "10.20.30", "Claude Code 2.1.0": "", "2.1": "", "": "", "2.1.330abc": "",
	} {
		if got, ok := parseVersion(in); got != want || ok != (want != "") {
			t.Errorf("parseVersion(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, c := range []struct {
		a, b string
		want int
	}{{"2.1.300", "2.1.330", -1}, {"2.1.330", "2.1.330", 0}, {"2.10.0", "2.9.9", 1}, {"2.2.0-beta.1", "2.2.0", -1}, {"3.0.0", "2.99.99", 1}} {
		if got := compareVersions(c.a, c.b); got != c.want {
			t.Errorf("compareVersions(%s, %s) = %d; want %d", c.a, c.b, got, c.want)
		}
	}
}

// TestUpdate: the native install's update is `claude update`, the npm one's
// npm install -g, each run with its output shown; the version read again.
func TestUpdate(t *testing.T) {
	m := newMachine(t)
	native := filepath.Join(m.home, ".local", "share", "claude", "versions", "2.1.300")
	// The native claude's "update" replaces itself with 2.1.330.
	script(t, native, fmt.Sprintf(`if [ "$1" = update ]; then echo "Current version: 2.1.300"; echo "Successfully updated from 2.1.300 to version 2.1.330"; printf '#!/bin/sh\necho "2.1.330 (Claude Code)"\n' > %q; exit 0; fi
echo "2.1.300 (Claude Code)"`, native))
	// npm beside the npm install records its arguments.
	npmLog := filepath.Join(m.home, "npm.log")
	script(t, filepath.Join(m.npmBin, "npm"), fmt.Sprintf(`[ "$1" = install ] && echo "$@" >> %q; echo "changed 1 package in 3s"`, npmLog))
	env := m.env(m.nativeBin, m.npmBin)
	r := Lookup(context.Background(), Options{Env: env, NoUpdateCheck: true})
	var out bytes.Buffer
	if err := Update(context.Background(), *r.Running(), env, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "$ "+filepath.Join(m.nativeBin, "claude")+" update\n") || !strings.Contains(out.String(), "Successfully updated") {
		t.Errorf("the update's output:\n%s", out.String())
	}
	if r = Lookup(context.Background(), Options{Env: env, NoUpdateCheck: true, Refresh: true}); r.Running().Version != "2.1.330" {
		t.Errorf("after the update the version is %q", r.Running().Version)
	}
	out.Reset()
	if err := Update(context.Background(), r.Installs[1], env, &out); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(npmLog); strings.TrimSpace(string(b)) != "install -g @anthropic-ai/claude-code@latest" || !strings.Contains(out.String(), "changed 1 package") {
		t.Errorf("npm ran with %q; output %q", b, out.String())
	}
	// A failing update says which command failed; an unknown install is refused.
	script(t, filepath.Join(m.npmBin, "npm"), `echo "npm ERR! code EACCES" >&2; exit 243`)
	if err := Update(context.Background(), r.Installs[1], env, &out); err == nil || !strings.Contains(err.Error(), "npm install -g @anthropic-ai/claude-code@latest failed") {
		t.Errorf("a failing npm: %v", err)
	}
	if err := Update(context.Background(), Install{Path: "/usr/bin/claude", Method: MethodOther}, env, &out); !errors.Is(err, ErrCannotUpdate) {
		t.Errorf("other install: %v", err)
	}
}

// TestRealClaudeCode reads the real Claude Code 2.1.330 (npm layout) when
// CLAUDEMEDIC_REAL_CLAUDE names it; never in CI.
func TestRealClaudeCode(t *testing.T) {
	p := os.Getenv("CLAUDEMEDIC_REAL_CLAUDE")
	if p == "" {
		t.Skip("set CLAUDEMEDIC_REAL_CLAUDE=/opt/claude-code/node_modules/.bin/claude to read the real Claude Code")
	}
	r := Lookup(context.Background(), Options{Env: Env{PATH: filepath.Dir(p), Home: t.TempDir()}, NoUpdateCheck: true})
	run := r.Running()
	if run == nil || run.Method != MethodNPM || run.Version != "2.1.330" {
		t.Fatalf("the real Claude Code: %+v", run)
	}
	if u, _ := UpdateCommand(*run, Env{}); strings.Join(u[1:], " ") != "install --prefix /opt/claude-code @anthropic-ai/claude-code@latest" {
		t.Errorf("its update is %v", u)
	}
	t.Logf("%s -> %s: %s %s", run.Path, run.Resolved, run.Method, run.Version)
}

// TestNPMProject: Claude Code installed with npm in a project folder (not -g)
// is an npm install updated there, as /opt/claude-code is.
func TestNPMProject(t *testing.T) {
	home := t.TempDir()
	project := filepath.Join(home, "tools", "claude")
	pkg := filepath.Join(project, "node_modules", "@anthropic-ai", "claude-code", "bin", "claude.exe")
	script(t, pkg, `echo "2.1.330 (Claude Code)"`)
	link(t, "../@anthropic-ai/claude-code/bin/claude.exe", filepath.Join(project, "node_modules", ".bin", "claude"))
	r := Lookup(context.Background(), Options{Env: Env{PATH: filepath.Join(project, "node_modules", ".bin"), Home: home}, NoUpdateCheck: true})
	run := r.Running()
	if run == nil || run.Method != MethodNPM || run.NPMProject() != project {
		t.Fatalf("running %+v (project %q)", run, run.NPMProject())
	}
	if u, _ := UpdateCommand(*run, Env{}); strings.Join(u[1:], " ") != "install --prefix "+project+" @anthropic-ai/claude-code@latest" {
		t.Errorf("the update is %v", u)
	}
}
