//go:build linux

package tray

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"claudemedic/doctor/doctortest"
	"claudemedic/internal/exitcode"
	"claudemedic/netcheck/netchecktest"
)

// TestAgentBinary builds the small agent binary as shipped and checks what
// keeps it small: it links no check (netcheck's engine, doctor's resolving,
// the HTTP client and TLS), no net/http server and no client_golang or
// protobuf; asked for a check, it says which binary runs them; and beside the
// main binary, it runs its checks with it (`claudemedic tray --check-once`)
// against the fake API and records an ok verdict.
func TestAgentBinary(t *testing.T) {
	dir := t.TempDir()
	agent := filepath.Join(dir, AgentName)
	if out, err := doctortest.GoTool("build", "-o", agent, "claudemedic/cmd/claudemedic-agent").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := doctortest.GoTool("tool", "nm", agent).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	syms := string(out)
	if !strings.Contains(syms, " claudemedic/app/tray.(*menu).applyMetrics\n") {
		t.Fatal("go tool nm does not list the tray's applyMetrics: the test no longer proves what it says")
	}
	for _, bad := range []string{" claudemedic/app/tray.runCheck", " claudemedic/netcheck.Run", " claudemedic/doctor.Resolve",
		" crypto/tls.(*Conn).Handshake", " net/http.(*Server).Serve", " net/http.(*Transport).roundTrip",
		" github.com/prometheus/", " google.golang.org/protobuf/"} {
		if strings.Contains(syms, bad) {
			t.Errorf("the agent binary links%s", bad)
		}
	}

	srv := netchecktest.Start(t, netchecktest.Healthy)
	home := childEnv(t, srv)
	// Alone, the agent binary runs no check and says which binary does.
	cmd := exec.Command(agent, "tray", "--check-once")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	var ee *exec.ExitError
	if err := cmd.Run(); !errors.As(err, &ee) || ee.ExitCode() != exitcode.Failed || !strings.Contains(stderr.String(), "claudemedic tray --check-once") {
		t.Errorf("claudemedic-agent tray --check-once: %v, %q; want exit %d and the binary that checks", err, stderr.String(), exitcode.Failed)
	}
	if testing.Short() {
		return
	}
	// Beside the main binary, the agent's checks run.
	if out, err := doctortest.GoTool("build", "-o", filepath.Join(dir, MainName), "claudemedic").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd = exec.Command(agent)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	}()
	last := filepath.Join(home, "state", "claudemedic", "last.json")
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if b, err := os.ReadFile(last); err == nil {
			if !bytes.Contains(b, []byte(`"verdict":"ok"`)) {
				t.Fatalf("the agent's first check: %s", b)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the agent never recorded its first check")
		}
	}
}
