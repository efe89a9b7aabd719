package doctortest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

// Fixtures of claudetranscript/testdata: transcripts the real Claude Code
// wrote for `claude -p hi` against a fake API (its own texts as placeholders).
const (
	Transcript401     = "e401_332" // 401 invalid x-api-key, 3 tries
	Transcript529     = "e529_332" // 529 Overloaded, 3 tries
	TranscriptRefused = "ref332"   // ECONNREFUSED, 3 tries
	TranscriptRecover = "rec332"   // 529 once, then an answer; then a second turn
	TranscriptOK      = "ok332"    // a healthy answer
	// Killed mid-retry (529s, MAX_RETRIES=5, 3 failed tries), then resumed with
	// -c against a healthy fake: a new prompt and its answer in the same file.
	TranscriptKilledInt = "kill332_int" // by SIGINT (Ctrl-C)
	TranscriptKilledHup = "kill332_hup" // by SIGHUP (the terminal closed)
)

var timestamp = regexp.MustCompile(`"timestamp":"([0-9TZ:.\-]+)"`)

// fixtureDir is claudetranscript/testdata, found from this file.
func fixtureDir(t testing.TB) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("no caller")
	}
	return filepath.Join(filepath.Dir(file), "..", "..", "claudetranscript", "testdata")
}

// ProjectFolder is Claude Code's projects/ subfolder name for a folder.
func ProjectFolder(dir string) string {
	return strings.Map(func(r rune) rune {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return r
		}
		return '-'
	}, dir)
}

// Transcript writes the fixture name into configDir/projects as Claude Code
// run in cwd would, its times moved so that its last entry is at last, and
// returns the file's path. session replaces the fixture's session id when not
// "" (so one fixture can be written twice).
func Transcript(t testing.TB, configDir, name, cwd, session string, last time.Time) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir(t), name+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	s := Retime(string(b), last)
	s = strings.ReplaceAll(s, `"cwd":"/home/user/proj"`, fmt.Sprintf(`"cwd":%q`, cwd))
	orig := regexp.MustCompile(`"sessionId":"([^"]+)"`).FindStringSubmatch(s)
	if session == "" && orig != nil {
		session = orig[1]
	}
	if orig != nil {
		s = strings.ReplaceAll(s, orig[1], session)
	}
	path := filepath.Join(configDir, "projects", ProjectFolder(cwd), session+".jsonl")
	WriteFile(t, path, s)
	return path
}

// Retime moves every timestamp of a transcript by the same amount, so that
// the newest is at last.
func Retime(s string, last time.Time) string {
	var newest time.Time
	for _, m := range timestamp.FindAllStringSubmatch(s, -1) {
		if ts, err := time.Parse(time.RFC3339Nano, m[1]); err == nil && ts.After(newest) {
			newest = ts
		}
	}
	if newest.IsZero() {
		return s
	}
	shift := last.Sub(newest)
	return timestamp.ReplaceAllStringFunc(s, func(m string) string {
		ts, err := time.Parse(time.RFC3339Nano, timestamp.FindStringSubmatch(m)[1])
		if err != nil {
			return m
		}
		return `"timestamp":"` + ts.Add(shift).UTC().Format("2006-01-02T15:04:05.000Z") + `"`
	})
}

// WriteFile writes a file, making its folders.
func WriteFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// Canaries are strings planted in a transcript's prompts, answers, tool input
// and tool output, its queued prompt and its attachments: none may appear in
// anything Claude Medic prints or writes.
var Canaries = []string{
	"CANARY-PROMPT-7f3a", "CANARY-ANSWER-91bc", "CANARY-TOOLIN-55de", "CANARY-TOOLOUT-a0c2",
	"CANARY-QUEUE-3e19", "CANARY-ATTACH-c4d8", "CANARY-LASTPROMPT-6b71", "CANARY-BLOB-2f90",
}

// CanaryTranscript writes a transcript of Claude Code run in cwd in which
// every prompt, answer, tool call and output holds a canary, around a request
// that failed with a 529 (twice, then given up) at last, and another that
// failed with ECONNREFUSED and was answered on retry. It returns its path.
func CanaryTranscript(t testing.TB, configDir, cwd string, last time.Time) string {
	t.Helper()
	session := "c0ffee00-0000-4000-8000-00000000ca11"
	ts := func(d time.Duration) string { return last.Add(-d).UTC().Format("2006-01-02T15:04:05.000Z") }
	c := Canaries
	lines := []string{
		fmt.Sprintf(`{"type":"queue-operation","operation":"enqueue","timestamp":%q,"sessionId":%q,"content":"%s"}`, ts(10*time.Minute), session, c[4]),
		fmt.Sprintf(`{"parentUuid":null,"type":"user","message":{"role":"user","content":"please %s"},"uuid":"u1","timestamp":%q,"cwd":%q,"sessionId":%q,"version":"2.1.332"}`, c[0], ts(10*time.Minute), cwd, session),
		fmt.Sprintf(`{"type":"attachment","attachment":{"type":"text","content":"%s"},"uuid":"at1","timestamp":%q,"cwd":%q,"sessionId":%q,"version":"2.1.332"}`, c[5], ts(10*time.Minute), cwd, session),
		fmt.Sprintf(`{"type":"api-request-blob","hash":"00aa","message":{"role":"user","content":[{"type":"text","text":"%s"}]}}`, c[7]),
		fmt.Sprintf(`{"parentUuid":"u1","type":"system","subtype":"api_error","level":"error","error":{"message":"Connection error.","formatted":"Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)","connection":{"code":"ECONNREFUSED","message":"ECONNREFUSED: Unable to connect.","isSSLError":false},"isNetworkDown":true},"retryInMs":500,"retryAttempt":1,"maxRetries":1,"timestamp":%q,"uuid":"e1","cwd":%q,"sessionId":%q,"version":"2.1.332"}`, ts(9*time.Minute), cwd, session),
		fmt.Sprintf(`{"parentUuid":"e1","type":"assistant","message":{"model":"claude-opus-4-5","role":"assistant","content":[{"type":"text","text":"%s"},{"type":"tool_use","id":"tu1","name":"Bash","input":{"command":"echo %s"}}]},"requestId":"req_ok1","uuid":"a1","timestamp":%q,"cwd":%q,"sessionId":%q,"version":"2.1.332"}`, c[1], c[2], ts(8*time.Minute), cwd, session),
		fmt.Sprintf(`{"parentUuid":"a1","type":"user","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"tu1","content":"%s"}]},"toolUseResult":{"stdout":"%s"},"uuid":"u2","timestamp":%q,"cwd":%q,"sessionId":%q,"version":"2.1.332"}`, c[3], c[3], ts(7*time.Minute), cwd, session),
		fmt.Sprintf(`{"parentUuid":"u2","type":"system","subtype":"api_error","level":"error","error":{"message":"529 {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded %s\"}}","status":529,"requestId":"req_canary529","formatted":"529 Overloaded"},"retryInMs":500,"retryAttempt":1,"maxRetries":1,"timestamp":%q,"uuid":"e2","cwd":%q,"sessionId":%q,"version":"2.1.332"}`, "", ts(2*time.Minute), cwd, session),
		fmt.Sprintf(`{"parentUuid":"e2","type":"assistant","message":{"model":"<synthetic>","role":"assistant","content":[{"type":"text","text":"API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment."}]},"isApiErrorMessage":true,"apiErrorStatus":529,"requestId":"req_canary529","uuid":"a2","timestamp":%q,"cwd":%q,"sessionId":%q,"version":"2.1.332"}`, ts(0), cwd, session),
		fmt.Sprintf(`{"type":"last-prompt","lastPrompt":"%s","sessionId":%q}`, c[6], session),
	}
	path := filepath.Join(configDir, "projects", ProjectFolder(cwd), session+".jsonl")
	WriteFile(t, path, strings.Join(lines, "\n")+"\n")
	return path
}
