package keystore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
)

// A well-formed API key and OAuth token, made up for the tests.
const (
	testKey   = "sk-ant-api03-TESTxT7Yq2Vr9LmWcK4pZ8sN1bH6dF3gJ0aQeRtUyIoPlKjHgFdSaZxCvBnM-Wx9QAA"
	testToken = "sk-ant-oat01-TESTzQ4Lm8Vr2Yq7WcK9pX1sN6bH3dF0gJaQeRtUyIoPlKjHgFdSaZxCvBnM-Tk3PAA"
)

// desktop skips the test outside scripts/testenv.sh, and fails it inside when
// a part of the private desktop is missing.
func desktop(t testing.TB) {
	t.Helper()
	if os.Getenv("CLAUDEMEDIC_TEST_DESKTOP") != "1" {
		t.Skip("needs a real Secret Service: run under scripts/testenv.sh (CLAUDEMEDIC_TEST_DESKTOP=1)")
	}
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		t.Fatal("CLAUDEMEDIC_TEST_DESKTOP=1 but DBUS_SESSION_BUS_ADDRESS is not set")
	}
	if _, err := exec.LookPath("secret-tool"); err != nil {
		t.Fatal("secret-tool (libsecret-tools) is missing:", err)
	}
}

// uniqueProfile returns a profile name no other test (or package) uses.
func uniqueProfile(t testing.TB) string {
	b := make([]byte, 4)
	rand.Read(b)
	return "test-" + hex.EncodeToString(b)
}

// lookup reads profile's item back from the Secret Service by its
// attributes, with libsecret's secret-tool, outside this package's code.
func lookup(t *testing.T, profile string) (string, bool) {
	t.Helper()
	out, err := exec.Command("secret-tool", "lookup", "service", Service, "username", profile).Output()
	if err != nil {
		return "", false
	}
	return string(out), true
}

func TestRealKeychainRoundTrip(t *testing.T) {
	desktop(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	ctx := context.Background()
	p := uniqueProfile(t)

	if err := Set(ctx, p, "  "+testKey+"\n"); err != nil {
		t.Fatalf("Set: %v", err)
	}
	if got, ok := lookup(t, p); !ok || got != testKey {
		t.Fatalf("secret-tool lookup service %s username %s = %q, %v; want the key, trimmed", Service, p, got, ok)
	}
	if got, err := Get(ctx, p); err != nil || got != testKey {
		t.Fatalf("Get = %q, %v", got, err)
	}
	st, err := Status(ctx, p)
	if err != nil || !st.Stored || st.Masked != claudesettings.MaskKey(testKey) || st.Kind != claudesettings.KindAPIKey || len(st.Problems) != 0 {
		t.Fatalf("Status = %+v, %v", st, err)
	}
	if strings.Contains(st.Masked, testKey[12:len(testKey)-4]) {
		t.Fatalf("Status shows the key: %q", st.Masked)
	}
	if names, err := Profiles(); err != nil || !slices.Contains(names, p) {
		t.Fatalf("Profiles = %v, %v; want %s listed", names, err, p)
	}

	// Setting again replaces the item: one item, the new secret.
	key2 := strings.Replace(testKey, "TEST", "TWO-", 1)
	if err := Set(ctx, p, key2); err != nil {
		t.Fatalf("Set again: %v", err)
	}
	out, err := exec.Command("secret-tool", "search", "--all", "service", Service, "username", p).CombinedOutput()
	if err != nil || strings.Count(string(out), "secret = ") != 1 || !strings.Contains(string(out), "secret = "+key2) {
		t.Fatalf("secret-tool search --all: want one item holding the new key; got %v\n%s", err, out)
	}
	if get := Getter(p); get != nil {
		if got, err := get(ctx); err != nil || got != key2 {
			t.Fatalf("Getter()() = %q, %v", got, err)
		}
	}

	if err := Delete(ctx, p); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, ok := lookup(t, p); ok {
		t.Fatal("the item is still in the Secret Service after Delete")
	}
	if _, err := Get(ctx, p); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after Delete: %v; want ErrNotFound", err)
	}
	if err := Delete(ctx, p); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete twice: %v; want ErrNotFound", err)
	}
	if st, err := Status(ctx, p); err != nil || st.Stored || st.Masked != "" {
		t.Fatalf("Status after Delete = %+v, %v", st, err)
	}
	if got, err := Getter(p)(ctx); err != nil || got != "" {
		t.Fatalf("Getter with no key = %q, %v; want \"\", nil", got, err)
	}
	if names, err := Profiles(); err != nil || slices.Contains(names, p) {
		t.Fatalf("Profiles after Delete = %v, %v", names, err)
	}
}

func TestRealKeychainBearerProfile(t *testing.T) {
	desktop(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	ctx := context.Background()
	p := uniqueProfile(t)
	t.Cleanup(func() { Delete(ctx, p) })

	if err := SetKind(ctx, p, testToken, claudesettings.KindBearer); err != nil {
		t.Fatalf("SetKind(bearer, token): %v", err)
	}
	st, err := Status(ctx, p)
	if err != nil || st.Kind != claudesettings.KindBearer || len(st.Problems) != 0 {
		t.Fatalf("Status = %+v, %v; want kind bearer, no problems", st, err)
	}
	// The token is refused as an API key, and the stored one stays.
	err = Set(ctx, p, testToken)
	if !errors.Is(err, ErrInvalidKey) {
		t.Fatalf("Set(api key, token) = %v; want ErrInvalidKey", err)
	}
	if got, _ := lookup(t, p); got != testToken {
		t.Fatalf("after a refused Set the item holds %q", got)
	}
}

// TestRealKeychainRefuses stores nothing when a key is refused.
func TestRealKeychainRefuses(t *testing.T) {
	desktop(t)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	p := uniqueProfile(t)
	for _, bad := range []string{"", "\n", `"` + testKey + `"`, testToken} {
		if err := Set(context.Background(), p, bad); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Set(%q) = %v; want ErrInvalidKey", bad, err)
		}
	}
	if _, ok := lookup(t, p); ok {
		t.Fatal("a refused key was stored")
	}
	if names, _ := Profiles(); slices.Contains(names, p) {
		t.Fatal("a refused key's profile was listed")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		key    string
		kind   claudesettings.CredentialKind
		want   error
		reason string
	}{
		{"api key", testKey, claudesettings.KindAPIKey, nil, ""},
		{"relay token of another shape", "rly_0123456789abcdef", claudesettings.KindAPIKey, nil, ""},
		{"oauth token as bearer", testToken, claudesettings.KindBearer, nil, ""},
		{"empty", "", claudesettings.KindAPIKey, ErrInvalidKey, "empty"},
		{"quotes", `'` + testKey + `'`, claudesettings.KindAPIKey, ErrInvalidKey, "quotes"},
		{"space inside", testKey[:20] + " " + testKey[20:], claudesettings.KindAPIKey, ErrInvalidKey, "space"},
		{"newline inside", testKey[:20] + "\n" + testKey[20:], claudesettings.KindAPIKey, ErrInvalidKey, "line break"},
		{"non-ascii", testKey[:20] + "—" + testKey[20:], claudesettings.KindAPIKey, ErrInvalidKey, "ASCII"},
		{"cut short", "sk-ant-api03-abc", claudesettings.KindAPIKey, ErrInvalidKey, "too short"},
		{"oauth token as api key", testToken, claudesettings.KindAPIKey, ErrInvalidKey, "OAuth token"},
		{"api key as bearer", testKey, claudesettings.KindBearer, ErrInvalidKey, "API key"},
		{"too large", "sk-" + strings.Repeat("a", MaxKeyBytes), claudesettings.KindAPIKey, ErrTooLarge, "2563 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validate("default", tt.key, tt.kind)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("validate = %v; want %v", err, tt.want)
			}
			if err == nil {
				return
			}
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Reason, tt.reason) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("error %q; want a reason with %q", err, tt.reason)
			}
			if len(tt.key) > 8 && strings.Contains(err.Error(), tt.key) {
				t.Fatalf("the error holds the key: %q", err)
			}
		})
	}
}

// FuzzValidate: any input gets a verdict without a panic, and a refusal
// never repeats the key (checked for keys no fixed message text can hold
// by chance: 24 bytes or more, no whitespace).
func FuzzValidate(f *testing.F) {
	for _, s := range []string{testKey, testToken, "", " ", `"` + testKey + `"`, "sk-ant-api03-x", "k\u00e9y-0123456789abcdef"} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, key string, bearer bool) {
		kind := claudesettings.KindAPIKey
		if bearer {
			kind = claudesettings.KindBearer
		}
		err := validate(DefaultProfile, key, kind)
		if err != nil && len(key) >= 24 && !strings.ContainsAny(key, " \t\r\n") && strings.Contains(err.Error(), key) {
			t.Fatalf("the refusal repeats the key: %v", err)
		}
	})
}

func TestProfileNames(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"", DefaultProfile, true},
		{"default", "default", true},
		{"relay.example_2-b", "relay.example_2-b", true},
		{"-p", "", false},
		{"a b", "", false},
		{"a/b", "", false},
		{"Ünï", "", false},
		{strings.Repeat("a", 65), "", false},
	}
	for _, tt := range tests {
		got, err := checkProfile(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("checkProfile(%q) = %q, %v", tt.in, got, err)
		}
	}
	if err := Set(context.Background(), "a b", testKey); err == nil || strings.Contains(err.Error(), testKey) {
		t.Errorf("Set with a bad profile name = %v", err)
	}
}

// TestDamagedProfileList: a damaged list is reported, never overwritten.
func TestDamagedProfileList(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir)
	t.Setenv("HOME", dir)
	path := dir + "/claudemedic/" + ProfilesFile
	os.MkdirAll(dir+"/claudemedic", 0o700)
	os.WriteFile(path, []byte("{not json"), 0o600)
	if _, err := Profiles(); err == nil || !strings.Contains(err.Error(), path) {
		t.Fatalf("Profiles with a damaged list = %v; want an error naming %s", err, path)
	}
	if err := addProfile("x", claudesettings.KindAPIKey); err == nil {
		t.Fatal("addProfile wrote over a damaged list")
	}
	if b, _ := os.ReadFile(path); string(b) != "{not json" {
		t.Fatalf("the damaged list was changed: %q", b)
	}
}

// TestCallOneAtATime: keychain calls run one at a time; a call that waits
// too long gives ErrTimeout, and one abandoned that way (a keychain that
// never answers) does not hold up the calls after it.
func TestCallOneAtATime(t *testing.T) {
	quick := func() (int, error) { return 1, nil }
	short := func() context.Context {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		t.Cleanup(cancel)
		return ctx
	}

	block, started, first := make(chan struct{}), make(chan struct{}), make(chan error, 1)
	go func() {
		_, err := call(context.Background(), func() (int, error) { close(started); <-block; return 0, nil })
		first <- err
	}()
	<-started
	if _, err := call(short(), quick); !errors.Is(err, ErrTimeout) {
		t.Fatalf("a call while another runs = %v; want ErrTimeout after waiting its turn", err)
	}
	close(block)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if v, err := call(context.Background(), quick); v != 1 || err != nil {
		t.Fatalf("call = %d, %v", v, err)
	}

	never := make(chan struct{})
	defer close(never)
	if _, err := call(short(), func() (int, error) { <-never; return 0, nil }); !errors.Is(err, ErrTimeout) {
		t.Fatalf("a call that never returns = %v; want ErrTimeout", err)
	}
	if v, err := call(context.Background(), quick); v != 1 || err != nil {
		t.Fatalf("the call after an abandoned one = %d, %v", v, err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := call(ctx, quick); !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
		t.Fatalf("a cancelled call = %v; want context.Canceled", err)
	}
	e := newError("reading", "default", fmt.Errorf("%w: %w", ErrTimeout, context.DeadlineExceeded), "")
	if !errors.Is(e, ErrTimeout) || !strings.Contains(e.Error(), "waiting for the keychain to unlock") {
		t.Fatalf("newError(timeout) = %v", e)
	}
}
