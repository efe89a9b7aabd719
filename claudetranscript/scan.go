package claudetranscript

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ProjectsDir is where Claude Code keeps its transcripts under its config
// directory (CLAUDE_CONFIG_DIR, or ~/.claude).
func ProjectsDir(configDir string) string {
	return filepath.Join(configDir, "projects")
}

// Attempt is one failed try at a request: a system/api_error entry, or the final
// try told by the <synthetic> assistant entry Claude Code writes when it gives up.
type Attempt struct {
	Time       time.Time
	Project    string // the projects/ subfolder (the cwd with non-alphanumerics as '-')
	Cwd        string
	Session    string
	Version    string
	Status     int    // the HTTP status; 0 when no answer came (a network error)
	RequestID  string // the server's request-id; "" for network errors
	Message    string // Claude Code's words (error.formatted, or the synthetic text), masked
	Connection string // ECONNREFUSED, ECONNRESET, …; "" when an HTTP answer came
	SSL        bool
	// NetworkDown is Claude Code's own isNetworkDown.
	NetworkDown bool
	Attempt     int // retryAttempt, from 1; the final try is the one after the last retry
	MaxRetries  int
	RetryIn     time.Duration
	Final       bool // the try after which Claude Code gave up

	uuid string
}

// Failure is one request that failed at least once: its attempts in one row.
type Failure struct {
	ID          string // stable across Scans (the session and the first attempt)
	First, Last time.Time
	Project     string
	Cwd         string
	Session     string
	Version     string
	Status      int    // of the last attempt
	RequestID   string // of the last attempt
	Message     string // of the last attempt, masked
	Connection  string // of the last attempt
	Shown       string // what Claude Code printed when it gave up, masked; "" if it did not
	SSL         bool
	NetworkDown bool
	Attempts    int
	MaxRetries  int
	Recovered   bool // a real answer came after the failed attempts
	Open        bool // neither given up nor answered (yet): still retrying, or stopped
}

// Batch is what one Scan found.
type Batch struct {
	// Failures new or changed since the last Scan, newest first; upsert them by ID.
	Failures []Failure
	// Attempts read in this Scan at or after `since`, oldest first.
	Attempts []Attempt
	Skipped  int // lines not understood: not JSON, cut, too long
	Files    int // transcripts read (not only looked at)
}

// Reader reads transcripts incrementally. It is safe for concurrent use; Scans
// run one at a time.
type Reader struct {
	dir     string
	maxLine int

	mu    sync.Mutex
	files map[string]*fileState
	lines *forwardLines // the buffers the reads of one Scan share; nil between Scans
}

type fileState struct {
	info     os.FileInfo
	off      int64
	inLong   bool
	longHead []byte   // the start of an over-long line still being written
	open     *Failure // the request still failing in this file
	lastN    int      // its last retryAttempt
}

// NewReader returns a Reader of the transcripts under projectsDir.
func NewReader(projectsDir string) *Reader {
	return &Reader{dir: projectsDir, maxLine: 1 << 20, files: map[string]*fileState{}}
}

type transcript struct {
	path    string
	project string
	info    os.FileInfo
}

// Scan reads what was appended to the transcripts modified at or after since,
// since the last Scan. Attempts and failures before since are not returned.
func (r *Reader) Scan(ctx context.Context, since time.Time) (Batch, error) {
	r.mu.Lock()
	defer func() { r.lines = nil }() // the tray idles for hours between Scans: keep no buffer
	defer r.mu.Unlock()
	var b Batch
	list, err := listTranscripts(ctx, r.dir, func(mtime time.Time) bool { return !mtime.Before(since) })
	if err != nil {
		return b, err
	}
	seen := make(map[string]bool, len(list))
	changed := map[string]Failure{}
	for _, t := range list {
		if err := ctx.Err(); err != nil {
			return b, err
		}
		if t.info.ModTime().Before(since) {
			continue // replaced by an older file since it was listed
		}
		seen[t.path] = true
		st := r.files[t.path]
		if st != nil && (!os.SameFile(st.info, t.info) || t.info.Size() < st.off) {
			st = nil // replaced or cut: read anew
		}
		if st == nil {
			st = &fileState{}
			r.files[t.path] = st
		}
		if st.info != nil && t.info.Size() == st.info.Size() && t.info.ModTime().Equal(st.info.ModTime()) && st.off == t.info.Size() {
			st.info = t.info
			continue // nothing new
		}
		st.info = t.info
		if t.info.Size() <= st.off {
			continue
		}
		b.Files++
		if err := r.read(ctx, t, st, since, &b, changed); err != nil {
			if ctx.Err() != nil {
				return b, ctx.Err()
			}
			continue // unreadable: no permission, vanished
		}
	}
	// Forget the files out of the window: if they come back, they are read anew,
	// and failures keep their IDs.
	for p := range r.files {
		if !seen[p] {
			delete(r.files, p)
		}
	}
	for _, f := range changed {
		if !f.Last.Before(since) {
			b.Failures = append(b.Failures, f)
		}
	}
	sortFailures(b.Failures)
	return b, nil
}

func sortFailures(fs []Failure) {
	slices.SortFunc(fs, func(a, b Failure) int {
		if c := b.Last.Compare(a.Last); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

func (r *Reader) read(ctx context.Context, t transcript, st *fileState, since time.Time, b *Batch, changed map[string]Failure) error {
	f, err := os.Open(t.path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Seek(st.off, 0); err != nil {
		return err
	}
	lr := r.lineReader(f, st.off, st.inLong)
	lr.head = append(lr.head, st.longHead...)
	defer func() {
		st.off, st.inLong, st.longHead = lr.off, lr.inLong, nil
		if lr.inLong {
			st.longHead = bytes.Clone(lr.head)
		}
	}()
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		lineOff := lr.off
		line, long, ok, err := lr.next()
		if err != nil {
			return err
		}
		if !ok {
			return nil
		}
		if long {
			b.Skipped++
			// A real answer too long to read still ends a failing request.
			if st.open != nil && bytes.Contains(line, []byte(`"role":"assistant"`)) && !bytes.Contains(line, markSynthetic) {
				st.open.Recovered, st.open.Open = true, false
				changed[st.open.ID] = *st.open
				st.open = nil
			}
			continue
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		r.entry(line, lineOff, t, st, since, b, changed)
	}
}

// lineReader reads a file from off with the buffers of the Scan's earlier
// files: one read buffer and one line buffer per Scan, not one per file.
func (r *Reader) lineReader(f *os.File, off int64, inLong bool) *forwardLines {
	if r.lines == nil {
		r.lines = newForwardLines(f, off, r.maxLine, inLong)
		return r.lines
	}
	l := r.lines
	l.br.Reset(f)
	l.off, l.inLong, l.buf, l.head = off, inLong, l.buf[:0], l.head[:0]
	return l
}

// entry handles one complete line.
func (r *Reader) entry(line []byte, off int64, t transcript, st *fileState, since time.Time, b *Batch, changed map[string]Failure) {
	isErr := bytes.Contains(line, markAPIError)
	isAssistant := bytes.Contains(line, markAssistant)
	if !isErr && !isAssistant {
		if l := bytes.TrimSpace(line); l[0] != '{' || l[len(l)-1] != '}' {
			b.Skipped++ // not a JSON object, or cut
		}
		return
	}
	if isErr {
		var e apiErrorEntry
		if err := json.Unmarshal(line, &e); err != nil {
			b.Skipped++
			return
		}
		if e.Type == "system" && e.Subtype == "api_error" {
			var ae apiError
			_ = json.Unmarshal(e.Error, &ae) // another shape: what is known stays
			a := Attempt{
				Time: parseTime(e.Timestamp), Project: t.project, Cwd: string(e.Cwd),
				Session: string(e.SessionID), Version: string(e.Version),
				Status: int(ae.Status), RequestID: clean(string(ae.RequestID)),
				NetworkDown: bool(ae.IsNetworkDown),
				Attempt:     int(e.RetryAttempt), MaxRetries: int(e.MaxRetries),
				RetryIn: time.Duration(e.RetryInMs) * time.Millisecond,
				uuid:    string(e.UUID),
			}
			a.Message = clean(string(ae.Formatted))
			if a.Message == "" {
				a.Message = clean(string(ae.Message))
			}
			var c connection
			if json.Unmarshal(ae.Connection, &c) == nil {
				a.Connection, a.SSL = clean(string(c.Code)), bool(c.IsSSLError)
			}
			r.attempt(a, off, t, st, since, b, changed)
			return
		}
		if !isAssistant {
			return
		}
	}
	var a assistantEntry
	if err := json.Unmarshal(line, &a); err != nil {
		b.Skipped++
		return
	}
	if a.Type != "assistant" {
		return
	}
	if a.Message.Model != syntheticModel {
		if st.open != nil && (a.Message.Role == "assistant" || a.Message.Role == "") {
			st.open.Recovered, st.open.Open = true, false
			changed[st.open.ID] = *st.open
			st.open = nil
		}
		return
	}
	text := syntheticText(line)
	if !looksAPIError(&a, text) {
		return
	}
	at := Attempt{
		Time: parseTime(a.Timestamp), Project: t.project, Cwd: string(a.Cwd),
		Session: string(a.SessionID), Version: string(a.Version),
		Status: int(a.APIErrorStatus), RequestID: clean(string(a.RequestID)),
		Message: clean(text), Final: true, uuid: string(a.UUID),
	}
	if at.Status == 0 {
		if m := statusInText.FindStringSubmatch(text); m != nil {
			at.Status, _ = strconv.Atoi(m[1])
		}
	}
	if at.Status == 0 {
		if m := connInText.FindStringSubmatch(text); m != nil {
			at.Connection = m[1]
		}
	}
	r.attempt(at, off, t, st, since, b, changed)
}

// attempt adds a to the file's failing request, or starts one.
func (r *Reader) attempt(a Attempt, off int64, t transcript, st *fileState, since time.Time, b *Batch, changed map[string]Failure) {
	if a.Time.IsZero() {
		a.Time = st.info.ModTime()
	}
	o := st.open
	if o != nil && (o.Session != a.Session || (!a.Final && a.Attempt <= st.lastN)) {
		// The retry count started again: the earlier request ended unseen.
		o.Open = false
		changed[o.ID] = *o
		o = nil
	}
	if a.Final {
		if o != nil {
			a.Attempt, a.MaxRetries = st.lastN+1, o.MaxRetries
		} else {
			a.Attempt = 1
		}
	}
	if !a.Time.Before(since) {
		b.Attempts = append(b.Attempts, a)
	}
	if o == nil {
		id := a.uuid
		if id == "" {
			id = "@" + strconv.FormatInt(off, 10)
		}
		o = &Failure{ID: a.Session + "/" + id, First: a.Time, Project: a.Project, Cwd: a.Cwd, Session: a.Session, Open: true}
	}
	addAttempt(o, a)
	if a.Final {
		st.open, st.lastN = nil, 0
	} else {
		st.open, st.lastN = o, a.Attempt
	}
	changed[o.ID] = *o
}

// addAttempt adds a to the failure o.
func addAttempt(o *Failure, a Attempt) {
	o.Last = a.Time
	if a.Version != "" {
		o.Version = a.Version
	}
	if a.Final && o.Attempts > 0 {
		// The synthetic entry says less than the api_error entries before it.
		if a.Status != 0 {
			o.Status = a.Status
		}
		if a.RequestID != "" {
			o.RequestID = a.RequestID
		}
		if a.Connection != "" {
			o.Connection = a.Connection
		}
	} else {
		o.Status, o.RequestID, o.Message, o.Connection = a.Status, a.RequestID, a.Message, a.Connection
		o.SSL, o.NetworkDown = a.SSL, a.NetworkDown
	}
	o.Attempts++
	if a.MaxRetries > 0 {
		o.MaxRetries = a.MaxRetries
	}
	if a.Final {
		o.Shown, o.Open = a.Message, false
	}
}

// Group puts attempts (any order, any sessions) together into failures, newest
// first: a run of attempts of one session ends at a Final attempt or where the
// retry count starts again. It does not see answers, so no failure is Recovered;
// Scan does better, statefully.
func Group(attempts []Attempt) []Failure {
	as := slices.Clone(attempts)
	slices.SortStableFunc(as, func(a, b Attempt) int {
		return cmp.Or(strings.Compare(a.Session, b.Session), a.Time.Compare(b.Time))
	})
	var out []Failure
	var cur *Failure
	last := 0
	for _, a := range as {
		if cur != nil && (cur.Session != a.Session || (!a.Final && a.Attempt <= last)) {
			out = append(out, *cur)
			cur = nil
		}
		if cur == nil {
			id := a.uuid
			if id == "" {
				id = a.Time.UTC().Format(time.RFC3339Nano)
			}
			cur = &Failure{ID: a.Session + "/" + id, First: a.Time, Project: a.Project, Cwd: a.Cwd, Session: a.Session, Open: true}
		}
		addAttempt(cur, a)
		last = a.Attempt
		if a.Final {
			out = append(out, *cur)
			cur, last = nil, 0
		}
	}
	if cur != nil {
		out = append(out, *cur)
	}
	sortFailures(out)
	return out
}
