package claudetranscript

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
)

// canary marks text of the conversation; none of it may come out.
const canary = "CANARY7f3a"

// conversation is a transcript full of canaries: in prompts, answers, tool
// input and output, attachments, the request's blobs and shape, around real
// errors and a real request.
func conversation(t *testing.T) string {
	c := func(where string) string { return canary + "-" + where }
	lines := []string{
		`{"type":"queue-operation","operation":"enqueue","timestamp":"2026-12-07T10:00:00Z","sessionId":"` + session + `","content":"` + c("queued") + `"}`,
		userLine("2026-12-07T10:00:00.1Z", c("prompt")),
		`{"type":"attachment","attachment":{"type":"file","content":"` + c("attachment") + `"},"rendered":[{"content":"<system-reminder>` + c("rendered") + `</system-reminder>"}],"timestamp":"2026-12-07T10:00:00.2Z","sessionId":"` + session + `"}`,
		`{"type":"api-request-shape","sessionId":"` + session + `","shapeHash":"sh1","timestamp":"2026-12-07T10:00:00.3Z","version":"2.1.332","shape":{"system":[{"type":"text","text":"` + c("system") + `"}],"tools":[{"name":"Bash","description":"` + c("tooldesc") + `","input_schema":{"type":"object","properties":{"` + c("prop") + `":{"type":"string"}}}}]}}`,
		`{"type":"api-request-blob","sessionId":"` + session + `","hash":"b1","message":{"role":"user","content":[{"type":"text","text":"<system-reminder>` + c("reminder") + `</system-reminder>"},{"type":"text","text":"` + c("blobprompt") + `"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"` + c("image") + `"}}]}}`,
		`{"type":"api-request-blob","sessionId":"` + session + `","hash":"b2","message":{"role":"assistant","content":[{"type":"thinking","thinking":"` + c("thinking") + `","signature":"` + c("sig") + `"},{"type":"tool_use","id":"tu1","name":"Bash","input":{"command":"` + c("toolinput") + `"}}]}}`,
		`{"type":"api-request-blob","sessionId":"` + session + `","hash":"b3","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"tu1","content":[{"type":"text","text":"` + c("tooloutput") + `"}],"is_error":false}]}}`,
		`{"type":"api-request-blob","sessionId":"` + session + `","hash":"b4","message":{"role":"system","content":"` + c("sysmsg") + `","output_config":{"effort":"high"}}}`,
		`{"type":"api-request","sessionId":"` + session + `","id":"r1","timestamp":"2026-12-07T10:00:01Z","version":"2.1.332","querySource":"repl_main_thread","shapeHash":"sh1","params":{"model":"claude-opus-5-5","betas":["claude-code-20250219"],"max_tokens":32000,"thinking":{"type":"adaptive"},"output_config":{"effort":"high"}},"keep":0,"tail":["b1","b2","b3","b4"],"cacheControl":[{"path":["messages",0,"content",1],"value":{"type":"ephemeral"}}]}`,
		`{"parentUuid":null,"type":"assistant","uuid":"a1","timestamp":"2026-12-07T10:00:02Z","sessionId":"` + session + `","message":{"model":"claude-opus-5-5","role":"assistant","content":[{"type":"text","text":"` + c("answer") + `"},{"type":"tool_use","id":"tu2","name":"Write","input":{"content":"` + c("toolinput2") + `"}}]}}`,
		`{"type":"user","uuid":"u2","timestamp":"2026-12-07T10:00:03Z","sessionId":"` + session + `","message":{"role":"user","content":[{"type":"tool_result","tool_use_id":"tu2","content":"` + c("tooloutput2") + `"}]},"toolUseResult":{"stdout":"` + c("stdout") + `"}}`,
		strings.TrimSuffix(apiErrorLine("2026-12-07T10:00:04Z", 529, "529 Overloaded", 1, 3, "e1"), "\n"),
		strings.TrimSuffix(apiErrorLine("2026-12-07T10:00:05Z", 0, "Connection refused (ECONNREFUSED)", 2, 3, "e2"), "\n"),
		strings.TrimSuffix(syntheticLine("2026-12-07T10:00:06Z", 529, "API Error: Repeated 529 Overloaded errors."), "\n"),
		`{"type":"last-prompt","lastPrompt":"` + c("lastprompt") + `","sessionId":"` + session + `"}`,
		`{"type":"summary","summary":"` + c("summary") + `"}`,
		`{"type":"assistant","uuid":"a9","timestamp":"2026-12-07T10:00:07Z","sessionId":"` + session + `","message":{"model":"<synthetic>","role":"assistant","content":[{"type":"text","text":"` + c("synthetic-non-error") + `"}]}}`,
	}
	return strings.Join(lines, "\n") + "\n"
}

// findCanary walks v (exported and unexported fields, maps, slices, raw JSON)
// and returns where a canary is.
func findCanary(v reflect.Value, path string) string {
	switch v.Kind() {
	case reflect.String:
		if strings.Contains(v.String(), canary) {
			return path
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if strings.Contains(string(v.Bytes()), canary) {
				return path
			}
			return ""
		}
		for i := range v.Len() {
			if p := findCanary(v.Index(i), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if p := findCanary(v.Field(i), path+"."+v.Type().Field(i).Name); p != "" {
				return p
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return findCanary(v.Elem(), path)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if p := findCanary(v.MapIndex(k), path+"["+fmt.Sprint(k)+"]"); p != "" {
				return p
			}
		}
	}
	return ""
}

func assertNoCanary(t *testing.T, name string, v any) {
	t.Helper()
	if p := findCanary(reflect.ValueOf(v), name); p != "" {
		t.Errorf("a canary came out at %s", p)
	}
	if s := fmt.Sprintf("%+v %#v", v, v); strings.Contains(s, canary) {
		t.Errorf("a canary came out in %s's %%+v", name)
	}
	if b, err := json.Marshal(v); err != nil || strings.Contains(string(b), canary) {
		t.Errorf("a canary came out in %s's JSON (%v)", name, err)
	}
}

func TestPrivacyNoConversationComesOut(t *testing.T) {
	// A subagent's transcript: the same session, its own entries. (The same
	// entries in two files, as a resumed session's copy, count once.)
	sub := strings.NewReplacer(`"uuid":"`, `"uuid":"sub-`).Replace(conversation(t))
	dir := put(t, map[string]string{"p/s.jsonl": conversation(t), "p/" + session + "/subagents/agent-1.jsonl": sub, "q/copy.jsonl": conversation(t)})
	r := NewReader(dir)
	b, err := r.Scan(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Failures) != 2 || len(b.Attempts) != 9 || b.Failures[0].Attempts != 3 {
		t.Fatalf("the errors were not read: %+v", b)
	}
	assertNoCanary(t, "Batch", b)
	assertNoCanary(t, "Group", Group(b.Attempts))
	// The Reader's own state holds no conversation either.
	assertNoCanary(t, "Reader", r)

	req, ok, err := NewestRequest(context.Background(), dir)
	if err != nil || !ok {
		t.Fatalf("%v %v", ok, err)
	}
	if len(req.Messages) != 4 || !req.MessagesComplete || !req.HasSystemMessage() || len(req.Tools) != 1 || req.Messages[1].Blocks[1].Type != "tool_use" ||
		req.Messages[2].Blocks[0].Type != "tool_result" || !req.Messages[0].Blocks[0].SystemReminder || req.Messages[0].Blocks[2].Type != "image" {
		t.Errorf("the request's structure was not read: %+v", req)
	}
	assertNoCanary(t, "Request", req)
}

// The walk finds a canary where one is (so the test above can fail).
func TestPrivacyWalkFinds(t *testing.T) {
	type inner struct{ raw json.RawMessage }
	for _, v := range []any{
		Failure{Shown: canary},
		Request{Messages: []MessageShape{{OutputConfig: json.RawMessage(`"` + canary + `"`)}}},
		map[string]any{"x": []*inner{{raw: json.RawMessage(canary)}}},
	} {
		if findCanary(reflect.ValueOf(v), "v") == "" {
			t.Errorf("no canary found in %#v", v)
		}
	}
}
