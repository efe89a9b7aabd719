package claudetranscript

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func newest(t *testing.T, dir string) Request {
	t.Helper()
	r, ok, err := NewestRequest(context.Background(), dir)
	if err != nil || !ok {
		t.Fatalf("NewestRequest: %v %v", ok, err)
	}
	return r
}

var betas332 = []string{"claude-code-20250219", "interleaved-thinking-2025-05-14", "context-management-2025-06-27",
	"per-turn-control-2026-07-01", "mid-conversation-tool-changes-2026-07-01", "thinking-token-count-2026-05-13",
	"advanced-tool-use-2025-11-20", "effort-2025-11-24"}

// The request rebuilt from the transcript is the one measured on the wire
// (roles, block types and lengths, cache_control; see transcript-facts.md).
func TestNewestRequestMeasured(t *testing.T) {
	for _, name := range []string{"ok332", "e401_332", "ref330"} {
		t.Run(name, func(t *testing.T) {
			r := newest(t, put(t, map[string]string{"-home-user-proj/s.jsonl": string(fixture(t, name))}))
			if r.Model != "claude-opus-5-5" || !slices.Equal(r.Betas, betas332) || r.MaxTokens != 128000 || r.QuerySource != "sdk" || r.Project != "-home-user-proj" {
				t.Errorf("params: %+v", r)
			}
			if string(r.Thinking) != `{"type":"adaptive","display":"omitted"}` || string(r.OutputConfig) != `{"effort":"medium"}` ||
				string(r.ContextManagement) != `{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]}` {
				t.Errorf("raw params: %s %s %s", r.Thinking, r.OutputConfig, r.ContextManagement)
			}
			if !r.ShapeFound || len(r.System) != 2 || r.System[0].Len != 62 || string(r.System[1].CacheControl) != `{"type":"ephemeral"}` {
				t.Errorf("system: %+v", r.System)
			}
			wantTools := []string{"Agent", "Bash", "Edit", "ListAgents", "Read", "ReportFindings", "ScheduleWakeup", "Skill", "ToolSearch", "Workflow", "DeferredToolPlaceholder", "Write"}
			if !slices.Equal(r.Tools, wantTools) {
				t.Errorf("tools: %v", r.Tools)
			}
			if !r.MessagesComplete || len(r.Messages) != 2 || !r.HasSystemMessage() {
				t.Fatalf("messages: %+v", r.Messages)
			}
			u, s := r.Messages[0], r.Messages[1]
			if u.Role != "user" || len(u.Blocks) != 2 || !u.Blocks[0].SystemReminder || u.Blocks[0].Len != 580 || u.Blocks[1].SystemReminder || u.Blocks[1].Len != 2 {
				t.Errorf("user message: %+v", u)
			}
			if s.Role != "system" || len(s.Blocks) != 1 || s.Blocks[0].SystemReminder || string(s.Blocks[0].CacheControl) != `{"type":"ephemeral"}` || string(s.OutputConfig) != `{"effort":"medium"}` {
				t.Errorf("system message: %+v", s)
			}
		})
	}
}

// An interactive session (the real Claude Code 2.1.332 in a terminal, one prompt).
func TestNewestRequestInteractive(t *testing.T) {
	r := newest(t, put(t, map[string]string{"-home-user-proj/s.jsonl": string(fixture(t, "int332"))}))
	wantBetas := append(slices.Clone(betas332), "dangerous-tool-use-2026-09-03", "thinking-display-updates-2026-08-18", "afk-mode-2026-01-31")
	if r.QuerySource != "repl_main_thread" || !slices.Equal(r.Betas, wantBetas) || string(r.Thinking) != `{"type":"adaptive","display":"updates"}` ||
		len(r.Tools) != 13 || r.Tools[1] != "AskUserQuestion" || !r.MessagesComplete || len(r.Messages) != 2 || !r.HasSystemMessage() || !r.Messages[0].Blocks[0].SystemReminder {
		t.Errorf("%+v", r)
	}
	if b := scanAll(t, put(t, map[string]string{"p/s.jsonl": string(fixture(t, "int332"))})); len(b.Failures) != 0 || b.Skipped != 0 {
		t.Errorf("%+v", b)
	}
}

// A second turn (claude -c) refers to messages that have no blob: their roles
// are unknown, and it says so.
func TestNewestRequestContinued(t *testing.T) {
	r := newest(t, put(t, map[string]string{"p/s.jsonl": string(fixture(t, "rec332"))}))
	if r.MessagesComplete || len(r.Messages) != 4 || r.Messages[0].Role != "user" || r.Messages[1].Role != "system" || r.Messages[2].Role != "" || r.Messages[3].Role != "" {
		t.Errorf("%+v", r.Messages)
	}
	if r.Time.Format(time.RFC3339Nano) != "2026-12-07T12:41:35.739Z" {
		t.Errorf("not the newest: %v", r.Time)
	}
}

// The newest transcript wins; one without requests (an older Claude Code) is
// passed over; a side request is taken only when there is nothing else.
func TestNewestRequestChoice(t *testing.T) {
	ok := string(fixture(t, "ok332"))
	side := strings.ReplaceAll(ok, `"querySource":"sdk"`, `"querySource":"generate_session_title"`)
	side = strings.ReplaceAll(side, `"claude-opus-5-5"`, `"claude-haiku-5"`)
	dir := put(t, map[string]string{
		"a/old.jsonl":   strings.ReplaceAll(ok, `"claude-opus-5-5"`, `"claude-old"`),
		"b/side.jsonl":  side,
		"c/1x.jsonl":    userLine("2025-01-01T00:00:00Z", "hi") + answerLine("2025-01-01T00:00:01Z", "hello"),
		"d/empty.jsonl": "",
	})
	age(t, filepath.Join(dir, "a", "old.jsonl"), 3*time.Hour)
	age(t, filepath.Join(dir, "b", "side.jsonl"), 2*time.Hour)
	if r := newest(t, dir); r.Model != "claude-old" || r.QuerySource != "sdk" {
		t.Errorf("want the main request of the older file, got %s %s", r.Model, r.QuerySource)
	}
	must(t, os.Remove(filepath.Join(dir, "a", "old.jsonl")))
	if r := newest(t, dir); r.Model != "claude-haiku-5" || !r.ShapeFound {
		t.Errorf("want the side request as a fallback, got %+v", r)
	}
	must(t, os.Remove(filepath.Join(dir, "b", "side.jsonl")))
	if _, ok, err := NewestRequest(context.Background(), dir); ok || err != nil {
		t.Errorf("no request: %v %v", ok, err)
	}
}

// A long session: the shape far before the request (beyond the budget read
// from the end) is found from the file's start; messages whose blobs are out
// of reach are unknown, not wrong.
func TestNewestRequestLongSession(t *testing.T) {
	ok := string(fixture(t, "ok332"))
	var shape, blobs, req, rest []string
	for _, l := range strings.SplitAfter(ok, "\n") {
		switch {
		case strings.Contains(l, `"type":"api-request-shape"`):
			shape = append(shape, l)
		case strings.Contains(l, `"type":"api-request-blob"`):
			blobs = append(blobs, l)
		case strings.Contains(l, `"type":"api-request"`):
			req = append(req, l)
		default:
			rest = append(rest, l)
		}
	}
	filler := strings.Repeat(userLine("2026-12-07T10:00:00Z", strings.Repeat("z", 1000)), (requestBudget/1000)+1000)
	content := strings.Join(shape, "") + strings.Join(blobs, "") + filler + strings.Join(req, "") + strings.Join(rest, "")
	dir := put(t, map[string]string{"p/s.jsonl": content})
	r := newest(t, dir)
	if !r.ShapeFound || len(r.Tools) != 12 {
		t.Errorf("shape not found: %+v", r)
	}
	if r.MessagesComplete || len(r.Messages) != 2 || r.Messages[0].Role != "" {
		t.Errorf("messages: %+v", r.Messages)
	}
}

// Odd request entries never panic: a base chain that loops, huge keep, odd
// cache paths, wrong types.
func TestNewestRequestOdd(t *testing.T) {
	lines := []string{
		`{"type":"api-request-blob","hash":"h1","message":{"role":"user","content":"plain"}}`,
		`{"type":"api-request","id":"r1","base":"r2","keep":1,"tail":["h1"],"params":{"model":"m"},"cacheControl":[{"path":["messages",0,"content",0],"value":{"type":"ephemeral"}},{"path":["messages",99,"content",0],"value":{}},{"path":["system",-1],"value":{}},{"path":"x"},{"path":[1.5,"x"]}]}`,
		`{"type":"api-request","id":"r2","base":"r1","keep":2000000000,"tail":[7,null],"params":{"model":["m"],"betas":"x","max_tokens":"12"}}`,
	}
	// r2 is the newest; its base r1 refers back to r2.
	content := lines[0] + "\n" + lines[1] + "\n" + lines[2] + "\n"
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	r, ok, err := NewestRequest(ctx, put(t, map[string]string{"p/s.jsonl": content}))
	if err != nil || !ok {
		t.Fatalf("%v %v", ok, err)
	}
	if r.MaxTokens != 12 || r.Model != "" || r.MessagesComplete {
		t.Errorf("%+v", r)
	}
	if len(r.Messages) > 200000 {
		t.Errorf("%d messages", len(r.Messages))
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"API Error: 401 invalid key sk-ant-api03-AbCdEf0123456789_-xyzXYZ0000AA given", "API Error: 401 invalid key sk-ant-api03-… given"},
		{"token sk-ant-oat01-zzzzzzzzzzzzzzzzzz expired", "token sk-ant-oat01-… expired"},
		{"relay: sk-proj-abcdefghijklmnop and sk-abcdefghijklmnopqrstu", "relay: sk-proj-… and sk-…"},
		{"Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc", "Authorization: Bearer …"},
		{`{"x-api-key":"abcdef123456"}`, `{"x-api-key":"…"}`},
		{"api_key=hunter2hunter2&b=1", "api_key=…&b=1"},
		{"529 Overloaded", "529 Overloaded"},
		{"Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)", "Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)"},
		{"check your inference gateway (127.0.0.1:40247).", "check your inference gateway (127.0.0.1:40247)."},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// What Scan returns is masked.
	line := apiErrorLine("2026-12-07T10:00:01Z", 401, "401 key sk-ant-api03-SECRETSECRETSECRET rejected", 1, 3, "a1")
	b := scanAll(t, put(t, map[string]string{"p/s.jsonl": line}))
	if len(b.Failures) != 1 || strings.Contains(b.Failures[0].Message, "SECRET") {
		t.Errorf("%+v", b.Failures)
	}
	_ = json.Valid
}
