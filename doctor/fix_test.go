package doctor

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/doctor/doctortest"
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

// isolate is doctortest.Isolate; it returns the user settings file.
func isolate(t *testing.T) string {
	return filepath.Join(doctortest.Isolate(t), ".claude", "settings.json")
}

func writeFile(t *testing.T, path, data string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func str(s string) *string { return &s }

// TestDecide is the fix catalogue's one rule: a finding, where its settings
// come from and the user settings' env give the fix every front end offers.
func TestDecide(t *testing.T) {
	key := "sk-ant-api03-…Wx9Q"
	user := claudesettings.SourceUserSettings
	for _, tc := range []struct {
		name string
		code netcheck.Code
		t    claudesettings.TargetView
		env  map[string]string
		want Fix
	}{
		{"a wrong key in the settings", netcheck.AuthInvalid, claudesettings.TargetView{Key: &key, KeySource: user}, nil, Fix{Kind: FixKey}},
		{"a wrong key in the shell wins over any stored", netcheck.AuthInvalid, claudesettings.TargetView{Key: &key, KeySource: claudesettings.SourceShell}, nil, Fix{}},
		{"no key", netcheck.KeyMissing, claudesettings.TargetView{}, nil, Fix{Kind: FixKey}},
		{"a claude.ai login refused: /login, not a key billed per use", netcheck.AuthInvalid,
			claudesettings.TargetView{Key: &key, KeySource: claudesettings.SourceCredentialsFile, KeyKind: "oauth", KeyLabel: "claude.ai login (Max)"}, nil, Fix{}},
		{"a saved login that does not parse", netcheck.KeyMissing, claudesettings.TargetView{KeySource: claudesettings.SourceCredentialsFile, KeyError: "not valid JSON"}, nil, Fix{}},
		{"timeout", netcheck.TimeoutTooLow, claudesettings.TargetView{}, nil, Fix{Kind: FixTimeout, Var: "API_TIMEOUT_MS"}},
		{"a dead proxy in the settings", netcheck.ProxyUnreachable, claudesettings.TargetView{ProxySource: user}, nil, Fix{Kind: FixRemoveProxy, Var: "HTTPS_PROXY"}},
		{"a dead proxy in the shell", netcheck.ProxyUnreachable, claudesettings.TargetView{ProxySource: claudesettings.SourceShell}, nil, Fix{}},
		{"local through the proxy", netcheck.ProxyCatchesLocal, claudesettings.TargetView{BaseURL: "https://127.0.0.1:8443", NoProxy: str("corp.example")}, nil,
			Fix{Kind: FixNoProxy, Var: "NO_PROXY", Value: "corp.example,localhost,127.0.0.1"}},
		{"a stale base URL in the settings", netcheck.TCPRefused, claudesettings.TargetView{BaseURLSource: user}, nil, Fix{Kind: FixRemoveBase, Var: "ANTHROPIC_BASE_URL"}},
		{"a stale base URL in ~/.bashrc", netcheck.TCPRefused, claudesettings.TargetView{BaseURLSource: claudesettings.SourceLoginShell}, nil, Fix{}},
		{"an inspecting proxy", netcheck.TLSUntrusted, claudesettings.TargetView{}, nil, Fix{Kind: FixCAFile, Var: "NODE_EXTRA_CA_CERTS"}},
		{"overloaded", netcheck.Overloaded, claudesettings.TargetView{}, nil, Fix{Kind: FixRetries, Var: "CLAUDE_CODE_MAX_RETRIES", Value: "15"}},
		{"rate limited: wait, no button", netcheck.RateLimited, claudesettings.TargetView{}, nil, Fix{}},
		{"betas rejected", netcheck.BetaRejected, claudesettings.TargetView{}, nil, Fix{Kind: FixDisableBetas, Var: "CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS", Value: "1"}},
		{"/v1 in the settings' base URL", netcheck.BaseURLPath, claudesettings.TargetView{BaseURL: "https://relay.example.com/v1", BaseURLSource: user}, nil,
			Fix{Kind: FixBaseURLPath, Var: "ANTHROPIC_BASE_URL", Value: "https://relay.example.com"}},
		{"/v1/ and a port", netcheck.BaseURLPath, claudesettings.TargetView{BaseURL: "http://127.0.0.1:3456/api/v1/", BaseURLSource: user}, nil,
			Fix{Kind: FixBaseURLPath, Var: "ANTHROPIC_BASE_URL", Value: "http://127.0.0.1:3456/api"}},
		{"/v1 in the shell's base URL", netcheck.BaseURLPath, claudesettings.TargetView{BaseURL: "https://relay.example.com/v1", BaseURLSource: claudesettings.SourceShell}, nil, Fix{}},
		{"a key in the settings over the login", netcheck.KeyOverridesLogin, claudesettings.TargetView{Key: &key, KeySource: user, KeyKind: "api-key"},
			map[string]string{"ANTHROPIC_API_KEY": "sk-ant-api03-x"}, Fix{Kind: FixRemoveOverride, Var: "ANTHROPIC_API_KEY"}},
		{"a key in the shell over the login", netcheck.KeyOverridesLogin, claudesettings.TargetView{Key: &key, KeySource: claudesettings.SourceShell, KeyKind: "api-key"},
			map[string]string{"ANTHROPIC_API_KEY": "sk-ant-api03-x"}, Fix{}},
		{"a token and a key in the settings", netcheck.AuthConflict, claudesettings.TargetView{Key: &key, KeySource: user, KeyKind: "bearer"},
			map[string]string{"ANTHROPIC_API_KEY": "a", "ANTHROPIC_AUTH_TOKEN": "b"}, Fix{Kind: FixRemoveOverride, Var: "ANTHROPIC_AUTH_TOKEN"}},
		{"the winning token is not in the user file", netcheck.AuthConflict, claudesettings.TargetView{Key: &key, KeySource: user, KeyKind: "bearer"},
			map[string]string{"ANTHROPIC_API_KEY": "a"}, Fix{}},
		{"an expired login: the written fix, /login", netcheck.LoginExpired, claudesettings.TargetView{}, nil, Fix{}},
		{"invalid JSON is never overwritten", netcheck.ConfigInvalid, claudesettings.TargetView{}, nil, Fix{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.want.Code = tc.code
			got := Decide(netcheck.Finding{Code: tc.code}, tc.t, tc.env)
			if got != tc.want {
				t.Errorf("Decide = %+v, want %+v", got, tc.want)
			}
			if got.Kind != FixNone {
				if en, zh := got.Label(i18n.For("en")), got.Label(i18n.For("zh")); en == "" || zh == "" || en == zh {
					t.Errorf("labels %q and %q", en, zh)
				}
				if d := got.Describe(i18n.For("en"), "/home/me/.claude/settings.json"); !strings.Contains(d, "settings.json") {
					t.Errorf("Describe = %q: it does not say which file", d)
				}
			}
		})
	}
}

func report(target claudesettings.TargetView, codes ...netcheck.Code) *netcheck.Report {
	r := &netcheck.Report{Schema: netcheck.Schema, Target: target, StartedAt: time.Now().UTC()}
	for _, c := range codes {
		e, _ := netcheck.Lookup(c)
		r.Findings = append(r.Findings, netcheck.Finding{Code: c, Severity: e.Severity, Summary: e.Summary, Fix: e.Fix})
	}
	r.Verdict = netcheck.VerdictOf(r.Findings)
	return r
}

// TestRemediesChangedSince: a fix is refused, changing nothing, when the user
// settings changed since the diagnosis read them; the remedies' own edits are
// no such change, so two fixes of one diagnosis both apply, and each undoes.
func TestRemediesChangedSince(t *testing.T) {
	file := isolate(t)
	writeFile(t, file, `{"env": {"ANTHROPIC_BASE_URL": "https://relay.example.com/v1"}}`)
	d := &Doctor{Settings: UserSettings{}}
	r := report(claudesettings.TargetView{BaseURL: "https://relay.example.com/v1", BaseURLSource: claudesettings.SourceUserSettings},
		netcheck.BetaRejected, netcheck.BaseURLPath)

	rem := d.Remedies(r)
	if rem.File != file || rem.Fixes[0].Kind != FixDisableBetas || rem.Fixes[1].Kind != FixBaseURLPath {
		t.Fatalf("remedies for %s: %+v", rem.File, rem.Fixes)
	}
	edited := `{"env": {"ANTHROPIC_BASE_URL": "https://relay.example.com/v1", "MINE": "1"}}`
	writeFile(t, file, edited)
	if c, err := rem.Apply(context.Background(), 0, ""); !errors.Is(err, ErrChangedSince) || c != nil {
		t.Fatalf("after an edit elsewhere Apply = %v, %v; want ErrChangedSince", c, err)
	}
	if got, _ := os.ReadFile(file); string(got) != edited {
		t.Fatalf("a refused fix changed the file:\n%s", got)
	}
	if text, known := Explain(errors.Join(ErrChangedSince), i18n.For("zh")); !known || !strings.Contains(text, "没有做任何修改") {
		t.Errorf("Explain in Chinese: %q, %v", text, known)
	}

	rem = d.Remedies(r) // a new check reads the file again
	c1, err := rem.Apply(context.Background(), 0, "")
	if err != nil {
		t.Fatal(err)
	}
	c2, err := rem.Apply(context.Background(), 1, "")
	if err != nil {
		t.Fatalf("the second fix after the first: %v", err)
	}
	f, err := claudecfg.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	env := f.Values["env"].(map[string]any)
	if env["CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS"] != "1" || env["ANTHROPIC_BASE_URL"] != "https://relay.example.com" || env["MINE"] != "1" {
		t.Errorf("after both fixes the env is %v", env)
	}
	if !c1.Undoable() || c1.Backup == "" || len(c2.Lines) != 1 {
		t.Errorf("changes %+v, %+v", c1, c2)
	}
	for _, c := range []*Change{c2, c1} {
		if err := d.Settings.Undo(c); err != nil {
			t.Fatal(err)
		}
	}
	if got, _ := os.ReadFile(file); string(got) != edited {
		t.Errorf("undoing both gives\n%s\nwant\n%s", got, edited)
	}
	if _, err := rem.Apply(context.Background(), 0, "x"); err == nil {
		t.Error("applied a fix after the file was undone behind the remedies' back")
	}
}

// TestRemediesNeedInput: the key and CA fixes need their input, and a window
// with no settings or keychain wired offers nothing.
func TestRemediesNeedInput(t *testing.T) {
	isolate(t)
	r := report(claudesettings.TargetView{}, netcheck.KeyMissing, netcheck.TLSUntrusted, netcheck.RateLimited)
	d := &Doctor{Settings: UserSettings{}, Keys: Keychain{Profile: "unused"}}
	rem := d.Remedies(r)
	for i, want := range []Input{InputKey, InputCAFile, InputNone} {
		if got := rem.Fixes[i].Input(); got != want {
			t.Errorf("fix %d needs %q, want %q", i, got, want)
		}
	}
	if _, err := rem.Apply(context.Background(), 1, ""); !errors.Is(err, ErrNeedsInput) {
		t.Errorf("the CA fix without a file: %v", err)
	}
	if _, err := rem.Apply(context.Background(), 2, ""); err == nil {
		t.Error("applied a fix to a finding that has none")
	}
	if !rem.Any() {
		t.Error("Any() is false with two fixes")
	}
	if rem := (&Doctor{}).Remedies(r); rem.Any() {
		t.Errorf("with nothing wired: %+v", rem.Fixes)
	}
}

// TestResolveOverrides: the flags are sources, and a key on stdin means the
// failing apiKeyHelper is never run.
func TestResolveOverrides(t *testing.T) {
	file := isolate(t)
	writeFile(t, file, `{"apiKeyHelper": "echo broken >&2; exit 7", "env": {"HTTPS_PROXY": "http://127.0.0.1:1"}}`)
	home := filepath.Dir(filepath.Dir(file))
	src := claudecfg.ResolveOptions{Environ: []string{"HOME=" + home}}

	tg, err := Resolve(context.Background(), src, Overrides{})
	if err != nil {
		t.Fatal(err)
	}
	if tg.Credential.Err == nil || tg.Credential.Source != claudesettings.SourceAPIKeyHelper {
		t.Fatalf("without overrides the failing helper is not the credential: %+v %+v", tg.Credential, tg.Problems)
	}
	tg, err = Resolve(context.Background(), src, Overrides{BaseURL: "https://127.0.0.1:9", Proxy: NoProxy, CAFile: "/etc/ca.pem", Key: "sk-ant-api03-stdin"})
	if err != nil {
		t.Fatal(err)
	}
	v := tg.View()
	if v.BaseURL != "https://127.0.0.1:9" || v.BaseURLSource != claudesettings.SourceFlag || v.Proxy != nil || v.CAFileSource != claudesettings.SourceFlag {
		t.Errorf("target %+v", v)
	}
	if tg.Credential.Secret != "sk-ant-api03-stdin" || v.KeySource != claudesettings.SourceStdin || tg.Credential.Err != nil || len(tg.Problems) != 0 {
		t.Errorf("with a key on stdin: %+v, problems %+v", v, tg.Problems)
	}
}

func TestCompare(t *testing.T) {
	before := report(claudesettings.TargetView{}, netcheck.TimeoutTooLow, netcheck.SlowResponse)
	after := report(claudesettings.TargetView{}, netcheck.SlowResponse, netcheck.UpstreamIncident)
	c := Compare(before, after)
	if strings.Join(codes(c.Fixed), ",") != "TIMEOUT_TOO_LOW" || strings.Join(codes(c.Remaining), ",") != "SLOW_RESPONSE" || strings.Join(codes(c.New), ",") != "UPSTREAM_INCIDENT" {
		t.Errorf("Compare = %+v", c)
	}
}

func codes(cs []netcheck.Code) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = string(c)
	}
	return out
}

// TestWaterfall: the phases follow one another on one axis, the total from
// 0, and the terminal draws them in either language.
func TestWaterfall(t *testing.T) {
	ms := time.Millisecond
	tm := netcheck.Timings{DNS: 10 * ms, Connect: 20 * ms, TLS: 30 * ms, FirstByte: 140 * ms, Total: 200 * ms}
	phases, axis := Waterfall(tm)
	if axis != 200*ms || len(phases) != 5 || phases[3].From != 60*ms || phases[3].Duration != 140*ms || phases[4].From != 0 {
		t.Fatalf("Waterfall = %+v, %v", phases, axis)
	}
	if _, axis := Waterfall(netcheck.Timings{}); axis != 0 {
		t.Errorf("no request: axis %v", axis)
	}
	// With marks each bar ends where its phase did: here the first byte
	// came 50 ms after the handshake (the request was written in between).
	marked := netcheck.Timings{DNS: 10 * ms, Connect: 20 * ms, TLS: 30 * ms, FirstByte: 90 * ms, Total: 200 * ms,
		DNSDoneAt: 10 * ms, ConnectedAt: 30 * ms, TLSDoneAt: 60 * ms, FirstByteAt: 200 * ms, EndAt: 210 * ms}
	phases, axis = Waterfall(marked)
	if axis != 210*ms || phases[1].From != 10*ms || phases[3].From != 110*ms || phases[4].Duration != 210*ms {
		t.Errorf("Waterfall with marks = %+v, %v", phases, axis)
	}
	for _, lang := range []string{"en", "zh"} {
		var b bytes.Buffer
		WriteWaterfall(&b, tm, i18n.For(lang))
		lines := strings.Split(strings.TrimSpace(b.String()), "\n")
		if len(lines) != 6 {
			t.Fatalf("%s: %d lines:\n%s", lang, len(lines), b.String())
		}
		bar := func(i int) string { return strings.Split(lines[i], "│")[1] }
		if n := strings.Count(bar(5), "█"); n != barWidth {
			t.Errorf("%s: the total bar is %d wide:\n%s", lang, n, b.String())
		}
		if !strings.HasPrefix(bar(4), strings.Repeat(" ", 12)+"█") || strings.Count(bar(1), "█") != 2 {
			t.Errorf("%s: the bars are not on one axis:\n%s", lang, b.String())
		}
		if displayWidth(strings.Split(lines[1], "│")[0]) != displayWidth(strings.Split(lines[5], "│")[0]) {
			t.Errorf("%s: the names are not padded to one width:\n%s", lang, b.String())
		}
	}
}

// TestRenderersNameTheCredential: the text and Markdown reports say which
// credential wins and which it hides, masked, in either language.
func TestRenderersNameTheCredential(t *testing.T) {
	key, login := "sk-ant-api03…9-AA", "sk-ant-oat01…9-AA"
	r := report(claudesettings.TargetView{BaseURL: claudesettings.DefaultBaseURL, BaseURLSource: claudesettings.SourceDefault,
		Key: &key, KeySource: claudesettings.SourceShell, KeyKind: "api-key", KeyLabel: "ANTHROPIC_API_KEY",
		Shadowed: []claudesettings.CredentialView{{Key: &login, Label: "claude.ai login (Max)", Source: claudesettings.SourceCredentialsFile}}},
		netcheck.KeyOverridesLogin)
	for _, lang := range []string{"en", "zh"} {
		var b bytes.Buffer
		WriteText(&b, r, i18n.For(lang), false)
		for _, want := range []string{key + ", ANTHROPIC_API_KEY (shell)", login + ", claude.ai login (Max)", "KEY_OVERRIDES_LOGIN"} {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s: the text report lacks %q:\n%s", lang, want, b.String())
			}
		}
	}
	md := Markdown(r, "en", "2.1.330")
	if !strings.Contains(md, "ANTHROPIC_API_KEY") || !strings.Contains(md, "| also set, not sent | `"+login+"` claude.ai login (Max) |") {
		t.Errorf("the Markdown report:\n%s", md)
	}
}
