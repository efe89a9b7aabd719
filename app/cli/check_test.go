package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"claudemedic/claudesettings"
	"claudemedic/doctor/doctortest"
	"claudemedic/internal/exitcode"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// isolate is doctortest.Isolate, with Claude Code's folder named, the C
// locale and no keychain.
func isolate(t *testing.T) (home string) {
	t.Helper()
	home = doctortest.Isolate(t)
	t.Setenv("CLAUDE_CONFIG_DIR", filepath.Join(home, ".claude"))
	t.Setenv("LANG", "C")
	// No keychain in these tests: a bus address where nothing listens.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+filepath.Join(home, "no-bus"))
	return home
}

// testOptions, when a test sets it, adjusts each run's options with what no
// flag gives: the fake API's DNS resolver, status page and short limits.
var testOptions func(*netcheck.Options)

// runCLI runs the command line in-process and returns the exit status and what it printed.
func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(context.Background(), args, IO{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errb, Options: testOptions})
	return code, out.String(), errb.String()
}

// flagsFor turns a fake API's target into check flags: base URL, proxy, CA
// and the key on stdin, as a person would pass them.
func flagsFor(tg claudesettings.Target) []string {
	args := []string{"--base-url", tg.BaseURL.Value, "--ca-file", tg.CAFile.Value, "--key-stdin"}
	if tg.Proxy.Set() {
		args = append(args, "--proxy", tg.Proxy.Value)
	} else {
		args = append(args, "--proxy", "none")
	}
	return args
}

// setUpCredentials puts a fake API's credentials, cloud provider or saved
// login where Claude Code looks for them (the environment, the settings,
// ~/.claude/.credentials.json, gcloud's folder), for the scenarios whose
// Target the command line's flags cannot give. It reports whether it did;
// otherwise the key goes on standard input.
func setUpCredentials(t *testing.T, home string, tg claudesettings.Target) bool {
	t.Helper()
	if tg.Provider.Name == "" && len(tg.Shadowed) == 0 && tg.Credential.Err == nil && tg.Credential.Source != claudesettings.SourceCredentialsFile &&
		tg.Credential.Kind != claudesettings.KindOAuth { // --key-stdin gives a key or a token, never an OAuth login
		return false
	}
	for _, c := range append([]claudesettings.Credential{tg.Credential}, tg.Shadowed...) {
		switch {
		case c.Source == claudesettings.SourceCredentialsFile:
			writeSettings(t, filepath.Join(home, ".claude", ".credentials.json"),
				`{"claudeAiOauth":{"accessToken":"`+c.Secret+`","refreshToken":"sk-ant-ort01-x","expiresAt":4102444800000,"scopes":["user:inference","user:profile"],"subscriptionType":"max"}}`)
		case c.Source == claudesettings.SourceAPIKeyHelper && c.Err != nil:
			msg := strings.TrimPrefix(c.Err.Error(), "exited 1: ")
			writeSettings(t, filepath.Join(home, ".claude", "settings.json"), `{"apiKeyHelper": "echo '`+msg+`' >&2; exit 1"}`)
		case c.Var != "" && c.Secret != "":
			t.Setenv(c.Var, c.Secret)
		}
	}
	switch tg.Provider.Name {
	case claudesettings.ProviderBedrock:
		t.Setenv("CLAUDE_CODE_USE_BEDROCK", "1")
		t.Setenv("AWS_REGION", tg.Provider.Region.Value)
		t.Setenv("ANTHROPIC_BEDROCK_BASE_URL", tg.Provider.Endpoint.Value)
	case claudesettings.ProviderVertex:
		t.Setenv("CLAUDE_CODE_USE_VERTEX", "1")
		t.Setenv("ANTHROPIC_VERTEX_BASE_URL", tg.Provider.Endpoint.Value)
		writeSettings(t, filepath.Join(home, ".config", "gcloud", "application_default_credentials.json"), `{"type": "authorized_user"}`)
	}
	return true
}

type jsonReport struct {
	Schema  int    `json:"schema"`
	Verdict string `json:"verdict"`
	Target  struct {
		BaseURL       string  `json:"base_url"`
		BaseURLSource string  `json:"base_url_source"`
		Key           *string `json:"key"`
		KeySource     string  `json:"key_source"`
		KeyLabel      string  `json:"key_label"`
		Shadowed      []struct {
			Key   *string `json:"key"`
			Label string  `json:"label"`
		} `json:"shadowed"`
		Provider *struct {
			Name string `json:"name"`
		} `json:"provider"`
	} `json:"target"`
	Checks []struct {
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"checks"`
	Findings []struct {
		Code     string `json:"code"`
		Severity string `json:"severity"`
		Summary  string `json:"summary"`
		Fix      string `json:"fix"`
	} `json:"findings"`
}

// TestCheckJSONEveryScenario is the contract: `check --json` against every
// fault of the fake API reports exactly that fault's codes (Want), the
// verdict their severity gives, the matching exit status, and never the
// whole key. The scenarios of which credential Claude Code sends are set up
// where Claude Code finds them (environment, settings, login file), not with flags.
func TestCheckJSONEveryScenario(t *testing.T) {
	isolate(t)
	srv := netchecktest.Start(t, netchecktest.Healthy)
	testOptions = func(o *netcheck.Options) {
		so := srv.Options()
		o.Resolver, o.StatusURL, o.StreamIdle, o.SlowAfter = so.Resolver, so.StatusURL, so.StreamIdle, so.SlowAfter
	}
	t.Cleanup(func() { testOptions = nil })

	for _, sc := range netchecktest.Scenarios() {
		t.Run(string(sc), func(t *testing.T) {
			home := isolate(t)
			srv.SetScenario(sc)
			tg, so := srv.Target(), srv.Options()
			args := append([]string{"check", "--json", "--timeout", "2s"}, flagsFor(tg)...)
			stdin := tg.Credential.Secret + "\n"
			fromEnv := setUpCredentials(t, home, tg)
			if fromEnv {
				args = slices.DeleteFunc(args, func(a string) bool { return a == "--key-stdin" })
				if tg.Provider.Name != "" { // the provider's endpoint, not a base URL
					i := slices.Index(args, "--base-url")
					args = slices.Delete(args, i, i+2)
				}
				stdin = ""
			}
			if so.Stream {
				args = append(args, "--stream")
			}
			if so.Status {
				args = append(args, "--status")
			}
			if tg.APITimeout.Set() {
				t.Setenv("API_TIMEOUT_MS", tg.APITimeout.Value)
			}
			if so.CustomHeaders.Set() {
				t.Setenv("ANTHROPIC_CUSTOM_HEADERS", so.CustomHeaders.Value)
			}
			code, out, errOut := runCLI(t, stdin, args...)
			for _, secret := range []string{netchecktest.TestKey, netchecktest.TestToken, netchecktest.RefusedToken} {
				if strings.Contains(out+errOut, secret) {
					t.Fatalf("a whole secret was printed")
				}
			}
			var r jsonReport
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("stdout is not one JSON object: %v\n%s\nstderr: %s", err, out, errOut)
			}
			switch {
			case r.Schema != 1:
				t.Errorf("schema %d", r.Schema)
			case tg.Provider.Name != "":
				if r.Target.Provider == nil || r.Target.Provider.Name != string(tg.Provider.Name) || r.Target.BaseURL != tg.BaseURL.Value || r.Target.Key != nil {
					t.Errorf("provider target: %+v", r.Target)
				}
			case r.Target.BaseURL != tg.View().BaseURL || r.Target.BaseURLSource != "flag":
				t.Errorf("target: %+v", r.Target)
			case !fromEnv && r.Target.KeySource != "stdin", fromEnv && r.Target.KeyLabel != tg.Credential.Name():
				t.Errorf("key source %q, label %q (want %q)", r.Target.KeySource, r.Target.KeyLabel, tg.Credential.Name())
			case tg.Credential.Secret != "" && (r.Target.Key == nil || len(*r.Target.Key) >= len(tg.Credential.Secret)/2):
				t.Errorf("key not masked: %v", r.Target.Key)
			case len(r.Target.Shadowed) != len(tg.Shadowed):
				t.Errorf("shadowed %+v, want %d", r.Target.Shadowed, len(tg.Shadowed))
			}
			var fails, warns []netcheck.Code
			for _, f := range r.Findings {
				if f.Severity == "fail" {
					fails = append(fails, netcheck.Code(f.Code))
				} else {
					warns = append(warns, netcheck.Code(f.Code))
				}
				if f.Summary == "" || f.Fix == "" {
					t.Errorf("%s has no summary or fix", f.Code)
				}
			}
			want := map[string]int{"ok": exitcode.OK, "degraded": exitcode.Degraded, "down": exitcode.Down}[r.Verdict]
			if code != want {
				t.Errorf("exit %d for verdict %s", code, r.Verdict)
			}
			slices.Sort(fails)
			slices.Sort(warns)
			wantFails, wantWarns := sc.Want()
			wantCode := exitcode.OK
			switch {
			case len(wantFails) > 0:
				wantCode = exitcode.Down
			case len(wantWarns) > 0:
				wantCode = exitcode.Degraded
			}
			if !slices.Equal(fails, wantFails) || !slices.Equal(warns, wantWarns) || code != wantCode {
				t.Errorf("exit %d, fails %v, warns %v; want %d, %v, %v", code, fails, warns, wantCode, wantFails, wantWarns)
			}
		})
	}
}

// TestCheckTable is what a person reads: a row per check, the verdict, and
// each finding with its fix, in English or Chinese.
func TestCheckTable(t *testing.T) {
	isolate(t)
	srv := netchecktest.Start(t, netchecktest.AuthInvalid)
	testOptions = func(o *netcheck.Options) { o.Resolver = srv.Options().Resolver }
	t.Cleanup(func() { testOptions = nil })
	tg := srv.Target()
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"Claude Medic:", "auth", "DOWN", "AUTH_INVALID", "Fix:"}},
		{"zh", []string{"故障", "AUTH_INVALID", "修复："}},
	} {
		code, out, _ := runCLI(t, tg.Credential.Secret, append([]string{"check", "--lang", tc.lang}, flagsFor(tg)...)...)
		if code != exitcode.Down {
			t.Errorf("%s: exit %d", tc.lang, code)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s table lacks %q:\n%s", tc.lang, w, out)
			}
		}
		if strings.Contains(out, "\x1b[") {
			t.Errorf("colour codes written to a non-terminal")
		}
	}
}

// TestCheckBadInput: garbled flags and files get a sentence or a finding,
// never a panic, and usage errors exit 64.
func TestCheckBadInput(t *testing.T) {
	home := isolate(t)
	notPEM := filepath.Join(home, "ca.pem")
	if err := os.WriteFile(notPEM, []byte("this is not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		want     string // in stdout or stderr
	}{
		{"unknown flag", "", []string{"check", "--frobnicate"}, exitcode.Usage, "unknown flag --frobnicate; run 'claudemedic check --help' for its flags"},
		{"key as an argument", "", []string{"check", "sk-ant-api03-abc"}, exitcode.Usage, "--key-stdin"},
		{"negative timeout", "", []string{"check", "--timeout", "-1s"}, exitcode.Usage, "--timeout"},
		{"bad duration", "", []string{"check", "--timeout", "soon"}, exitcode.Usage, "invalid value"},
		{"empty stdin", "", []string{"check", "--key-stdin"}, exitcode.Usage, "standard input was empty"},
		{"garbled base URL", "sk-ant-api03-" + strings.Repeat("x", 90), []string{"check", "--json", "--key-stdin", "--base-url", "ht!tp://[::1"}, exitcode.Down, "CONFIG_INVALID"},
		{"proxy with a space", "sk-ant-api03-" + strings.Repeat("x", 90), []string{"check", "--json", "--key-stdin", "--base-url", "https://127.0.0.1:1", "--proxy", "http://corp proxy:8080"}, exitcode.Down, "PROXY_URL_INVALID"},
		{"quoted key", `"sk-ant-api03-` + strings.Repeat("x", 90) + `"`, []string{"check", "--json", "--key-stdin", "--base-url", "https://127.0.0.1:1", "--timeout", "1s"}, exitcode.Down, "KEY_MALFORMED"},
		{"CA file not PEM", "sk-ant-api03-" + strings.Repeat("x", 90), []string{"check", "--json", "--key-stdin", "--base-url", "https://127.0.0.1:1", "--ca-file", notPEM, "--timeout", "1s"}, exitcode.Down, "CA_FILE_INVALID"},
		{"help", "", []string{"check", "--help"}, exitcode.OK, "Usage: claudemedic check"},
		{"unknown command", "", []string{"frobnicate"}, exitcode.Usage, "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.stdin, tc.args...)
			if code != tc.wantCode || !strings.Contains(out+errOut, tc.want) {
				t.Errorf("exit %d (want %d), output lacks %q:\n%s%s", code, tc.wantCode, tc.want, out, errOut)
			}
			if strings.Contains(out+errOut, "goroutine ") || strings.Contains(out+errOut, "panic") {
				t.Errorf("a stack trace:\n%s", errOut)
			}
		})
	}
}

// TestCheckReadsClaudeCodeSettings: with no flags the check uses what Claude
// Code would use, and says where each value came from; a broken settings file
// is a finding, not a crash.
func TestCheckReadsClaudeCodeSettings(t *testing.T) {
	home := isolate(t)
	srv := netchecktest.Start(t, netchecktest.Healthy)
	testOptions = func(o *netcheck.Options) { o.Resolver = srv.Options().Resolver }
	t.Cleanup(func() { testOptions = nil })
	tg := srv.Target()
	dir := filepath.Join(home, ".claude")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	settings := `{"env": {"ANTHROPIC_BASE_URL": "` + tg.BaseURL.Value + `", "NODE_EXTRA_CA_CERTS": "` + tg.CAFile.Value + `"}}`
	if err := os.WriteFile(filepath.Join(dir, "settings.json"), []byte(settings), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("ANTHROPIC_API_KEY", tg.Credential.Secret)

	code, out, errOut := runCLI(t, "", "check", "--json", "--proxy", "none")
	var r jsonReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	if code != exitcode.OK && code != exitcode.Degraded || r.Target.BaseURLSource != string(claudesettings.SourceUserSettings) || r.Target.KeySource != string(claudesettings.SourceShell) {
		t.Errorf("exit %d, target %+v, findings %+v", code, r.Target, r.Findings)
	}

	if err := os.WriteFile(filepath.Join(dir, "settings.json"), []byte(`{"env": {"A": "b",}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runCLI(t, "", "check", "--json", "--base-url", tg.BaseURL.Value, "--ca-file", tg.CAFile.Value, "--proxy", "none")
	if code != exitcode.Down || !strings.Contains(out, "CONFIG_INVALID") || !strings.Contains(out, "settings.json") {
		t.Errorf("broken settings: exit %d\n%s", code, out)
	}
}
