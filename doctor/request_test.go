package doctor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claudemedic/internal/prefs"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// The check's request is built from the newest transcript's structure, and
// nothing of the transcript's text or paths leaves the machine: a transcript
// of the real Claude Code 2.1.332 (claudetranscript's test data) with every
// text and path made a canary gives a request that carries none of them.
func TestRequestFromTranscript(t *testing.T) {
	b, err := os.ReadFile("../claudetranscript/testdata/ok332.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.ReplaceAll(string(b), "[placeholder: Claude Code text]", "CANARYTEXT")
	s = strings.ReplaceAll(s, "/home/user", "/home/CANARYPATH")
	s = strings.ReplaceAll(s, `"content":"hi"`, `"content":"CANARYPROMPT"`)
	dir := t.TempDir()
	proj := filepath.Join(dir, "projects", "-home-CANARYPATH-proj")
	if err := os.MkdirAll(proj, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(proj, "a8a5aad8-33c8-4644-983d-91009ab448f2.jsonl"), []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir()) // default preferences
	o := ReadRequest(context.Background(), []string{"CLAUDE_CONFIG_DIR=" + dir, "ANTHROPIC_CUSTOM_HEADERS=X-Team: blue"})
	if o.Request == nil || o.Request.RequestFrom() != "transcript 2.1.332" || !o.Request.HasSystemMessage() || o.CustomHeaders.Value != "X-Team: blue" {
		t.Fatalf("request options %+v", o)
	}

	srv := netchecktest.Start(t, netchecktest.Healthy)
	opts := srv.Options()
	o.Apply(&opts)
	r := netcheck.Run(context.Background(), srv.Target(), opts)
	if r.Verdict != netcheck.VerdictOK || r.RequestFrom != "transcript 2.1.332" {
		t.Errorf("verdict %s, request_from %q, findings %v", r.Verdict, r.RequestFrom, r.Findings)
	}
	reqs := srv.Requests()
	if len(reqs) != 1 || reqs[0].Header.Get("User-Agent") != "claude-cli/2.1.332 (external, sdk-cli)" || reqs[0].Header.Get("X-Team") != "blue" {
		t.Fatalf("requests %d %v", len(reqs), reqs)
	}
	for _, q := range reqs {
		all := string(q.Body) + q.Path
		for k, v := range q.Header {
			all += k + strings.Join(v, " ")
		}
		if strings.Contains(all, "CANARY") {
			t.Errorf("the request carries the transcript's text: %s", q.Body)
		}
		if !strings.Contains(string(q.Body), `"role":"system"`) || !strings.Contains(string(q.Body), "<system-reminder>") {
			t.Errorf("the request lost Claude Code's structure: %s", q.Body)
		}
	}
}

// With the reading of transcripts turned off in the preferences, the request
// is the built-in copy and nothing under projects/ is opened: a projects
// folder nobody may enter would fail the test if it were.
func TestRequestTranscriptsOff(t *testing.T) {
	dir := t.TempDir()
	b, err := os.ReadFile("../claudetranscript/testdata/ok332.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	proj := filepath.Join(dir, "projects", "-home-user-proj")
	if err := os.MkdirAll(proj, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(proj, "a8a5aad8-33c8-4644-983d-91009ab448f2.jsonl"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	if err := prefs.Save(prefs.Prefs{CheckInterval: prefs.Defaults().CheckInterval, NoTranscripts: true}); err != nil {
		t.Fatal(err)
	}
	o := ReadRequest(context.Background(), []string{"CLAUDE_CONFIG_DIR=" + dir})
	if o.Request != nil {
		t.Fatalf("the transcript was read with no_transcripts set: %+v", o.Request)
	}
}
