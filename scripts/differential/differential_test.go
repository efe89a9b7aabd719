//go:build differential

// Package differential compares, on generated set-ups, what the real Claude
// Code does with what `claudemedic check` says. Each set-up moves a few of
// the dimensions in setup.go off their healthy default; one configurable
// fake (fake.go) serves it on loopback. They agree when Claude Code answers
// (exit 0, prints the fake's "Hi") exactly when Claude Medic's verdict is
// not down. Opt-in, offline, never in CI: run scripts/differential.sh.
package differential

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// result is one set-up's outcome, one line of the JSONL file.
type result struct {
	Claude  string  `json:"claude"` // Claude Code's version
	Seed    uint64  `json:"seed"`
	Index   int     `json:"index"`
	Setup   Setup   `json:"setup"`
	CCExit  int     `json:"cc_exit"` // -1: hit the wall clock cap
	CCSecs  float64 `json:"cc_seconds"`
	CCLine  string  `json:"cc_line"`
	CCWorks bool    `json:"cc_works"`
	CCOut   string  `json:"cc_out"` // Claude Code's own words, cut at 800 characters
	CCHits  []hit   `json:"cc_hits"`

	Verdict    string   `json:"verdict"`
	Codes      []string `json:"codes"`
	MedicError string   `json:"medic_error,omitempty"`
	MedicSecs  float64  `json:"medic_seconds"`
	MedicHits  []hit    `json:"medic_hits"`

	StreamVerdict string   `json:"stream_verdict,omitempty"` // with --stream
	StreamCodes   []string `json:"stream_codes,omitempty"`
	StreamHits    []hit    `json:"stream_hits,omitempty"`

	Agree       bool `json:"agree"`
	StreamAgree bool `json:"stream_agree"`
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return def
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(strings.ToValidUTF8(string(b), "?"))
	s, _, _ = strings.Cut(s, "\n")
	if utf8.RuneCountInString(s) > 160 {
		s = string([]rune(s)[:159]) + "…"
	}
	return s
}

// run runs one command for at most limit.
func run(limit time.Duration, name string, args, environ []string, dir string) (int, []byte, time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env, cmd.Dir = environ, dir
	cmd.WaitDelay = 2 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	t0 := time.Now()
	err := cmd.Run()
	code := 0
	if ctx.Err() != nil {
		code = -1
	} else if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		code = -2
		out.WriteString(err.Error())
	}
	return code, out.Bytes(), time.Since(t0)
}

type medicReport struct {
	Verdict  string `json:"verdict"`
	Findings []struct {
		Code string `json:"code"`
	} `json:"findings"`
}

func runMedic(medic string, extra []string, environ []string, dir string) (string, []string, string, time.Duration) {
	_, out, took := run(90*time.Second, medic, append([]string{"check", "--json"}, extra...), environ, dir)
	var rep medicReport
	if err := json.Unmarshal(out, &rep); err != nil || rep.Verdict == "" {
		return "", nil, firstLine(out), took
	}
	var codes []string
	for _, f := range rep.Findings {
		codes = append(codes, f.Code)
	}
	return rep.Verdict, codes, "", took
}

// TestDifferential generates DIFF_COUNT set-ups from DIFF_SEED, runs both
// sides on each (DIFF_PAR at once) and writes the report to DIFF_OUT and
// every result to DIFF_JSONL (results already there for the same Claude
// Code, seed and index are kept, not run again).
func TestDifferential(t *testing.T) {
	claude, medic := os.Getenv("CLAUDE"), os.Getenv("CLAUDEMEDIC")
	if claude == "" || medic == "" {
		t.Skip("set CLAUDE and CLAUDEMEDIC (scripts/differential.sh does)")
	}
	seed := uint64(envInt("DIFF_SEED", 1))
	count := envInt("DIFF_COUNT", 500)
	par := envInt("DIFF_PAR", 4)
	capCC := time.Duration(envInt("DIFF_CAP", 25)) * time.Second
	withStream := os.Getenv("DIFF_STREAM") != "0"
	f, err := parseFilter(os.Getenv("DIFF_ONLY"))
	if err != nil {
		t.Fatal(err)
	}
	_, vout, _ := run(10*time.Second, claude, []string{"--version"}, os.Environ(), "")
	version := strings.Fields(firstLine(vout) + " ?")[0]

	p, err := newPKI()
	if err != nil {
		t.Fatal(err)
	}
	jsonl := os.Getenv("DIFF_JSONL")
	done := map[int]result{}
	if jsonl != "" {
		if fh, err := os.Open(jsonl); err == nil {
			sc := bufio.NewScanner(fh)
			sc.Buffer(make([]byte, 1<<20), 1<<24)
			for sc.Scan() {
				var r result
				if json.Unmarshal(sc.Bytes(), &r) == nil && r.Claude == version && r.Seed == seed {
					done[r.Index] = r
				}
			}
			fh.Close()
		}
	}
	var out *os.File
	if jsonl != "" {
		if out, err = os.OpenFile(jsonl, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err != nil {
			t.Fatal(err)
		}
		defer out.Close()
	}

	var todo []int
	var results []result
	for i := 0; i < count; i++ {
		if !f.keep(i, Generate(seed, i)) {
			continue
		}
		if r, ok := done[i]; ok {
			results = append(results, r)
			continue
		}
		todo = append(todo, i)
	}
	t.Logf("Claude Code %s, seed %d: %d set-ups to run, %d from %s", version, seed, len(todo), len(results), jsonl)

	var mu sync.Mutex
	jobs := make(chan int)
	var wg sync.WaitGroup
	start := time.Now()
	for range par {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				r := runOne(t, p, claude, medic, version, seed, i, capCC, withStream)
				mu.Lock()
				results = append(results, r)
				if out != nil {
					b, _ := json.Marshal(r)
					out.Write(append(b, '\n'))
				}
				n := len(results)
				mu.Unlock()
				mark := "agree"
				if !r.Agree {
					mark = "DISAGREE"
				}
				fmt.Fprintf(os.Stderr, "[%d/%d %s] #%d %s: claude %d %q; medic %s %v\n", n, len(todo)+len(done), time.Since(start).Round(time.Second), i, mark, r.CCExit, r.CCLine, r.Verdict, r.Codes)
			}
		}()
	}
	for _, i := range todo {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	sort.Slice(results, func(a, b int) bool { return results[a].Index < results[b].Index })
	md := report(version, seed, results, withStream)
	if rev := os.Getenv("DIFF_MEDIC"); rev != "" {
		md = strings.Replace(md, "\n\n", fmt.Sprintf("\n\nClaude Medic at %s; Claude Code's wall clock cap %s; CLAUDE_CODE_MAX_RETRIES as each set-up says (both sides).\n", rev, capCC), 1)
	}
	if path := os.Getenv("DIFF_OUT"); path != "" {
		if err := os.WriteFile(path, []byte(md), 0o644); err != nil {
			t.Error(err)
		}
	}
	t.Log("\n" + md)
}

func runOne(t *testing.T, p *pki, claude, medic, version string, seed uint64, i int, capCC time.Duration, withStream bool) result {
	s := Generate(seed, i)
	r := result{Claude: version, Seed: seed, Index: i, Setup: s}
	fake, err := StartFake(p, s)
	if err != nil {
		r.MedicError = "fake: " + err.Error()
		return r
	}
	defer fake.Close()
	home, err := os.MkdirTemp("", "diff-home-")
	if err != nil {
		r.MedicError = err.Error()
		return r
	}
	defer os.RemoveAll(home)
	work := filepath.Join(home, "work")
	os.MkdirAll(work, 0o700)
	w, err := fake.environ(home, p)
	if err != nil {
		r.MedicError = "environ: " + err.Error()
		return r
	}

	fake.Phase("claude")
	code, out, took := run(capCC, claude, []string{"-p", "hi"}, w.shell, work)
	r.CCExit, r.CCSecs, r.CCLine = code, took.Seconds(), firstLine(out)
	r.CCWorks = code == 0 && r.CCLine == "Hi"
	r.CCOut = strings.TrimSpace(strings.ToValidUTF8(string(out), "?"))
	if utf8.RuneCountInString(r.CCOut) > 800 {
		r.CCOut = string([]rune(r.CCOut)[:799]) + "…"
	}
	if code == -1 && r.CCLine == "" {
		r.CCLine = fmt.Sprintf("(nothing in %.0f s)", capCC.Seconds())
	}
	time.Sleep(100 * time.Millisecond) // let the fake record the last request
	r.CCHits = fake.Hits("claude")

	fake.Phase("medic")
	v, codes, merr, mt := runMedic(medic, nil, w.shell, work)
	r.Verdict, r.Codes, r.MedicError, r.MedicSecs = v, codes, merr, mt.Seconds()
	time.Sleep(50 * time.Millisecond)
	r.MedicHits = fake.Hits("medic")
	r.Agree = r.MedicError == "" && r.CCWorks == (v != "down")
	if withStream {
		fake.Phase("medic-stream")
		v, codes, merr, _ := runMedic(medic, []string{"--stream"}, w.shell, work)
		r.StreamVerdict, r.StreamCodes = v, codes
		if merr != "" {
			r.StreamVerdict = "error: " + merr
		}
		r.StreamAgree = merr == "" && r.CCWorks == (v != "down")
		time.Sleep(50 * time.Millisecond)
		r.StreamHits = fake.Hits("medic-stream")
	}
	return r
}

// hitsSummary says what a side sent: "POST /v1/messages 401 ×2, …".
func hitsSummary(hs []hit) string {
	var parts []string
	var last string
	n := 0
	flush := func() {
		if n > 1 {
			parts = append(parts, fmt.Sprintf("%s ×%d", last, n))
		} else if n == 1 {
			parts = append(parts, last)
		}
	}
	for _, h := range hs {
		one := h.Method + " " + h.Path + " " + strconv.Itoa(h.Status)
		if h.Stream {
			one += " (stream)"
		}
		if h.System {
			one += " (system role)"
		}
		if h.Note != "" && h.Note != "proxy" {
			one += " (" + h.Note + ")"
		}
		if one == last {
			n++
			continue
		}
		flush()
		last, n = one, 1
	}
	flush()
	if len(parts) == 0 {
		return "nothing"
	}
	return strings.Join(parts, ", ")
}

func md(s string) string { return strings.ReplaceAll(strings.ReplaceAll(s, "|", "\\|"), "\n", " ") }

// report is the Markdown report: the figures, the table by dimension, the
// disagreements.
func report(version string, seed uint64, rs []result, withStream bool) string {
	var b strings.Builder
	agree, sagree, works, down := 0, 0, 0, 0
	for _, r := range rs {
		if r.Agree {
			agree++
		}
		if r.StreamAgree {
			sagree++
		}
		if r.CCWorks {
			works++
		}
		if r.Verdict == "down" {
			down++
		}
	}
	pct := func(a, n int) string {
		if n == 0 {
			return "-"
		}
		return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(n))
	}
	fmt.Fprintf(&b, "# Differential: Claude Code %s against claudemedic check\n\n", version)
	fmt.Fprintf(&b, "Seed %d, %d set-ups. Claude Code answered in %d; Claude Medic said down in %d.\n\n", seed, len(rs), works, down)
	fmt.Fprintf(&b, "**Agreement: %d of %d (%s)** (agree: Claude Code answers exactly when the verdict is not down).\n", agree, len(rs), pct(agree, len(rs)))
	if withStream {
		fmt.Fprintf(&b, "With `--stream`: %d of %d (%s).\n", sagree, len(rs), pct(sagree, len(rs)))
	}
	// Kinds of disagreement.
	var ccWorksMedicDown, ccFailsMedicUp, medicErr int
	for _, r := range rs {
		switch {
		case r.Agree:
		case r.MedicError != "":
			medicErr++
		case r.CCWorks:
			ccWorksMedicDown++
		default:
			ccFailsMedicUp++
		}
	}
	fmt.Fprintf(&b, "\nDisagreements: Claude Code fails while Claude Medic is not down (missed faults): %d; Claude Code answers while Claude Medic says down (false alarms): %d; Claude Medic printed no report: %d.\n", ccFailsMedicUp, ccWorksMedicDown, medicErr)

	fmt.Fprintf(&b, "\n## By dimension\n\n| dimension | value | set-ups | agree | disagree | missed | false alarm |")
	if withStream {
		b.WriteString(" agree with --stream |")
	}
	b.WriteString("\n|---|---|---|---|---|---|---|")
	if withStream {
		b.WriteString("---|")
	}
	b.WriteString("\n")
	for _, d := range dimensions {
		for _, v := range d.values {
			n, a, miss, fa, sa := 0, 0, 0, 0, 0
			for _, r := range rs {
				if r.Setup[d.name] != v {
					continue
				}
				n++
				if r.Agree {
					a++
				} else if r.MedicError == "" && r.CCWorks {
					fa++
				} else if r.MedicError == "" {
					miss++
				}
				if r.StreamAgree {
					sa++
				}
			}
			if n == 0 {
				continue
			}
			fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %d |", d.name, v, n, a, n-a, miss, fa)
			if withStream {
				fmt.Fprintf(&b, " %d |", sa)
			}
			b.WriteString("\n")
		}
	}
	fmt.Fprintf(&b, "\n## Disagreements\n\n| # | set-up | Claude Code (exit, s) | Claude Code's first line | verdict | codes | --stream | Claude Code sent | Claude Medic sent |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, r := range rs {
		if r.Agree {
			continue
		}
		exit := strconv.Itoa(r.CCExit)
		if r.CCExit == -1 {
			exit = "cap"
		}
		verdict := r.Verdict
		if r.MedicError != "" {
			verdict = "error: " + r.MedicError
		}
		fmt.Fprintf(&b, "| %d | %s | %s, %.0f | %s | %s | %s | %s %s | %s | %s |\n", r.Index, md(r.Setup.String()), exit, r.CCSecs,
			md(r.CCLine), md(verdict), strings.Join(r.Codes, " "), r.StreamVerdict, strings.Join(r.StreamCodes, " "),
			md(hitsSummary(r.CCHits)), md(hitsSummary(r.MedicHits)))
	}
	return b.String()
}
