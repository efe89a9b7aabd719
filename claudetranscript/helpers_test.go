package claudetranscript

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"
)

// fixture reads a measured transcript from testdata.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name+".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// put writes files (relative path → content) under a new projects dir.
func put(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for rel, content := range files {
		write(t, filepath.Join(dir, rel), content)
	}
	return dir
}

func write(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t testing.TB, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
}

// age sets a file's times to d ago.
func age(t testing.TB, path string, d time.Duration) {
	t.Helper()
	when := time.Now().Add(-d)
	if err := os.Chtimes(path, when, when); err != nil {
		t.Fatal(err)
	}
}

const session = "11111111-2222-3333-4444-555555555555"

// apiErrorLine is a system/api_error entry as Claude Code 2.1.332 writes it.
func apiErrorLine(ts string, status int, formatted string, attempt, maxRetries int, uuid string) string {
	st := `"status":` + itoa(status) + `,"requestId":"req_x",`
	conn := `null`
	if status == 0 {
		st = ``
		conn = `{"code":"ECONNREFUSED","message":"ECONNREFUSED: Unable to connect.","isSSLError":false}`
	}
	return `{"parentUuid":null,"isSidechain":false,"type":"system","subtype":"api_error","level":"error","error":{"message":"x",` + st +
		`"formatted":"` + formatted + `","connection":` + conn + `,"isNetworkDown":` + boolStr(status == 0) + `,"rateLimits":null,"noResponse":null},"retryInMs":500,"retryAttempt":` +
		itoa(attempt) + `,"maxRetries":` + itoa(maxRetries) + `,"source":"request_retry","timestamp":"` + ts + `","uuid":"` + uuid +
		`","userType":"external","entrypoint":"cli","cwd":"/home/user/proj","sessionId":"` + session + `","version":"2.1.332","gitBranch":"main"}` + "\n"
}

// syntheticLine is the <synthetic> assistant entry Claude Code writes when it gives up.
func syntheticLine(ts string, status int, text string) string {
	return `{"parentUuid":null,"isSidechain":false,"type":"assistant","uuid":"syn-` + ts + `","timestamp":"` + ts +
		`","message":{"id":"x","model":"<synthetic>","role":"assistant","stop_reason":"stop_sequence","type":"message","content":[{"type":"text","text":"` + text +
		`"}]},"requestId":"req_x","error":"server_error","isApiErrorMessage":true,"apiErrorStatus":` + itoa(status) +
		`,"cwd":"/home/user/proj","sessionId":"` + session + `","version":"2.1.332"}` + "\n"
}

// answerLine is a real answer.
func answerLine(ts, text string) string {
	return `{"parentUuid":null,"isSidechain":false,"message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-opus-5-5","content":[{"type":"text","text":"` + text +
		`"}],"stop_reason":"end_turn"},"requestId":"req_ok","requestRef":"r1","type":"assistant","uuid":"ans-` + ts + `","timestamp":"` + ts +
		`","cwd":"/home/user/proj","sessionId":"` + session + `","version":"2.1.332"}` + "\n"
}

func userLine(ts, text string) string {
	return `{"parentUuid":null,"isSidechain":false,"type":"user","message":{"role":"user","content":"` + text + `"},"uuid":"u-` + ts + `","timestamp":"` + ts +
		`","cwd":"/home/user/proj","sessionId":"` + session + `","version":"2.1.332"}` + "\n"
}

func itoa(i int) string {
	return fmtInt(i)
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func fmtInt(i int) string { return strconv.Itoa(i) }

func validUTF8(s string) bool { return utf8.ValidString(s) }

// requestLine is the api-request entry Claude Code 2.1.33x writes as it sends a try.
func requestLine(ts, id, base string) string {
	return `{"type":"api-request","id":"` + id + `","timestamp":"` + ts + `","version":"2.1.332","sessionId":"` + session +
		`","querySource":"sdk","shapeHash":"h","base":"` + base + `","keep":2,"tail":[],"params":{"model":"claude-opus-5-5"}}` + "\n"
}

// noResponseLine is the <synthetic> "No response requested." entry a resumed
// session writes for a request that got no answer (not an API error).
func noResponseLine(ts string) string {
	return `{"parentUuid":"p","isSidechain":false,"type":"assistant","uuid":"nr-` + ts + `","timestamp":"` + ts +
		`","message":{"id":"x","model":"<synthetic>","role":"assistant","stop_reason":"stop_sequence","type":"message","content":[{"type":"text","text":"No response requested."}]},"isApiErrorMessage":false,"madeBy":"other","sessionId":"` +
		session + `","version":"2.1.332"}` + "\n"
}

// interruptLine is the user entry Claude Code writes on Ctrl-C (measured, 2.1.332 -p).
func interruptLine(ts string) string {
	return `{"parentUuid":"a2","isSidechain":false,"promptId":"p1","type":"user","message":{"role":"user","content":[{"type":"text","text":"[Request interrupted by user]"}]},"rowSource":"harness","uuid":"i-` +
		ts + `","timestamp":"` + ts + `","sessionId":"` + session + `","version":"2.1.332"}` + "\n"
}
