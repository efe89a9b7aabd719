package tray

import (
	"slices"
	"strings"
	"testing"

	"claudemedic/doctor/doctortest"
)

// TestNoFyne keeps the agent small: nothing it links may reach the Fyne
// toolkit (fyne.io/systray is a separate module and allowed), neither
// directly nor through the use cases it shares with the window (doctor) or
// the one translation system (internal/i18n).
func TestNoFyne(t *testing.T) {
	out, err := doctortest.GoTool("list", "-deps", "claudemedic/app/tray", "claudemedic/cmd/claudemedic-agent").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps found only %q", deps)
	}
	for _, want := range []string{"claudemedic/doctor", "claudemedic/internal/i18n"} {
		if !slices.Contains(deps, want) {
			t.Errorf("the tray agent does not link %s: the test no longer proves what it says", want)
		}
	}
	for _, d := range deps {
		if strings.HasPrefix(d, "fyne.io/fyne") || strings.HasPrefix(d, "claudemedic/app/gui") {
			t.Errorf("the tray agent links %s", d)
		}
	}
}
