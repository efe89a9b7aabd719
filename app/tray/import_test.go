package tray

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoFyne keeps the agent small: nothing it links may reach the Fyne
// toolkit (fyne.io/systray is a separate module and allowed).
func TestNoFyne(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "claudemedic/app/tray", "claudemedic/cmd/claudemedic-agent").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps found only %q", deps)
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "fyne.io/fyne") || strings.HasPrefix(d, "claudemedic/app/gui") {
			t.Errorf("the tray agent links %s", d)
		}
	}
}
