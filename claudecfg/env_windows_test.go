//go:build windows

package claudecfg

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claudemedic/claudesettings"

	"golang.org/x/sys/windows/registry"
)

// fakeEnvironmentKeys points environmentKeys at two fresh keys under
// HKCU\Software, for the machine's and the user's environment.
func fakeEnvironmentKeys(t *testing.T) (machine, user registry.Key) {
	t.Helper()
	base := fmt.Sprintf(`Software\ClaudeMedicTest\%s-%d`, t.Name(), os.Getpid())
	keys := make([]registry.Key, 2)
	for i, sub := range []string{"Machine", "User"} {
		k, _, err := registry.CreateKey(registry.CURRENT_USER, base+`\`+sub, registry.ALL_ACCESS)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { k.Close(); registry.DeleteKey(registry.CURRENT_USER, base+`\`+sub) })
		keys[i] = k
	}
	t.Cleanup(func() { registry.DeleteKey(registry.CURRENT_USER, base) })
	saved := environmentKeys
	t.Cleanup(func() { environmentKeys = saved })
	environmentKeys = environmentKeys[:0:0]
	for _, sub := range []string{"Machine", "User"} {
		environmentKeys = append(environmentKeys, struct {
			root       registry.Key
			path, name string
		}{registry.CURRENT_USER, base + `\` + sub, `HKCU\` + base + `\` + sub})
	}
	return keys[0], keys[1]
}

// The registry's environment, with a folder of non-ASCII name, values of
// every type and an expandable path, is what Inspect reads for a desktop app.
func TestInspectReadsTheRegistryEnvironment(t *testing.T) {
	machine, user := fakeEnvironmentKeys(t)
	home, err := os.MkdirTemp("", "张三")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(home) })
	cfg := filepath.Join(home, ".claude")
	if err := os.MkdirAll(cfg, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(cfg, "settings.json"), []byte(`{"env": {"API_TIMEOUT_MS": "900000"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(machine.SetStringValue("HTTPS_PROXY", "http://machine.corp:8080"))
	must(machine.SetStringValue("CORP", home))
	must(user.SetStringValue("HTTPS_PROXY", "http://user.corp:3128"))
	must(user.SetExpandStringValue(claudesettings.VarConfigDir, `%CORP%\.claude`))
	must(user.SetDWordValue(claudesettings.VarMaxRetries, 15))                            // not a string
	must(user.SetStringsValue(claudesettings.VarNoProxy, []string{"localhost", ".corp"})) // REG_MULTI_SZ: not a string either
	must(user.SetBinaryValue("SOME_OTHER_APP", []byte{1, 2}))

	s, err := Inspect(context.Background(), ResolveOptions{LoginShell: true, Environ: []string{
		"HTTPS_PROXY=http://stale.corp:1",                      // the app's own, from before the user changed it
		"ANTHROPIC_BASE_URL=https://only-this-process.example", // set in one terminal, not in the registry
	}})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]Value{
		"HTTPS_PROXY":                {Value: "http://user.corp:3128", Source: claudesettings.SourceUserEnvironment},
		claudesettings.VarConfigDir:  {Value: cfg, Source: claudesettings.SourceUserEnvironment},
		claudesettings.VarAPITimeout: {Value: "900000", Source: claudesettings.SourceUserSettings},
		claudesettings.VarBaseURL:    {},
		claudesettings.VarMaxRetries: {},
		claudesettings.VarNoProxy:    {},
	} {
		got := s.Vars[name]
		if got.Value != want.Value || got.Source != want.Source {
			t.Errorf("%s = %q from %q, want %q from %q", name, got.Value, got.Source, want.Value, want.Source)
		}
	}
	if s.ConfigDir != cfg {
		t.Errorf("Claude Code's folder %s, want %s (CLAUDE_CONFIG_DIR from the registry)", s.ConfigDir, cfg)
	}
	msg := fmt.Sprint(s.LoginShellErr)
	for _, want := range []string{claudesettings.VarMaxRetries + ` in HKCU\`, "is a REG_DWORD, not a string", claudesettings.VarNoProxy + ` in HKCU\`, "is a REG_MULTI_SZ"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the environment's error %q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, "SOME_OTHER_APP") {
		t.Errorf("the error %q names a variable Claude Code does not read", msg)
	}
}

// The real keys read without error on a fresh Windows (or Wine prefix).
func TestDesktopEnvReadsTheRealKeys(t *testing.T) {
	env, ok, err := desktopEnv(context.Background(), map[string]string{"SystemRoot": os.Getenv("SystemRoot")})
	if !ok || err != nil {
		t.Fatalf("desktopEnv: %v, %v", ok, err)
	}
	if env["PATH"] == "" {
		t.Errorf("no Path in the machine's environment: %v", env)
	}
}

// A Windows process's environment names are case-insensitive: "Path" and a
// lower-case https_proxy are found under the names Claude Code reads.
func TestEnvNamesCaseInsensitive(t *testing.T) {
	m := envMap([]string{`Path=C:\Windows;C:\bin`, "https_proxy=http://proxy:8080", "Anthropic_Base_Url=https://relay.example"})
	if m["PATH"] != `C:\Windows;C:\bin` || m["HTTPS_PROXY"] != "http://proxy:8080" || m[claudesettings.VarBaseURL] != "https://relay.example" {
		t.Errorf("envMap on Windows = %v; want the names in upper case", m)
	}
}
