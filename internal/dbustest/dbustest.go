// Package dbustest starts a private D-Bus session bus for a test, so that
// the tray, the window and the fleet tests talk to a bus of their own and
// never to the desktop's.
package dbustest

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Session starts a session bus (dbus-daemon --session) that ends with the
// test, and returns its address. Without dbus-daemon the test is skipped,
// or fails inside the test desktop (CLAUDEMEDIC_TEST_DESKTOP=1, which
// scripts/testenv.sh sets), where it must be there.
func Session(t testing.TB) string {
	t.Helper()
	if _, err := exec.LookPath("dbus-daemon"); err != nil {
		if os.Getenv("CLAUDEMEDIC_TEST_DESKTOP") == "1" {
			t.Fatal("dbus-daemon is missing from the test desktop (install the dbus package)")
		}
		t.Skip("dbus-daemon not found: install dbus, or run inside scripts/testenv.sh")
	}
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("starting dbus-daemon: %v", err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("reading dbus-daemon's address: %v", err)
	}
	return strings.TrimSpace(line)
}
