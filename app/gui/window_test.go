package gui

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/doctor/doctortest"
	"claudemedic/internal/pages"
	"claudemedic/internal/state"
	"claudemedic/keystore"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// fixture is the window on the real packages: Claude Code's settings in a
// t.TempDir HOME (claudecfg), the state folder there (state), and the checks
// (netcheck) run against a netchecktest fake API on 127.0.0.1.
type fixture struct {
	t       *testing.T
	home    string
	srv     *netchecktest.Server
	svc     *Services
	w       *Window
	resolve func(ctx context.Context) (claudesettings.Target, error) // nil: the settings, as Claude Code reads them
}

// isolate is doctortest.Isolate: a fresh home, none of the real shell's variables.
func isolate(t *testing.T) string { return doctortest.Isolate(t) }

func newFixture(t *testing.T, sc netchecktest.Scenario) *fixture {
	t.Helper()
	f := &fixture{t: t, home: isolate(t)}
	f.srv = netchecktest.Start(t, sc)
	f.writeSettings(f.srv.Target())
	environ := []string{"HOME=" + f.home, "PATH=" + os.Getenv("PATH")}
	resolve := func(ctx context.Context) (claudesettings.Target, error) {
		return claudecfg.Resolve(ctx, claudecfg.ResolveOptions{Environ: environ})
	}
	f.svc = &Services{
		Doctor: doctor.Doctor{
			Resolve: resolve,
			Check: func(ctx context.Context, tg claudesettings.Target, o netcheck.Options) *netcheck.Report {
				so := f.srv.Options() // the fake DNS, status page and the scenario's short limits
				o.Resolver, o.StatusURL, o.SlowAfter, o.StreamIdle = so.Resolver, so.StatusURL, so.SlowAfter, so.StreamIdle
				if so.Timeout > 0 {
					o.Timeout = so.Timeout
				}
				return netcheck.Run(ctx, tg, o)
			},
			Record:   state.Record,
			History:  doctor.History,
			Settings: doctor.UserSettings{Resolve: resolve},
		},
		Last: lastReport,
	}
	f.w = New(test.NewTempApp(t), f.svc)
	f.w.win.Resize(fyne.NewSize(880, 680))
	return f
}

// writeSettings puts the scenario's target into the user settings' env, as a
// person's ~/.claude/settings.json would hold it.
func (f *fixture) writeSettings(tg claudesettings.Target) {
	doctortest.WriteUserSettings(f.t, f.home, tg)
}

// userEnv reads the user settings' env back.
func (f *fixture) userEnv() map[string]string {
	f.t.Helper()
	data, err := os.ReadFile(filepath.Join(f.home, ".claude", "settings.json"))
	if err != nil {
		f.t.Fatal(err)
	}
	var s struct{ Env map[string]string }
	if err := json.Unmarshal(data, &s); err != nil {
		f.t.Fatalf("settings.json after the fix: %v\n%s", err, data)
	}
	return s.Env
}

// findVisible finds the first visible object of type T under o that match accepts.
func findVisible[T fyne.CanvasObject](o fyne.CanvasObject, match func(T) bool) T {
	var found T
	done := false
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if done || o == nil || !o.Visible() {
			return
		}
		if v, ok := o.(T); ok && match(v) {
			found, done = v, true
			return
		}
		switch v := o.(type) {
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return found
}

// findButton finds a visible button by its text under o.
func findButton(o fyne.CanvasObject, text string) *widget.Button {
	return findVisible(o, func(b *widget.Button) bool { return b.Text == text })
}

// TestWizardWalks walks the wizard from the text Claude Code printed to a
// fix for real faults: it pastes the message, runs the symptom's checks
// against the fake API, expects the finding and its fix button, applies
// the fix, and reads the change back from settings.json.
func TestWizardWalks(t *testing.T) {
	for _, tc := range []struct {
		scenario netchecktest.Scenario
		message  string // what Claude Code printed (claude-code-messages.md)
		symptom  doctor.Symptom
		code     netcheck.Code
		fix      doctor.Kind
		check    func(t *testing.T, env map[string]string)
		retest   bool // the fix cures the fault: the re-test shows no finding
	}{
		{netchecktest.TimeoutTooLow, "Request timed out. If the API is slow to answer, or a proxy or gateway holds responses, set API_TIMEOUT_MS above 8000.",
			doctor.SymptomTimeout, netcheck.TimeoutTooLow, doctor.FixTimeout, func(t *testing.T, env map[string]string) {
				if env["API_TIMEOUT_MS"] == "5000" || env["API_TIMEOUT_MS"] == "" {
					t.Errorf("API_TIMEOUT_MS = %q, want it raised from 5000", env["API_TIMEOUT_MS"])
				}
			}, true},
		{netchecktest.ProxyUnreachable, "API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)",
			doctor.SymptomConnection, netcheck.ProxyUnreachable, doctor.FixRemoveProxy, func(t *testing.T, env map[string]string) {
				if v, ok := env["HTTPS_PROXY"]; ok {
					t.Errorf("HTTPS_PROXY = %q, want it removed", v)
				}
			}, false},
		{netchecktest.ProxySocksUnsupported, "API Error: Unable to connect to API (UnsupportedProxyProtocol)",
			doctor.SymptomConnection, netcheck.ProxySocksUnsupported, doctor.FixRemoveProxy, func(t *testing.T, env map[string]string) {
				if v, ok := env["HTTPS_PROXY"]; ok {
					t.Errorf("HTTPS_PROXY = %q, want it removed", v)
				}
			}, false},
		{netchecktest.ProxyCatchesLocal, "API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)",
			doctor.SymptomConnection, netcheck.ProxyCatchesLocal, doctor.FixNoProxy, func(t *testing.T, env map[string]string) {
				if !strings.Contains(env["NO_PROXY"], "127.0.0.1") {
					t.Errorf("NO_PROXY = %q, want 127.0.0.1 in it", env["NO_PROXY"])
				}
			}, true},
		{netchecktest.Overloaded, "API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment.",
			doctor.SymptomOverloaded, netcheck.Overloaded, doctor.FixRetries, func(t *testing.T, env map[string]string) {
				if env["CLAUDE_CODE_MAX_RETRIES"] != "15" {
					t.Errorf("CLAUDE_CODE_MAX_RETRIES = %q, want 15", env["CLAUDE_CODE_MAX_RETRIES"])
				}
			}, false},
		{netchecktest.TCPRefused, "API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)",
			doctor.SymptomConnection, netcheck.TCPRefused, doctor.FixRemoveBase, func(t *testing.T, env map[string]string) {
				if v, ok := env["ANTHROPIC_BASE_URL"]; ok {
					t.Errorf("ANTHROPIC_BASE_URL = %q, want it removed", v)
				}
			}, false}, // a re-test would go to api.anthropic.com: never from a test
		{netchecktest.TLSUntrusted, "API Error: Unable to connect to API: Self-signed certificate detected (SELF_SIGNED_CERT_IN_CHAIN).",
			doctor.SymptomCertificate, netcheck.TLSUntrusted, doctor.FixCAFile, func(t *testing.T, env map[string]string) {
				if !strings.HasSuffix(env["NODE_EXTRA_CA_CERTS"], "corp-ca.pem") {
					t.Errorf("NODE_EXTRA_CA_CERTS = %q, want the chosen corp-ca.pem", env["NODE_EXTRA_CA_CERTS"])
				}
			}, false},
	} {
		t.Run(string(tc.scenario), func(t *testing.T) {
			f := newFixture(t, tc.scenario)
			f.w.show(pages.Wizard)
			wz := f.w.wizard
			test.Type(wz.paste, tc.message)
			if wz.symptom != tc.symptom {
				t.Fatalf("pasting %q chose %s, want %s", tc.message, wz.symptom, tc.symptom)
			}
			test.Tap(wz.runBtn)
			settle(t)
			if wz.before == nil {
				t.Fatalf("no report after the run: %s", resultText(wz.content))
			}
			if !wz.before.Has(tc.code) {
				t.Fatalf("findings %v, want %s", codes(wz.before), tc.code)
			}
			fix := fixOf(f.svc.Remedies(wz.before), tc.code)
			if fix.Kind != tc.fix {
				t.Fatalf("the fix of %s is %q, want %q", tc.code, fix.Kind, tc.fix)
			}
			btn := findButton(wz.result, fix.Label(tr()))
			if btn == nil {
				t.Fatalf("no %q button for %s", fix.Label(tr()), tc.code)
			}
			if tc.fix == doctor.FixCAFile { // the file chooser: the test picks a PEM file
				pem := filepath.Join(t.TempDir(), "corp-ca.pem")
				ca, err := os.ReadFile(f.srv.CAFile())
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(pem, ca, 0o600); err != nil {
					t.Fatal(err)
				}
				f.w.chooseFile = func(done func(string)) { done(pem) }
			}
			before := f.userEnv()
			test.Tap(btn)
			settle(t)
			if btn.Text != en("fix.applied") {
				t.Fatalf("after the tap the button says %q (%s)", btn.Text, resultText(wz.result))
			}
			after := f.userEnv()
			tc.check(t, after)
			if reflect.DeepEqual(before, after) {
				t.Errorf("settings.json did not change: %v", after)
			}
			if tc.retest {
				test.Tap(findButton(f.w.wizard.content, en("wizard.retest")))
				settle(t)
				r := f.w.status.report
				if r.Has(tc.code) {
					t.Errorf("the re-test still finds %s: %v", tc.code, codes(r))
				}
				if findButton(wz.result, en("wizard.retest")) != nil && !strings.Contains(resultText(wz.result), en("wizard.after")) {
					t.Errorf("the re-test shows no before and after")
				}
			}
		})
	}
}

// en is the English text of a translation key.
func en(key string) string {
	m := map[string]string{}
	data, _ := os.ReadFile("../../assets/lang/en.json")
	_ = json.Unmarshal(data, &m)
	return m[key]
}

func codes(r *netcheck.Report) []netcheck.Code {
	var c []netcheck.Code
	for _, f := range r.Findings {
		c = append(c, f.Code)
	}
	return c
}

// fixOf is the fix doctor decides for the finding with code.
func fixOf(rem *doctor.Remedies, code netcheck.Code) doctor.Fix {
	for _, f := range rem.Fixes {
		if f.Code == code {
			return f
		}
	}
	return doctor.Fix{}
}

// resultText is every label's text under o, for failure messages.
func resultText(o fyne.CanvasObject) string {
	var b strings.Builder
	var walk func(fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *wrapLabel:
			b.WriteString(v.Text + "\n")
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		case fyne.Widget:
			for _, c := range test.WidgetRenderer(v).Objects() {
				walk(c)
			}
		}
	}
	walk(o)
	return b.String()
}

// TestLastReportBeforeNetwork opens the window while the network check
// cannot return, and finds the agent's last report on screen already.
func TestLastReportBeforeNetwork(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	last := sampleReport()
	if err := state.Record(last); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	check := f.svc.Check
	f.svc.Check = func(ctx context.Context, tg claudesettings.Target, o netcheck.Options) *netcheck.Report {
		<-release // the network has not answered yet
		return check(ctx, tg, o)
	}
	f.w.Open(pages.Status)
	s := f.w.status
	if s.report == nil || s.headline.Text != verdictText(last.Verdict) {
		t.Errorf("before any check returned the headline says %q, want the last report's %q", s.headline.Text, verdictText(last.Verdict))
	}
	if len(s.findings.Objects) != len(last.Findings) {
		t.Errorf("shows %d findings, the last report has %d", len(s.findings.Objects), len(last.Findings))
	}
	if !s.running {
		t.Error("no check is running after opening the status page")
	}
	close(release)
	settle(t)
	if s.running || s.report == last || s.report.Verdict != netcheck.VerdictOK {
		t.Errorf("after the check: running=%v verdict=%s, want the fresh ok report", s.running, s.report.Verdict)
	}
	if len(s.checks.Objects) != len(s.report.Checks) || len(s.report.Checks) < 5 {
		t.Errorf("%d check rows for %d checks", len(s.checks.Objects), len(s.report.Checks))
	}
}

// TestCheckNowCancel cancels a check that cannot finish and finds the last report back.
func TestCheckNowCancel(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	started := make(chan struct{})
	f.svc.Check = func(ctx context.Context, tg claudesettings.Target, o netcheck.Options) *netcheck.Report {
		close(started)
		<-ctx.Done()
		return &netcheck.Report{Verdict: netcheck.VerdictUnknown}
	}
	s := f.w.status
	test.Tap(s.checkBtn)
	<-started
	if s.checkBtn.Text != en("status.cancel") {
		t.Fatalf("while checking the button says %q", s.checkBtn.Text)
	}
	test.Tap(s.checkBtn)
	settle(t)
	if s.running || s.progressMsg.Text != en("status.cancelled") {
		t.Errorf("after cancelling: running=%v message=%q", s.running, s.progressMsg.Text)
	}
}

// TestCopyReportHasNoKey runs a real check with a key and copies the report.
func TestCopyReportHasNoKey(t *testing.T) {
	f := newFixture(t, netchecktest.AuthInvalid)
	test.Tap(f.w.status.checkBtn)
	settle(t)
	if f.w.status.report == nil {
		t.Fatalf("no report: %s", f.w.status.progressMsg.Text)
	}
	bin := t.TempDir() // Claude Code, as far as its version goes
	if err := os.WriteFile(filepath.Join(bin, "claude"), []byte("#!/bin/sh\necho '2.1.330 (Claude Code)'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	test.Tap(f.w.status.copyBtn)
	settle(t)
	md := f.w.app.Clipboard().Content()
	for _, want := range []string{"# Claude Medic report", "AUTH_INVALID", "Claude Code 2.1.330 (Claude Code)", "ANTHROPIC_BASE_URL", string(claudesettings.SourceUserSettings), "System:", "Versions:"} {
		if !strings.Contains(md, want) {
			t.Errorf("the report lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, netchecktest.TestKey) || strings.Contains(md, netchecktest.TestKey[20:60]) {
		t.Errorf("the copied report holds the key:\n%s", md)
	}
}

// sampleReport is a fixed report for the golden files.
func sampleReport() *netcheck.Report {
	login, key := "sk-ant-oat01…AA", "sk-ant-api03-…Wx9Q"
	expires := time.Date(2026, 11, 21, 18, 0, 0, 0, time.UTC)
	ms := func(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
	r := &netcheck.Report{
		Schema: netcheck.Schema,
		Target: claudesettings.TargetView{BaseURL: claudesettings.DefaultBaseURL, BaseURLSource: claudesettings.SourceDefault, // a subscriber, with an old key in the shell
			Key: &login, KeySource: claudesettings.SourceCredentialsFile, KeyKind: "oauth", KeyLabel: "claude.ai login (Max)", KeyExpiresAt: &expires,
			Shadowed: []claudesettings.CredentialView{{Key: &key, Label: "ANTHROPIC_API_KEY", Source: claudesettings.SourceShell, Kind: "api-key"}}},
		StartedAt: time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC),
		Duration:  ms(412.5),
		Checks: []netcheck.CheckResult{
			{ID: netcheck.CheckDNS, Status: netcheck.StatusPass, Duration: ms(3.1), Summary: claudesettings.Text{EN: "api.anthropic.com → 2 addresses", ZH: "api.anthropic.com → 2 个地址"}},
			{ID: netcheck.CheckTCP, Status: netcheck.StatusPass, Duration: ms(21.7), Summary: claudesettings.Text{EN: "connected over IPv4", ZH: "已通过 IPv4 连接"}},
			{ID: netcheck.CheckTLS, Status: netcheck.StatusPass, Duration: ms(48.2), Summary: claudesettings.Text{EN: "TLS 1.3, h2", ZH: "TLS 1.3，h2"}},
			{ID: netcheck.CheckAuth, Status: netcheck.StatusWarn, Duration: ms(310.4), Summary: claudesettings.Text{EN: "200 in 310 ms", ZH: "200，用时 310 毫秒"}},
		},
		Findings: []netcheck.Finding{{Code: netcheck.SlowResponse, Severity: netcheck.SeverityWarn, Check: netcheck.CheckAuth,
			Summary: claudesettings.Text{EN: "The first byte took 3.2 s.", ZH: "首字节用了 3.2 秒。"},
			Fix:     claudesettings.Text{EN: "Raise API_TIMEOUT_MS, or check the proxy.", ZH: "调高 API_TIMEOUT_MS，或检查代理。"}}},
		Timings: netcheck.Timings{DNS: ms(3.1), Connect: ms(21.7), TLS: ms(48.2), FirstByte: ms(310.4), Total: ms(385.0)},
	}
	r.Verdict = netcheck.VerdictOf(r.Findings)
	return r
}

// cacheFixture is the window on the cache page over the real claudecfg, with
// a debug log (cache) and a transcript (user data) in Claude Code's folder;
// running is what the "Claude Code is running" guard sees instead of the
// machine's processes (where the developer's own claude may run).
func cacheFixture(t *testing.T, running ...int) (f *fixture, debug, project string) {
	f = newFixture(t, netchecktest.Healthy)
	f.svc.Cache = claudeCache{processes: func() []int { return running }}
	debug = filepath.Join(f.home, ".claude", "debug", "latest.txt")
	project = filepath.Join(f.home, ".claude", "projects", "demo", "chat.jsonl")
	for _, p := range []string{debug, project} {
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("kept byte for byte"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	f.w.show(pages.Cache)
	settle(t)
	return f, debug, project
}

// TestCacheClearUndo clears Claude Code's cache from the cache page and undoes it.
func TestCacheClearUndo(t *testing.T) {
	f, debug, project := cacheFixture(t)
	c := f.w.cache
	if _, ok := c.checks["projects"]; !ok || c.checks["projects"].Checked {
		t.Fatalf("projects (user data) should be listed unticked: %v", c.checks)
	}
	test.Tap(c.clear)
	settle(t)
	if _, err := os.Stat(debug); !os.IsNotExist(err) {
		t.Fatalf("debug/ is still there after Clear (%v): %s", err, c.msg.Text)
	}
	if _, err := os.Stat(project); err != nil {
		t.Fatalf("Clear moved the unticked projects/: %v", err)
	}
	test.Tap(c.undo)
	settle(t)
	if data, err := os.ReadFile(debug); err != nil || string(data) != "kept byte for byte" {
		t.Fatalf("Undo did not bring debug/ back: %q, %v (%s)", data, err, c.msg.Text)
	}
}

// TestCacheClearWaitsForClaude: while Claude Code runs, Clear moves nothing
// and says why, naming the process.
func TestCacheClearWaitsForClaude(t *testing.T) {
	f, debug, _ := cacheFixture(t, 4242)
	c := f.w.cache
	test.Tap(c.clear)
	settle(t)
	if _, err := os.Stat(debug); err != nil {
		t.Fatalf("Clear moved debug/ while Claude Code runs: %v", err)
	}
	if !strings.Contains(c.msg.Text, "Claude Code is running") || !strings.Contains(c.msg.Text, "4242") || strings.Contains(c.msg.Text, "--force") {
		t.Errorf("the message does not say Claude Code (process 4242) is running: %q", c.msg.Text)
	}
	if c.undo.Visible() {
		t.Error("Undo is offered after a refused clear")
	}
}

// TestSettingsSaveUndo saves a timeout on the settings page, sees what
// changed in which file, and undoes it.
func TestSettingsSaveUndo(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	f.w.show(pages.Settings)
	settle(t)
	s := f.w.settings
	s.timeout.SetText("")
	test.Type(s.timeout, "900000")
	test.Tap(findButton(s.content, en("settings.save")))
	settle(t)
	if got := f.userEnv()["API_TIMEOUT_MS"]; got != "900000" {
		t.Fatalf("API_TIMEOUT_MS = %q after Save (%s)", got, s.msg.Text)
	}
	if text := resultText(s.changes); !strings.Contains(text, "settings.json") || !strings.Contains(text, "API_TIMEOUT_MS") {
		t.Errorf("the change notice does not say what changed where: %q", text)
	}
	test.Tap(findButton(s.changes, en("change.undo")))
	settle(t)
	if got, ok := f.userEnv()["API_TIMEOUT_MS"]; ok {
		t.Errorf("API_TIMEOUT_MS = %q after Undo, want it gone again", got)
	}
}

// TestFirstLaunchWithoutKey opens the window where no credential exists:
// the wizard's key step comes up.
func TestFirstLaunchWithoutKey(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	tg := f.srv.Target()
	tg.Credential = claudesettings.Credential{}
	f.writeSettings(tg)
	f.w.Open(pages.Status)
	settle(t)
	if f.w.tabs.SelectedIndex() != 1 || f.w.wizard == nil || f.w.wizard.keyEntry == nil {
		t.Fatalf("with no key the window shows tab %d, not the wizard's key step", f.w.tabs.SelectedIndex())
	}
	if !f.w.wizard.keyEntry.Password {
		t.Error("the key entry does not mask the key")
	}
}

// findPasswordEntry finds the first visible password entry under o.
func findPasswordEntry(o fyne.CanvasObject) *widget.Entry {
	return findVisible(o, func(e *widget.Entry) bool { return e.Password })
}

// TestWizardKeyFix walks "Invalid API key" to a new key in the real
// keychain (gnome-keyring on the test's private D-Bus): the key lands in the
// keychain, apiKeyHelper in the settings, and the failed plaintext key leaves
// the settings and every backup.
func TestWizardKeyFix(t *testing.T) {
	if os.Getenv("DBUS_SESSION_BUS_ADDRESS") == "" {
		if os.Getenv("CLAUDEMEDIC_TEST_DESKTOP") == "1" {
			t.Fatal("CLAUDEMEDIC_TEST_DESKTOP=1 but no D-Bus session for the keychain")
		}
		t.Skip("no D-Bus session for the keychain (run under scripts/testenv.sh)")
	}
	f := newFixture(t, netchecktest.AuthInvalid)
	profile := "guitest" + strconv.FormatInt(time.Now().UnixNano(), 36)
	f.svc.Keys = doctor.Keychain{Profile: profile, Executable: "/bin/true"} // a helper that cannot start this test binary
	t.Cleanup(func() { keystore.Delete(context.Background(), profile) })
	f.w.show(pages.Wizard)
	wz := f.w.wizard
	test.Type(wz.paste, "Invalid API key · Fix external API key")
	test.Tap(wz.runBtn)
	settle(t)
	if !wz.before.Has(netcheck.AuthInvalid) {
		t.Fatalf("findings %v, want AUTH_INVALID", codes(wz.before))
	}
	btn := findButton(wz.result, doctor.Fix{Kind: doctor.FixKey}.Label(tr()))
	if btn == nil {
		t.Fatal("no key fix button")
	}
	test.Tap(btn)
	entry := findPasswordEntry(wz.result)
	if entry == nil {
		t.Fatal("the key fix shows no masked entry")
	}
	newKey := "sk-ant-api03-" + strings.Repeat("n3wKey", 15) + "-AA"
	test.Type(entry, newKey)
	test.Tap(findButton(wz.result, en("wizard.key_save")))
	settle(t)
	if btn.Text != en("fix.applied") {
		t.Fatalf("after saving the key the button says %q: %s", btn.Text, resultText(wz.result))
	}
	if got, err := keystore.Get(context.Background(), profile); err != nil || got != newKey {
		t.Fatalf("the keychain holds %q, %v", claudesettings.MaskKey(got), err)
	}
	data, err := os.ReadFile(filepath.Join(f.home, ".claude", "settings.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"apiKeyHelper"`) || strings.Contains(string(data), "ANTHROPIC_API_KEY") {
		t.Errorf("settings.json after the key fix:\n%s", data)
	}
	filepath.WalkDir(f.home, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if b, _ := os.ReadFile(path); strings.Contains(string(b), netchecktest.TestKey) || strings.Contains(string(b), newKey) {
			t.Errorf("%s holds a key", path)
		}
		return nil
	})
}

// TestSettingsProxyTestedBeforeSave: a proxy that does not carry requests to
// the API is refused with the reason and not written; one that does is saved.
func TestSettingsProxyTestedBeforeSave(t *testing.T) {
	f := newFixture(t, netchecktest.ProxyCatchesLocal) // a 127.0.0.1 API, and a proxy that works
	good := f.srv.Target().Proxy.Value
	tg := f.srv.Target()
	tg.Proxy = claudesettings.Setting{}
	f.writeSettings(tg) // no proxy in the settings yet
	f.w.show(pages.Settings)
	settle(t)
	s := f.w.settings
	save := findButton(s.content, en("settings.test_save"))
	for _, tc := range []struct {
		proxy string
		saved bool
	}{
		{"http://127.0.0.1:1", false}, // nothing listens there
		{"socks5://127.0.0.1:1080", false},
		{good, true},
	} {
		s.proxy.SetText(tc.proxy)
		s.noProxy.SetText("")
		test.Tap(save)
		settle(t)
		got, ok := f.userEnv()["https_proxy"] // the spelling Claude Code reads first
		switch {
		case tc.saved && got != tc.proxy:
			t.Errorf("%s: https_proxy = %q, want it saved (%s)", tc.proxy, got, s.msg.Text)
		case !tc.saved && ok:
			t.Errorf("%s: saved a proxy that does not work (https_proxy = %q)", tc.proxy, got)
		case !tc.saved && !strings.Contains(s.msg.Text, "Not saved"):
			t.Errorf("%s: the page says %q, want why it was not saved", tc.proxy, s.msg.Text)
		}
	}
}

// TestSettingsSuggestFromHistory: "Suggest from measurement" proposes
// API_TIMEOUT_MS from the p95 of every measurement of the last 7 days (the
// agent's history and the last report), not from one check.
func TestSettingsSuggestFromHistory(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	now := time.Now()
	var samples []claudecfg.Sample
	record := func(at time.Time, firstByte time.Duration) *netcheck.Report {
		r := &netcheck.Report{Schema: netcheck.Schema, StartedAt: at.UTC(), Verdict: netcheck.VerdictOK,
			Checks:  []netcheck.CheckResult{{ID: netcheck.CheckHTTP, Status: netcheck.StatusPass}},
			Timings: netcheck.Timings{FirstByte: firstByte, Total: firstByte + 10*time.Millisecond}}
		if err := state.Record(r); err != nil {
			t.Fatal(err)
		}
		samples = append(samples, claudecfg.SampleOf(r))
		return r
	}
	for i := range 19 { // a slow relay: first bytes of 20 to 38 s
		record(now.Add(-time.Duration(20-i)*time.Hour), time.Duration(20+i)*time.Second)
	}
	last := record(now, 80*time.Millisecond)
	want, err := claudecfg.SuggestTimeout(samples, 0)
	if err != nil {
		t.Fatal(err)
	}
	lastOnly, _ := claudecfg.SuggestTimeout([]claudecfg.Sample{claudecfg.SampleOf(last)}, 0)
	if want.APITimeoutMS == lastOnly.APITimeoutMS {
		t.Fatalf("test data does not tell history from the last check apart (%d ms)", want.APITimeoutMS)
	}

	f.w.show(pages.Settings)
	settle(t)
	f.w.status.report = last
	s := f.w.settings
	test.Tap(findButton(s.content, en("settings.suggest")))
	settle(t)
	if got := s.timeout.Text; got != strconv.FormatInt(want.APITimeoutMS, 10) {
		t.Errorf("suggested %q, want %d ms (p95 first byte %v over %d samples): %s", got, want.APITimeoutMS, want.P95FirstByte, len(samples), s.msg.Text)
	}
	if !strings.Contains(s.msg.Text, "20 measurements") {
		t.Errorf("the message does not say what the number comes from: %q", s.msg.Text)
	}
}

// TestCacheClearWhileClaudeRuns: while Claude Code runs, Clear is refused
// with the processes in the way and nothing moves; the window offers "Clear
// anyway" (the command line's --force), which clears.
func TestCacheClearWhileClaudeRuns(t *testing.T) {
	f := newFixture(t, netchecktest.Healthy)
	f.svc.Cache = claudeCache{}
	debug := filepath.Join(f.home, ".claude", "debug", "latest.txt")
	if err := os.MkdirAll(filepath.Dir(debug), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(debug, []byte("log"), 0o600); err != nil {
		t.Fatal(err)
	}
	pid := doctortest.StartClaude(t)
	f.w.show(pages.Cache)
	settle(t)
	c := f.w.cache
	if c.anyway.Visible() {
		t.Fatal("Clear anyway shows before any refusal")
	}
	test.Tap(c.clear)
	settle(t)
	if _, err := os.Stat(debug); err != nil {
		t.Fatalf("a refused clear moved debug/: %v", err)
	}
	if !strings.Contains(c.msg.Text, strconv.Itoa(pid)) || strings.Contains(c.msg.Text, "--force") || !c.anyway.Visible() {
		t.Fatalf("after the refusal the page says %q (Clear anyway shown: %v)", c.msg.Text, c.anyway.Visible())
	}
	test.Tap(c.anyway)
	settle(t)
	if _, err := os.Stat(debug); !os.IsNotExist(err) {
		t.Fatalf("Clear anyway left debug/ (%v): %s", err, c.msg.Text)
	}
}

// TestSettingsProxyPasswordHidden: the proxy in effect needs a password (the
// fake's proxy that demands Basic credentials). The settings page shows it
// redacted, never the password; saving what it shows keeps the saved
// password (the proxy lets the test through only with it), a wrong password
// typed in its place is refused, and the right one retyped is saved.
func TestSettingsProxyPasswordHidden(t *testing.T) {
	f := newFixture(t, netchecktest.ProxyCredentials)
	tg := f.srv.Target()
	proxy := tg.Proxy.Value // http://medic:p%40ss%3Aw%2Frd%25@127.0.0.1:port
	tg.BaseURL = claudesettings.Setting{Value: f.srv.URL(), Source: claudesettings.SourceFlag}
	f.writeSettings(tg) // the proxy as HTTPS_PROXY, as an earlier Claude Medic saved it
	secret := func(text string) bool {
		return strings.Contains(text, "p%40ss") || strings.Contains(text, netchecktest.ProxyPassword)
	}
	f.w.show(pages.Settings)
	settle(t)
	s := f.w.settings
	shown := claudesettings.RedactProxyURL(proxy)
	if s.proxy.Text != shown || secret(s.proxy.Text) || !s.proxyHint.Visible() {
		t.Fatalf("the proxy field shows %q (hint shown: %v), want %q", s.proxy.Text, s.proxyHint.Visible(), shown)
	}
	if text := resultText(s.content); secret(text) {
		t.Errorf("the settings page shows the proxy's password:\n%s", text)
	}
	save := findButton(s.content, en("settings.test_save"))

	test.Tap(save) // nothing edited
	settle(t)
	if env := f.userEnv(); env["https_proxy"] != proxy || env["HTTPS_PROXY"] != "" {
		t.Fatalf("saving the field as shown: env %v (%s)", env, s.msg.Text)
	}
	if text := resultText(s.content); secret(text) {
		t.Errorf("after the save the page shows the password:\n%s", text)
	}

	s.proxy.SetText(strings.Replace(shown, "xxxxx", "wrong", 1))
	test.Tap(save)
	settle(t)
	if got := f.userEnv()["https_proxy"]; got != proxy || !strings.Contains(s.msg.Text, "Not saved") {
		t.Errorf("a wrong password typed in: https_proxy = %q, the page says %q", claudesettings.RedactProxyURL(got), s.msg.Text)
	}

	f.writeSettings(claudesettings.Target{BaseURL: tg.BaseURL, CAFile: tg.CAFile}) // no proxy saved any more
	f.w.show(pages.Settings)
	settle(t)
	if s.proxy.Text != "" || s.proxyHint.Visible() {
		t.Fatalf("with no proxy the field shows %q (hint shown: %v)", s.proxy.Text, s.proxyHint.Visible())
	}
	s.proxy.SetText(proxy) // retyped, password and all
	test.Tap(save)
	settle(t)
	if got := f.userEnv()["https_proxy"]; got != proxy {
		t.Errorf("the retyped proxy: https_proxy = %q (%s)", claudesettings.RedactProxyURL(got), s.msg.Text)
	}
	if s.proxy.Text != shown {
		t.Errorf("after saving the retyped proxy the field shows %q, want %q", s.proxy.Text, shown)
	}
}
