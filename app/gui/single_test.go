package gui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"claudemedic/claudesettings"
	"claudemedic/internal/pages"
	"claudemedic/netcheck/netchecktest"
)

// TestKeyStepOnlyOnce: with nothing to sign in with, the first launch opens
// the key step; after Skip, the next launch opens the page it was asked for.
func TestKeyStepOnlyOnce(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	tg := f.srv.Target()
	tg.Credential = claudesettings.Credential{}
	f.writeSettings(tg)
	f.w.Open(pages.Status)
	settle(t)
	if f.w.wizard == nil || f.w.wizard.keyEntry == nil || f.w.tabs.SelectedIndex() != 1 {
		t.Fatal("the first launch did not open the key step")
	}
	test.Tap(findButton(f.w.wizard.content, en("wizard.key_skip")))
	settle(t)
	again := New(test.NewTempApp(t), f.svc)
	again.Open(pages.Status)
	settle(t)
	if again.tabs.SelectedIndex() != 0 || again.wizard != nil {
		t.Errorf("the second launch opened tab %d (the key step again), want the status page", again.tabs.SelectedIndex())
	}
}

// TestWindowHandOver: a second launch finds the first window's lock and
// hands it the page; the first shows it.
func TestWindowHandOver(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	dir := t.TempDir()
	if handOver(dir, pages.Settings) {
		t.Fatal("handed over with no window running")
	}
	lock, handed := lockWindow(dir, pages.Status)
	if lock == nil || handed {
		t.Fatalf("the first window did not get the lock (handed %v)", handed)
	}
	defer lock.release()
	lock.built(f.w)
	if !handOver(dir, pages.Settings) {
		t.Fatal("the second launch could not hand over")
	}
	settle(t)
	if got := pages.All[f.w.tabs.SelectedIndex()]; got != pages.Settings {
		t.Errorf("the first window shows %s after the hand-over, want settings", got)
	}
}
