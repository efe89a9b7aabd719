// Package state keeps the tray agent's memory on disk, in appdirs.State(): the
// last report (last.json, written atomically, which the window shows at once on
// opening) and a bounded history of results (history.jsonl, at least 7 days at
// the default interval, capped in size) for the latency and error-rate chart.
// The agent and the window both write through Record; a lock file keeps their
// writes from interleaving.
package state

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/natefinch/atomic"

	"claudemedic/appdirs"
	"claudemedic/netcheck"

	"github.com/gofrs/flock"
)

// ErrNoReport is returned by Last when no check has been recorded yet.
var ErrNoReport = errors.New("no check has run yet")

// File names inside appdirs.State().
const (
	lastName    = "last.json"
	historyName = "history.jsonl"
	lockName    = "state.lock"
)

// Limits of the history. At the default interval of 5 minutes a point takes
// about 120 bytes, so MaxHistoryBytes holds months; even a network down all
// week, rechecked every 30 s by the breaker, fits 7 days in it.
const (
	MaxHistoryBytes = 4 << 20             // when the file grows past this, the oldest points go
	KeepHistory     = 31 * 24 * time.Hour // points older than this go at the same time
)

// historyCap is MaxHistoryBytes; tests lower it.
var historyCap int64 = MaxHistoryBytes

// Point is one recorded check, for the history chart.
type Point struct {
	Time      time.Time        // when the check started
	Verdict   netcheck.Verdict // ok, degraded or down
	Total     time.Duration    // the request's total time; 0 when no request got through
	FirstByte time.Duration    // time to first byte; 0 when none came
	Codes     []netcheck.Code  // the findings' codes, in report order
}

type pointJSON struct {
	Time      time.Time        `json:"t"`
	Verdict   netcheck.Verdict `json:"v"`
	TotalMS   float64          `json:"total_ms,omitempty"`
	FirstByte float64          `json:"first_byte_ms,omitempty"`
	Codes     []netcheck.Code  `json:"codes,omitempty"`
}

// MarshalJSON writes a point as one compact history line.
func (p Point) MarshalJSON() ([]byte, error) {
	return json.Marshal(pointJSON{p.Time.UTC(), p.Verdict, msOf(p.Total), msOf(p.FirstByte), p.Codes})
}

// UnmarshalJSON reads a history line back.
func (p *Point) UnmarshalJSON(b []byte) error {
	var j pointJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	if j.Time.IsZero() || j.Verdict == "" {
		return errors.New("a history point without a time or a verdict")
	}
	*p = Point{j.Time, j.Verdict, durOf(j.TotalMS), durOf(j.FirstByte), j.Codes}
	return nil
}

// PointOf sums up a report as a history point.
func PointOf(r *netcheck.Report) Point {
	p := Point{Time: r.StartedAt.UTC(), Verdict: r.Verdict, Total: r.Timings.Total, FirstByte: r.Timings.FirstByte}
	for _, f := range r.Findings {
		p.Codes = append(p.Codes, f.Code)
	}
	return p
}

// Dir is the state folder, created if missing.
func Dir() (string, error) { return appdirs.Ensure(appdirs.State()) }

// LastPath is the file Record writes the last report to, for a front end that
// watches it to learn of checks run by another process.
func LastPath() (string, error) {
	dir, err := appdirs.State()
	return filepath.Join(dir, lastName), err
}

// Record saves r as the last report (atomically: a reader sees the old report
// or the new one, never a mix) and appends it to the history. A report older
// than the one on disk (a slow check that ended late) goes to the history only.
func Record(r *netcheck.Report) error {
	if r == nil {
		return errors.New("recording a check: no report")
	}
	dir, err := Dir()
	if err != nil {
		return err
	}
	lock := flock.New(filepath.Join(dir, lockName))
	if err := lock.Lock(); err != nil {
		return fmt.Errorf("recording a check: %w", err)
	}
	defer lock.Unlock()

	lastPath := filepath.Join(dir, lastName)
	if cur, err := readLast(lastPath); err != nil || !cur.StartedAt.After(r.StartedAt) {
		b, err := json.Marshal(r)
		if err != nil {
			return fmt.Errorf("recording a check: %w", err)
		}
		if err := atomic.WriteFile(lastPath, bytes.NewReader(append(b, '\n'))); err != nil {
			return fmt.Errorf("saving the last report in %s: %w", dir, err)
		}
	}
	return appendHistory(filepath.Join(dir, historyName), PointOf(r))
}

// Last returns the last recorded report, or ErrNoReport when none was recorded.
func Last() (*netcheck.Report, error) {
	path, err := LastPath()
	if err != nil {
		return nil, err
	}
	return readLast(path)
}

func readLast(path string) (*netcheck.Report, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoReport
	}
	if err != nil {
		return nil, fmt.Errorf("reading the last report: %w", err)
	}
	var r netcheck.Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("the last report in %s is damaged (%w); the next check replaces it", path, err)
	}
	if r.Verdict == "" || r.StartedAt.IsZero() {
		return nil, fmt.Errorf("the last report in %s is incomplete; the next check replaces it", path)
	}
	return &r, nil
}

// History returns the recorded points that started at or after since, oldest
// first. Lines that do not parse (a write cut short by a power cut) are skipped.
func History(since time.Time) ([]Point, error) {
	dir, err := appdirs.State()
	if err != nil {
		return nil, err
	}
	points, err := readHistory(filepath.Join(dir, historyName))
	if err != nil {
		return nil, err
	}
	i := 0
	for i < len(points) && points[i].Time.Before(since) {
		i++
	}
	return points[i:], nil
}

func readHistory(path string) ([]Point, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading the check history: %w", err)
	}
	defer f.Close()
	var points []Point
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		var p Point
		if json.Unmarshal(sc.Bytes(), &p) == nil {
			points = append(points, p)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the check history %s: %w", path, err)
	}
	return points, nil
}

// appendHistory adds p as one line and, when the file has grown past
// MaxHistoryBytes, rewrites it (atomically) without the points older than
// KeepHistory and, if still too big, without the oldest until it is at most
// three quarters of the cap. The caller holds the state lock.
func appendHistory(path string, p Point) error {
	line, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("recording a check: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("adding to the check history: %w", err)
	}
	_, err = f.Write(append(line, '\n'))
	info, serr := f.Stat()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("adding to the check history: %w", err)
	}
	if serr != nil || info.Size() <= historyCap {
		return nil
	}
	return compactHistory(path, p.Time)
}

func compactHistory(path string, now time.Time) error {
	points, err := readHistory(path)
	if err != nil {
		return err
	}
	lines := make([][]byte, 0, len(points))
	size := 0
	for _, p := range points {
		if now.Sub(p.Time) > KeepHistory {
			continue
		}
		b, _ := json.Marshal(p)
		lines = append(lines, append(b, '\n'))
		size += len(b) + 1
	}
	for len(lines) > 0 && int64(size) > historyCap*3/4 {
		size -= len(lines[0])
		lines = lines[1:]
	}
	if err := atomic.WriteFile(path, bytes.NewReader(bytes.Join(lines, nil))); err != nil {
		return fmt.Errorf("trimming the check history: %w", err)
	}
	return nil
}

func msOf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func durOf(ms float64) time.Duration { return time.Duration(ms * float64(time.Millisecond)) }
