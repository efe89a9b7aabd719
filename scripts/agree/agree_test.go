//go:build agree

// Package agree compares, for every scenario of netchecktest, what the real
// Claude Code does with what `claudemedic check` says, and captures the
// request Claude Code sends. It is opt-in (build tag agree, never in CI):
// run scripts/agree-claude-code.sh.
package agree

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// perRun bounds each run of Claude Code and of the check.
const perRun = 45 * time.Second

// row is one scenario's outcome.
type row struct {
	scenario   netchecktest.Scenario
	ccExit     int
	ccLine     string
	ccSeconds  float64
	verdict    string
	codes      []string
	ccWorks    bool
	agree      bool
	checkError string
}

// env is the environment Claude Code and the check both read for target:
// the variables Claude Code takes each value from.
func env(t claudesettings.Target, home string) []string {
	e := []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "SHELL=/bin/sh", "LANG=C.UTF-8",
		"CLAUDE_CONFIG_DIR=" + filepath.Join(home, ".claude"), "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".state"), "XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "CLAUDE_CODE_MAX_RETRIES=1"}
	set := func(name string, s claudesettings.Setting) {
		if s.Set() {
			e = append(e, name+"="+s.Value)
		}
	}
	set("ANTHROPIC_BASE_URL", t.BaseURL)
	set("HTTPS_PROXY", t.Proxy)
	set("NO_PROXY", t.NoProxy)
	set("NODE_EXTRA_CA_CERTS", t.CAFile)
	set("ANTHROPIC_MODEL", t.Model)
	set("CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS", t.DisableBetas)
	set("CLAUDE_CODE_CERT_STORE", t.CertStore)
	set("NODE_OPTIONS", t.NodeOptions)
	set("API_TIMEOUT_MS", t.APITimeout)
	cred := func(c claudesettings.Credential) {
		switch {
		case c.Source == claudesettings.SourceCredentialsFile && c.Secret != "": // a saved claude.ai login
			login := fmt.Sprintf(`{"claudeAiOauth":{"accessToken":%q,"refreshToken":"sk-ant-ort01-agree","expiresAt":4102444800000,"scopes":["user:inference","user:profile"],"subscriptionType":"max"}}`, c.Secret)
			os.MkdirAll(filepath.Join(home, ".claude"), 0o700)
			os.WriteFile(filepath.Join(home, ".claude", ".credentials.json"), []byte(login), 0o600)
		case c.Source == claudesettings.SourceAPIKeyHelper && c.Err != nil: // a helper that fails as the scenario's does
			msg := strings.TrimPrefix(c.Err.Error(), "exited 1: ")
			helper, _ := json.Marshal(map[string]string{"apiKeyHelper": "echo '" + msg + "' >&2; exit 1"})
			os.MkdirAll(filepath.Join(home, ".claude"), 0o700)
			os.WriteFile(filepath.Join(home, ".claude", "settings.json"), helper, 0o600)
		case c.Secret == "":
		case c.Var != "" && c.Var != "stdin":
			e = append(e, c.Var+"="+c.Secret)
		case c.Kind == claudesettings.KindBearer:
			e = append(e, "ANTHROPIC_AUTH_TOKEN="+c.Secret)
		case c.Kind == claudesettings.KindOAuth:
			e = append(e, "CLAUDE_CODE_OAUTH_TOKEN="+c.Secret)
		default:
			e = append(e, "ANTHROPIC_API_KEY="+c.Secret)
		}
	}
	cred(t.Credential)
	for _, s := range t.Shadowed {
		cred(s)
	}
	switch p := t.Provider; p.Name { // the provider's gateway at the fake, as Claude Code is pointed at one
	case claudesettings.ProviderBedrock:
		e = append(e, "CLAUDE_CODE_USE_BEDROCK=1", "AWS_REGION="+p.Region.Value, "ANTHROPIC_BEDROCK_BASE_URL="+p.Endpoint.Value)
	case claudesettings.ProviderVertex:
		e = append(e, "CLAUDE_CODE_USE_VERTEX=1", "ANTHROPIC_VERTEX_BASE_URL="+p.Endpoint.Value)
		if p.Region.Source != claudesettings.SourceDefault {
			e = append(e, "CLOUD_ML_REGION="+p.Region.Value)
		}
		adc := filepath.Join(home, ".config", "gcloud")
		os.MkdirAll(adc, 0o700)
		os.WriteFile(filepath.Join(adc, "application_default_credentials.json"), []byte(`{"type": "authorized_user"}`), 0o600)
	}
	return e
}

// withProxyVars takes the proxy variables from the scenario's own
// environment (ProxyLowerCase sets https_proxy and HTTPS_PROXY apart),
// instead of the Target's one winner.
func withProxyVars(env, scenario []string) []string {
	isProxy := func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return strings.HasSuffix(strings.ToLower(name), "_proxy") && !strings.EqualFold(name, "no_proxy")
	}
	var theirs []string
	for _, kv := range scenario {
		if isProxy(kv) {
			theirs = append(theirs, kv)
		}
	}
	if len(theirs) == 0 {
		return env
	}
	var out []string
	for _, kv := range env {
		if !isProxy(kv) {
			out = append(out, kv)
		}
	}
	return append(out, theirs...)
}

func firstLine(b []byte) string {
	s := strings.TrimSpace(strings.ToValidUTF8(string(b), "?"))
	s, _, _ = strings.Cut(s, "\n")
	if utf8.RuneCountInString(s) > 90 {
		s = string([]rune(s)[:89]) + "…"
	}
	return s
}

// run runs one command under perRun and returns its exit status and output.
func run(name string, args []string, environ []string, dir string) (int, []byte, time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), perRun)
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
		code = -1 // timed out
	} else if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		code = -2
		out.WriteString(err.Error())
	}
	return code, out.Bytes(), time.Since(t0)
}

// TestAgreeClaudeCode runs `claude -p hi` and `claudemedic check --json`
// against each scenario and prints the table. Agree: Claude Code answered
// "Hi" exactly when the verdict is not down.
func TestAgreeClaudeCode(t *testing.T) {
	claude, medic := os.Getenv("CLAUDE"), os.Getenv("CLAUDEMEDIC")
	if claude == "" || medic == "" {
		t.Skip("set CLAUDE and CLAUDEMEDIC (scripts/agree-claude-code.sh does)")
	}
	only := os.Getenv("SCENARIOS") // a comma-separated subset, optional
	var rows []row
	var captured strings.Builder
	for _, sc := range netchecktest.Scenarios() {
		if only != "" && !strings.Contains(","+only+",", ","+string(sc)+",") {
			continue
		}
		srv := netchecktest.Start(t, sc)
		target, opts := srv.Target(), srv.Options()
		home := t.TempDir()
		os.MkdirAll(filepath.Join(home, ".claude"), 0o700)
		work := t.TempDir()
		environ := withProxyVars(env(target, home), srv.Environ())

		before := len(srv.Requests())
		ccEnv := environ
		if !target.APITimeout.Set() { // Claude Code's wait, bounded; the check is told nothing it would not be
			ccEnv = append(ccEnv[:len(ccEnv):len(ccEnv)], "API_TIMEOUT_MS=8000")
		}
		ccExit, ccOut, took := run(claude, []string{"-p", "hi"}, ccEnv, work)
		if sc == netchecktest.Healthy || sc == netchecktest.OAuthToken || sc == netchecktest.RelayMessagesOnly {
			reqs := srv.Requests()
			if before < len(reqs) { // the first request in full, the others by path
				fmt.Fprintf(&captured, "\n## What Claude Code sent (%s): %d request(s)\n", sc, len(reqs)-before)
				writeRequest(&captured, reqs[before])
				for _, q := range reqs[before+1:] {
					fmt.Fprintf(&captured, "\nthen %s %s (anthropic-beta %s)\n", q.Method, q.Path, q.Header.Get("anthropic-beta"))
				}
			}
		}
		r := row{scenario: sc, ccExit: ccExit, ccLine: firstLine(ccOut), ccSeconds: took.Seconds()}
		r.ccWorks = ccExit == 0 && r.ccLine == "Hi"

		args := []string{"check", "--json"}
		if opts.Timeout > 0 {
			args = append(args, "--timeout", opts.Timeout.String())
		}
		if opts.Stream {
			args = append(args, "--stream")
		}
		_, out, _ := run(medic, args, append(environ, "DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent"), work)
		var rep struct {
			Verdict  string `json:"verdict"`
			Findings []struct {
				Code string `json:"code"`
			} `json:"findings"`
		}
		if err := json.Unmarshal(out, &rep); err != nil {
			r.checkError = firstLine(out)
		}
		r.verdict = rep.Verdict
		for _, f := range rep.Findings {
			r.codes = append(r.codes, f.Code)
		}
		r.agree = r.checkError == "" && r.ccWorks == (rep.Verdict != "down")
		rows = append(rows, r)
		t.Logf("%s: claude %d %q; check %s %v", sc, ccExit, r.ccLine, r.verdict, r.codes)
	}

	var b strings.Builder
	agreed := 0
	fmt.Fprintf(&b, "\n| scenario | Claude Code (exit, s) | Claude Code's first line | verdict | codes | agree |\n|---|---|---|---|---|---|\n")
	for _, r := range rows {
		mark := "yes"
		if r.agree {
			agreed++
		} else {
			mark = "**no**"
		}
		exit := fmt.Sprint(r.ccExit)
		if r.ccExit == -1 {
			exit = "timeout"
		}
		verdict := r.verdict
		if r.checkError != "" {
			verdict = "error: " + r.checkError
		}
		fmt.Fprintf(&b, "| %s | %s, %.0f | %s | %s | %s | %s |\n", r.scenario, exit, r.ccSeconds,
			strings.ReplaceAll(r.ccLine, "|", "\\|"), verdict, strings.Join(r.codes, " "), mark)
	}
	fmt.Fprintf(&b, "\n%d of %d scenarios agree.\n", agreed, len(rows))
	b.WriteString(captured.String())
	if path := os.Getenv("AGREE_OUT"); path != "" {
		os.WriteFile(path, []byte(b.String()), 0o644)
	}
	t.Log(b.String())
	for _, r := range rows {
		if why, known := cannotAgreeOffline[r.scenario]; !r.agree && !known {
			t.Errorf("%s: Claude Code %q (exit %d), the check says %s %v: they disagree", r.scenario, r.ccLine, r.ccExit, r.verdict, r.codes)
		} else if !r.agree {
			t.Logf("%s disagrees, as expected here: %s", r.scenario, why)
		}
	}
}

// cannotAgreeOffline are the scenarios whose real outcome needs the network:
// the run cannot reproduce what Claude Code would do there.
var cannotAgreeOffline = map[netchecktest.Scenario]string{
	netchecktest.Scenario(netcheck.CloudRegionMissing): "Claude Code cannot load Google's application default credentials from a stub file offline, so it fails before the region matters",
}

// writeRequest prints a captured request, its credentials masked and its
// body reduced to its keys (and the model, max_tokens, stream).
func writeRequest(w *strings.Builder, q netchecktest.Request) {
	fmt.Fprintf(w, "\n%s %s\n", q.Method, q.Path)
	var names []string
	for k := range q.Header {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v := strings.Join(q.Header[k], ", ")
		switch strings.ToLower(k) {
		case "x-api-key", "authorization":
			v = claudesettings.MaskKey(v)
		case "x-claude-code-session-id":
			v = "(a UUID)"
		}
		fmt.Fprintf(w, "  %s: %s\n", k, v)
	}
	var body map[string]json.RawMessage
	if json.Unmarshal(q.Body, &body) == nil {
		var keys []string
		for k := range body {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(w, "  body keys: %s; model %s, max_tokens %s, stream %s (%d bytes)\n", strings.Join(keys, ", "),
			body["model"], body["max_tokens"], body["stream"], len(q.Body))
	}
}
