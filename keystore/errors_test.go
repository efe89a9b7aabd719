package keystore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"claudemedic/keystore/keystoretest"
)

// A process keeps one session bus for its life (godbus caches it), and
// keyring.MockInit cannot be undone, so each error path runs in a child
// process of this test binary: TestMain runs the operation named by
// KEYSTORE_TEST_CHILD on the environment the parent gives, and prints the
// result as JSON.

const childEnv = "KEYSTORE_TEST_CHILD"

// childResult is what a child reports.
type childResult struct {
	Value   string   `json:"value"`
	Error   string   `json:"error"`
	Is      []string `json:"is"`
	Elapsed string   `json:"elapsed"`
}

var kinds = map[string]error{
	"ErrNotFound": ErrNotFound, "ErrNoSecretService": ErrNoSecretService, "ErrLocked": ErrLocked,
	"ErrTooLarge": ErrTooLarge, "ErrInvalidKey": ErrInvalidKey, "ErrTimeout": ErrTimeout,
}

func TestMain(m *testing.M) {
	if op := os.Getenv(childEnv); op != "" {
		os.Exit(child(op))
	}
	os.Exit(m.Run())
}

// child runs op ("set", "get", "delete", "status", "claude-login", "getter", "mock-too-large") on the
// profile in KEYSTORE_TEST_PROFILE, bounded by KEYSTORE_TEST_TIMEOUT if set.
func child(op string) int {
	ctx := context.Background()
	if d, err := time.ParseDuration(os.Getenv("KEYSTORE_TEST_TIMEOUT")); err == nil {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, d)
		defer cancel()
	}
	p := os.Getenv("KEYSTORE_TEST_PROFILE")
	var r childResult
	var err error
	start := time.Now()
	switch op {
	case "set":
		err = Set(ctx, p, testKey)
	case "get":
		r.Value, err = Get(ctx, p)
	case "delete":
		err = Delete(ctx, p)
	case "status":
		var st KeyStatus
		st, err = Status(ctx, p)
		r.Value = fmt.Sprint(st.Stored, st.Masked)
	case "claude-login": // the profile is the item's service, the account "jane"
		r.Value, err = ClaudeCodeLogin(ctx, p, "jane")
	case "getter":
		r.Value, err = Getter(p)(ctx)
	case "mock-too-large":
		keyring.MockInitWithError(keyring.ErrSetDataTooBig)
		err = Set(ctx, p, testKey)
	default:
		err = fmt.Errorf("unknown child op %q", op)
	}
	r.Elapsed = time.Since(start).String()
	if err != nil {
		r.Error = err.Error()
		for name, k := range kinds {
			if errors.Is(err, k) {
				r.Is = append(r.Is, name)
			}
		}
	}
	json.NewEncoder(os.Stdout).Encode(r)
	return 0
}

// runChild runs op in a child process with env and returns its result.
func runChild(t *testing.T, env []string, op, profile, timeout string) childResult {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(env, childEnv+"="+op, "KEYSTORE_TEST_PROFILE="+profile, "KEYSTORE_TEST_TIMEOUT="+timeout,
		"XDG_CONFIG_HOME="+t.TempDir())
	out, err := cmd.Output()
	var r childResult
	if err != nil || json.Unmarshal(out, &r) != nil {
		t.Fatalf("child %s: %v\n%s", op, err, out)
	}
	return r
}

// wantKind checks that r failed with kind alone, with a message that names
// the profile, says what to do (hint) and holds no key.
func wantKind(t *testing.T, r childResult, kind, profile, hint string) {
	t.Helper()
	t.Logf("%s: %s", kind, r.Error)
	if len(r.Is) != 1 || r.Is[0] != kind {
		t.Fatalf("error %q is %v; want %s", r.Error, r.Is, kind)
	}
	if !strings.Contains(r.Error, fmt.Sprintf("%q", profile)) || !strings.Contains(r.Error, hint) {
		t.Fatalf("message %q; want the profile and %q", r.Error, hint)
	}
	if strings.Contains(r.Error, testKey) || strings.Contains(r.Value, testKey) {
		t.Fatalf("the key leaked into the result: %+v", r)
	}
}

// TestNoBus: the session bus address points at a socket where nothing
// listens. Safe anywhere: it cannot reach a real keychain.
func TestNoBus(t *testing.T) {
	env := append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+keystoretest.DeadAddress(t))
	for _, op := range []string{"set", "get", "delete", "status"} {
		t.Run(op, func(t *testing.T) {
			r := runChild(t, env, op, "default", "")
			wantKind(t, r, "ErrNoSecretService", "default", "gnome-keyring")
			if !strings.Contains(r.Error, "KWallet") {
				t.Errorf("message %q does not name KWallet", r.Error)
			}
		})
	}
}

// TestBusWithoutSecretService: a real session bus on which nothing provides
// org.freedesktop.secrets (a server with D-Bus but no keyring).
func TestBusWithoutSecretService(t *testing.T) {
	ss := keystoretest.Start(t, keystoretest.Options{NoKeyring: true})
	for _, op := range []string{"set", "get"} {
		t.Run(op, func(t *testing.T) {
			wantKind(t, runChild(t, ss.Env, op, "default", ""), "ErrNoSecretService", "default", "gnome-keyring")
		})
	}
}

// TestLockedCollection: a real gnome-keyring whose login collection is
// locked, with no prompter to ask for the password: every call says
// ErrLocked; after an unlock the same calls work.
func TestLockedCollection(t *testing.T) {
	ss := keystoretest.Start(t, keystoretest.Options{})
	ss.Store(t, Service, "default", testKey)
	ss.Lock(t)
	for _, op := range []string{"set", "get", "delete", "status"} {
		t.Run(op, func(t *testing.T) {
			wantKind(t, runChild(t, ss.Env, op, "default", ""), "ErrLocked", "default", "unlock")
		})
	}
	ss.Unlock(t)
	if r := runChild(t, ss.Env, "get", "default", ""); r.Error != "" || r.Value != testKey {
		t.Fatalf("get after unlocking = %+v", r)
	}
}

// TestUnlockPromptTimeout: a locked collection on a desktop that shows
// gnome-keyring's real unlock prompt (on the test's Xvfb display), which
// nobody answers: the call gives up at the caller's deadline with ErrTimeout.
func TestUnlockPromptTimeout(t *testing.T) {
	ss := keystoretest.Start(t, keystoretest.Options{Prompter: true})
	ss.Store(t, Service, "default", testKey)
	ss.Lock(t)
	r := runChild(t, ss.Env, "get", "default", "3s")
	wantKind(t, r, "ErrTimeout", "default", "waiting for the keychain to unlock")
}

// TestNotFound: a real, unlocked keychain with no item for the profile.
func TestNotFound(t *testing.T) {
	ss := keystoretest.Start(t, keystoretest.Options{})
	for _, op := range []string{"get", "delete"} {
		t.Run(op, func(t *testing.T) {
			wantKind(t, runChild(t, ss.Env, op, "nobody", ""), "ErrNotFound", "nobody", "no key is stored")
		})
	}
	if r := runChild(t, ss.Env, "status", "nobody", ""); r.Error != "" || r.Value != "false" {
		t.Fatalf("status with no key = %+v; want not stored, no error", r)
	}
}

// TestTooLargeFromKeychain: macOS and Windows refuse a secret over their
// limit with keyring.ErrSetDataTooBig, which a Secret Service never gives,
// so this one fault is injected with keyring.MockInitWithError.
func TestTooLargeFromKeychain(t *testing.T) {
	env := append(os.Environ(), "DBUS_SESSION_BUS_ADDRESS="+keystoretest.DeadAddress(t))
	wantKind(t, runChild(t, env, "mock-too-large", "default", ""), "ErrTooLarge", "default", "Windows 2560")
}
