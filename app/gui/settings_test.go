package gui

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"fyne.io/fyne/v2/test"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/internal/pages"
	"claudemedic/keystore"
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

// TestChineseWindowWordsErrors: the errors of doctor's use cases reach a
// Chinese window in Chinese (explain: doctor.Explain over the errors' facts),
// for a value the table refuses, a broken settings file, a settings file
// that cannot be locked and a failed keychain write; none says a
// command-line flag.
func TestChineseWindowWordsErrors(t *testing.T) {
	home := isolate(t)
	SetupLanguage("zh")
	t.Cleanup(func() { SetupLanguage("en") })
	ctx := context.Background()
	file := filepath.Join(home, ".claude", "settings.json")
	if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
		t.Fatal(err)
	}
	write := func(data string) {
		t.Helper()
		if err := os.WriteFile(file, []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	us := doctor.UserSettings{}
	chinese := func(what string, err error) {
		t.Helper()
		if err == nil {
			t.Errorf("%s: no error", what)
			return
		}
		got := explain(err)
		if !strings.ContainsFunc(got, func(r rune) bool { return unicode.Is(unicode.Han, r) }) || strings.Contains(got, "--") {
			t.Errorf("%s: the Chinese window says %q (from %q)", what, got, err)
		}
	}

	write("{}\n")
	_, err := us.SetEnv(ctx, claudesettings.VarAPITimeout, "abc")
	chinese("a value Claude Code would not read", err)
	_, err = us.SetEnv(ctx, claudesettings.VarHTTPSProxy, "socks5://127.0.0.1:1080")
	chinese("a SOCKS proxy", err)

	write("{\"env\": {\"X\": \"caf\xe9\"}}\n")
	_, err = us.SetEnv(ctx, claudesettings.VarAPITimeout, "900000")
	chinese("a settings file that is not UTF-8", err)
	write("[1, 2]\n")
	_, err = us.SetEnv(ctx, claudesettings.VarAPITimeout, "900000")
	chinese("a settings file that is not an object", err)
	write("{\"env\": {,}}\n")
	_, err = us.SetEnv(ctx, claudesettings.VarAPITimeout, "900000")
	chinese("a settings file that is not JSON", err)

	write("{}\n")
	blocker := filepath.Join(home, "not-a-folder")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_DATA_HOME", blocker) // the backups and the edit lock live there
	_, err = us.SetEnv(ctx, claudesettings.VarAPITimeout, "900000")
	chinese("a settings file that cannot be locked", err)

	chinese("a failed keychain write", &keystore.Error{Op: "storing", Profile: "default", Err: errors.New("org.freedesktop.DBus.Error.NoReply")})
	chinese("a locked keychain", &keystore.Error{Op: "storing", Profile: "default", Kind: keystore.ErrLocked})
	chinese("a refused fix", &doctor.ChangedSinceError{File: file})
}
