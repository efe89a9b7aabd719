package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// tempState points appdirs.State() at a fresh folder and returns it.
func tempState(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	t.Setenv("XDG_STATE_HOME", base)
	t.Setenv("LocalAppData", base)
	t.Setenv("HOME", base)
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func report(at time.Time, v netcheck.Verdict, codes ...netcheck.Code) *netcheck.Report {
	r := &netcheck.Report{Schema: netcheck.Schema, StartedAt: at.UTC(), Verdict: v,
		Target:  claudesettings.TargetView{BaseURL: claudesettings.DefaultBaseURL},
		Timings: netcheck.Timings{Total: 420 * time.Millisecond, FirstByte: 300 * time.Millisecond}}
	for _, c := range codes {
		r.Findings = append(r.Findings, netcheck.Finding{Code: c, Severity: netcheck.SeverityFail, Check: netcheck.CheckTLS,
			Summary: claudesettings.Text{EN: "x", ZH: "x"}})
	}
	return r
}

func TestLastBeforeAnyCheck(t *testing.T) {
	tempState(t)
	if _, err := Last(); !errors.Is(err, ErrNoReport) {
		t.Fatalf("Last() = %v, want ErrNoReport", err)
	}
	if h, err := History(time.Time{}); err != nil || len(h) != 0 {
		t.Fatalf("History() = %v, %v; want nothing", h, err)
	}
}

func TestRecordThenLastAndHistory(t *testing.T) {
	dir := tempState(t)
	t0 := time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)
	for i, v := range []netcheck.Verdict{netcheck.VerdictOK, netcheck.VerdictDown, netcheck.VerdictOK} {
		var codes []netcheck.Code
		if v == netcheck.VerdictDown {
			codes = []netcheck.Code{netcheck.TLSUntrusted, netcheck.ClockSkew}
		}
		if err := Record(report(t0.Add(time.Duration(i)*time.Minute), v, codes...)); err != nil {
			t.Fatal(err)
		}
	}
	last, err := Last()
	if err != nil {
		t.Fatal(err)
	}
	if !last.StartedAt.Equal(t0.Add(2*time.Minute)) || last.Verdict != netcheck.VerdictOK {
		t.Errorf("Last() = %v %v, want the third report", last.StartedAt, last.Verdict)
	}
	h, err := History(t0.Add(30 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	want := []Point{
		{t0.Add(time.Minute), netcheck.VerdictDown, 420 * time.Millisecond, 300 * time.Millisecond, []netcheck.Code{netcheck.TLSUntrusted, netcheck.ClockSkew}},
		{t0.Add(2 * time.Minute), netcheck.VerdictOK, 420 * time.Millisecond, 300 * time.Millisecond, nil},
	}
	if fmt.Sprint(h) != fmt.Sprint(want) {
		t.Errorf("History = %v\nwant %v", h, want)
	}
	for _, name := range []string{lastName, historyName} {
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v; want owner-only", name, info.Mode())
		}
	}
}

func TestAnOlderReportDoesNotReplaceANewerOne(t *testing.T) {
	tempState(t)
	now := time.Now()
	if err := Record(report(now, netcheck.VerdictOK)); err != nil {
		t.Fatal(err)
	}
	if err := Record(report(now.Add(-time.Minute), netcheck.VerdictDown)); err != nil {
		t.Fatal(err)
	}
	last, err := Last()
	if err != nil || last.Verdict != netcheck.VerdictOK {
		t.Fatalf("Last() = %v, %v; want the newer ok report", last, err)
	}
	if h, _ := History(time.Time{}); len(h) != 2 {
		t.Errorf("history holds %d points, want both", len(h))
	}
}

func TestDamagedFiles(t *testing.T) {
	dir := tempState(t)
	for _, body := range []string{"", "{", `{"schema":1}`, "\x00\x01garbage"} {
		os.WriteFile(filepath.Join(dir, lastName), []byte(body), 0o600)
		_, err := Last()
		if err == nil || errors.Is(err, ErrNoReport) || !strings.Contains(err.Error(), "next check replaces it") {
			t.Errorf("Last() with %q = %v; want a clear damaged-file error", body, err)
		}
	}
	// A damaged last report is replaced by the next Record.
	if err := Record(report(time.Now(), netcheck.VerdictOK)); err != nil {
		t.Fatal(err)
	}
	if _, err := Last(); err != nil {
		t.Fatal(err)
	}
	// A history line cut short is skipped, the others kept.
	good, _ := json.Marshal(PointOf(report(time.Now(), netcheck.VerdictDown)))
	os.WriteFile(filepath.Join(dir, historyName), []byte(string(good)+"\n{\"t\":\"2026-\n"+string(good)+"\n"), 0o600)
	h, err := History(time.Time{})
	if err != nil || len(h) != 2 {
		t.Fatalf("History = %d points, %v; want the 2 whole lines", len(h), err)
	}
}

// TestHistoryIsCapped records far more points than the cap holds and checks
// that the file stays under it, keeps the newest points, and drops the oldest.
func TestHistoryIsCapped(t *testing.T) {
	dir := tempState(t)
	historyCap = 8 << 10
	t.Cleanup(func() { historyCap = MaxHistoryBytes })
	t0 := time.Now().Add(-10 * time.Hour)
	const n = 400
	for i := range n {
		if err := Record(report(t0.Add(time.Duration(i)*time.Second), netcheck.VerdictDown, netcheck.TCPRefused)); err != nil {
			t.Fatal(err)
		}
	}
	info, err := os.Stat(filepath.Join(dir, historyName))
	if err != nil {
		t.Fatal(err)
	}
	if info.Size() > historyCap {
		t.Errorf("history is %d bytes, over the cap of %d", info.Size(), historyCap)
	}
	h, _ := History(time.Time{})
	if len(h) == 0 || len(h) == n {
		t.Fatalf("history holds %d points; want some, but not all %d", len(h), n)
	}
	if newest := h[len(h)-1].Time; !newest.Equal(t0.Add((n - 1) * time.Second).UTC().Truncate(time.Nanosecond)) {
		t.Errorf("newest point %v, want the last recorded", newest)
	}
	for i := 1; i < len(h); i++ {
		if h[i].Time.Sub(h[i-1].Time) != time.Second {
			t.Fatalf("a gap in the kept history at %d: %v then %v", i, h[i-1].Time, h[i].Time)
		}
	}
}

// TestHistoryKeepsAWeek checks the real cap against a week of failures
// rechecked every 30 s, the most the circuit breaker lets through.
func TestHistoryKeepsAWeek(t *testing.T) {
	p, _ := json.Marshal(PointOf(report(time.Now(), netcheck.VerdictDown, netcheck.TLSHandshakeTimeout, netcheck.ProxyCatchesLocal)))
	week := int64(7*24*time.Hour/(30*time.Second)) * int64(len(p)+1)
	if week > MaxHistoryBytes*3/4 {
		t.Errorf("a week of failures takes %d bytes; the cap keeps only %d after a trim", week, MaxHistoryBytes*3/4)
	}
}

func TestOldPointsAreDroppedOnTrim(t *testing.T) {
	dir := tempState(t)
	historyCap = 4 << 10
	t.Cleanup(func() { historyCap = MaxHistoryBytes })
	old := report(time.Now().Add(-KeepHistory-time.Hour), netcheck.VerdictOK)
	if err := Record(old); err != nil {
		t.Fatal(err)
	}
	for i := range 100 {
		if err := Record(report(time.Now().Add(time.Duration(i)*time.Millisecond), netcheck.VerdictOK)); err != nil {
			t.Fatal(err)
		}
	}
	h, _ := History(time.Time{})
	if len(h) > 0 && h[0].Time.Equal(old.StartedAt) {
		t.Errorf("a point older than %v survived the trim", KeepHistory)
	}
	if _, err := os.Stat(filepath.Join(dir, historyName)); err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentRecords has two writers (the agent and the window) record at
// once: every line stays whole and the last report parses.
func TestConcurrentRecords(t *testing.T) {
	tempState(t)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if err := Record(report(time.Now(), netcheck.VerdictOK, netcheck.Code(fmt.Sprintf("W%d_%d", w, i)))); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	h, err := History(time.Time{})
	if err != nil || len(h) != 200 {
		t.Fatalf("History = %d points, %v; want 200", len(h), err)
	}
	if _, err := Last(); err != nil {
		t.Fatal(err)
	}
}

// FuzzPoint feeds a history line any bytes: it never panics, and a line it
// accepts has a time and a verdict and writes back to a line it accepts again.
func FuzzPoint(f *testing.F) {
	good, _ := json.Marshal(PointOf(report(time.Now(), netcheck.VerdictDown, netcheck.TLSUntrusted)))
	for _, seed := range []string{string(good), "", "{}", `{"t":"2026-11-21T10:00:00Z"}`, `{"t":"x","v":"ok"}`, `{"t":"2026-11-21T10:00:00Z","v":"ok","total_ms":-1e308}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var p Point
		if json.Unmarshal(b, &p) != nil {
			return
		}
		if p.Time.IsZero() || p.Verdict == "" {
			t.Fatalf("accepted %q as %+v", b, p)
		}
		out, err := json.Marshal(p)
		if err != nil {
			return // a time outside what JSON can hold
		}
		var again Point
		if err := json.Unmarshal(out, &again); err != nil {
			t.Fatalf("%q wrote %q, which does not read back: %v", b, out, err)
		}
	})
}
