package gui

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/internal/pages"
	"claudemedic/keystore"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// The window for each way Claude Code signs in, on the real packages: the
// settings and Claude Code's saved login in a t.TempDir HOME, the AWS
// credentials file where Claude Code looks, the keychain on the test's
// private D-Bus, and the checks against the fake API.

// writeLogin saves a claude.ai login as Claude Code's /login does
// (.credentials.json in Claude Code's folder), holding token.
func writeLogin(t *testing.T, home, token, plan string, expires time.Time) {
	t.Helper()
	doc := fmt.Sprintf(`{"claudeAiOauth": {"accessToken": %q, "refreshToken": "sk-ant-ort01-guitest", "expiresAt": %d, "scopes": ["user:inference", "user:profile"], "subscriptionType": %q}}`,
		token, expires.UnixMilli(), plan)
	if err := os.WriteFile(filepath.Join(home, ".claude", ".credentials.json"), []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writeEnv replaces the user settings' env.
func writeEnv(t *testing.T, home string, env map[string]string) {
	t.Helper()
	data, err := json.MarshalIndent(map[string]any{"env": env}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".claude", "settings.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// openFirstTime opens the window as a first launch does and reports
// whether it went to the wizard's key step.
func openFirstTime(t *testing.T, f *fixture) bool {
	t.Helper()
	f.w.Open(pages.Status)
	settle(t)
	return f.w.tabs.SelectedIndex() == 1 && f.w.wizard != nil && f.w.wizard.keyEntry != nil
}

// TestSubscriber: a claude.ai Max subscriber with no API key. The first
// launch does not ask for a key; the status page says "Signed in with
// claude.ai (Max)"; the sign-in page says no key is needed, shows when the
// login's token expires, and keeps the keychain part folded away.
func TestSubscriber(t *testing.T) {
	f := newFixture(t, netchecktest.OAuthLogin)
	tg := f.srv.Target()
	tg.Credential = claudesettings.Credential{} // no key in the settings: the saved login only
	f.writeSettings(tg)
	expires := time.Now().Add(8 * time.Hour)
	writeLogin(t, f.home, netchecktest.TestToken, "max", expires)

	if openFirstTime(t, f) {
		t.Fatal("a subscriber's first launch opened the wizard's key step")
	}
	s := f.w.status
	if s.report == nil || s.report.Verdict != netcheck.VerdictOK {
		t.Fatalf("the check of a subscriber: %v", s.report)
	}
	if got := s.signIn.Text; got != "Signed in with claude.ai (Max)" || !s.signIn.Visible() {
		t.Errorf("the status page's sign-in line: %q", got)
	}

	f.w.show(pages.Key)
	settle(t)
	k := f.w.key
	if k.signIn.Text != "Signed in with claude.ai (Max)" || k.about.Text != en("key.login") || !k.about.Visible() {
		t.Errorf("the sign-in page says %q / %q", k.signIn.Text, k.about.Text)
	}
	when := expires.Local().Format("2006-01-02 15:04")
	if text := resultText(k.signInUI); !strings.Contains(text, "expires at "+when) || strings.Contains(text, netchecktest.TestToken) {
		t.Errorf("the sign-in page's details:\n%s", text)
	}
	if k.keys.Items[0].Open {
		t.Error("a subscriber is shown the keychain's key form: no key is needed")
	}
	if findButton(k.signInUI, doctor.Fix{Kind: doctor.FixKey}.Label(tr())) != nil {
		t.Error("a subscriber is offered a new API key")
	}
}

// TestBedrockUser: Claude Code set up for Amazon Bedrock (its gateway at the
// fake), with AWS keys in ~/.aws/credentials. The first launch does not ask
// for a key; the status page names the provider, its endpoint, region and
// where its credentials are; the sign-in page says no Anthropic key is
// needed and shows no "no key" state.
func TestBedrockUser(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	endpoint := f.srv.URL() + "/bedrock"
	writeEnv(t, f.home, map[string]string{
		"CLAUDE_CODE_USE_BEDROCK":    "1",
		"AWS_REGION":                 "us-east-1",
		"ANTHROPIC_BEDROCK_BASE_URL": endpoint,
		"NODE_EXTRA_CA_CERTS":        f.srv.CAFile(),
	})
	creds := filepath.Join(f.home, ".aws", "credentials")
	if err := os.MkdirAll(filepath.Dir(creds), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(creds, []byte("[default]\naws_access_key_id = AKIAGUITEST\naws_secret_access_key = guitest-secret\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	if openFirstTime(t, f) {
		t.Fatal("a Bedrock user's first launch opened the wizard's key step")
	}
	s := f.w.status
	if s.report == nil || s.report.Has(netcheck.KeyMissing) {
		t.Fatalf("the check of a Bedrock user: %v", codes(s.report))
	}
	if got := s.signIn.Text; got != "Amazon Bedrock, us-east-1" {
		t.Errorf("the status page's sign-in line: %q", got)
	}
	more := resultText(s.signInMore)
	for _, want := range []string{"Endpoint: " + endpoint, "Region: us-east-1 (your Claude Code settings)", "Credentials: the default profile: access keys in " + creds} {
		if !strings.Contains(more, want) {
			t.Errorf("the status page lacks %q:\n%s", want, more)
		}
	}
	if strings.Contains(more, "guitest-secret") {
		t.Errorf("the status page shows the AWS secret:\n%s", more)
	}

	f.w.show(pages.Key)
	settle(t)
	k := f.w.key
	if k.signIn.Text != "Amazon Bedrock, us-east-1" || !strings.Contains(k.about.Text, "needs no Anthropic API key") {
		t.Errorf("the sign-in page says %q / %q", k.signIn.Text, k.about.Text)
	}
	if k.keys.Items[0].Open {
		t.Error("a Bedrock user is shown the keychain's key form")
	}
	if text := resultText(k.signInUI); strings.Contains(text, "KEY_MISSING") || strings.Contains(text, "No key") {
		t.Errorf("a Bedrock user is told of a missing key:\n%s", text)
	}
}

// TestKeyOverridesLogin: a stale ANTHROPIC_API_KEY in the user settings wins
// over a saved claude.ai login. The status page says the key is used and the
// login is set but not used; the sign-in page shows KEY_OVERRIDES_LOGIN with
// doctor's one-click removal, which removes the key: Claude Code then signs
// in with the login.
func TestKeyOverridesLogin(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	f.writeSettings(f.srv.Target()) // ANTHROPIC_API_KEY in the user settings
	writeLogin(t, f.home, netchecktest.TestToken, "max", time.Now().Add(8*time.Hour))

	test.Tap(f.w.status.checkBtn)
	settle(t)
	s := f.w.status
	if got := s.signIn.Text; got != "API key from ANTHROPIC_API_KEY" {
		t.Errorf("the status page's sign-in line: %q", got)
	}
	if more := resultText(s.signInMore); !strings.Contains(more, "claude.ai login (Max) "+claudesettings.MaskKey(netchecktest.TestToken)+" (Claude Code's .credentials.json): set, not used") {
		t.Errorf("the status page does not show the login as set, not used:\n%s", more)
	}

	f.w.show(pages.Key)
	settle(t)
	k := f.w.key
	if text := resultText(k.signInUI); !strings.Contains(text, "KEY_OVERRIDES_LOGIN") || !strings.Contains(text, "takes precedence over your claude.ai login (Max)") {
		t.Fatalf("the sign-in page does not say the key overrides the login:\n%s", text)
	}
	fix := doctor.Fix{Kind: doctor.FixRemoveOverride, Var: "ANTHROPIC_API_KEY"}
	btn := findButton(k.signInUI, fix.Label(tr()))
	if btn == nil {
		t.Fatalf("no %q button on the sign-in page", fix.Label(tr()))
	}
	test.Tap(btn)
	settle(t)
	if v, ok := f.userEnv()["ANTHROPIC_API_KEY"]; ok {
		t.Fatalf("ANTHROPIC_API_KEY = %q after the fix (%s)", claudesettings.MaskKey(v), resultText(k.signInUI))
	}
	f.w.show(pages.Key)
	settle(t)
	if k.signIn.Text != "Signed in with claude.ai (Max)" {
		t.Errorf("after removing the key the sign-in page says %q", k.signIn.Text)
	}
}

// TestUnusedKeychainKey: Claude Medic's keychain (the real gnome-keyring of
// the test's private D-Bus) holds a key that Claude Code does not read. The
// sign-in page says so and offers "Use with Claude Code", which writes
// apiKeyHelper through keystore's writer: Claude Code then takes the key from
// the helper.
func TestUnusedKeychainKey(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if os.Getenv("CLAUDEMEDIC_TEST_DESKTOP") == "1" {
			t.Fatal("CLAUDEMEDIC_TEST_DESKTOP=1 but no D-Bus session for the keychain")
		}
		t.Skip("no D-Bus session for the keychain (run under scripts/testenv.sh)")
	}
	f := newFixture(t, netchecktest.Healthy)
	tg := f.srv.Target()
	tg.Credential = claudesettings.Credential{}
	f.writeSettings(tg) // nothing Claude Code would send
	profile := "guitest" + strconv.FormatInt(time.Now().UnixNano(), 36)
	t.Cleanup(func() { keystore.Delete(context.Background(), profile) })
	if err := keystore.Set(context.Background(), profile, netchecktest.TestKey); err != nil {
		t.Fatal(err)
	}
	// The helper Claude Code would run: `<exe> key print --profile P`, here
	// a stand-in for claudemedic that prints the stored key.
	exe := filepath.Join(t.TempDir(), "claudemedic")
	if err := os.WriteFile(exe, []byte("#!/bin/sh\nprintf '%s\\n' '"+netchecktest.TestKey+"'\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	f.svc.Keys = doctor.Keychain{Profile: profile, Executable: exe}
	environ := []string{"HOME=" + f.home, "PATH=" + os.Getenv("PATH")}
	f.svc.Resolve = func(ctx context.Context) (claudesettings.Target, error) {
		return claudecfg.Resolve(ctx, claudecfg.ResolveOptions{Environ: environ, Keychain: keystore.Getter(profile)})
	}

	if openFirstTime(t, f) {
		t.Fatal("with a key in the keychain the first launch asked for one")
	}
	f.w.show(pages.Key)
	settle(t)
	k := f.w.key
	if text := resultText(k.signInUI); !strings.Contains(text, en("key.unused")) {
		t.Fatalf("the sign-in page does not say the keychain's key is unused:\n%s", text)
	}
	use := findButton(k.signInUI, en("key.use"))
	if use == nil {
		t.Fatal("no Use with Claude Code beside the unused key")
	}
	test.Tap(use)
	settle(t)
	data, err := os.ReadFile(filepath.Join(f.home, ".claude", "settings.json"))
	if err != nil || !strings.Contains(string(data), `"apiKeyHelper"`) || !strings.Contains(string(data), profile) {
		t.Fatalf("settings.json after Use with Claude Code (%v):\n%s\n%s", err, data, resultText(k.signInUI))
	}
	if text := resultText(k.signInUI); !strings.Contains(text, en("key.used")) || !strings.Contains(text, "apiKeyHelper") {
		t.Errorf("after Use with Claude Code the page says:\n%s", text)
	}
	f.w.show(pages.Key)
	settle(t)
	if k.signIn.Text != "API key from apiKeyHelper" || strings.Contains(resultText(k.signInUI), en("key.unused")) {
		t.Errorf("after Use with Claude Code the sign-in page says %q:\n%s", k.signIn.Text, resultText(k.signInUI))
	}
}
