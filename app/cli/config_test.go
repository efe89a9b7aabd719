package cli

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/internal/exitcode"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

func writeSettings(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

const showTestKey = "sk-ant-api03-SECRETSECRETSECRETSECRETSECRETSECRETSECRET-XYZW"

func TestConfigShow(t *testing.T) {
	home := isolate(t)
	t.Chdir(t.TempDir())
	user := filepath.Join(home, ".claude", "settings.json")
	writeSettings(t, user, `{"env": {"API_TIMEOUT_MS": "120000", "CLAUDE_CODE_MAX_RETRIES": "99", "NO_PROXY": ""}, "apiKeyHelper": "printf '%s' `+showTestKey+`"}`)
	t.Setenv("HTTPS_PROXY", "http://me:hunter2@proxy.corp:3128")
	t.Setenv("API_TIMEOUT_MS", "5000")
	t.Setenv("NO_PROXY", "localhost")

	code, out, errOut := runCLI(t, "", "config", "show")
	if code != exitcode.Degraded { // CLAUDE_CODE_MAX_RETRIES=99 is a problem
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	for _, want := range []string{
		"API_TIMEOUT_MS", "120000", "user settings env (" + user + "), overrides shell",
		"ANTHROPIC_BASE_URL", "https://api.anthropic.com", "Claude Code's default",
		"http://me:xxxxx@proxy.corp:3128",
		"NO_PROXY", "an empty value in user settings env",
		`! Claude Code caps CLAUDE_CODE_MAX_RETRIES="99" at 15 retries.`,
		"Credential Claude Code would send: sk-ant-api03", "from apiKeyHelper (apiKeyHelper, " + user + "), as x-api-key + Authorization: Bearer.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("config show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, showTestKey) || strings.Contains(out, "hunter2") {
		t.Errorf("config show printed a secret:\n%s", out)
	}

	code, out, _ = runCLI(t, "", "config", "show", "--json")
	var j struct {
		Variables []struct {
			Name    string  `json:"name"`
			Value   *string `json:"value"`
			Source  string  `json:"source"`
			Problem string  `json:"problem"`
		} `json:"variables"`
		Credential struct{ Key, Source string }   `json:"credential"`
		Problems   []claudesettings.ConfigProblem `json:"problems"`
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || code != exitcode.Degraded {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	got := map[string]string{}
	for _, v := range j.Variables {
		if v.Value != nil {
			got[v.Name] = *v.Value + " @ " + v.Source
		}
	}
	if got["API_TIMEOUT_MS"] != "120000 @ user settings env" || got["ANTHROPIC_BASE_URL"] != "" {
		t.Errorf("variables %v", got)
	}
	if j.Credential.Source != "apiKeyHelper" || strings.Contains(out, showTestKey) || len(j.Problems) != 1 {
		t.Errorf("credential %+v, problems %+v", j.Credential, j.Problems)
	}

	writeSettings(t, user, "{\n  \"env\": {\n    \"A\": \"1\",\n  }\n}\n")
	code, out, _ = runCLI(t, "", "config", "show")
	if code != exitcode.Degraded || !strings.Contains(out, "invalid JSON at line 4, column 3") || !strings.Contains(out, "NOT LOADED") {
		t.Errorf("an invalid file: exit %d\n%s", code, out)
	}
}

// config show names the credential Claude Code sends, what it hides, and
// the cloud provider it calls instead.
func TestConfigShowCredentials(t *testing.T) {
	home := isolate(t)
	t.Chdir(t.TempDir())
	writeSettings(t, filepath.Join(home, ".claude", ".credentials.json"),
		`{"claudeAiOauth":{"accessToken":"`+netchecktest.TestToken+`","expiresAt":4102444800000,"scopes":["user:inference"],"subscriptionType":"pro"}}`)
	t.Setenv("ANTHROPIC_API_KEY", showTestKey)
	code, out, _ := runCLI(t, "", "config", "show")
	for _, want := range []string{
		"Credential Claude Code would send: sk-ant-api03", "from ANTHROPIC_API_KEY (shell), as x-api-key.",
		"Also set, but not what Claude Code sends:", "claude.ai login (Pro) sk-ant-oat01", "(credentials file, " + filepath.Join(home, ".claude", ".credentials.json") + ")",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("config show lacks %q:\n%s", want, out)
		}
	}
	if code != exitcode.OK || strings.Contains(out, showTestKey) || strings.Contains(out, netchecktest.TestToken) {
		t.Errorf("exit %d, or a secret shown:\n%s", code, out)
	}

	t.Setenv("ANTHROPIC_API_KEY", "")
	code, out, _ = runCLI(t, "", "config", "show", "--json")
	var j struct {
		Credential struct {
			Key, Label, Kind string
			ExpiresAt        string `json:"expires_at"`
		} `json:"credential"`
		Shadowed []any `json:"shadowed"`
	}
	if err := json.Unmarshal([]byte(out), &j); err != nil || code != exitcode.OK {
		t.Fatalf("exit %d, %v:\n%s", code, err, out)
	}
	if j.Credential.Label != "claude.ai login (Pro)" || j.Credential.Kind != "oauth" || j.Credential.ExpiresAt != "2100-01-01T00:00:00Z" || len(j.Shadowed) != 0 {
		t.Errorf("credential %+v, shadowed %v", j.Credential, j.Shadowed)
	}

	t.Setenv("CLAUDE_CODE_USE_VERTEX", "1")
	t.Setenv("GOOGLE_APPLICATION_CREDENTIALS", filepath.Join(home, "missing.json"))
	code, out, _ = runCLI(t, "", "config", "show")
	for _, want := range []string{
		"Cloud provider: Google Vertex AI (CLAUDE_CODE_USE_VERTEX), so Claude Code sends no Anthropic credential.",
		"Endpoint: https://us-east5-aiplatform.googleapis.com", "Region:   us-east5 (Claude Code's default: none is set)",
		"Credentials: none found: GOOGLE_APPLICATION_CREDENTIALS names " + filepath.Join(home, "missing.json") + ", which is not a file",
		"Also set, but not what Claude Code sends:", "claude.ai login (Pro)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("config show lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Credential Claude Code would send") {
		t.Errorf("an Anthropic credential is named with a provider:\n%s", out)
	}
}

func TestConfigShowFreshHome(t *testing.T) {
	isolate(t)
	t.Chdir(t.TempDir())
	code, out, errOut := runCLI(t, "", "config", "show")
	if code != exitcode.OK || !strings.Contains(out, "Credential: none found") || !strings.Contains(out, "not present") {
		t.Errorf("exit %d\n%s\n%s", code, out, errOut)
	}
}

func TestConfigSetTimeoutAndRestore(t *testing.T) {
	home := isolate(t)
	user := filepath.Join(home, ".claude", "settings.json")
	const original = "{\n  \"model\": \"opus\",\n  \"env\": {\n    \"API_TIMEOUT_MS\": \"600000\"\n  }\n}\n"
	writeSettings(t, user, original)

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"--retries", "16"}, exitcode.Usage, "from 0 to 15"},
		{[]string{"--api-timeout", "0"}, exitcode.Usage, "from 1 to 2147483647"},
		{[]string{"--api-timeout", "1.5s5"}, exitcode.Usage, "neither milliseconds"},
		{[]string{"--preset", "turbo"}, exitcode.Usage, "no timeout preset"},
		{[]string{}, exitcode.Usage, "nothing to set"},
		{[]string{"--api-timeout", "1m", "--layer", "managed"}, exitcode.Usage, "administrator"},
	} {
		code, _, errOut := runCLI(t, "", append([]string{"config", "set-timeout"}, tc.args...)...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, %q; want %d, %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
	if readFile(t, user) != original {
		t.Fatal("a refused command changed the file")
	}

	code, out, errOut := runCLI(t, "", "config", "set-timeout", "--preset", "relay", "--api-timeout", "45m")
	if code != exitcode.OK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Saved " + user, "env.API_TIMEOUT_MS: 600000 → 2700000", "env.CLAUDE_CODE_MAX_RETRIES: set to 3", "env.MCP_TIMEOUT: set to 60000", "Undo: claudemedic config restore"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	want := "{\n  \"model\": \"opus\",\n  \"env\": {\n    \"API_TIMEOUT_MS\": \"2700000\",\n    \"CLAUDE_CODE_MAX_RETRIES\": \"3\",\n    \"MCP_TIMEOUT\": \"60000\"\n  }\n}\n"
	if got := readFile(t, user); got != want {
		t.Errorf("file\n%s\nwant\n%s", got, want)
	}

	code, out, _ = runCLI(t, "", "config", "backups", "--json")
	var list []struct{ File, Path string }
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != exitcode.OK || len(list) != 1 || list[0].File != user {
		t.Fatalf("backups: exit %d, %v, %s", code, err, out)
	}
	code, out, errOut = runCLI(t, "", "config", "restore", list[0].Path)
	if code != exitcode.OK || readFile(t, user) != original {
		t.Fatalf("restore: exit %d %s %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "", "config", "restore", "/etc/passwd"); code != exitcode.Degraded || !strings.Contains(errOut, "not one of Claude Medic's backups") {
		t.Errorf("restore of a stranger: exit %d %s", code, errOut)
	}
	if code, _, _ := runCLI(t, "", "config", "restore", "--latest"); code != exitcode.OK || readFile(t, user) != want {
		t.Errorf("restore --latest (undo the restore): exit %d\n%s", code, readFile(t, user))
	}

	project := t.TempDir()
	code, _, errOut = runCLI(t, "", "config", "set-timeout", "--preset", "slow-network", "--layer", "local", "--project", project)
	if code != exitcode.OK {
		t.Fatalf("local: %s", errOut)
	}
	code, out, _ = runCLI(t, "", "config", "set-timeout", "--api-timeout", "15m", "--project", project)
	if code != exitcode.OK || !strings.Contains(out, "Note: API_TIMEOUT_MS is also set in "+filepath.Join(project, ".claude", "settings.local.json")) {
		t.Errorf("a user setting the local settings override: exit %d\n%s", code, out)
	}
	if _, err := os.Stat(filepath.Join(project, ".claude", "settings.local.json")); err != nil {
		t.Errorf("the local settings were not created: %v", err)
	}
}

func TestConfigSetTimeoutRefusesInvalidJSON(t *testing.T) {
	home := isolate(t)
	user := filepath.Join(home, ".claude", "settings.json")
	const broken = "{\n  \"env\": {},\n}\n"
	writeSettings(t, user, broken)
	code, _, errOut := runCLI(t, "", "config", "set-timeout", "--api-timeout", "10m")
	if code != exitcode.Degraded || !strings.Contains(errOut, "line 3, column 1") || readFile(t, user) != broken {
		t.Errorf("exit %d: %s", code, errOut)
	}
}

// useFake points the resolved settings at a fake API and the run's options at its DNS.
func useFake(t *testing.T, srv *netchecktest.Server) {
	t.Helper()
	tg := srv.Target()
	t.Setenv("ANTHROPIC_BASE_URL", tg.BaseURL.Value)
	t.Setenv("NODE_EXTRA_CA_CERTS", tg.CAFile.Value)
	t.Setenv("ANTHROPIC_API_KEY", netchecktest.TestKey)
	testOptions = func(o *netcheck.Options) {
		fake := srv.Options()
		o.Resolver, o.StatusURL, o.StreamIdle, o.SlowAfter = fake.Resolver, fake.StatusURL, fake.StreamIdle, fake.SlowAfter
	}
	t.Cleanup(func() { testOptions = nil })
}

func TestConfigSuggestTimeout(t *testing.T) {
	home := isolate(t)
	t.Chdir(t.TempDir())
	srv := netchecktest.Start(t, netchecktest.Healthy)
	useFake(t, srv)
	t.Setenv("API_TIMEOUT_MS", "1000")
	code, out, errOut := runCLI(t, "", "config", "suggest-timeout", "--runs", "3", "--stream", "--apply")
	if code != exitcode.OK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Count(errOut, "first byte") != 3 || !strings.Contains(errOut, "stream") {
		t.Errorf("progress:\n%s", errOut)
	}
	if !strings.Contains(out, "Suggested API_TIMEOUT_MS: 600000") || !strings.Contains(out, "Over 3 runs") || !strings.Contains(out, "raise API_TIMEOUT_MS to 600000") {
		t.Errorf("output:\n%s", out)
	}
	if got := readFile(t, filepath.Join(home, ".claude", "settings.json")); !strings.Contains(got, `"API_TIMEOUT_MS": "600000"`) {
		t.Errorf("--apply did not save: %s", got)
	}

	srv.SetScenario(netchecktest.TCPRefused)
	t.Setenv("ANTHROPIC_BASE_URL", srv.Target().BaseURL.Value)
	code, _, errOut = runCLI(t, "", "config", "suggest-timeout", "--runs", "2", "--timeout", "2s")
	if code != exitcode.Degraded || !strings.Contains(errOut, "TCP_REFUSED") || !strings.Contains(errOut, "no run reached the API") {
		t.Errorf("refused: exit %d\n%s", code, errOut)
	}
}

func TestConfigSetProxy(t *testing.T) {
	home := isolate(t)
	t.Chdir(t.TempDir())
	user := filepath.Join(home, ".claude", "settings.json")
	srv := netchecktest.Start(t, netchecktest.ProxyAuthRequired)
	authProxy := srv.Target().Proxy.Value
	srv.SetScenario(netchecktest.ProxyCatchesLocal)
	goodProxy := srv.Target().Proxy.Value
	srv.SetScenario(netchecktest.Healthy)
	useFake(t, srv)

	code, _, errOut := runCLI(t, "", "config", "set-proxy", "socks5://127.0.0.1:1080")
	if code != exitcode.Degraded || !strings.Contains(errOut, "not SOCKS") {
		t.Errorf("socks: exit %d %s", code, errOut)
	}
	code, _, errOut = runCLI(t, "", "config", "set-proxy", "--timeout", "3s", authProxy)
	if code != exitcode.Degraded || !strings.Contains(errOut, "PROXY_AUTH_REQUIRED") || !strings.Contains(errOut, "not saved") {
		t.Errorf("407 proxy: exit %d %s", code, errOut)
	}
	if _, err := os.Stat(user); err == nil {
		t.Fatal("a failing proxy was saved")
	}

	code, out, errOut := runCLI(t, goodProxy+"\n", "config", "set-proxy", "--stdin", "--timeout", "3s")
	if code != exitcode.OK {
		t.Fatalf("good proxy: exit %d %s %s", code, out, errOut)
	}
	if !strings.Contains(out, "PROXY_CATCHES_LOCAL") || !strings.Contains(out, "env.https_proxy: set to "+goodProxy) {
		t.Errorf("output:\n%s", out)
	}
	code, out, _ = runCLI(t, "", "config", "set-proxy", "--timeout", "3s", "--no-proxy", "127.0.0.1,localhost", goodProxy)
	if code != exitcode.OK || strings.Contains(out, "PROXY_CATCHES_LOCAL") || !strings.Contains(out, "env.NO_PROXY: set to 127.0.0.1,localhost") {
		t.Errorf("with NO_PROXY: exit %d\n%s", code, out)
	}
	// With a proxy in the shell too, removing the saved one says that the shell's now decides.
	t.Setenv("https_proxy", "http://127.0.0.1:9")
	code, out, _ = runCLI(t, "", "config", "set-proxy", "none")
	if got := readFile(t, user); code != exitcode.OK || strings.Contains(strings.ToLower(got), "https_proxy") || !strings.Contains(got, "NO_PROXY") {
		t.Errorf("none: exit %d, file %s", code, got)
	}
	if !strings.Contains(out, "Note: https_proxy is set in your environment (shell)") {
		t.Errorf("none, with the shell's https_proxy: the output does not say it still decides:\n%s", out)
	}
}

func TestConfigSetCA(t *testing.T) {
	home := isolate(t)
	t.Setenv("SHELL", "/bin/zsh")
	dir := t.TempDir()
	mk := func(name string, isCA bool) string {
		key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: name},
			NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: isCA, BasicConstraintsValid: true}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name+".pem")
		os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o644)
		return p
	}
	root, leaf := mk("Corp Root", true), mk("proxy.corp", false)
	code, _, errOut := runCLI(t, "", "config", "set-ca", leaf)
	if code != exitcode.Degraded || !strings.Contains(errOut, "server certificate") {
		t.Errorf("leaf: exit %d %s", code, errOut)
	}
	code, out, errOut := runCLI(t, "", "config", "set-ca", root)
	if code != exitcode.OK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"CN=Corp Root", "env.NODE_EXTRA_CA_CERTS: set to " + root, "~/.zshrc", "export NODE_EXTRA_CA_CERTS='" + root + "'"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if got := readFile(t, filepath.Join(home, ".claude", "settings.json")); !strings.Contains(got, root) {
		t.Errorf("file %s", got)
	}
}

func TestConfigUsage(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{{"config"}, {"config", "nope"}, {"config", "show", "extra"}, {"config", "set-ca"}, {"config", "set-proxy"}, {"config", "restore"}, {"config", "suggest-timeout", "--runs", "0"}} {
		if code, _, _ := runCLI(t, "", args...); code != exitcode.Usage {
			t.Errorf("%v: exit %d, want %d", args, code, exitcode.Usage)
		}
	}
	if code, _, errOut := runCLI(t, "", "config", "set-timeout", "--help"); code != exitcode.OK || !strings.Contains(errOut, "slow-network") {
		t.Errorf("--help: exit %d %s", code, errOut)
	}
}
