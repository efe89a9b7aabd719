package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// config show says what the periodic check costs a day: a relay gets one
// generating request a check (tokens × checks a day at the interval), the
// Claude API and the preference no_generating_check none.
func TestConfigShowPeriodicCost(t *testing.T) {
	home := isolate(t)
	xdg := filepath.Join(home, "xdg")
	t.Setenv("XDG_CONFIG_HOME", xdg)
	cost := func() costJSON {
		t.Helper()
		_, out, _ := runCLI(t, "", "config", "show", "--json")
		var j struct {
			Cost *costJSON `json:"periodic_check"`
		}
		if err := json.Unmarshal([]byte(out), &j); err != nil || j.Cost == nil {
			t.Fatalf("config show --json: %v\n%s", err, out)
		}
		return *j.Cost
	}
	t.Setenv("ANTHROPIC_BASE_URL", "https://relay.example.net")
	c := cost()
	if !c.Generating || c.PerCheck <= 0 || c.PerCheck > 250 || c.PerDay != c.PerCheck*288 || c.RequestFrom != "built-in 2.1.332" {
		t.Errorf("relay, every 5m: %+v", c)
	}
	_, out, _ := runCLI(t, "", "config", "show")
	if !strings.Contains(out, "Periodic check: one generating request of about") {
		t.Errorf("config show lacks the cost line:\n%s", out)
	}
	os.MkdirAll(filepath.Join(xdg, "claudemedic"), 0o755)
	os.WriteFile(filepath.Join(xdg, "claudemedic", "config.json"), []byte(`{"check_interval":"1h","no_generating_check":true}`), 0o600)
	if c := cost(); c.Generating || c.PerDay != 0 || c.Interval != "1h0m0s" {
		t.Errorf("preference off: %+v", c)
	}
	t.Setenv("ANTHROPIC_BASE_URL", "")
	os.Remove(filepath.Join(xdg, "claudemedic", "config.json"))
	if c := cost(); c.Generating || c.PerDay != 0 {
		t.Errorf("the Claude API: %+v", c)
	}
}
