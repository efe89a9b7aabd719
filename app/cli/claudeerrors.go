package cli

// Claude Code's own errors in the other commands: `doctor --last` starts from
// the newest, `check` shows the last 24 hours beside the probe.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"claudemedic/doctor"
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

// lastSymptom is `doctor --last`: the newest error Claude Code met in the
// last 24 hours, said as Claude Code said it, and the symptom it matches.
func (s *doctorSession) lastSymptom() (doctor.Symptom, bool, error) {
	e, tr := s.e, s.e.tr
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	last, ok, err := doctor.NewestClaudeError(ctx, doctor.RecentWindow)
	switch {
	case errors.Is(err, doctor.ErrTranscriptsOff):
		return "", false, errors.New(tr.X("errors.off", "reading Claude Code's transcripts is turned off in Claude Medic's preferences (no_transcripts): nothing was read"))
	case err != nil:
		return "", false, fmt.Errorf("%s: %w", tr.X("errors.reading", "reading Claude Code's transcripts"), err)
	case !ok:
		return "", false, &hinted{errors.New(tr.X("doctor.last_none", "Claude Code met no API error in the last 24 hours: nothing to start from")),
			[]string{tr.X("doctor.last_none_hint", "Give the message you saw instead: claudemedic doctor --symptom TEXT")}}
	}
	s.out.ClaudeCodeError = &last
	sym := last.Symptom()
	if !s.o.json {
		w := e.Stdout
		fmt.Fprintln(w, useColor(w).Bold(last.Headline(tr, time.Now())))
		var about []string
		if last.RequestID != "" {
			about = append(about, "request-id "+last.RequestID)
		}
		about = append(about, tr.X("errors.tries", "{{.N}} tries", "N", last.Attempt), string(last.Code))
		fmt.Fprintf(w, "  %s\n", useColor(w).Dim(strings.Join(about, " · ")))
		fmt.Fprintln(w, tr.X("wizard.matched", "This looks like: {{.Symptom}}", "Symptom", sym.Label(tr)))
	}
	return sym, true, nil
}

// checkJSON is the report of `check --json` with Claude Code's own recent
// errors added as claude_code.recent_errors (schema 1: an addition only).
func checkJSON(ctx context.Context, r *netcheck.Report) any {
	rec := doctor.RecentErrors(ctx, doctor.RecentWindow)
	b, err := json.Marshal(r)
	if err != nil || rec == nil {
		return r
	}
	top, err := orderedObject(b)
	if err != nil {
		return r
	}
	recent, err := json.Marshal(recentJSON(rec))
	if err != nil {
		return r
	}
	cc := orderedFields{}
	if i := top.index("claude_code"); i >= 0 {
		if cc, err = orderedObject(top[i].v); err != nil {
			return r
		}
	}
	cc = cc.set("recent_errors", recent)
	ccRaw, err := cc.MarshalJSON()
	if err != nil {
		return r
	}
	return top.set("claude_code", ccRaw)
}

// recentErrorsJSON is claude_code.recent_errors.
type recentErrorsJSON struct {
	Since  time.Time           `json:"since"`
	Count  int                 `json:"count"`
	ByCode []doctor.CodeCount  `json:"by_code"`
	Newest *doctor.ClaudeError `json:"newest"`
	Off    bool                `json:"off,omitempty"`
}

func recentJSON(r *doctor.RecentClaudeErrors) recentErrorsJSON {
	if r.ByCode == nil {
		r.ByCode = []doctor.CodeCount{}
	}
	return recentErrorsJSON{Since: r.Since, Count: r.Count, ByCode: r.ByCode, Newest: r.Newest, Off: r.Off}
}

// writeRecentErrors is check's text line about Claude Code's own errors.
func writeRecentErrors(ctx context.Context, w io.Writer, tr i18n.Printer) {
	rec := doctor.RecentErrors(ctx, doctor.RecentWindow)
	if rec == nil || rec.Off {
		return
	}
	if rec.Count == 0 {
		fmt.Fprintf(w, "\n%s\n", tr.X("check.cc_errors_none", "Claude Code's own requests: no error in the last 24 hours."))
		return
	}
	var parts []string
	for _, c := range rec.ByCode {
		parts = append(parts, fmt.Sprintf("%s ×%d", c.Code, c.Count))
	}
	fmt.Fprintf(w, "\n%s\n", tr.X("check.cc_errors", "Claude Code's own requests: {{.N}} failed in the last 24 hours ({{.Codes}}).", "N", rec.Count, "Codes", strings.Join(parts, ", ")))
	if n := rec.Newest; n != nil {
		fmt.Fprintf(w, "  %s\n  %s\n", n.Headline(tr, time.Now()), tr.X("errors.list_hint", "See them with: claudemedic errors; diagnose the newest with: claudemedic doctor --last"))
	}
}

// orderedFields is a JSON object whose keys keep their order.
type orderedFields []orderedField

type orderedField struct {
	k string
	v json.RawMessage
}

func orderedObject(b []byte) (orderedFields, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("not a JSON object")
	}
	var out orderedFields
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, err
		}
		k, _ := t.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, orderedField{k, v})
	}
	return out, nil
}

func (o orderedFields) index(k string) int {
	for i, f := range o {
		if f.k == k {
			return i
		}
	}
	return -1
}

func (o orderedFields) set(k string, v json.RawMessage) orderedFields {
	if i := o.index(k); i >= 0 {
		o[i].v = v
		return o
	}
	return append(o, orderedField{k, v})
}

// MarshalJSON writes the object with its keys in order.
func (o orderedFields) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(f.k)
		b.Write(k)
		b.WriteByte(':')
		b.Write(f.v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}
