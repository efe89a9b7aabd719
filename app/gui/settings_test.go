package gui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"claudemedic/claudecfg"
	"claudemedic/internal/pages"
	"claudemedic/netcheck/netchecktest"
)

// TestSettingsBrokenFileShownAtOnce: a settings.json that does not parse is
// named on the settings page as soon as it opens, with its line and column.
func TestSettingsBrokenFileShownAtOnce(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	path := filepath.Join(f.home, ".claude", "settings.json")
	if err := os.WriteFile(path, []byte("{\n  \"env\": {\n    \"API_TIMEOUT_MS\": 600000,,\n  }\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	f.w.show(pages.Settings)
	settle(t)
	s := f.w.settings
	if !s.problems.Visible() || !strings.Contains(s.problems.Text, "settings.json") || !strings.Contains(s.problems.Text, "line 3") {
		t.Errorf("the page does not say at once that settings.json is broken, and where: %q (visible %v)", s.problems.Text, s.problems.Visible())
	}
}

// TestSettingsPresetWaitsForSave: a preset picked fills the field and writes
// nothing until Save; Undo of the save puts the field back.
func TestSettingsPresetWaitsForSave(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	f.w.show(pages.Settings)
	settle(t)
	s := f.w.settings
	before := f.userEnv()
	pr := claudecfg.Presets[1] // slow network
	s.presets.SetSelected(pr.Title.In(Language()))
	settle(t)
	if got := f.userEnv(); got["API_TIMEOUT_MS"] != before["API_TIMEOUT_MS"] {
		t.Fatalf("picking a preset wrote API_TIMEOUT_MS=%q with no Save", got["API_TIMEOUT_MS"])
	}
	if s.timeout.Text != pr.Values["API_TIMEOUT_MS"] {
		t.Errorf("the field says %q after picking the preset, want %q", s.timeout.Text, pr.Values["API_TIMEOUT_MS"])
	}
	test.Tap(findButton(s.content, en("settings.save")))
	settle(t)
	if got := f.userEnv(); got["API_TIMEOUT_MS"] != pr.Values["API_TIMEOUT_MS"] || got["CLAUDE_CODE_MAX_RETRIES"] != pr.Values["CLAUDE_CODE_MAX_RETRIES"] {
		t.Fatalf("after Save the settings hold %v, want the preset's %v", got, pr.Values)
	}
	test.Tap(findButton(s.changes, en("change.undo")))
	settle(t)
	if s.timeout.Text != before["API_TIMEOUT_MS"] || s.presets.SelectedIndex() != -1 {
		t.Errorf("after Undo the field says %q and the preset %d, want %q and none", s.timeout.Text, s.presets.SelectedIndex(), before["API_TIMEOUT_MS"])
	}
}

// TestNoTrayHostSaid: with no StatusNotifier host on the desktop (stock
// GNOME), the status page says so and what to install.
func TestNoTrayHostSaid(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	t.Setenv("XDG_CURRENT_DESKTOP", "ubuntu:GNOME")
	f.svc.TrayHost = func() (bool, bool) { return true, false }
	w := New(test.NewTempApp(t), f.svc)
	settle(t)
	note := w.status.trayNote
	if !note.Visible() || !strings.Contains(note.Text, "gnome-shell-extension-appindicator") || !strings.Contains(note.Text, "keeps checking") {
		t.Errorf("the status page says %q (visible %v), want what to install on GNOME", note.Text, note.Visible())
	}
	f.svc.TrayHost = func() (bool, bool) { return false, false }
	w = New(test.NewTempApp(t), f.svc)
	settle(t)
	if w.status.trayNote.Visible() {
		t.Errorf("with a tray host the status page still says %q", w.status.trayNote.Text)
	}
}
