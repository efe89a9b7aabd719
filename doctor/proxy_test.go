package doctor

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// TestSetProxyTestsFirst saves a proxy only when the fake API answers through it.
func TestSetProxyTestsFirst(t *testing.T) {
	path := isolate(t)
	srv := netchecktest.Start(t, netchecktest.ProxyRefused)
	refusing := srv.Target()
	srv.SetScenario(netchecktest.ProxyCatchesLocal)
	working := srv.Target()
	srv.SetScenario(netchecktest.Healthy)
	target, opts := srv.Target(), srv.Options()

	_, _, err := SetProxy(context.Background(), path, target, refusing.Proxy.Value, nil, opts)
	var pte *ProxyTestError
	if !errors.As(err, &pte) || pte.Findings[0].Code != netcheck.ProxyRefused {
		t.Fatalf("a refusing proxy: %v", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a refusing proxy was saved")
	}
	if _, _, err := SetProxy(context.Background(), path, target, "socks5://127.0.0.1:1", nil, opts); !errors.Is(err, claudesettings.ErrSocksProxy) {
		t.Errorf("socks: %v", err)
	}
	noProxy := "localhost"
	c, r, err := SetProxy(context.Background(), path, target, working.Proxy.Value, &noProxy, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !r.Has(netcheck.ProxyCatchesLocal) || len(c.Saved.Keys) != 2 {
		t.Errorf("warning %v, keys %+v", r.Findings, c.Saved.Keys)
	}
	f, _ := claudecfg.ReadFile(path)
	if env := f.Values["env"].(map[string]any); env[claudesettings.ProxyVar] != working.Proxy.Value || env[claudesettings.VarNoProxy] != "localhost" {
		t.Errorf("env %v", env)
	}
	if c, _, err := SetProxy(context.Background(), path, target, "", nil, opts); err != nil || !c.Saved.Keys[0].Removed {
		t.Errorf("remove: %+v %v", c, err)
	}
}

// TestUserSettingsProxyElsewhere: the window's save says when the proxy
// Claude Code uses still comes from another place: here the shell's
// https_proxy, once the user settings hold none.
func TestUserSettingsProxyElsewhere(t *testing.T) {
	path := isolate(t)
	writeFile(t, path, `{"env": {"https_proxy": "http://saved:1"}}`)
	environ := []string{"HOME=" + os.Getenv("HOME"), "https_proxy=http://alice:hunter2@shell:1"}
	s := UserSettings{Lang: "en", Resolve: func(ctx context.Context) (claudesettings.Target, error) {
		return claudecfg.Resolve(ctx, claudecfg.ResolveOptions{Environ: environ})
	}}
	c, err := s.SetProxy(context.Background(), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(c.Lines, "\n")
	if !strings.Contains(text, "env.https_proxy: removed") ||
		!strings.Contains(text, "Claude Code still takes its proxy from your shell profile (~/.bashrc, ~/.zshrc or ~/.profile) (http://alice:xxxxx@shell:1)") {
		t.Errorf("the change says:\n%s", text)
	}
	if strings.Contains(text, "hunter2") {
		t.Errorf("the change shows the shell proxy's password:\n%s", text)
	}
}
