package doctortest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"claudemedic/claudecache"
	"claudemedic/claudesettings"
)

// WriteUserSettings puts a target (a netchecktest server's, say) into the
// env of the user settings under home, as a person's ~/.claude/settings.json
// would hold it, and returns the file.
func WriteUserSettings(t testing.TB, home string, tg claudesettings.Target) string {
	t.Helper()
	env := map[string]string{"ANTHROPIC_BASE_URL": tg.BaseURL.Value}
	if tg.Credential.Secret != "" {
		env["ANTHROPIC_API_KEY"] = tg.Credential.Secret
	}
	for name, s := range map[string]claudesettings.Setting{"HTTPS_PROXY": tg.Proxy, "NODE_EXTRA_CA_CERTS": tg.CAFile,
		"API_TIMEOUT_MS": tg.APITimeout, "NO_PROXY": tg.NoProxy} {
		if s.Set() {
			env[name] = s.Value
		}
	}
	data, err := json.MarshalIndent(map[string]any{"env": env}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(home, ".claude", "settings.json")
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// StartClaude runs a process named claude (a copy of sleep) until the test
// ends, waits until claudecache sees it, and returns its process id.
func StartClaude(t testing.TB) int {
	t.Helper()
	sleep, err := os.ReadFile("/bin/sleep")
	if err != nil {
		t.Skip("no /bin/sleep to stand in for claude:", err)
	}
	claude := filepath.Join(t.TempDir(), "claude")
	if err := os.WriteFile(claude, sleep, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(claude, "60")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for deadline := time.Now().Add(10 * time.Second); !slices.Contains(claudecache.ClaudeProcesses(), cmd.Process.Pid); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the claude process %d was not seen", cmd.Process.Pid)
		}
	}
	return cmd.Process.Pid
}

// ShellVars are the variables of a shell that Claude Code or Claude Medic
// reads: credentials, base URLs, proxies, trust, cloud providers, locale.
var ShellVars = []string{"CLAUDE_CONFIG_DIR", "ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN", "ANTHROPIC_BASE_URL",
	"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy",
	"NODE_EXTRA_CA_CERTS", "CLAUDE_CODE_CERT_STORE", "NODE_OPTIONS", "API_TIMEOUT_MS", "LC_ALL", "LC_MESSAGES",
	"CLAUDE_CODE_OAUTH_TOKEN", "CLAUDE_SECURESTORAGE_CONFIG_DIR", "CLAUDE_CODE_USE_BEDROCK", "CLAUDE_CODE_USE_VERTEX", "CLAUDE_CODE_USE_FOUNDRY",
	"ANTHROPIC_BEDROCK_BASE_URL", "ANTHROPIC_VERTEX_BASE_URL", "ANTHROPIC_FOUNDRY_BASE_URL", "ANTHROPIC_FOUNDRY_RESOURCE", "ANTHROPIC_FOUNDRY_API_KEY",
	"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK",
	"AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"CLOUD_ML_REGION", "GOOGLE_APPLICATION_CREDENTIALS", "CLOUDSDK_CONFIG", "AZURE_CLIENT_ID", "AZURE_TENANT_ID", "AZURE_CLIENT_SECRET", "AZURE_CONFIG_DIR",
	"CLAUDE_CODE_SKIP_BEDROCK_AUTH", "CLAUDE_CODE_SKIP_VERTEX_AUTH", "CLAUDE_CODE_SKIP_FOUNDRY_AUTH", "ANTHROPIC_CUSTOM_HEADERS"}

// Isolate points HOME and the XDG folders at a fresh temporary folder, and
// clears ShellVars, so a test never sees the developer's own set-up. It
// returns the home.
func Isolate(t testing.TB) string {
	t.Helper()
	home := t.TempDir()
	t.Setenv("HOME", home)
	for v, d := range map[string]string{"XDG_CONFIG_HOME": ".config", "XDG_STATE_HOME": ".local/state",
		"XDG_DATA_HOME": ".local/share", "XDG_CACHE_HOME": ".cache"} {
		t.Setenv(v, filepath.Join(home, d))
	}
	for _, v := range ShellVars {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	return home
}

// startEnv is the environment the test binary started with, before any
// Isolate.
var startEnv = os.Environ()

// GoTool returns a command that runs the go tool (go build, go list) in the
// environment the test binary started with, not in an isolated home: the go
// tool keeps its telemetry under the user's config folder, and a child of it
// may still write there after it exits, racing the removal of a test's
// temporary home.
func GoTool(args ...string) *exec.Cmd {
	cmd := exec.Command("go", args...)
	cmd.Env = startEnv
	return cmd
}
