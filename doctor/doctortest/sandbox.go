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
	"claudemedic/netcheck"
)

// WriteUserSettings puts a target (a netchecktest server's, say) into the
// env of the user settings under home, as a person's ~/.claude/settings.json
// would hold it, and returns the file.
func WriteUserSettings(t testing.TB, home string, tg netcheck.Target) string {
	t.Helper()
	env := map[string]string{"ANTHROPIC_BASE_URL": tg.BaseURL.Value}
	if tg.Credential.Secret != "" {
		env["ANTHROPIC_API_KEY"] = tg.Credential.Secret
	}
	for name, s := range map[string]netcheck.Setting{"HTTPS_PROXY": tg.Proxy, "NODE_EXTRA_CA_CERTS": tg.CAFile,
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
