package claudecfg

import (
	"context"
	"path/filepath"
	"testing"

	"claudemedic/claudesettings"
)

// TestFlagsAndExplicitCredential: values from Claude Medic's command line win
// over the managed settings and the shell and show as flags; --proxy none
// leaves no proxy in any spelling; a key given explicitly is used as is, and
// the failing apiKeyHelper is never run (it would be a problem otherwise).
func TestFlagsAndExplicitCredential(t *testing.T) {
	dir := testHome(t)
	managed := filepath.Join(t.TempDir(), "managed-settings.json")
	old := managedSettingsPath
	managedSettingsPath = managed
	t.Cleanup(func() { managedSettingsPath = old })
	writeFile(t, filepath.Join(dir, "settings.json"), `{"apiKeyHelper": "exit 3", "env": {"HTTPS_PROXY": "http://proxy.user:8080"}}`)
	writeFile(t, managed, `{"env": {"ANTHROPIC_BASE_URL": "http://managed"}}`)
	environ := []string{"HOME=" + filepath.Dir(dir), "https_proxy=http://shell:3128", "ANTHROPIC_AUTH_TOKEN=sk-ant-oat01-x"}

	explicit := claudesettings.Credential{Secret: testKey, Source: claudesettings.SourceStdin, Var: "stdin"}
	tgt, err := Resolve(context.Background(), ResolveOptions{Environ: environ, Credential: &explicit,
		Flags: map[string]string{claudesettings.VarBaseURL: "https://flagged.example", claudesettings.VarHTTPSProxy: ""}})
	if err != nil {
		t.Fatal(err)
	}
	if want := (claudesettings.Setting{Value: "https://flagged.example", Source: claudesettings.SourceFlag}); tgt.BaseURL != want {
		t.Errorf("base URL %+v, want %+v", tgt.BaseURL, want)
	}
	if tgt.Proxy.Set() {
		t.Errorf("--proxy none left the proxy %+v", tgt.Proxy)
	}
	if c := tgt.Credential; c.Secret != testKey || c.Source != claudesettings.SourceStdin || c.Kind != claudesettings.KindBearer {
		t.Errorf("credential from %s as %s, want stdin sent as a Bearer token (ANTHROPIC_AUTH_TOKEN is set)", c.Source, c.Kind)
	}
	if len(tgt.Problems) != 0 {
		t.Errorf("the apiKeyHelper ran or another problem: %+v", tgt.Problems)
	}
}
