package gui

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/internal/pages"
	"claudemedic/internal/state"
)

// goldenWindow is the window on a fixed last report (through the real state
// folder), fixed history points and fixed user settings, so each page
// renders the same markup every time (in UTC: TestMain sets the zone).
func goldenWindow(t *testing.T) *Window {
	t.Helper()
	home := isolate(t)
	if err := state.Record(sampleReport()); err != nil {
		t.Fatal(err)
	}
	settings := `{
  "env": {
    "API_TIMEOUT_MS": "900000",
    "HTTPS_PROXY": "http://medic:hunter2@proxy.example.com:8080",
    "NO_PROXY": "localhost,127.0.0.1"
  }
}
`
	if err := os.MkdirAll(filepath.Join(home, ".claude"), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, ".claude", "settings.json"), []byte(settings), 0o600); err != nil {
		t.Fatal(err)
	}
	// A claude.ai Max subscriber, as /login saves the login.
	login := `{"claudeAiOauth": {"accessToken": "sk-ant-oat01-golden-0123456789abcdefghijklmnopqrstuvwxyz-AA", "refreshToken": "sk-ant-ort01-golden", "expiresAt": 1795284000000, "scopes": ["user:inference"], "subscriptionType": "max"}}`
	if err := os.WriteFile(filepath.Join(home, ".claude", ".credentials.json"), []byte(login), 0o600); err != nil {
		t.Fatal(err)
	}
	for name, size := range map[string]int{"debug/latest.txt": 2048, "shell-snapshots/snapshot.sh": 512, "projects/demo/chat.jsonl": 4096} {
		path := filepath.Join(home, ".claude", name)
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, make([]byte, size), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	svc := NewServices()
	svc.Keys = nil     // the keychain has its own tests; its answer differs from machine to machine
	svc.TrayHost = nil // likewise the desktop's tray
	base := time.Date(2026, 11, 21, 0, 0, 0, 0, time.UTC)
	svc.History = func(time.Time) ([]doctor.Point, error) {
		var pts []doctor.Point
		for i := range 48 {
			lat := time.Duration(300+(i*37)%200) * time.Millisecond
			pts = append(pts, doctor.Point{At: base.Add(time.Duration(i) * 30 * time.Minute), Latency: lat, Failed: i == 30 || i == 31})
		}
		return pts, nil
	}
	svc.Resolve = func(ctx context.Context) (claudesettings.Target, error) {
		return claudecfg.Resolve(ctx, claudecfg.ResolveOptions{Environ: []string{"HOME=" + home}})
	}
	w := New(test.NewTempApp(t), svc)
	w.win.Resize(fyne.NewSize(880, 900))
	return w
}

// TestPagesGolden renders each page to markup against testdata/*.xml.
func TestPagesGolden(t *testing.T) {
	noLogin := func(t *testing.T) { // no claude.ai login either: nothing to sign in with
		if err := os.Remove(filepath.Join(os.Getenv("HOME"), ".claude", ".credentials.json")); err != nil {
			t.Fatal(err)
		}
	}
	// The change notice before a save, after it, and after Undo, on the
	// settings page at the window's smallest width: the same notice as the
	// wizard's and the status page's fixes.
	applied := func(t *testing.T, w *Window) {
		s := w.settings
		s.timeout.SetText("600000")
		test.Tap(findButton(s.content, lang.X("settings.save", "Save")))
		settle(t)
		if findButton(s.changes, lang.X("change.undo", "Undo")) == nil {
			t.Fatalf("no Undo button after Save: %s", resultText(s.content))
		}
	}
	undone := func(t *testing.T, w *Window) {
		applied(t, w)
		test.Tap(findButton(w.settings.changes, lang.X("change.undo", "Undo")))
		settle(t)
		if got := w.settings.timeout.Text; got != "900000" {
			t.Errorf("after Undo the timeout field says %q, want 900000 again", got)
		}
	}
	for _, tc := range []struct {
		page   pages.Page
		lang   string
		file   string
		setup  func(t *testing.T)
		action func(t *testing.T, w *Window)
	}{
		{pages.Status, "", "status.xml", nil, nil},
		{pages.Wizard, "", "wizard.xml", nil, nil},
		{pages.Key, "", "key.xml", nil, nil},
		{pages.Key, "", "key_none.xml", noLogin, nil},
		{pages.Settings, "", "settings.xml", nil, nil},
		{pages.Cache, "", "cache.xml", nil, nil},
		{pages.Status, "zh", "status_zh.xml", nil, nil},
		{pages.Wizard, "zh", "wizard_zh.xml", nil, nil},
		{pages.Key, "zh", "key_zh.xml", nil, nil},
		{pages.Key, "zh", "key_none_zh.xml", noLogin, nil},
		{pages.Settings, "zh", "settings_zh.xml", nil, nil},
		{pages.Settings, "", "notice_before.xml", nil, func(*testing.T, *Window) {}},
		{pages.Settings, "", "notice_applied.xml", nil, applied},
		{pages.Settings, "", "notice_undone.xml", nil, undone},
		{pages.Settings, "zh", "notice_before_zh.xml", nil, func(*testing.T, *Window) {}},
		{pages.Settings, "zh", "notice_applied_zh.xml", nil, applied},
		{pages.Settings, "zh", "notice_undone_zh.xml", nil, undone},
	} {
		t.Run(tc.file, func(t *testing.T) {
			SetupLanguage(tc.lang)
			t.Cleanup(func() { SetupLanguage("en") })
			w := goldenWindow(t)
			if tc.setup != nil {
				tc.setup(t)
			}
			w.status.showLast()
			settle(t)
			w.show(tc.page)
			settle(t)
			if tc.action != nil {
				w.win.Resize(fyne.NewSize(600, 900)) // the window's smallest width
				tc.action(t, w)
			}
			relayout(w.Canvas())
			assertGlyphs(t, w.Canvas())
			test.AssertRendersToMarkup(t, tc.file, w.Canvas())
		})
	}
}
