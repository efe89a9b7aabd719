package gui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"claudemedic/doctor"
	"claudemedic/doctor/doctortest"
	"claudemedic/internal/pages"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// TestClaudeCodeErrorsInTheWindow: the wizard's first screen offers the
// newest error Claude Code met and diagnoses it with one tap; the status page
// shows the day's errors beside the probe's history.
func TestClaudeCodeErrorsInTheWindow(t *testing.T) {
	f := newFixture(t, netchecktest.Overloaded)
	doctortest.Transcript(t, filepath.Join(f.home, ".claude"), doctortest.Transcript529, "/src/app", "", time.Now().Add(-3*time.Minute))
	f.w.show(pages.Wizard)
	wz := f.w.wizard
	wz.showPick()
	settle(t)
	text := resultText(wz.content)
	if !strings.Contains(text, "Claude Code failed at") || !strings.Contains(text, "/src/app: API Error: Repeated 529 Overloaded errors") {
		t.Fatalf("the first screen lacks the newest error:\n%s", text)
	}
	btn := findButton(wz.content, en("wizard.cc_diagnose"))
	if btn == nil {
		t.Fatalf("no %q button:\n%s", en("wizard.cc_diagnose"), text)
	}
	test.Tap(btn)
	settle(t)
	if wz.symptom != doctor.SymptomOverloaded || wz.before == nil || !wz.before.Has(netcheck.Overloaded) {
		t.Fatalf("symptom %s, report %v", wz.symptom, wz.before)
	}

	f.w.show(pages.Status)
	f.w.status.refreshHistory()
	settle(t)
	if s := resultText(f.w.status.content); !strings.Contains(s, "Claude Code's own requests: 1 failed (OVERLOADED ×1)") {
		t.Errorf("the status page lacks Claude Code's errors:\n%s", s)
	}
}

// TestWindowNoCanary: a transcript full of canaries in prompts, answers and
// tool output: the wizard's card and the status page show its error, and
// none of the canaries.
func TestWindowNoCanary(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	doctortest.CanaryTranscript(t, filepath.Join(f.home, ".claude"), "/src/secret", time.Now().Add(-time.Minute))
	f.w.show(pages.Wizard)
	f.w.wizard.showPick()
	f.w.show(pages.Status)
	f.w.status.refreshHistory()
	settle(t)
	seen := resultText(f.w.wizard.content) + resultText(f.w.status.content)
	if !strings.Contains(seen, "529 Overloaded") {
		t.Fatalf("the canary transcript's error is not shown:\n%s", seen)
	}
	for _, c := range doctortest.Canaries {
		if strings.Contains(seen, c) {
			t.Errorf("%s came out in the window", c)
		}
	}
}
