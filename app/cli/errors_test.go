package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"claudemedic/doctor/doctortest"
	"claudemedic/internal/exitcode"
	"claudemedic/internal/prefs"
	"claudemedic/netcheck/netchecktest"
)

type errorsResult struct {
	Schema int       `json:"schema"`
	Since  time.Time `json:"since"`
	Errors []struct {
		Time       time.Time `json:"time"`
		Project    string    `json:"project"`
		Session    string    `json:"session"`
		Version    string    `json:"claude_code_version"`
		Status     *int      `json:"status"`
		Code       string    `json:"code"`
		Message    string    `json:"message"`
		RequestID  *string   `json:"request_id"`
		Attempt    int       `json:"attempt"`
		MaxRetries int       `json:"max_retries"`
		Network    *string   `json:"network"`
		Recovered  bool      `json:"recovered"`
		Abandoned  *bool     `json:"abandoned"`
	} `json:"errors"`
	Summary []struct {
		Code  string    `json:"code"`
		Count int       `json:"count"`
		Last  time.Time `json:"last"`
	} `json:"summary"`
}

// transcripts writes the real Claude Code's transcripts of a 401, a 529 and
// a refused port (and an older 529 out of an hour's window).
func transcripts(t *testing.T, home string) {
	cfg := filepath.Join(home, ".claude")
	now := time.Now()
	doctortest.Transcript(t, cfg, doctortest.Transcript401, "/src/app", "", now.Add(-40*time.Minute))
	doctortest.Transcript(t, cfg, doctortest.Transcript529, "/src/app", "", now.Add(-20*time.Minute))
	doctortest.Transcript(t, cfg, doctortest.TranscriptRefused, "/src/other", "", now.Add(-5*time.Minute))
	doctortest.Transcript(t, cfg, doctortest.Transcript529, "/src/old", "11111111-2222-4333-8444-555555555555", now.Add(-5*time.Hour))
}

func TestErrorsCommand(t *testing.T) {
	home := isolate(t)
	code, out, errOut := runCLI(t, "", "errors", "--json")
	if code != exitcode.OK || !strings.Contains(out, `"errors": []`) {
		t.Errorf("no transcripts: exit %d\n%s%s", code, out, errOut)
	}
	transcripts(t, home)

	code, out, errOut = runCLI(t, "", "errors", "--since", "1h", "--json")
	var r errorsResult
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != exitcode.Failed {
		t.Fatalf("exit %d, %v\n%s%s", code, err, out, errOut)
	}
	want := []struct{ code, project string }{{"TCP_REFUSED", "/src/other"}, {"OVERLOADED", "/src/app"}, {"AUTH_INVALID", "/src/app"}}
	if r.Schema != 1 || len(r.Errors) != len(want) || time.Since(r.Since) < 59*time.Minute {
		t.Fatalf("%+v", r)
	}
	for i, w := range want {
		e := r.Errors[i]
		if e.Code != w.code || e.Project != w.project || e.Version != "2.1.332" || e.Attempt != 3 || e.MaxRetries != 2 || e.Recovered ||
			e.Abandoned == nil || *e.Abandoned {
			t.Errorf("row %d = %+v; want %+v", i, e, w)
		}
		network := e.Status == nil
		if network != (e.Network != nil) || network != (e.RequestID == nil) {
			t.Errorf("row %d: status %v, network %v, request id %v", i, e.Status, e.Network, e.RequestID)
		}
	}
	if *r.Errors[0].Network != "ECONNREFUSED" || *r.Errors[1].Status != 529 || !strings.HasPrefix(*r.Errors[2].RequestID, "req_") {
		t.Errorf("%+v", r.Errors)
	}
	if len(r.Summary) != 3 || r.Summary[0].Count != 1 {
		t.Errorf("summary %+v", r.Summary)
	}

	code, out, _ = runCLI(t, "", "errors", "--since", "2d", "--project", "/src/app")
	if code != exitcode.Failed || !strings.Contains(out, "OVERLOADED") || strings.Contains(out, "TCP_REFUSED") || strings.Count(out, "request-id") != 2 ||
		!strings.Contains(out, "claudemedic doctor --last") {
		t.Errorf("text, --project: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "errors", "--lang", "zh", "--since", "10m")
	if code != exitcode.Failed || !strings.Contains(out, "Claude Code 自己的 API 错误") {
		t.Errorf("Chinese: exit %d\n%s", code, out)
	}
	code, out, _ = runCLI(t, "", "errors", "--since", "1m")
	if code != exitcode.OK || !strings.Contains(out, "no API error") {
		t.Errorf("an empty window: exit %d\n%s", code, out)
	}
	for _, args := range [][]string{{"--since", "x"}, {"--since", "-1h"}, {"--since", "0"}, {"extra"}, {"--nope"}} {
		if code, _, _ := runCLI(t, "", append([]string{"errors"}, args...)...); code != exitcode.Usage {
			t.Errorf("errors %v: exit %d; want 64", args, code)
		}
	}
	if err := prefs.Save(prefs.Prefs{CheckInterval: prefs.DefaultCheckInterval, NoTranscripts: true}); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI(t, "", "errors"); code != exitcode.Failed || out != "" || !strings.Contains(errOut, "no_transcripts") {
		t.Errorf("reading off: exit %d\n%s%s", code, out, errOut)
	}
}

// TestDoctorLast starts from the newest error: the refused port, the
// connection symptom's checks, the same JSON as --symptom plus the error.
func TestDoctorLast(t *testing.T) {
	home := isolate(t)
	srv := netchecktest.Start(t, netchecktest.Healthy)
	fakeSettings(t, home, srv)
	if code, _, errOut := runCLI(t, "", "doctor", "--last", "--json"); code != exitcode.Failed || !strings.Contains(errOut, "no API error") {
		t.Errorf("no error yet: exit %d %s", code, errOut)
	}
	transcripts(t, home)
	code, out, errOut := runCLI(t, "", "doctor", "--last", "--json", "--timeout", "3s")
	var r struct {
		doctorResult
		Error *struct {
			Code    string `json:"code"`
			Project string `json:"project"`
		} `json:"claude_code_error"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("exit %d: %v\n%s%s", code, err, out, errOut)
	}
	if r.Symptom != "connection" || !r.Matched || r.Report.Verdict == "" || r.Error == nil || r.Error.Code != "TCP_REFUSED" || r.Error.Project != "/src/other" {
		t.Errorf("%+v %+v", r.doctorResult, r.Error)
	}
	code, out, _ = runCLI(t, "", "doctor", "--last", "--timeout", "3s")
	if !strings.Contains(out, "Claude Code failed at") || !strings.Contains(out, "/src/other") || !strings.Contains(out, "ECONNREFUSED") || !strings.Contains(out, "This looks like") {
		t.Errorf("text: exit %d\n%s", code, out)
	}
}

// TestCheckRecentErrors: check --json gains claude_code.recent_errors, and
// the table a line, with Claude Code's own errors of the last 24 hours.
func TestCheckRecentErrors(t *testing.T) {
	home := isolate(t)
	srv := netchecktest.Start(t, netchecktest.Healthy)
	fakeSettings(t, home, srv)
	transcripts(t, home)
	code, out, errOut := runCLI(t, "", "check", "--json", "--timeout", "3s")
	var r struct {
		Schema     int    `json:"schema"`
		Verdict    string `json:"verdict"`
		ClaudeCode struct {
			Recent struct {
				Count  int `json:"count"`
				ByCode []struct {
					Code  string `json:"code"`
					Count int    `json:"count"`
				} `json:"by_code"`
				Newest struct {
					Code string `json:"code"`
				} `json:"newest"`
			} `json:"recent_errors"`
		} `json:"claude_code"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("exit %d: %v\n%s%s", code, err, out, errOut)
	}
	if r.Schema != 1 || r.Verdict == "" || r.ClaudeCode.Recent.Count != 4 || r.ClaudeCode.Recent.ByCode[0].Code != "OVERLOADED" || r.ClaudeCode.Recent.ByCode[0].Count != 2 ||
		r.ClaudeCode.Recent.Newest.Code != "TCP_REFUSED" {
		t.Errorf("%+v\n%s", r, out)
	}
	if !strings.Contains(out, `"schema": 1,`) || strings.Index(out, `"target"`) > strings.Index(out, `"recent_errors"`) {
		t.Errorf("the report's fields moved:\n%s", out)
	}
	_, out, _ = runCLI(t, "", "check", "--timeout", "3s")
	if !strings.Contains(out, "Claude Code's own requests: 4 failed in the last 24 hours (OVERLOADED ×2") {
		t.Errorf("table:\n%s", out)
	}
}

// TestCLINoCanary feeds transcripts full of canaries in prompts, answers and
// tool output through errors, doctor --last and check: none comes out.
func TestCLINoCanary(t *testing.T) {
	home := isolate(t)
	srv := netchecktest.Start(t, netchecktest.Healthy)
	fakeSettings(t, home, srv)
	doctortest.CanaryTranscript(t, filepath.Join(home, ".claude"), "/src/secret-project", time.Now().Add(-time.Minute))
	var all strings.Builder
	for _, args := range [][]string{
		{"errors"}, {"errors", "--json"}, {"errors", "--lang", "zh"},
		{"doctor", "--last", "--timeout", "3s"}, {"doctor", "--last", "--json", "--timeout", "3s"},
		{"check", "--timeout", "3s"}, {"check", "--json", "--timeout", "3s"},
	} {
		code, out, errOut := runCLI(t, "", args...)
		all.WriteString(out + errOut)
		if args[0] == "errors" && (code != exitcode.Failed || !strings.Contains(out, "OVERLOADED")) {
			t.Errorf("%v: exit %d\n%s%s", args, code, out, errOut)
		}
	}
	for _, c := range doctortest.Canaries {
		if strings.Contains(all.String(), c) {
			t.Errorf("%s came out", c)
		}
	}
	if !strings.Contains(all.String(), "req_canary529") {
		t.Error("the canary transcript's error did not come out at all")
	}
}

// A request Claude Code stopped retrying (killed mid-retry, then resumed with
// a new prompt that was answered): abandoned in the JSON, "stopped while
// retrying" in the text, in English and Chinese; the recovered one is not.
func TestErrorsAbandoned(t *testing.T) {
	home := isolate(t)
	cfg := filepath.Join(home, ".claude")
	now := time.Now()
	doctortest.Transcript(t, cfg, doctortest.TranscriptRecover, "/src/rec", "", now.Add(-20*time.Minute))
	doctortest.Transcript(t, cfg, doctortest.TranscriptKilledHup, "/src/killed", "", now.Add(-10*time.Minute))
	code, out, errOut := runCLI(t, "", "errors", "--since", "1h", "--json")
	var r errorsResult
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != exitcode.Failed {
		t.Fatalf("exit %d, %v\n%s%s", code, err, out, errOut)
	}
	want := []struct {
		project              string
		recovered, abandoned bool
		attempt              int
	}{{"/src/killed", false, true, 3}, {"/src/rec", true, false, 1}}
	if len(r.Errors) != len(want) {
		t.Fatalf("%+v", r.Errors)
	}
	for i, w := range want {
		e := r.Errors[i]
		if e.Project != w.project || e.Recovered != w.recovered || e.Abandoned == nil || *e.Abandoned != w.abandoned ||
			e.Attempt != w.attempt || e.Code != "OVERLOADED" || *e.Status != 529 {
			t.Errorf("row %d = %+v; want %+v", i, e, w)
		}
	}
	for _, tt := range []struct{ lang, stopped, recovered string }{
		{"en", "3 failed tries, then Claude Code stopped while retrying", "1 failed tries, then answered"},
		{"zh", "失败 3 次后 Claude Code 在重试途中停止", "失败 1 次后得到回应"},
	} {
		code, out, _ := runCLI(t, "", "errors", "--since", "1h", "--lang", tt.lang)
		if code != exitcode.Failed || !strings.Contains(out, tt.stopped) || !strings.Contains(out, tt.recovered) || strings.Count(out, tt.stopped) != 1 {
			t.Errorf("%s: exit %d\n%s", tt.lang, code, out)
		}
	}
}
