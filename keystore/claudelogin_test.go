package keystore

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claudemedic/claudecfg"
	"claudemedic/keystore/keystoretest"
)

// Claude Code's own login item, in a real gnome-keyring: read as stored (a
// JSON document as the password of "Claude Code-credentials…", account
// $USER), nothing when there is none, and ErrLocked when the keychain is
// locked. Each call runs in a child process (see errors_test.go).
func TestClaudeCodeLogin(t *testing.T) {
	ss := keystoretest.Start(t, keystoretest.Options{})
	service := claudecfg.LoginKeychainService(filepath.Join(t.TempDir(), "cfg"), "", false)
	const doc = `{"claudeAiOauth":{"accessToken":"` + testToken + `","expiresAt":1767225600000,"scopes":["user:inference"],"subscriptionType":"max"}}`
	if r := runChild(t, ss.Env, "claude-login", service, ""); r.Error != "" || r.Value != "" {
		t.Fatalf("no item: %+v", r)
	}
	ss.Store(t, service, "jane", doc)
	if r := runChild(t, ss.Env, "claude-login", service, ""); r.Error != "" || r.Value != doc {
		t.Fatalf("read back %+v", r)
	}
	if r := runChild(t, ss.Env, "claude-login", "Claude Code-credentials", ""); r.Value != "" {
		t.Errorf("the item of another config folder was read: %+v", r)
	}
	ss.Lock(t)
	r := runChild(t, ss.Env, "claude-login", service, "")
	if len(r.Is) != 1 || r.Is[0] != "ErrLocked" || !strings.Contains(r.Error, "Claude Code's login") || strings.Contains(r.Error, testToken) {
		t.Errorf("locked: %+v", r)
	}
}

func TestClaudeCodeLoginNoBus(t *testing.T) {
	env := append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+keystoretest.DeadAddress(t))
	r := runChild(t, env, "claude-login", "Claude Code-credentials", "")
	if len(r.Is) != 1 || r.Is[0] != "ErrNoSecretService" || !strings.Contains(r.Error, "gnome-keyring") {
		t.Errorf("no bus: %+v", r)
	}
}

// Getter does not touch the keychain for a profile that was never stored:
// with no bus at all it gives "nothing stored", not an error.
func TestGetterSkipsUnlistedProfiles(t *testing.T) {
	env := append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+keystoretest.DeadAddress(t))
	if r := runChild(t, env, "getter", "default", ""); r.Error != "" || r.Value != "" {
		t.Errorf("unlisted profile: %+v", r)
	}
}
