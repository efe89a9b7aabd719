package netchecktest_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// TestRealClaudeRoute runs the real Claude Code CLI against the fake for the
// route scenarios and says whether our verdict agrees with what it does.
// It is opt-in, never CI: scripts/compare-route.sh runs it in a private
// network namespace whose /etc/hosts names the fake's hosts, with
// CLAUDEMEDIC_REAL_CLAUDE set to the CLI.
func TestRealClaudeRoute(t *testing.T) {
	cli := os.Getenv("CLAUDEMEDIC_REAL_CLAUDE")
	if cli == "" {
		t.Skip("set CLAUDEMEDIC_REAL_CLAUDE to the claude CLI (scripts/compare-route.sh)")
	}
	// reached: Claude Code got an answer from the fake API (it says "Hi", or
	// complains about the fake's max_tokens stop); else what it prints.
	reached := []string{"Hi", "output token maximum"}
	tests := []struct {
		name string
		sc   netchecktest.Scenario
		edit func(env []string, tg *claudesettings.Target, srv *netchecktest.Server) []string
		cc   []string // what Claude Code prints when it agrees with us
	}{
		{"IPv6 resets, IPv4 works", netchecktest.IPv6Broken, nil, []string{"ECONNRESET"}},
		{"ClientHello over 1400 bytes reset", netchecktest.TLSPQBlocked, nil, []string{"ECONNRESET"}},
		{"NODE_EXTRA_CA_CERTS is DER", netchecktest.CAFileInvalid, nil, []string{"UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN"}},
		{"NODE_EXTRA_CA_CERTS missing", netchecktest.CAFileMissing, nil, []string{"UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN"}},
		{"proxy password with @ : / % encoded", netchecktest.ProxyCredentials, nil, reached},
		{"https_proxy beats HTTPS_PROXY", netchecktest.ProxyLowerCase, nil, reached},
		{"NO_PROXY=localhost, base 127.0.0.1", netchecktest.Healthy, noProxy("localhost"), []string{"ECONNREFUSED"}},
		{"NO_PROXY=127.0.0.1, base 127.0.0.1", netchecktest.Healthy, noProxy("127.0.0.1"), reached},
		{"NO_PROXY=claudemedic.test, base api.", netchecktest.ProxyLowerCase, noProxyDomain("claudemedic.test"), reached},
		{"NO_PROXY=demic.test, base api.", netchecktest.ProxyLowerCase, noProxyDomain("demic.test"), []string{"ECONNREFUSED"}},
	}
	fmt.Printf("%-40s %-32s %-6s %s\n", "case", "claudemedic check", "agree", "Claude Code 2.1.330 printed")
	for _, tt := range tests {
		srv := netchecktest.Start(t, tt.sc)
		tg, env := srv.Target(), srv.Environ()
		if tt.edit != nil {
			env = tt.edit(env, &tg, srv)
		}
		r := netcheck.Run(context.Background(), tg, srv.Options())
		ours := string(r.Verdict)
		for _, f := range r.Findings {
			ours += " " + string(f.Code)
		}
		out := runClaude(t, cli, env)
		agree := false
		for _, w := range tt.cc {
			agree = agree || strings.Contains(out, w)
		}
		if want, _ := tt.sc.Want(); tt.edit != nil && !agree {
			t.Logf("%s: want %v", tt.name, want)
		}
		fmt.Printf("%-40s %-32s %-6v %s\n", tt.name, ours, agree, oneLine(out, 110))
		if !agree {
			t.Errorf("%s: Claude Code printed %q; we said %s", tt.name, out, ours)
		} else if testing.Verbose() {
			t.Logf("%s: Claude Code printed %q", tt.name, out)
		}
	}
}

// TestRealClaudeSavedProxy measures what claudecfg.ProxyEdits rests on: with
// a dead proxy in the shell's https_proxy, a working proxy saved in the user
// settings' env as HTTPS_PROXY loses (Claude Code reads https_proxy first, and
// a settings env overrides only the variable of the same name), and one saved
// as ProxyEdits saves it wins. claudecfg.Resolve must agree each time. Opt-in,
// as TestRealClaudeRoute (scripts/compare-route.sh).
func TestRealClaudeSavedProxy(t *testing.T) {
	cli := os.Getenv("CLAUDEMEDIC_REAL_CLAUDE")
	if cli == "" {
		t.Skip("set CLAUDEMEDIC_REAL_CLAUDE to the claude CLI (scripts/compare-route.sh)")
	}
	t.Setenv("XDG_DATA_HOME", t.TempDir()) // claudecfg's backups of the edits
	srv := netchecktest.Start(t, netchecktest.ProxyLowerCase)
	working := srv.Target().Proxy.Value
	const dead = "http://127.0.0.1:9"
	var shell []string
	for _, e := range srv.Environ() {
		if name, _, _ := strings.Cut(e, "="); !strings.HasSuffix(strings.ToLower(name), "_proxy") {
			shell = append(shell, e)
		}
	}
	shell = append(shell, "https_proxy="+dead)
	for _, tt := range []struct {
		name  string
		edits []claudecfg.Edit
		wins  bool // the saved proxy is the one Claude Code uses
	}{
		{"settings env HTTPS_PROXY, shell https_proxy", []claudecfg.Edit{claudecfg.EnvEdit(claudesettings.VarHTTPSProxy, working)}, false},
		{"ProxyEdits (https_proxy), shell https_proxy", claudecfg.ProxyEdits(working, nil), true},
	} {
		home := t.TempDir()
		if _, err := claudecfg.EditFile(filepath.Join(home, ".claude", "settings.json"), tt.edits...); err != nil {
			t.Fatal(err)
		}
		env := append([]string{"CLAUDE_CONFIG_DIR=" + filepath.Join(home, ".claude")}, shell...) // both read the settings there
		tg, err := claudecfg.Resolve(context.Background(), claudecfg.ResolveOptions{Environ: append(env, "HOME="+home)})
		if err != nil {
			t.Fatal(err)
		}
		out := runClaudeIn(t, cli, home, env)
		reached := strings.Contains(out, "Hi") || strings.Contains(out, "output token maximum")
		ours := tg.Proxy.Value == working
		fmt.Printf("%-44s %-22s %-6v %s\n", tt.name, "saved proxy used: "+fmt.Sprint(ours), reached == ours, oneLine(out, 90))
		if reached != tt.wins || ours != tt.wins {
			t.Errorf("%s: Claude Code reached the API: %v, claudecfg resolves the saved proxy: %v; want %v (Claude Code printed %q)", tt.name, reached, ours, tt.wins, out)
		}
	}
}

// noProxy points the target at a dead proxy with NO_PROXY set to list: the
// check and Claude Code must agree whether the proxy is used.
func noProxy(list string) func([]string, *claudesettings.Target, *netchecktest.Server) []string {
	return func(env []string, tg *claudesettings.Target, srv *netchecktest.Server) []string {
		tg.Proxy = claudesettings.Setting{Value: "http://127.0.0.1:9", Source: claudesettings.SourceFlag}
		tg.NoProxy = claudesettings.Setting{Value: list, Source: claudesettings.SourceFlag}
		return append(env, "HTTPS_PROXY=http://127.0.0.1:9", "NO_PROXY="+list)
	}
}

// noProxyDomain keeps ProxyLowerCase's base URL (api.claudemedic.test) but
// makes the only proxy a dead one, exempted or not by NO_PROXY=list.
func noProxyDomain(list string) func([]string, *claudesettings.Target, *netchecktest.Server) []string {
	return func(env []string, tg *claudesettings.Target, srv *netchecktest.Server) []string {
		var out []string
		for _, e := range env {
			if !strings.HasPrefix(strings.ToUpper(e), "HTTPS_PROXY=") {
				out = append(out, e)
			}
		}
		tg.Proxy = claudesettings.Setting{Value: "http://127.0.0.1:9", Source: claudesettings.SourceFlag}
		tg.NoProxy = claudesettings.Setting{Value: list, Source: claudesettings.SourceFlag}
		return append(out, "HTTPS_PROXY=http://127.0.0.1:9", "NO_PROXY="+list)
	}
}

// runClaude runs `claude -p hi` with env in a throwaway HOME, offline.
func runClaude(t *testing.T, cli string, env []string) string {
	return runClaudeIn(t, cli, t.TempDir(), env)
}

// runClaudeIn runs `claude -p hi` with env in home, offline.
func runClaudeIn(t *testing.T, cli, home string, env []string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, "-p", "hi")
	cmd.Dir = home
	cmd.Env = append([]string{"HOME=" + home, "PATH=/usr/bin:/bin", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1",
		"CLAUDE_CODE_MAX_RETRIES=0", "API_TIMEOUT_MS=8000"}, env...)
	out, _ := cmd.CombinedOutput()
	return string(out)
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		s = s[:n] + "…"
	}
	return s
}
