package doctor

// What Claude Code itself saw: the API errors it met, read from its own
// transcripts (claudetranscript), one row per failed request, each with a
// finding code of the catalogue, its fix and the wizard's symptom. Only
// Claude Code's own error words come out, masked; never a prompt, an answer
// or a tool's output. The preference prefs.NoTranscripts turns the reading
// off: nothing under projects/ is opened then.

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/claudetranscript"
	"claudemedic/internal/i18n"
	"claudemedic/internal/prefs"
	"claudemedic/netcheck"
)

// ClaudeError is one request of Claude Code that failed at least once.
type ClaudeError struct {
	ID         string        // stable across reads: the session and its first failed attempt
	Time       time.Time     // of the last failed attempt
	First      time.Time     // of the first
	Project    string        // the folder Claude Code ran in (its cwd; the projects/ folder's name when unknown)
	Session    string        // Claude Code's session id
	Version    string        // Claude Code's version
	Status     int           // the HTTP status of the last attempt; 0 when no answer came
	Code       netcheck.Code // the catalogue's code for it
	Message    string        // the words Claude Code showed (masked)
	RequestID  string        // the server's request-id; "" for a network error
	Attempt    int           // how many tries failed
	MaxRetries int           // CLAUDE_CODE_MAX_RETRIES as Claude Code read it
	Network    string        // ECONNREFUSED, ECONNRESET, …; "" when an answer came
	SSL        bool          // Claude Code said it was a TLS error
	Recovered  bool          // a real answer came after the failed tries
	Open       bool          // neither answered nor given up when read: still retrying
	Abandoned  bool          // Claude Code stopped while retrying (killed, Ctrl-C): no answer, no "API Error" end
}

// ClaudeErrorOf is the row of a transcript failure.
func ClaudeErrorOf(f claudetranscript.Failure) ClaudeError {
	msg := f.Shown
	if msg == "" {
		msg = f.Message
	}
	project := f.Cwd
	if project == "" {
		project = f.Project
	}
	e := ClaudeError{ID: f.ID, Time: f.Last, First: f.First, Project: project, Session: f.Session, Version: f.Version,
		Status: f.Status, Message: msg, RequestID: f.RequestID, Attempt: f.Attempts, MaxRetries: f.MaxRetries,
		Network: f.Connection, SSL: f.SSL, Recovered: f.Recovered, Open: f.Open, Abandoned: f.Abandoned}
	if e.Status == 0 && e.Network == "" {
		e.Network = networkOf(f.Message + " " + f.Shown)
	}
	e.Code = ClassifyClaudeError(e.Status, e.Network, f.Message+" \n "+f.Shown, e.SSL)
	return e
}

// networkCode finds a Node error code in Claude Code's words: "(ECONNREFUSED)".
var networkCode = regexp.MustCompile(`\b(E[A-Z]{4,}|ERR_[A-Z_]+|UND_ERR_[A-Z_]+|[A-Z_]*CERT[A-Z_]*|UnsupportedProxyProtocol)\b`)

func networkOf(text string) string {
	if m := networkCode.FindString(text); m != "" {
		return m
	}
	l := strings.ToLower(text)
	switch {
	case strings.Contains(l, "timed out"), strings.Contains(l, "timeout"):
		return "ETIMEDOUT"
	case strings.Contains(l, "connection error"):
		return "ECONNECTION"
	}
	return ""
}

// ClassifyClaudeError is the catalogue's code for an error Claude Code met:
// from the HTTP status when an answer came, else from the network error's
// code, and from Claude Code's words for what neither tells.
func ClassifyClaudeError(status int, network, text string, ssl bool) netcheck.Code {
	l := strings.ToLower(text)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(l, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("version_too_old", "version is too old", "claude code is too old", "please update claude code", "upgrade claude code"):
		return netcheck.ClaudeCodeVersionTooOld
	case has("empty or malformed response", "without sending any chunks"):
		if has("html", "captive") {
			return netcheck.NotAnthropicAPI
		}
		return netcheck.StreamEmpty
	case has("connection to the api was lost"):
		return netcheck.StreamTruncated
	}
	switch {
	case status == 401:
		if has("token has expired", "oauth token", "/login", "revoked") {
			return netcheck.LoginExpired
		}
		return netcheck.AuthInvalid
	case status == 403:
		switch {
		case has("just a moment", "<html", "cloudflare"):
			return netcheck.NotAnthropicAPI
		case has("request not allowed", "forbidden", "region", "country"):
			return netcheck.RegionBlocked
		}
		return netcheck.AuthForbidden
	case status == 402:
		return netcheck.Billing
	case status == 400:
		switch {
		case has("credit balance", "billing", "spend limit"):
			return netcheck.Billing
		case has("anthropic-beta"):
			return netcheck.BetaRejected
		case has("anthropic-version", "unsupportedapiversion"):
			return netcheck.APIVersionRejected
		case has("model"):
			return netcheck.ModelUnavailable
		}
		return netcheck.UnexpectedResponse
	case status == 404:
		switch {
		case has("model"):
			return netcheck.ModelUnavailable
		case has("invalid url"):
			return netcheck.NotAnthropicFormat
		}
		return netcheck.BaseURLPath
	case status == 407:
		return netcheck.ProxyAuthRequired
	case status == 429:
		return netcheck.RateLimited
	case status == 529:
		return netcheck.Overloaded
	case status >= 500 && status <= 599:
		return netcheck.ServerError
	case status != 0:
		return netcheck.UnexpectedResponse
	}
	n := strings.ToUpper(network)
	switch {
	case n == "ECONNREFUSED":
		return netcheck.TCPRefused
	case n == "ENOTFOUND" || n == "EAI_AGAIN":
		return netcheck.DNSFailed
	case n == "ERR_PROXY_TUNNEL" || has("through your proxy", "tunneling socket"):
		if has("407", "proxy authentication") {
			return netcheck.ProxyAuthRequired
		}
		return netcheck.ProxyRefused
	case n == "UNSUPPORTEDPROXYPROTOCOL" || has("unsupportedproxyprotocol"):
		return netcheck.ProxySocksUnsupported
	case n == "CERT_HAS_EXPIRED" || n == "CERT_NOT_YET_VALID" || has("certificate has expired", "certificate is not yet valid"):
		return netcheck.TLSExpired
	case n == "ERR_TLS_CERT_ALTNAME_INVALID" || has("hostname mismatch", "does not match certificate", "altnames"):
		return netcheck.TLSHostnameMismatch
	case strings.Contains(n, "CERT") || strings.Contains(n, "SELF_SIGNED") || n == "UNABLE_TO_VERIFY_LEAF_SIGNATURE" ||
		has("self-signed certificate", "self signed certificate", "unable to verify", "unable to get local issuer"):
		return netcheck.TLSUntrusted
	case n == "EPROTO" || has("wrong version number", "http request to an https server"):
		return netcheck.BaseURLScheme
	case n == "ECONNRESET" || n == "EPIPE":
		if ssl {
			return netcheck.TLSReset
		}
		return netcheck.NoResponse
	case n == "ETIMEDOUT" || n == "ECONNABORTED" || n == "UND_ERR_CONNECT_TIMEOUT" || n == "EHOSTUNREACH" || n == "ENETUNREACH":
		return netcheck.TCPTimeout
	case ssl || has("ssl", "tls"):
		return netcheck.TLSHandshakeFailed
	case has("timed out", "timeout"):
		return netcheck.NoResponse
	}
	return netcheck.NoResponse
}

// symptomOfCode is the wizard's symptom for a code, when Claude Code's words
// match none (MatchSymptom decides first).
var symptomOfCode = map[netcheck.Code]Symptom{
	netcheck.AuthInvalid: SymptomAuth, netcheck.LoginExpired: SymptomLogin, netcheck.AuthForbidden: SymptomForbidden,
	netcheck.RegionBlocked: SymptomForbidden, netcheck.Billing: SymptomBadRequest, netcheck.BetaRejected: SymptomBeta,
	netcheck.APIVersionRejected: SymptomBadRequest, netcheck.ModelUnavailable: SymptomNotFound, netcheck.NotAnthropicFormat: SymptomNotFound,
	netcheck.BaseURLPath: SymptomNotFound, netcheck.RateLimited: SymptomRateLimit, netcheck.Overloaded: SymptomOverloaded,
	netcheck.ServerError: SymptomOverloaded, netcheck.TCPRefused: SymptomConnection, netcheck.DNSFailed: SymptomConnection,
	netcheck.ProxyAuthRequired: SymptomConnection, netcheck.ProxyRefused: SymptomConnection, netcheck.ProxySocksUnsupported: SymptomConnection,
	netcheck.TLSExpired: SymptomCertificate, netcheck.TLSHostnameMismatch: SymptomCertificate, netcheck.TLSUntrusted: SymptomCertificate,
	netcheck.TLSHandshakeFailed: SymptomCertificate, netcheck.TLSReset: SymptomConnection, netcheck.BaseURLScheme: SymptomNotFound,
	netcheck.TCPTimeout: SymptomTimeout, netcheck.NoResponse: SymptomTimeout, netcheck.StreamEmpty: SymptomEmpty,
	netcheck.StreamTruncated: SymptomEmpty, netcheck.NotAnthropicAPI: SymptomEmpty,
}

// Symptom is the wizard's symptom for the error: the one Claude Code's words
// match (MatchSymptom, as if the person had pasted them), else its code's.
func (e ClaudeError) Symptom() Symptom {
	if s, ok := MatchSymptom(e.Message); ok {
		return s
	}
	if s, ok := symptomOfCode[e.Code]; ok {
		return s
	}
	return SymptomOther
}

// Finding is the error as a finding of the catalogue: its code's summary and fix.
func (e ClaudeError) Finding() netcheck.Finding {
	c, ok := netcheck.Lookup(e.Code)
	if !ok {
		c, _ = netcheck.Lookup(netcheck.UnexpectedResponse)
	}
	return netcheck.Finding{Code: e.Code, Severity: c.Severity, Check: CheckClaudeCodeErrors, Summary: c.Summary, Fix: c.Fix}
}

// CheckClaudeCodeErrors names where a finding of Claude Code's own errors comes from.
const CheckClaudeCodeErrors netcheck.CheckID = "claude_code_errors"

// Short is the error in a few words, for a tray line: "529 Overloaded",
// "401 Unauthorized", "ECONNREFUSED".
func (e ClaudeError) Short() string {
	switch {
	case e.Status == 529:
		return "529 Overloaded"
	case e.Status != 0:
		if t := http.StatusText(e.Status); t != "" {
			return strconv.Itoa(e.Status) + " " + t
		}
		return strconv.Itoa(e.Status) + " " + codeWords(e.Code)
	case e.Network != "":
		return e.Network
	}
	return codeWords(e.Code)
}

// codeWords is a code as words: NO_RESPONSE → No response.
func codeWords(c netcheck.Code) string {
	s := strings.ToLower(strings.ReplaceAll(string(c), "_", " "))
	if s == "" {
		return ""
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Headline is the error as the wizard's first screen and the window say it:
// "Claude Code failed at 14:02 in ~/src/app: API Error: 529 …".
func (e ClaudeError) Headline(tr i18n.Printer, now time.Time) string {
	when := e.Time.In(now.Location())
	at := when.Format("15:04")
	if y, m, d := when.Date(); y != now.Year() || m != now.Month() || d != now.Day() {
		at = when.Format("Jan 2 15:04")
	}
	project, msg := ShortPath(e.Project), oneLine(e.Message, 160)
	if e.Abandoned {
		return tr.X("ccerrors.headline_abandoned", "Claude Code stopped while retrying at {{.Time}} in {{.Project}}: {{.Message}}", "Time", at, "Project", project, "Message", msg)
	}
	if e.Recovered {
		return tr.X("ccerrors.headline_recovered", "Claude Code met an error at {{.Time}} in {{.Project}} (it worked on retry): {{.Message}}", "Time", at, "Project", project, "Message", msg)
	}
	return tr.X("ccerrors.headline", "Claude Code failed at {{.Time}} in {{.Project}}: {{.Message}}", "Time", at, "Project", project, "Message", msg)
}

// ShortPath writes a folder under the home folder as ~/….
func ShortPath(p string) string {
	home, err := os.UserHomeDir()
	if err != nil || home == "" || p == "" {
		return p
	}
	if p == home {
		return "~"
	}
	if rest, ok := strings.CutPrefix(p, home+string(filepath.Separator)); ok {
		return "~" + string(filepath.Separator) + rest
	}
	return p
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// CodeCount is how many failed requests one code had in a window, and the newest.
type CodeCount struct {
	Code  netcheck.Code `json:"code"`
	Count int           `json:"count"`
	Last  time.Time     `json:"last"`
}

// Summarize counts errors by code, the most frequent first (then the newest).
func Summarize(errs []ClaudeError) []CodeCount {
	by := map[netcheck.Code]*CodeCount{}
	for _, e := range errs {
		c := by[e.Code]
		if c == nil {
			c = &CodeCount{Code: e.Code}
			by[e.Code] = c
		}
		c.Count++
		if e.Time.After(c.Last) {
			c.Last = e.Time
		}
	}
	out := make([]CodeCount, 0, len(by))
	for _, c := range by {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b CodeCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), b.Last.Compare(a.Last), strings.Compare(string(a.Code), string(b.Code)))
	})
	return out
}

// ErrTranscriptsOff is returned when the preferences turn the reading of
// Claude Code's transcripts off (prefs.NoTranscripts).
var ErrTranscriptsOff = errors.New("reading Claude Code's transcripts is turned off in the preferences (no_transcripts)")

// TranscriptsAllowed reports whether the preferences let Claude Medic read
// Claude Code's transcripts.
func TranscriptsAllowed() bool {
	p, _ := prefs.Load()
	return !p.NoTranscripts
}

// ClaudeProjectsDir is where Claude Code on this machine keeps its
// transcripts: projects/ under CLAUDE_CONFIG_DIR or ~/.claude.
func ClaudeProjectsDir() (string, error) {
	dir, err := claudecfg.Dir()
	if err != nil {
		return "", err
	}
	return claudetranscript.ProjectsDir(dir), nil
}

// ClaudeErrorQuery is what ReadClaudeErrors reads.
type ClaudeErrorQuery struct {
	Since   time.Time
	Project string // only the errors of Claude Code run in this folder or below; "" for all
	Dir     string // the projects folder; "" means ClaudeProjectsDir
}

// ReadClaudeErrors reads the errors Claude Code met since q.Since, newest
// first. It opens nothing when the preferences turn the reading off
// (ErrTranscriptsOff).
func ReadClaudeErrors(ctx context.Context, q ClaudeErrorQuery) ([]ClaudeError, error) {
	if !TranscriptsAllowed() {
		return nil, ErrTranscriptsOff
	}
	dir := q.Dir
	if dir == "" {
		d, err := ClaudeProjectsDir()
		if err != nil {
			return nil, err
		}
		dir = d
	}
	b, err := claudetranscript.NewReader(dir).Scan(ctx, q.Since)
	if err != nil {
		return nil, err
	}
	out := make([]ClaudeError, 0, len(b.Failures))
	for _, f := range b.Failures {
		e := ClaudeErrorOf(f)
		if q.Project != "" && !InProject(e, f.Project, q.Project) {
			continue
		}
		out = append(out, e)
	}
	SortClaudeErrors(out)
	return out, nil
}

// SortClaudeErrors puts the newest first.
func SortClaudeErrors(errs []ClaudeError) {
	slices.SortStableFunc(errs, func(a, b ClaudeError) int {
		return cmp.Or(b.Time.Compare(a.Time), strings.Compare(a.ID, b.ID))
	})
}

// InProject reports whether e happened in dir or a folder below it; folder is
// the projects/ subfolder the transcript is in (Claude Code's cwd with every
// character but letters and digits as '-'), for a row without a cwd.
func InProject(e ClaudeError, folder, dir string) bool {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	dir = filepath.Clean(dir)
	if e.Project == dir || strings.HasPrefix(e.Project, dir+string(filepath.Separator)) {
		return true
	}
	return folder != "" && (folder == ProjectFolder(dir) || strings.HasPrefix(folder, ProjectFolder(dir)+"-"))
}

// ProjectFolder is the projects/ subfolder Claude Code writes a folder's
// transcripts to: every character but ASCII letters and digits as '-'.
func ProjectFolder(dir string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return r
		}
		return '-'
	}, dir)
}

// NewestClaudeError is the newest error Claude Code met within the window
// (the failed ones before the recovered), and whether there is one.
func NewestClaudeError(ctx context.Context, window time.Duration) (ClaudeError, bool, error) {
	errs, err := ReadClaudeErrors(ctx, ClaudeErrorQuery{Since: time.Now().Add(-window)})
	if err != nil || len(errs) == 0 {
		return ClaudeError{}, false, err
	}
	for _, e := range errs {
		if !e.Recovered {
			return e, true, nil
		}
	}
	return errs[0], true, nil
}

// RecentClaudeErrors is Claude Code's own errors of a window as `check
// --json` and the status page carry them: the count by code and the newest.
type RecentClaudeErrors struct {
	Since  time.Time    `json:"since"`
	Count  int          `json:"count"`
	ByCode []CodeCount  `json:"by_code"`
	Newest *ClaudeError `json:"newest"`
	Off    bool         `json:"off,omitempty"` // the preferences turn the reading off
}

// RecentWindow is how far back `check` and the status page look.
const RecentWindow = 24 * time.Hour

// RecentErrors reads the window's errors for check and the status page; nil
// on an error reading them (a report does not fail for it).
func RecentErrors(ctx context.Context, window time.Duration) *RecentClaudeErrors {
	since := time.Now().Add(-window).UTC().Truncate(time.Second)
	errs, err := ReadClaudeErrors(ctx, ClaudeErrorQuery{Since: since})
	if errors.Is(err, ErrTranscriptsOff) {
		return &RecentClaudeErrors{Since: since, ByCode: []CodeCount{}, Off: true}
	}
	if err != nil {
		return nil
	}
	r := &RecentClaudeErrors{Since: since, Count: len(errs), ByCode: Summarize(errs)}
	if len(errs) > 0 {
		r.Newest = &errs[0]
	}
	return r
}

// claudeErrorJSON is a row in the JSON of `errors`, `check` and `doctor --last`.
type claudeErrorJSON struct {
	Time       time.Time     `json:"time"`
	Project    string        `json:"project"`
	Session    string        `json:"session"`
	Version    string        `json:"claude_code_version"`
	Status     *int          `json:"status"`
	Code       netcheck.Code `json:"code"`
	Message    string        `json:"message"`
	RequestID  *string       `json:"request_id"`
	Attempt    int           `json:"attempt"`
	MaxRetries int           `json:"max_retries"`
	Network    *string       `json:"network"`
	Recovered  bool          `json:"recovered"`
	Abandoned  bool          `json:"abandoned"` // Claude Code stopped while retrying
}

// MarshalJSON writes the row of `errors --json`: status null for a network
// error, network null when an answer came.
func (e ClaudeError) MarshalJSON() ([]byte, error) {
	j := claudeErrorJSON{Time: e.Time.UTC(), Project: e.Project, Session: e.Session, Version: e.Version, Code: e.Code,
		Message: e.Message, Attempt: e.Attempt, MaxRetries: e.MaxRetries, Recovered: e.Recovered, Abandoned: e.Abandoned}
	if e.Status != 0 {
		s := e.Status
		j.Status = &s
	}
	if e.RequestID != "" {
		s := e.RequestID
		j.RequestID = &s
	}
	if e.Network != "" {
		s := e.Network
		j.Network = &s
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a row MarshalJSON wrote (the tray's state file).
func (e *ClaudeError) UnmarshalJSON(b []byte) error {
	var j claudeErrorJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*e = ClaudeError{Time: j.Time, Project: j.Project, Session: j.Session, Version: j.Version, Code: j.Code,
		Message: j.Message, Attempt: j.Attempt, MaxRetries: j.MaxRetries, Recovered: j.Recovered, Abandoned: j.Abandoned}
	if j.Status != nil {
		e.Status = *j.Status
	}
	if j.RequestID != nil {
		e.RequestID = *j.RequestID
	}
	if j.Network != nil {
		e.Network = *j.Network
	}
	return nil
}

// codeText is a code's summary, as a finding says it.
func codeText(c netcheck.Code) claudesettings.Text {
	if e, ok := netcheck.Lookup(c); ok {
		return e.Summary
	}
	return claudesettings.Text{EN: string(c), ZH: string(c)}
}

// CodeSummary is a code's one-line meaning in tr's language.
func CodeSummary(tr i18n.Printer, c netcheck.Code) string { return codeText(c).In(tr.Lang()) }
