//go:build unix

package cli

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// fakeClaudeCode puts a native Claude Code 2.1.300 on the PATH whose
// `claude update` makes it 2.1.330, and a registry whose latest is 2.1.330.
func fakeClaudeCode(t *testing.T, home string) (native string) {
	t.Helper()
	native = filepath.Join(home, ".local", "share", "claude", "versions", "2.1.300")
	os.MkdirAll(filepath.Dir(native), 0o755)
	body := fmt.Sprintf(`#!/bin/sh
if [ "$1" = update ]; then echo "Successfully updated from 2.1.300 to version 2.1.330"; printf '#!/bin/sh\necho "2.1.330 (Claude Code)"\n' > %q; exit 0; fi
echo "2.1.300 (Claude Code)"
`, native)
	if err := os.WriteFile(native, []byte(body), 0o755); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(home, ".local", "bin")
	os.MkdirAll(bin, 0o755)
	if err := os.Symlink(native, filepath.Join(bin, "claude")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	reg := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"latest": "2.1.330"}`)
	}))
	t.Cleanup(reg.Close)
	t.Setenv("npm_config_registry", reg.URL)
	return native
}

func TestClaudeCodeCommands(t *testing.T) {
	home := isolate(t)
	fakeClaudeCode(t, home)

	code, out, errOut := runCLI(t, "", "claude-code", "status", "--json")
	var st struct {
		Path, Install, Version, Latest string
		Findings                       []struct{ Code string }
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	if code != ExitDegraded || st.Install != "native" || st.Version != "2.1.300" || st.Latest != "2.1.330" || len(st.Findings) != 1 || st.Findings[0].Code != "CLAUDE_CODE_OUTDATED" {
		t.Errorf("status: exit %d, %+v", code, st)
	}

	// check: a version row and the finding, and the verdict still the API's.
	srv := netchecktest.Start(t, netchecktest.Healthy)
	testOptions = func(o *netcheck.Options) { o.Resolver = srv.Options().Resolver }
	t.Cleanup(func() { testOptions = nil })
	tg := srv.Target()
	code, out, _ = runCLI(t, tg.Credential.Secret, append([]string{"check", "--json"}, flagsFor(tg)...)...)
	var r struct {
		jsonReport
		ClaudeCode struct {
			Version  string
			Findings []struct{ Code string }
		} `json:"claude_code"`
	}
	json.Unmarshal([]byte(out), &r)
	if code != ExitOK || r.Verdict != "ok" || len(r.Findings) != 0 || len(r.ClaudeCode.Findings) != 1 || r.ClaudeCode.Findings[0].Code != "CLAUDE_CODE_OUTDATED" ||
		r.Checks[len(r.Checks)-1].ID != "version" || r.Checks[len(r.Checks)-1].Status != "warn" {
		t.Errorf("check: exit %d, verdict %s, checks %+v, findings %+v, claude_code %+v", code, r.Verdict, r.Checks, r.Findings, r.ClaudeCode)
	}
	if !strings.Contains(out, `"claude_code"`) || !strings.Contains(out, `"version": "2.1.300"`) {
		t.Errorf("the report lacks the install:\n%s", out)
	}
	code, out, _ = runCLI(t, tg.Credential.Secret, append([]string{"check", "--lang", "en"}, flagsFor(tg)...)...)
	if !strings.Contains(out, "version") || !strings.Contains(out, "Claude Code 2.1.300 (native, ~/.local/bin/claude); 2.1.330 is out.") || !strings.Contains(out, "OK: Claude will answer") ||
		!strings.Contains(out, "CLAUDE_CODE_OUTDATED") {
		t.Errorf("the table:\n%s", out)
	}

	code, out, _ = runCLI(t, "", "config", "show")
	if !strings.Contains(out, "Claude Code 2.1.300 (native, ~/.local/bin/claude); 2.1.330 is out.") {
		t.Errorf("config show lacks the version:\n%s", out)
	}

	code, out, errOut = runCLI(t, "", "claude-code", "update")
	if code != ExitOK || !strings.Contains(out, "claude update\n") || !strings.Contains(out, "Successfully updated") ||
		!strings.Contains(out, "Claude Code 2.1.330 (native, ~/.local/bin/claude), the latest.") {
		t.Errorf("update: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = runCLI(t, "", "claude-code", "update")
	if code != ExitOK || !strings.Contains(out, "is the latest already") {
		t.Errorf("update again: exit %d\n%s", code, out)
	}

	// No Claude Code on the PATH: a finding, and update says why it cannot.
	t.Setenv("PATH", filepath.Join(home, "empty"))
	os.Remove(filepath.Join(home, ".local", "bin", "claude"))
	code, out, errOut = runCLI(t, "", "claude-code", "update")
	if code != ExitDegraded || !strings.Contains(errOut, "CLAUDE_CODE_NOT_FOUND") {
		t.Errorf("update without Claude Code: exit %d\n%s%s", code, out, errOut)
	}
}
