package claudecfg

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
)

// Bad input in a saved login is a sentence, never a panic and never a secret.
func TestParseLogin(t *testing.T) {
	const tok = "sk-ant-oat01-0123456789abcdefghijklmnopqrstuvwxyz-SECRET"
	for _, tc := range []struct {
		name, doc string
		usable    bool
		quiet     bool
		label     string
		expires   time.Time
		err       string
	}{
		{name: "a Max login", doc: `{"claudeAiOauth":{"accessToken":"` + tok + `","expiresAt":1767225600000,"scopes":["user:inference"],"subscriptionType":"max"}}`,
			usable: true, label: "claude.ai login (Max)", expires: time.UnixMilli(1767225600000)},
		{name: "a Pro login without expiry", doc: `{"claudeAiOauth":{"accessToken":"` + tok + `","scopes":["user:profile","user:inference"],"subscriptionType":"pro"}}`,
			usable: true, label: "claude.ai login (Pro)"},
		{name: "expiresAt a string", doc: `{"claudeAiOauth":{"accessToken":"` + tok + `","expiresAt":"soon","scopes":["user:inference"]}}`,
			usable: true, label: "claude.ai login"},
		{name: "expiresAt absurd", doc: `{"claudeAiOauth":{"accessToken":"` + tok + `","expiresAt":1e300,"scopes":["user:inference"]}}`,
			usable: true, label: "claude.ai login"},
		{name: "an odd plan name", doc: `{"claudeAiOauth":{"accessToken":"` + tok + `","scopes":["user:inference"],"subscriptionType":"<b>x</b>"}}`,
			usable: true, label: "claude.ai login (unknown plan)"},
		{name: "not JSON", doc: `{"claudeAiOauth": {"accessToken": "` + tok + `",`, err: "is not valid JSON"},
		{name: "empty", doc: " \n", err: "is empty"},
		{name: "an array", doc: `[1,2]`, err: "is not valid JSON (it is not a JSON object)"},
		{name: "no claudeAiOauth", doc: `{"mcpOAuth":{}}`, quiet: true, err: "no claudeAiOauth"},
		{name: "claudeAiOauth a string", doc: `{"claudeAiOauth":"` + tok + `"}`, err: "not an object"},
		{name: "claudeAiOauth null", doc: `{"claudeAiOauth":null}`, err: "not an object"},
		{name: "no accessToken", doc: `{"claudeAiOauth":{"refreshToken":"x","scopes":["user:inference"]}}`, err: "no accessToken"},
		{name: "accessToken a number", doc: `{"claudeAiOauth":{"accessToken":12,"scopes":["user:inference"]}}`, err: "no accessToken"},
		{name: "no scopes", doc: `{"claudeAiOauth":{"accessToken":"` + tok + `"}}`, quiet: true, err: "lack user:inference"},
		{name: "scopes a string", doc: `{"claudeAiOauth":{"accessToken":"` + tok + `","scopes":"user:inference"}}`, quiet: true, err: "lack user:inference"},
		{name: "a Console login", doc: `{"claudeAiOauth":{"accessToken":"` + tok + `","scopes":["org:create_api_key","user:profile"]}}`, quiet: true, err: "Claude Console"},
	} {
		l := parseLogin([]byte(tc.doc), claudesettings.SourceCredentialsFile, "/home/u/.claude/.credentials.json")
		c := l.cred
		if !l.found || (c.Secret != "") != tc.usable || l.quiet != tc.quiet || c.Kind != claudesettings.KindOAuth {
			t.Errorf("%s: found %v quiet %v credential %+v", tc.name, l.found, l.quiet, c)
			continue
		}
		if tc.usable && (c.Secret != tok || c.Label != tc.label || !c.ExpiresAt.Equal(tc.expires) || c.Err != nil) {
			t.Errorf("%s: %+v", tc.name, c)
		}
		if !tc.usable && (c.Err == nil || !strings.Contains(c.Err.Error(), tc.err) || !strings.Contains(c.Err.Error(), ".credentials.json")) {
			t.Errorf("%s: error %v, want %q", tc.name, c.Err, tc.err)
		}
		if c.Err != nil && strings.Contains(c.Err.Error(), "SECRET") {
			t.Errorf("%s: the error shows the token: %v", tc.name, c.Err)
		}
	}
}

func FuzzParseLogin(f *testing.F) {
	f.Add([]byte(loginJSON(orderLogin, 1)))
	f.Add([]byte(`{"claudeAiOauth":{"accessToken":"x","expiresAt":-1,"scopes":["user:inference",3]}}`))
	f.Add([]byte(`{"claudeAiOauth":{"accessToken":"x","expiresAt":1e400}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		l := parseLogin(doc, claudesettings.SourceCredentialsFile, "f")
		if l.cred.Secret == "" && l.cred.Err == nil {
			t.Errorf("neither a token nor a reason: %+v", l)
		}
	})
}

func TestLoginFileOnDisk(t *testing.T) {
	isolateCloud(t)
	for _, tc := range []struct {
		name  string
		setup func(t *testing.T, dir string) []string
		want  string // the winner's name, or the start of its error
	}{
		{"in CLAUDE_CONFIG_DIR", func(t *testing.T, dir string) []string {
			alt := filepath.Join(t.TempDir(), "cfg")
			writeFile(t, filepath.Join(alt, credentialsFile), loginJSON(orderLogin, 1))
			writeFile(t, filepath.Join(dir, credentialsFile), `not json`) // ~/.claude is not read then
			return []string{"CLAUDE_CONFIG_DIR=" + alt}
		}, "claude.ai login (Max)"},
		{"CLAUDE_CONFIG_DIR elsewhere: the login in ~/.claude is not seen", func(t *testing.T, dir string) []string {
			writeFile(t, filepath.Join(dir, credentialsFile), loginJSON(orderLogin, 1))
			return []string{"CLAUDE_CONFIG_DIR=" + t.TempDir()}
		}, ""},
		{"CLAUDE_SECURESTORAGE_CONFIG_DIR", func(t *testing.T, dir string) []string {
			sec := t.TempDir()
			writeFile(t, filepath.Join(sec, credentialsFile), loginJSON(orderLogin, 1))
			return []string{"CLAUDE_SECURESTORAGE_CONFIG_DIR=" + sec}
		}, "claude.ai login (Max)"},
		{"a folder in its place", func(t *testing.T, dir string) []string {
			writeFile(t, filepath.Join(dir, credentialsFile, "x"), "")
			return nil
		}, "claude.ai login"},
		{"larger than a megabyte", func(t *testing.T, dir string) []string {
			writeFile(t, filepath.Join(dir, credentialsFile), `{"pad":"`+strings.Repeat("x", 2<<20)+`"}`)
			return nil
		}, "claude.ai login"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := testHome(t)
			environ := tc.setup(t, dir)
			tgt, err := Resolve(context.Background(), ResolveOptions{Environ: environ})
			if err != nil {
				t.Fatal(err)
			}
			name := ""
			if tgt.Credential.Set() {
				name = tgt.Credential.Name()
			}
			if name != tc.want {
				t.Errorf("winner %q (%v), want %q", name, tgt.Credential.Err, tc.want)
			}
			if tc.want == "claude.ai login" && tgt.Credential.Err == nil {
				t.Errorf("no reason given: %+v", tgt.Credential)
			}
		})
	}
}

func TestLoginKeychainNames(t *testing.T) {
	sum := sha256.Sum256([]byte("/Users/me/work-claude"))
	for _, tc := range []struct {
		config, secure string
		secureSet      bool
		want           string
	}{
		{"", "", false, "Claude Code-credentials"},
		{"/Users/me/work-claude", "", false, "Claude Code-credentials-" + hex.EncodeToString(sum[:])[:8]},
		{"/elsewhere", "/Users/me/work-claude", true, "Claude Code-credentials-" + hex.EncodeToString(sum[:])[:8]},
		{"/elsewhere", "", true, "Claude Code-credentials"},
	} {
		if got := LoginKeychainService(tc.config, tc.secure, tc.secureSet); got != tc.want {
			t.Errorf("LoginKeychainService(%q, %q, %v) = %q, want %q", tc.config, tc.secure, tc.secureSet, got, tc.want)
		}
	}
	for in, want := range map[string]string{"jane": "jane", "j.doe_2-x": "j.doe_2-x", "Jane Doe": "claude-code-user", "dom\\jane": "claude-code-user"} {
		if got := LoginKeychainAccount(in); got != want {
			t.Errorf("LoginKeychainAccount(%q) = %q, want %q", in, got, want)
		}
	}
}

// On macOS the login is the keychain item's password; the file is the fallback.
func TestLoginFromKeychain(t *testing.T) {
	isolateCloud(t)
	dir := testHome(t)
	old := loginInKeychain
	loginInKeychain = true
	t.Cleanup(func() { loginInKeychain = old })
	writeFile(t, filepath.Join(dir, credentialsFile), loginJSON(orderOAuth, 1))
	var asked []string
	item := func(answer string, err error) func(context.Context, string, string) (string, error) {
		return func(_ context.Context, service, account string) (string, error) {
			asked = append(asked, service+"/"+account)
			return answer, err
		}
	}
	tgt, err := Resolve(context.Background(), ResolveOptions{Environ: []string{"USER=jane"}, LoginKeychain: item(loginJSON(orderLogin, 1), nil)})
	if err != nil {
		t.Fatal(err)
	}
	if c := tgt.Credential; c.Secret != orderLogin || c.Source != claudesettings.SourceLoginKeychain || c.File != "" || len(asked) != 1 || asked[0] != "Claude Code-credentials/jane" {
		t.Errorf("credential %+v, asked %v", c, asked)
	}
	// No item, or a keychain that cannot be read: the file, and the error kept.
	for _, answer := range []struct {
		data string
		err  error
	}{{"", nil}, {"", errors.New("User interaction is not allowed")}} {
		s, err := Inspect(context.Background(), ResolveOptions{Environ: []string{"USER=jane"}, LoginKeychain: item(answer.data, answer.err)})
		if err != nil {
			t.Fatal(err)
		}
		if c := s.Credential; c.Secret != orderOAuth || c.Source != claudesettings.SourceCredentialsFile || !errors.Is(s.LoginKeychainErr, answer.err) {
			t.Errorf("fallback: credential %+v, error %v", c, s.LoginKeychainErr)
		}
	}
}

func TestManagedKey(t *testing.T) {
	isolateCloud(t)
	dir := testHome(t)
	home := filepath.Dir(dir)
	writeFile(t, filepath.Join(home, ".claude.json"), `{"numStartups": 3, "primaryApiKey": "`+orderAPIKey+`"}`)
	tgt, _ := Resolve(context.Background(), ResolveOptions{Environ: []string{}})
	if c := tgt.Credential; c.Secret != orderAPIKey || c.Kind != claudesettings.KindAPIKey || c.Source != claudesettings.SourceStateFile || c.File != filepath.Join(home, ".claude.json") {
		t.Errorf("~/.claude.json: %+v", c)
	}
	alt := t.TempDir()
	writeFile(t, filepath.Join(alt, ".claude.json"), `{"primaryApiKey": "`+orderHelperKey+`"}`)
	tgt, _ = Resolve(context.Background(), ResolveOptions{Environ: []string{"CLAUDE_CONFIG_DIR=" + alt}})
	if c := tgt.Credential; c.Secret != orderHelperKey {
		t.Errorf("$CLAUDE_CONFIG_DIR/.claude.json: %+v", c)
	}
	writeFile(t, filepath.Join(home, ".claude.json"), `{"primaryApiKey": 12`)
	tgt, _ = Resolve(context.Background(), ResolveOptions{Environ: []string{}})
	if tgt.Credential.Set() || len(tgt.Problems) > 0 {
		t.Errorf("a broken state file: %+v %+v", tgt.Credential, tgt.Problems)
	}
}
