package claudecfg

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
)

const testKey = "sk-ant-api03-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA-BBBBBBBB"

func TestResolvePrecedence(t *testing.T) {
	dir := testHome(t)
	project := t.TempDir()
	managed := filepath.Join(t.TempDir(), "managed-settings.json")
	old := managedSettingsPath
	managedSettingsPath = managed
	t.Cleanup(func() { managedSettingsPath = old })

	writeFile(t, filepath.Join(dir, "settings.json"), `{"env": {"ANTHROPIC_BASE_URL": "http://user", "API_TIMEOUT_MS": "1000", "HTTPS_PROXY": "http://proxy.user:8080", "NO_PROXY": ""}}`)
	writeFile(t, filepath.Join(project, ".claude", "settings.json"), `{"env": {"ANTHROPIC_BASE_URL": "http://project", "API_TIMEOUT_MS": "2000"}}`)
	writeFile(t, filepath.Join(project, ".claude", "settings.local.json"), `{"env": {"ANTHROPIC_BASE_URL": "http://local"}}`)
	writeFile(t, managed, `{"env": {"NODE_EXTRA_CA_CERTS": "/etc/corp.pem"}}`)

	environ := []string{"HOME=" + filepath.Dir(dir), "ANTHROPIC_BASE_URL=http://shell", "NO_PROXY=localhost", "HTTP_PROXY=http://shell:3128", "ANTHROPIC_API_KEY=" + testKey}
	tgt, err := Resolve(context.Background(), ResolveOptions{ProjectDir: project, Environ: environ})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		got  claudesettings.Setting
		want claudesettings.Setting
	}{
		{"base URL: local beats project, user and shell", tgt.BaseURL, claudesettings.Setting{Value: "http://local", Source: claudesettings.SourceLocalSettings}},
		{"timeout: project beats user", tgt.APITimeout, claudesettings.Setting{Value: "2000", Source: claudesettings.SourceProjectSettings}},
		{"proxy: HTTPS_PROXY from settings before the shell's HTTP_PROXY", tgt.Proxy, claudesettings.Setting{Value: "http://proxy.user:8080", Source: claudesettings.SourceUserSettings}},
		{"NO_PROXY: an empty string unsets", tgt.NoProxy, claudesettings.Setting{Source: claudesettings.SourceUserSettings}},
		{"CA: managed", tgt.CAFile, claudesettings.Setting{Value: "/etc/corp.pem", Source: claudesettings.SourceManagedSettings}},
	} {
		if tc.got != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, tc.got, tc.want)
		}
	}
	if c := tgt.Credential; c.Secret != testKey || c.Source != claudesettings.SourceShell || c.Kind != claudesettings.KindAPIKey {
		t.Errorf("credential %v %v", c.Source, c.Kind)
	}
	if len(tgt.Problems) != 0 {
		t.Errorf("problems %+v", tgt.Problems)
	}
}

func TestShadows(t *testing.T) {
	dir := testHome(t)
	project := t.TempDir()
	local := filepath.Join(project, ".claude", "settings.local.json")
	writeFile(t, local, `{"env": {"API_TIMEOUT_MS": "5000", "HTTPS_PROXY": "http://p:1"}}`)
	user := filepath.Join(dir, "settings.json")
	writeFile(t, user, `{"env": {"API_TIMEOUT_MS": "900000", "CLAUDE_CODE_MAX_RETRIES": "3", "HTTPS_PROXY": "x"}}`)
	c, err := EditFile(user, Set("900001", "env", claudesettings.VarAPITimeout), Set("4", "env", claudesettings.VarMaxRetries), Unset("env", claudesettings.VarHTTPSProxy))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Inspect(context.Background(), ResolveOptions{ProjectDir: project, Environ: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	got := s.Shadows(c)
	if len(got) != 2 || got[0].Name != claudesettings.VarAPITimeout || got[1].Name != claudesettings.VarHTTPSProxy || got[0].File != local || got[0].Source != claudesettings.SourceLocalSettings {
		t.Errorf("shadows %+v", got)
	}
}

func TestResolveInTheHomeFolder(t *testing.T) {
	dir := testHome(t)
	writeFile(t, filepath.Join(dir, "settings.json"), `{"env": {"API_TIMEOUT_MS": "5000"}}`)
	s, err := Inspect(context.Background(), ResolveOptions{ProjectDir: filepath.Dir(dir), Environ: []string{"HOME=" + filepath.Dir(dir)}})
	if err != nil {
		t.Fatal(err)
	}
	if v := s.Var(claudesettings.VarAPITimeout); v.Source != claudesettings.SourceUserSettings {
		t.Errorf("in the home folder ~/.claude/settings.json is the user settings, not the project's: %+v", v)
	}
	for _, f := range s.Files {
		if f.Layer == LayerProject {
			t.Errorf("the project layer is listed: %+v", f)
		}
	}
}

func TestResolveConfigDirAndDefaults(t *testing.T) {
	testHome(t)
	cfg := t.TempDir()
	writeFile(t, filepath.Join(cfg, "settings.json"), `{"env": {"API_TIMEOUT_MS": "5000"}}`)
	tgt, err := Resolve(context.Background(), ResolveOptions{Environ: []string{"CLAUDE_CONFIG_DIR=" + cfg}})
	if err != nil {
		t.Fatal(err)
	}
	if tgt.APITimeout.Value != "5000" || tgt.BaseURL != (claudesettings.Setting{Value: claudesettings.DefaultBaseURL, Source: claudesettings.SourceDefault}) {
		t.Errorf("target %+v", tgt)
	}
	if tgt.Credential.Secret != "" {
		t.Error("a credential from nowhere")
	}
}

func TestResolveProblems(t *testing.T) {
	dir := testHome(t)
	project := t.TempDir()
	writeFile(t, filepath.Join(dir, "settings.json"), "{\n  \"env\": {\n    \"API_TIMEOUT_MS\": \"99999999999\",\n    \"MCP_TIMEOUT\": \"30s\",\n    \"CLAUDE_CODE_MAX_RETRIES\": 3\n  }\n}")
	writeFile(t, filepath.Join(project, ".claude", "settings.json"), "{\n  \"env\": {\"A\": \"1\"},\n}")
	s, err := Inspect(context.Background(), ResolveOptions{ProjectDir: project, Environ: []string{"HTTPS_PROXY=socks5://127.0.0.1:1080", "BASH_MAX_TIMEOUT_MS=0"}})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"invalid JSON at line 3, column 1",
		"env.CLAUDE_CODE_MAX_RETRIES is a number",
		`Claude Code reads MCP_TIMEOUT="30s" as 30 ms: it takes the digits at the start and ignores "s". Write milliseconds only: 30000 for 30s. (set in user settings env`,
		`Claude Code ignores BASH_MAX_TIMEOUT_MS="0" (it must be above 0) and uses its default, 600000 ms (10m0s). (set in shell)`,
	}
	all := ""
	for _, p := range s.Problems {
		all += p.Path + ": " + p.Message + "\n"
	}
	for _, w := range want {
		if !strings.Contains(all, w) {
			t.Errorf("no problem with %q in:\n%s", w, all)
		}
	}
	if strings.Contains(all, "HTTPS_PROXY") || strings.Contains(all, "99999999999") {
		t.Errorf("values the checks judge are reported twice:\n%s", all)
	}
	// Claude Code still sends its requests with a Bash or MCP timeout it
	// reads otherwise (a warning); not with a settings file it cannot load.
	for _, p := range s.Problems {
		if works := p.Path == claudesettings.VarMCPTimeout || p.Path == claudesettings.VarBashMaxTimeout; p.Works != works {
			t.Errorf("%s: Works %v, want %v", p.Path, p.Works, works)
		}
	}
	if v := s.Var(claudesettings.VarMaxRetries); v.Value != "3" {
		t.Errorf("a number in env is still read: %+v", v)
	}
}

// TestResolveLoginShell reads a real bash login shell whose profile sets a
// stale ANTHROPIC_BASE_URL that the app's own environment does not have.
func TestResolveLoginShell(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil || runtime.GOOS == "windows" {
		t.Skip("needs bash")
	}
	dir := testHome(t)
	home := filepath.Dir(dir)
	writeFile(t, filepath.Join(home, ".bash_profile"), "echo welcome\nexport ANTHROPIC_BASE_URL=http://127.0.0.1:3456\nexport API_TIMEOUT_MS=3000\nunset NO_PROXY\nexport CLAUDE_CONFIG_DIR=\"$HOME/alt\"\n")
	writeFile(t, filepath.Join(home, "alt", "settings.json"), `{"env": {"HTTPS_PROXY": "http://alt:1"}}`)
	environ := []string{"HOME=" + home, "SHELL=" + bash, "PATH=/usr/bin:/bin", "API_TIMEOUT_MS=3000", "NO_PROXY=example.com"}
	s, err := Inspect(context.Background(), ResolveOptions{Environ: environ, LoginShell: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.LoginShellErr != nil {
		t.Fatal(s.LoginShellErr)
	}
	tgt := s.Target()
	if tgt.BaseURL != (claudesettings.Setting{Value: "http://127.0.0.1:3456", Source: claudesettings.SourceLoginShell}) {
		t.Errorf("base URL %+v", tgt.BaseURL)
	}
	if tgt.APITimeout.Source != claudesettings.SourceShell {
		t.Errorf("a value the login shell only repeats keeps the source shell: %+v", tgt.APITimeout)
	}
	if tgt.NoProxy.Set() {
		t.Errorf("the profile unsets NO_PROXY: %+v", tgt.NoProxy)
	}
	if tgt.Proxy.Value != "http://alt:1" || s.ConfigDir != filepath.Join(home, "alt") {
		t.Errorf("CLAUDE_CONFIG_DIR from the profile was not used: %q, %+v", s.ConfigDir, tgt.Proxy)
	}

	// A profile that hangs: the shell is stopped and the process environment used.
	forgetLoginShell()
	writeFile(t, filepath.Join(home, ".bash_profile"), "sleep 60\n")
	old := LoginShellTimeout
	LoginShellTimeout = 300 * time.Millisecond
	t.Cleanup(func() { LoginShellTimeout = old })
	s, err = Inspect(context.Background(), ResolveOptions{Environ: environ, LoginShell: true})
	if err != nil {
		t.Fatal(err)
	}
	if s.LoginShellErr == nil || !strings.Contains(s.LoginShellErr.Error(), "did not finish") {
		t.Errorf("login shell error %v", s.LoginShellErr)
	}
	if v := s.Var(claudesettings.VarNoProxy); v.Value != "example.com" || v.Source != claudesettings.SourceShell {
		t.Errorf("fallback to the process environment: %+v", v)
	}
}

func TestSettingsPath(t *testing.T) {
	dir := testHome(t)
	if p, _ := SettingsPath(LayerUser, ""); p != filepath.Join(dir, "settings.json") {
		t.Errorf("user %q", p)
	}
	t.Setenv("CLAUDE_CONFIG_DIR", "/somewhere/else")
	if p, _ := SettingsPath(LayerUser, ""); p != filepath.Join("/somewhere/else", "settings.json") {
		t.Errorf("user with CLAUDE_CONFIG_DIR %q", p)
	}
	if _, err := SettingsPath(LayerLocal, ""); !errors.Is(err, ErrNoProjectDir) {
		t.Errorf("local without a project: %v", err)
	}
	if p, _ := SettingsPath(LayerLocal, "/p"); p != filepath.Join("/p", ".claude", "settings.local.json") {
		t.Errorf("local %q", p)
	}
}
