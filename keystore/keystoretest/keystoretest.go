// Package keystoretest starts a private, real Secret Service for tests, the
// way net/http/httptest starts a real server: a dbus-daemon of its own with
// gnome-keyring-daemon on it, the login collection unlocked with a throwaway
// password, all under a temporary folder and stopped when the test ends. A
// test can lock the collection and unlock it again without a prompt, and
// read items back with libsecret's secret-tool, outside keystore's code.
//
// A process talks to one session bus for its whole life (godbus caches the
// connection), so a test points a child process or the built binary at the
// service with Env, not the test process itself.
package keystoretest

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// Password is the throwaway password of every private login collection.
const Password = "throwaway-keystoretest-password"

// The Secret Service's names on the bus.
const (
	serviceName     = "org.freedesktop.secrets"
	servicePath     = dbus.ObjectPath("/org/freedesktop/secrets")
	loginCollection = dbus.ObjectPath("/org/freedesktop/secrets/collection/login")
)

// Require skips the test outside scripts/testenv.sh (CLAUDEMEDIC_TEST_DESKTOP
// unset) and fails it inside when a program the private Secret Service needs
// is missing.
func Require(t testing.TB) {
	t.Helper()
	if os.Getenv("CLAUDEMEDIC_TEST_DESKTOP") != "1" {
		t.Skip("needs a real Secret Service: run under scripts/testenv.sh (CLAUDEMEDIC_TEST_DESKTOP=1)")
	}
	for _, p := range []string{"dbus-daemon", "gnome-keyring-daemon", "secret-tool"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Fatalf("CLAUDEMEDIC_TEST_DESKTOP=1 but %s is missing (install dbus, gnome-keyring and libsecret-tools): %v", p, err)
		}
	}
}

// Options choose how the private desktop behaves.
type Options struct {
	// Prompter lets the bus start gnome-keyring's unlock prompter on $DISPLAY,
	// so unlocking a locked collection waits for a person, as on a desktop.
	// Without it an unlock fails at once (no prompter can be started).
	Prompter bool
	// NoKeyring starts the bus only: nothing provides the Secret Service.
	NoKeyring bool
}

// SecretService is a running private bus and gnome-keyring.
type SecretService struct {
	Address string   // the bus's DBUS_SESSION_BUS_ADDRESS
	Env     []string // os.Environ() with DBUS_SESSION_BUS_ADDRESS pointing at the bus
	Dir     string   // the temporary folder holding the bus socket and the keyring files
	conn    *dbus.Conn
}

// Start starts a private bus and, unless opts.NoKeyring, a gnome-keyring on
// it with an unlocked login collection. Everything stops at the test's end.
func Start(t testing.TB, opts Options) *SecretService {
	t.Helper()
	Require(t)
	dir, err := os.MkdirTemp("", "keystoretest-") // short: a unix socket path has a 108-byte limit
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	home := filepath.Join(dir, "home")
	run := filepath.Join(dir, "run")
	for _, d := range []string{home, run} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	base := slices.DeleteFunc(os.Environ(), func(kv string) bool {
		for _, k := range []string{"DBUS_SESSION_BUS_ADDRESS=", "HOME=", "XDG_DATA_HOME=", "XDG_RUNTIME_DIR=", "DISPLAY=", "GNOME_KEYRING_CONTROL="} {
			if strings.HasPrefix(kv, k) {
				return true
			}
		}
		return false
	})
	base = append(base, "HOME="+home, "XDG_DATA_HOME="+filepath.Join(home, ".local", "share"), "XDG_RUNTIME_DIR="+run)

	// The bus: a session bus that starts services only when a prompter is wanted.
	servicedirs := ""
	busEnv := base
	if opts.Prompter {
		display := os.Getenv("DISPLAY")
		if display == "" {
			t.Fatal("keystoretest: Options.Prompter needs a DISPLAY (scripts/testenv.sh starts Xvfb)")
		}
		servicedirs = "<standard_session_servicedirs/>"
		busEnv = append(slices.Clone(base), "DISPLAY="+display)
	}
	config := filepath.Join(dir, "bus.conf")
	socket := filepath.Join(dir, "bus")
	err = os.WriteFile(config, []byte(`<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=`+socket+`</listen>
  <auth>EXTERNAL</auth>
  `+servicedirs+`
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	bus := exec.Command("dbus-daemon", "--config-file="+config, "--nofork", "--print-address=1")
	bus.Env = busEnv
	out, err := bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var busErr bytes.Buffer
	bus.Stderr = &busErr
	if err := bus.Start(); err != nil {
		t.Fatalf("starting dbus-daemon: %v", err)
	}
	t.Cleanup(func() { bus.Process.Kill(); bus.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v\n%s", err, busErr.String())
	}
	s := &SecretService{Address: strings.TrimSpace(line), Dir: dir}
	s.Env = append(slices.Clone(base), "DBUS_SESSION_BUS_ADDRESS="+s.Address)
	if opts.Prompter {
		s.Env = append(s.Env, "DISPLAY="+os.Getenv("DISPLAY"))
	}
	s.conn, err = dbus.Connect(s.Address)
	if err != nil {
		t.Fatalf("connecting to the private bus: %v", err)
	}
	t.Cleanup(func() { s.conn.Close() })
	if opts.NoKeyring {
		return s
	}

	// gnome-keyring, its login collection created and unlocked with Password.
	kr := exec.Command("gnome-keyring-daemon", "--foreground", "--unlock", "--components=secrets",
		"--control-directory="+filepath.Join(run, "keyring"))
	kr.Env = s.Env
	kr.Stdin = strings.NewReader(Password)
	var krOut bytes.Buffer
	kr.Stdout, kr.Stderr = &krOut, &krOut
	if err := kr.Start(); err != nil {
		t.Fatalf("starting gnome-keyring-daemon: %v", err)
	}
	t.Cleanup(func() { kr.Process.Kill(); kr.Wait() })
	for i := 0; ; i++ {
		var owned bool
		err := s.conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, serviceName).Store(&owned)
		if err == nil && owned && !s.Locked(t) {
			break
		}
		if i == 200 {
			t.Fatalf("gnome-keyring did not come up on the private bus in 10s (%v)\n%s", err, krOut.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return s
}

// Locked reports whether the login collection is locked.
func (s *SecretService) Locked(t testing.TB) bool {
	t.Helper()
	v, err := s.conn.Object(serviceName, loginCollection).GetProperty("org.freedesktop.Secret.Collection.Locked")
	if err != nil {
		return true // not there yet counts as not usable
	}
	locked, _ := v.Value().(bool)
	return locked
}

// Lock locks the login collection, as a screen lock or `secret-tool lock` does.
func (s *SecretService) Lock(t testing.TB) {
	t.Helper()
	var locked []dbus.ObjectPath
	var prompt dbus.ObjectPath
	err := s.conn.Object(serviceName, servicePath).Call("org.freedesktop.Secret.Service.Lock", 0,
		[]dbus.ObjectPath{loginCollection}).Store(&locked, &prompt)
	if err != nil || !s.Locked(t) {
		t.Fatalf("locking the login collection: %v (locked %v, prompt %s)", err, locked, prompt)
	}
}

// Unlock unlocks the login collection with Password, without a prompt,
// through gnome-keyring's own interface (the one Seahorse uses).
func (s *SecretService) Unlock(t testing.TB) {
	t.Helper()
	svc := s.conn.Object(serviceName, servicePath)
	var out dbus.Variant
	var session dbus.ObjectPath
	if err := svc.Call("org.freedesktop.Secret.Service.OpenSession", 0, "plain", dbus.MakeVariant("")).Store(&out, &session); err != nil {
		t.Fatalf("opening a Secret Service session: %v", err)
	}
	secret := struct {
		Session     dbus.ObjectPath
		Parameters  []byte
		Value       []byte
		ContentType string
	}{session, []byte{}, []byte(Password), "text/plain"}
	err := svc.Call("org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface.UnlockWithMasterPassword", 0,
		loginCollection, secret).Err
	if err != nil || s.Locked(t) {
		t.Fatalf("unlocking the login collection: %v", err)
	}
}

// Lookup reads the secret stored under the attributes service and username
// with secret-tool, on this bus. ok is false when there is none.
func (s *SecretService) Lookup(t testing.TB, service, username string) (secret string, ok bool) {
	t.Helper()
	cmd := exec.Command("secret-tool", "lookup", "service", service, "username", username)
	cmd.Env = s.Env
	out, err := cmd.Output()
	if err != nil {
		return "", false
	}
	return string(out), true
}

// Store puts secret under the attributes service and username with
// secret-tool, as another program would.
func (s *SecretService) Store(t testing.TB, service, username, secret string) {
	t.Helper()
	cmd := exec.Command("secret-tool", "store", "--label="+fmt.Sprintf("%s %s", service, username), "service", service, "username", username)
	cmd.Env = s.Env
	cmd.Stdin = strings.NewReader(secret)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("secret-tool store: %v\n%s", err, out)
	}
}

// DeadAddress returns a bus address whose socket path has nothing
// listening: what a process sees when no session bus runs.
func DeadAddress(t testing.TB) string {
	return "unix:path=" + filepath.Join(t.TempDir(), "no-bus-here")
}
