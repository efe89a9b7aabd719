package claudecfg

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// The proxy and NO_PROXY Claude Code picks from the variables set, in its
// order (each measured with Claude Code 2.1.330): https_proxy, HTTPS_PROXY,
// http_proxy, HTTP_PROXY, all_proxy, ALL_PROXY; no_proxy, else NO_PROXY.
func TestProxyOrder(t *testing.T) {
	tests := []struct {
		env            []string
		proxy, noProxy string
	}{
		{nil, "", ""},
		{[]string{"HTTPS_PROXY=http://upper:1", "https_proxy=http://lower:1"}, "http://lower:1", ""},
		{[]string{"HTTPS_PROXY=http://https:1", "http_proxy=http://http:1"}, "http://https:1", ""},
		{[]string{"HTTP_PROXY=http://upper:1", "http_proxy=http://lower:1"}, "http://lower:1", ""},
		{[]string{"HTTP_PROXY=http://http:1"}, "http://http:1", ""},
		{[]string{"ALL_PROXY=http://all:1", "all_proxy=http://lower-all:1"}, "http://lower-all:1", ""},
		{[]string{"ALL_PROXY=http://all:1", "HTTP_PROXY=http://http:1"}, "http://http:1", ""},
		{[]string{"https_proxy=", "HTTPS_PROXY=http://upper:1"}, "http://upper:1", ""}, // empty is unset
		{[]string{"NO_PROXY=upper", "no_proxy=lower"}, "", "lower"},
		{[]string{"NO_PROXY=upper"}, "", "upper"},
		{[]string{"NO_PROXY=upper", "no_proxy="}, "", "upper"},
	}
	for _, tt := range tests {
		testHome(t)
		tgt, err := Resolve(context.Background(), ResolveOptions{Environ: tt.env})
		if err != nil {
			t.Fatal(err)
		}
		if tgt.Proxy.Value != tt.proxy || tgt.NoProxy.Value != tt.noProxy {
			t.Errorf("%q: proxy %q, NO_PROXY %q; want %q, %q", tt.env, tgt.Proxy.Value, tgt.NoProxy.Value, tt.proxy, tt.noProxy)
		}
		if tt.proxy != "" && tgt.Proxy.Source != claudesettings.SourceShell {
			t.Errorf("%q: proxy source %q", tt.env, tgt.Proxy.Source)
		}
	}
}

// A lower-case https_proxy in the shell wins over HTTPS_PROXY in a settings
// env: Claude Code sees both variables and takes the lower-case one.
func TestProxyOrderAcrossSources(t *testing.T) {
	dir := testHome(t)
	writeFile(t, dir+"/settings.json", `{"env": {"HTTPS_PROXY": "http://settings:1"}}`)
	tgt, err := Resolve(context.Background(), ResolveOptions{Environ: []string{"https_proxy=http://shell:1"}})
	if err != nil {
		t.Fatal(err)
	}
	if tgt.Proxy != (claudesettings.Setting{Value: "http://shell:1", Source: claudesettings.SourceShell}) {
		t.Errorf("proxy %+v", tgt.Proxy)
	}
}

// End to end: with https_proxy (working) and HTTPS_PROXY (dead) both set,
// the resolved target goes through the working one and the check is
// healthy, as Claude Code is.
func TestProxyLowerCaseWins(t *testing.T) {
	testHome(t)
	srv := netchecktest.Start(t, netchecktest.ProxyLowerCase)
	tgt, err := Resolve(context.Background(), ResolveOptions{Environ: srv.Environ()})
	if err != nil {
		t.Fatal(err)
	}
	if tgt.Proxy.Value != srv.Target().Proxy.Value {
		t.Fatalf("proxy %q, want the lower-case %q", tgt.Proxy.Value, srv.Target().Proxy.Value)
	}
	if r := netcheck.Run(context.Background(), tgt, srv.Options()); r.Verdict != netcheck.VerdictOK {
		t.Errorf("verdict %s: %+v", r.Verdict, r.Findings)
	}
}

// A proxy saved with ProxyEdits is the one Claude Code uses, whatever the
// shell sets: it goes in https_proxy, which Claude Code reads first and a
// settings env overrides by name (an HTTPS_PROXY there lost to the shell's
// https_proxy). The file's other spelling goes; removing the proxy removes
// every spelling, and Shadows then names the shell's variable that decides.
func TestSavedProxyWinsAsClaudeCodeReadsIt(t *testing.T) {
	dir := testHome(t)
	user := filepath.Join(dir, "settings.json")
	writeFile(t, user, `{"env": {"HTTPS_PROXY": "http://old:1", "http_proxy": "http://plain:1", "API_TIMEOUT_MS": "900000"}}`)
	shell := []string{"https_proxy=http://shell:1", "HTTPS_PROXY=http://shell-upper:1"}
	project := t.TempDir()
	inspect := func() *Settings {
		t.Helper()
		s, err := Inspect(context.Background(), ResolveOptions{ProjectDir: project, Environ: shell})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}

	c, err := EditFile(user, ProxyEdits("http://saved:1", nil)...)
	if err != nil {
		t.Fatal(err)
	}
	s := inspect()
	if got := s.Target().Proxy; got != (claudesettings.Setting{Value: "http://saved:1", Source: claudesettings.SourceUserSettings}) {
		t.Errorf("after saving, Claude Code's proxy is %+v, want the saved one", got)
	}
	env := readEnv(t, user)
	if env[claudesettings.ProxyVar] != "http://saved:1" || env[claudesettings.VarHTTPSProxy] != "" || env["http_proxy"] != "http://plain:1" || env[claudesettings.VarAPITimeout] != "900000" {
		t.Errorf("settings env after saving: %v", env)
	}
	if sh := s.Shadows(c); len(sh) != 0 {
		t.Errorf("shadows after saving: %+v", sh)
	}

	// A higher layer's HTTPS_PROXY does not win over the saved https_proxy;
	// its https_proxy does, and Shadows says so.
	local := filepath.Join(project, ".claude", "settings.local.json")
	writeFile(t, local, `{"env": {"HTTPS_PROXY": "http://local-upper:1"}}`)
	if got := inspect().Target().Proxy.Value; got != "http://saved:1" {
		t.Errorf("with the local settings' HTTPS_PROXY, Claude Code's proxy is %q", got)
	}
	writeFile(t, local, `{"env": {"https_proxy": "http://local:1"}}`)
	if sh := inspect().Shadows(c); len(sh) != 1 || sh[0] != (Shadow{Name: claudesettings.ProxyVar, Source: claudesettings.SourceLocalSettings, File: local}) {
		t.Errorf("shadows with the local settings' https_proxy: %+v", sh)
	}
	os.Remove(local)

	c, err = EditFile(user, ProxyEdits("", nil)...)
	if err != nil {
		t.Fatal(err)
	}
	env = readEnv(t, user)
	for _, name := range claudesettings.ProxyVars {
		if v, ok := env[name]; ok {
			t.Errorf("after removing the proxy, %s = %q is still in the file", name, v)
		}
	}
	if env[claudesettings.VarAPITimeout] != "900000" {
		t.Errorf("removing the proxy changed another key: %v", env)
	}
	if sh := inspect().Shadows(c); len(sh) != 1 || sh[0] != (Shadow{Name: claudesettings.ProxyVar, Source: claudesettings.SourceShell}) {
		t.Errorf("shadows after removing the proxy, with the shell's https_proxy: %+v", sh)
	}
}

// readEnv is a settings file's env.
func readEnv(t *testing.T, file string) map[string]string {
	t.Helper()
	f, err := ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	m, _ := f.Values[claudesettings.EnvKey].(map[string]any)
	for k, v := range m {
		env[k], _ = v.(string)
	}
	return env
}
