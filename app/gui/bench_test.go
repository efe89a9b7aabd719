package gui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"claudemedic/internal/state"
)

// BenchmarkOpenWithLastReport builds the window and shows the agent's last
// report from disk: what happens before the first frame (the driver's
// painting aside; scripts/bench-window.sh measures the real first frame).
func BenchmarkOpenWithLastReport(b *testing.B) {
	home := b.TempDir()
	b.Setenv("HOME", home)
	b.Setenv("XDG_STATE_HOME", home+"/state")
	if err := state.Record(sampleReport()); err != nil {
		b.Fatal(err)
	}
	svc := &Services{Last: lastReport}
	a := test.NewTempApp(b)
	b.ReportAllocs()
	for b.Loop() {
		w := New(a, svc)
		w.status.showLast()
		if w.status.report == nil {
			b.Fatal("no report shown")
		}
	}
}
