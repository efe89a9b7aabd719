package tray

// What Claude Code itself met: the tray watches Claude Code's transcripts
// (projects/ under its config folder) for the API errors it writes there, and
// shows them in a menu line and the tooltip, turns the icon amber while its
// requests fail (within the last 15 minutes) even when the probe passes, and
// notifies once per episode. Watching costs nothing while Claude Code is idle:
// the folders are watched with inotify (fsnotify), and a file is read only
// after it changed, from where the last read stopped (claudetranscript).
// The preference no_transcripts stops it: nothing under projects/ is opened.

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"

	"claudemedic/claudetranscript"
	"claudemedic/doctor"
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

// Windows of the tray's view of Claude Code's errors.
const (
	ccHour    = time.Hour        // the menu line counts the errors of the last hour
	ccAmber   = 15 * time.Minute // the icon is amber while a request failed this recently
	ccSettle  = 2 * time.Second  // a burst of writes is read once, this long after it starts
	ccMaxRows = 1000             // at most this many rows are kept (the newest)
	// ccMaxWatches bounds the project folders watched (inotify's default
	// limit is 8,192 watches per user on older kernels, shared with others).
	ccMaxWatches = 512
)

// ccSummary is what the menu shows of Claude Code's own errors.
type ccSummary struct {
	Hour   int                 // failed requests in the last hour, recovered ones included
	Amber  bool                // one failed for good (or is still failing) within ccAmber
	Top    string              // the most frequent error of the hour, in a few words: "529 Overloaded"
	TopN   int                 // how many times
	Newest *doctor.ClaudeError // the newest of the hour
	New    []netcheck.Code     // codes of the requests first seen in this read (for the metrics)
}

// ccLine is the menu's and the tooltip's line; "" when the hour had no error.
func ccLine(tr i18n.Printer, s ccSummary) string {
	switch {
	case s.Hour == 0:
		return ""
	case s.Hour == 1:
		return tr.X("tray.cc_error", "Claude Code: 1 error in the last hour ({{.Top}})", "Top", s.Top)
	}
	return tr.X("tray.cc_errors", "Claude Code: {{.N}} errors in the last hour ({{.Top}})", "N", s.Hour, "Top", s.Top)
}

// ccWatcher follows the transcripts for the menu.
type ccWatcher struct {
	dir  string // projects/
	rd   *claudetranscript.Reader
	rows map[string]doctor.ClaudeError
}

// summary sums up the rows as of now, dropping those older than the hour.
func (w *ccWatcher) summary(now time.Time, fresh []netcheck.Code) (ccSummary, time.Time) {
	s := ccSummary{New: fresh}
	count := map[netcheck.Code]int{}
	newestOf := map[netcheck.Code]doctor.ClaudeError{}
	var next time.Time // when the summary changes by the clock alone
	later := func(t time.Time) {
		if t.After(now) && (next.IsZero() || t.Before(next)) {
			next = t
		}
	}
	for id, e := range w.rows {
		if now.Sub(e.Time) > ccHour {
			delete(w.rows, id)
			continue
		}
		s.Hour++
		count[e.Code]++
		if s.Newest == nil || e.Time.After(s.Newest.Time) {
			c := e
			s.Newest = &c
		}
		if n, ok := newestOf[e.Code]; !ok || e.Time.After(n.Time) {
			newestOf[e.Code] = e
		}
		if !e.Recovered && now.Sub(e.Time) <= ccAmber {
			s.Amber = true
			later(e.Time.Add(ccAmber))
		}
		later(e.Time.Add(ccHour))
	}
	var top netcheck.Code // the most frequent; of those, the newest
	for c, n := range count {
		if n > s.TopN || (n == s.TopN && newestOf[c].Time.After(newestOf[top].Time)) {
			s.TopN, top = n, c
		}
	}
	if top != "" {
		s.Top = newestOf[top].Short()
	}
	return s, next
}

// scan reads what changed and returns the codes of requests not seen before.
func (w *ccWatcher) scan(ctx context.Context, now time.Time) []netcheck.Code {
	b, err := w.rd.Scan(ctx, now.Add(-ccHour))
	if err != nil {
		slog.Warn("reading Claude Code's transcripts", "err", err)
		return nil
	}
	var fresh []netcheck.Code
	for _, f := range b.Failures {
		e := doctor.ClaudeErrorOf(f)
		if _, seen := w.rows[e.ID]; !seen {
			fresh = append(fresh, e.Code)
		}
		w.rows[e.ID] = e
	}
	if len(w.rows) > ccMaxRows {
		w.trim()
	}
	if len(fresh) > 0 {
		slog.Info("Claude Code met API errors", "new", len(fresh), "codes", codesOf(fresh))
	}
	return fresh
}

// trim keeps the newest ccMaxRows rows.
func (w *ccWatcher) trim() {
	rows := make([]doctor.ClaudeError, 0, len(w.rows))
	for _, e := range w.rows {
		rows = append(rows, e)
	}
	doctor.SortClaudeErrors(rows)
	for _, e := range rows[ccMaxRows:] {
		delete(w.rows, e.ID)
	}
}

func codesOf(cs []netcheck.Code) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return strings.Join(s, ",")
}

// watchClaudeCode follows Claude Code's transcripts while the preferences
// allow it, sending each new summary to the menu, until ctx ends.
func (m *menu) watchClaudeCode(ctx context.Context) {
	for ctx.Err() == nil {
		if !doctor.TranscriptsAllowed() {
			m.sendCC(ctx, ccSummary{})
			select {
			case <-ctx.Done():
				return
			case <-m.ccPrefs:
			}
			continue
		}
		dir, err := doctor.ClaudeProjectsDir()
		if err != nil {
			slog.Warn("finding Claude Code's transcripts", "err", err)
			return
		}
		wctx, cancel := context.WithCancel(ctx)
		stopped := make(chan struct{})
		go func() {
			defer close(stopped)
			m.followTranscripts(wctx, dir)
		}()
		select {
		case <-ctx.Done():
		case <-m.ccPrefs:
		}
		cancel()
		<-stopped
	}
}

func (m *menu) sendCC(ctx context.Context, s ccSummary) {
	select {
	case m.ccEvents <- s:
	case <-ctx.Done():
	}
}

// followTranscripts reads the transcripts of the last hour once, then again
// after each change the file system reports, and sums up again when the clock
// moves an error out of a window.
func (m *menu) followTranscripts(ctx context.Context, dir string) {
	w := &ccWatcher{dir: dir, rd: claudetranscript.NewReader(dir), rows: map[string]doctor.ClaudeError{}}
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		slog.Warn("watching Claude Code's transcripts", "err", err)
		return
	}
	defer fw.Close()
	parent := filepath.Dir(dir)
	watching := map[string]bool{}
	warned := false
	add := func(p string) {
		if watching[p] {
			return
		}
		if err := fw.Add(p); err == nil {
			watching[p] = true
		} else if !errors.Is(err, fs.ErrNotExist) && !warned {
			warned = true // once: a full inotify table fails every folder alike
			slog.Warn("watching Claude Code's transcripts", "dir", p, "err", err)
		}
	}
	// addAll watches projects/ and each project's folder; until projects/
	// exists, the nearest folder above it that does, for it to appear.
	var above string // the folder watched until projects/ exists
	addAll := func() {
		for {
			if _, err := os.Stat(dir); err == nil {
				break
			}
			p := parent
			for p != filepath.Dir(p) {
				if _, err := os.Stat(p); err == nil {
					break
				}
				p = filepath.Dir(p)
			}
			if p != above {
				if above != "" {
					fw.Remove(above)
					delete(watching, above)
				}
				above = p
				add(p)
			}
			// The next folder down may have appeared before the watch began.
			next := dir
			for filepath.Dir(next) != p && next != filepath.Dir(next) {
				next = filepath.Dir(next)
			}
			if _, err := os.Stat(next); err != nil {
				return // not yet: the watch tells when it does
			}
		}
		if above != "" {
			fw.Remove(above)
			delete(watching, above)
			above = ""
		}
		add(dir) // before listing, so a project's folder made meanwhile is not missed
		ents, _ := os.ReadDir(dir)
		type project struct {
			path string
			mod  time.Time
		}
		var projects []project
		for _, e := range ents {
			if info, err := e.Info(); err == nil && info.IsDir() {
				projects = append(projects, project{filepath.Join(dir, e.Name()), info.ModTime()})
			}
		}
		// The most recently used folders only, so a history of thousands of
		// projects costs a bounded number of inotify watches; a new session
		// in an older project is read at the next change seen elsewhere.
		slices.SortFunc(projects, func(a, b project) int { return b.mod.Compare(a.mod) })
		for i, p := range projects {
			if i >= ccMaxWatches {
				break
			}
			add(p.path)
		}
	}
	addAll()

	publish := func(fresh []netcheck.Code) *time.Timer {
		s, next := w.summary(time.Now(), fresh)
		m.sendCC(ctx, s)
		if next.IsZero() {
			return nil
		}
		return time.NewTimer(time.Until(next) + 50*time.Millisecond)
	}
	clock := publish(w.scan(ctx, time.Now()))
	var settle <-chan time.Time
	for {
		var tick <-chan time.Time
		if clock != nil {
			tick = clock.C
		}
		select {
		case <-ctx.Done():
			if clock != nil {
				clock.Stop()
			}
			return
		case ev, ok := <-fw.Events:
			if !ok {
				return
			}
			switch {
			case above != "" && ev.Has(fsnotify.Create) && (ev.Name == dir || strings.HasPrefix(dir, ev.Name+string(filepath.Separator))):
				addAll() // a folder on the way to projects/ appeared
			case filepath.Dir(ev.Name) == dir && ev.Has(fsnotify.Create):
				add(ev.Name) // a new project's folder
			case !strings.HasSuffix(ev.Name, ".jsonl"):
				continue
			}
			if settle == nil {
				settle = time.After(ccSettle)
			}
		case err, ok := <-fw.Errors:
			if !ok {
				return
			}
			slog.Warn("watching Claude Code's transcripts", "err", err)
		case <-settle:
			settle = nil
			if clock != nil {
				clock.Stop()
			}
			clock = publish(w.scan(ctx, time.Now()))
		case <-tick:
			clock = publish(nil)
		}
	}
}

// onClaudeCode shows a new summary: the line, the icon, the metrics, and a
// notification when an episode of failures begins.
func (m *menu) onClaudeCode(s ccSummary) {
	began := s.Amber && !m.cc.Amber
	m.cc = s
	if m.met != nil && len(s.New) > 0 {
		m.met.ObserveClaudeCodeErrors(s.New)
	}
	if began {
		body := ccLine(m.tr, s)
		if s.Newest != nil {
			body = s.Newest.Headline(m.tr, time.Now())
		}
		if err := m.notify.Notify(m.tr.X("tray.cc_notify", "Claude Code's requests are failing"), body, m.iconState()); err != nil {
			slog.Warn("notifying", "err", err)
		}
	}
	m.render()
}
