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
	Recovered   bool // a real answer to the same request came after the failed attempts
	Open        bool // neither given up nor answered (yet): still retrying (a stop is Abandoned)
	// Abandoned: Claude Code stopped while retrying (killed, Ctrl-C, the terminal
	// closed): its retries stopped with neither an answer nor a <synthetic>
	// "API Error" end. Told by a new user entry (a new prompt, or the
	// "interrupted" entry Claude Code writes on Ctrl-C), by the "No response
	// requested." entry a resumed session writes for the unanswered request, or
	// by the file staying quiet past the announced retry (then provisionally: a
	// late attempt or answer makes it Open or Recovered again). Not Open.
	Abandoned bool
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
	now     func() time.Time // the clock of the quiet rule (tests set it)

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
	retryIn  time.Duration
	inFlight bool // an api-request entry came after its last failed attempt: the next try was sent
}

// How long a transcript may stay quiet after a failed attempt before its
// request counts as abandoned: the retry's announced wait (retryInMs) plus
// quietMargin while the next try is not sent yet; once an api-request entry
// says it was sent (2.1.33x), as long as a try may take (Claude Code's default
// API_TIMEOUT_MS, 10 minutes) plus quietMargin.
const (
	quietMargin  = time.Minute
	attemptLimit = 10 * time.Minute
)

// quiet reports whether the request still open in st stopped retrying by the
// clock alone: its file has not changed for longer than the wait it announced.
func (st *fileState) quiet(now time.Time) bool {
	if st.open == nil || st.info == nil {
		return false
	}
	limit := st.retryIn + quietMargin
	if st.inFlight {
		limit = attemptLimit + quietMargin
	}
	return now.Sub(st.info.ModTime()) > limit
}

// abandon ends the request open in st as given up: Claude Code stopped while
// retrying. final: a later entry says so (it cannot come back); otherwise the
// quiet rule says so, and a late attempt or answer may still reopen it.
func (st *fileState) abandon(final bool, changed map[string]Failure) {
	o := st.open
	if o == nil {
		return
	}
	o.Abandoned, o.Open, o.Recovered = true, false, false
	changed[o.ID] = *o
	if final {
		st.open, st.lastN, st.inFlight = nil, 0, false
	}
}

// NewReader returns a Reader of the transcripts under projectsDir.
func NewReader(projectsDir string) *Reader {
	return &Reader{dir: projectsDir, maxLine: 1 << 20, files: map[string]*fileState{}, now: time.Now}
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
			r.checkQuiet(st, changed) // nothing new: but the clock may end a request
			continue
		}
		st.info = t.info
		if t.info.Size() <= st.off {
			r.checkQuiet(st, changed)
			continue
		}
		b.Files++
		if err := r.read(ctx, t, st, since, &b, changed); err != nil {
			if ctx.Err() != nil {
				return b, ctx.Err()
			}
			continue // unreadable: no permission, vanished
		}
		r.checkQuiet(st, changed)
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

// checkQuiet ends, provisionally, the request open in st when its file has
// been quiet for longer than its retry announced.
func (r *Reader) checkQuiet(st *fileState, changed map[string]Failure) {
	if st.open != nil && !st.open.Abandoned && st.quiet(r.now()) {
		st.abandon(false, changed)
	}
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
			// A real answer too long to read still ends a failing request; a
			// prompt too long to read, a new one.
			if st.open != nil {
				switch {
				case bytes.Contains(line, []byte(`"role":"assistant"`)) && !bytes.Contains(line, markSynthetic):
					st.recover(changed)
				case bytes.Contains(line, markUser):
					// The entry's own type comes before its message; an
					// attachment's nested types come first.
					if typ, _ := quickField(line, `"type":"`); typ == "user" {
						st.abandon(true, changed)
					}
				}
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
	if st.open != nil && !isErr && r.between(line, st, changed) {
		return
	}
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
			st.recover(changed)
		}
		return
	}
	text := syntheticText(line)
	if !looksAPIError(&a, text) {
		// "No response requested.": a resumed session's stand-in for the
		// answer that never came (measured, 2.1.332 killed mid-retry, then -c).
		st.abandon(true, changed)
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

// recover ends the request open in st: an answer to it came.
func (st *fileState) recover(changed map[string]Failure) {
	o := st.open
	o.Recovered, o.Open, o.Abandoned = true, false, false
	changed[o.ID] = *o
	st.open, st.lastN, st.inFlight = nil, 0, false
}

// between handles an entry that is neither an error nor an answer while a
// request is open in st: an api-request (the next try sent) or a user entry
// (a new prompt, or Claude Code's "interrupted" entry: the request was given
// up; nothing else writes a user entry while a request retries). It reports
// whether the line was one of these.
func (r *Reader) between(line []byte, st *fileState, changed map[string]Failure) bool {
	isUser := bytes.Contains(line, markUser)
	if !isUser && !bytes.Contains(line, markRequest) {
		return false
	}
	var h head
	if json.Unmarshal(line, &h) != nil {
		return false
	}
	switch h.Type {
	case "api-request":
		st.inFlight = true
		if st.open.Abandoned {
			// The quiet rule was early: Claude Code retries still.
			st.open.Abandoned, st.open.Open = false, true
			changed[st.open.ID] = *st.open
		}
		return true
	case "user":
		st.abandon(true, changed)
		return true
	}
	return false
}

// attempt adds a to the file's failing request, or starts one.
func (r *Reader) attempt(a Attempt, off int64, t transcript, st *fileState, since time.Time, b *Batch, changed map[string]Failure) {
	if a.Time.IsZero() {
		a.Time = st.info.ModTime()
	}
	o := st.open
	if o != nil && (o.Session != a.Session || (!a.Final && a.Attempt <= st.lastN)) {
		// The retry count started again: the earlier request ended with
		// neither an answer nor a <synthetic> end: Claude Code stopped.
		o.Open, o.Abandoned = false, true
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
	st.retryIn, st.inFlight = a.RetryIn, false
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
	} else {
		o.Open = true
	}
	o.Abandoned = false // a later attempt: it retried still
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
