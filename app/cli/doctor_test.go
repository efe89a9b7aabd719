package cli

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"claudemedic/doctor"
	"claudemedic/doctor/doctortest"
	"claudemedic/internal/exitcode"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// fakeSettings writes the fake API's target into the user settings' env, as
// a person's ~/.claude/settings.json would hold it, and points the checks at
// the fake's DNS and limits.
func fakeSettings(t *testing.T, home string, srv *netchecktest.Server) string {
	t.Helper()
	file := doctortest.WriteUserSettings(t, home, srv.Target())
	testOptions = func(o *netcheck.Options) {
		so := srv.Options()
		o.Resolver, o.StatusURL, o.StreamIdle, o.SlowAfter = so.Resolver, so.StatusURL, so.StreamIdle, so.SlowAfter
		if so.Timeout > 0 {
			o.Timeout = so.Timeout
		}
	}
	t.Cleanup(func() { testOptions = nil })
	return file
}

type doctorResult struct {
	Symptom string `json:"symptom"`
	Matched bool   `json:"matched"`
	Report  struct {
		Verdict  string `json:"verdict"`
		Findings []struct {
			Code string `json:"code"`
		} `json:"findings"`
	} `json:"report"`
	Fixes []struct {
		Code    string `json:"code"`
		Kind    string `json:"kind"`
		Label   string `json:"label"`
		Applied bool   `json:"applied"`
		Error   string `json:"error"`
		Change  *struct {
			File string `json:"file"`
		} `json:"change"`
	} `json:"fixes"`
	Retest *struct {
		Verdict string `json:"verdict"`
	} `json:"retest"`
	Comparison *struct {
		Fixed []string `json:"fixed"`
	} `json:"comparison"`
}

// TestDoctorApplyYes is `doctor --symptom TEXT --apply --yes --json` against
// real faults: the message picks the symptom, the checks find the cause, the
// fix that needs no input is applied to settings.json, the re-test runs, and
// the exit status is the re-test's.
func TestDoctorApplyYes(t *testing.T) {
	for _, tc := range []struct {
		scenario netchecktest.Scenario
		message  string
		symptom  doctor.Symptom
		kind     doctor.Kind
		variable string
		cured    bool
	}{
		{netchecktest.TimeoutTooLow, "Request timed out. If the API is slow to answer, or a proxy or gateway holds responses, set API_TIMEOUT_MS above 8000.",
			doctor.SymptomTimeout, doctor.FixTimeout, "API_TIMEOUT_MS", true},
		{netchecktest.ProxyCatchesLocal, "API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)",
			doctor.SymptomConnection, doctor.FixNoProxy, "NO_PROXY", true},
		{netchecktest.Overloaded, "API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment.",
			doctor.SymptomOverloaded, doctor.FixRetries, "CLAUDE_CODE_MAX_RETRIES", false},
	} {
		t.Run(string(tc.scenario), func(t *testing.T) {
			home := isolate(t)
			srv := netchecktest.Start(t, tc.scenario)
			file := fakeSettings(t, home, srv)
			code, out, errOut := runCLI(t, "", "doctor", "--symptom", tc.message, "--apply", "--yes", "--json", "--timeout", "3s")
			var r doctorResult
			if err := json.Unmarshal([]byte(out), &r); err != nil {
				t.Fatalf("exit %d, not one JSON object: %v\n%s\n%s", code, err, out, errOut)
			}
			if r.Symptom != string(tc.symptom) || !r.Matched {
				t.Errorf("symptom %q (matched %v), want %s", r.Symptom, r.Matched, tc.symptom)
			}
			var applied bool
			for _, f := range r.Fixes {
				if f.Code == string(tc.scenario.Code()) {
					applied = f.Kind == string(tc.kind) && f.Applied && f.Change != nil && f.Change.File == file
				}
			}
			if !applied {
				t.Fatalf("no applied %s fix for %s: %+v (stderr %s)", tc.kind, tc.scenario.Code(), r.Fixes, errOut)
			}
			if r.Retest == nil || r.Comparison == nil {
				t.Fatal("no re-test after a fix")
			}
			if want := exitcode.Of(netcheck.Verdict(r.Retest.Verdict)); code != want {
				t.Errorf("exit %d, the re-test's verdict %s gives %d", code, r.Retest.Verdict, want)
			}
			if cured := strings.Contains(strings.Join(r.Comparison.Fixed, ","), string(tc.scenario.Code())); cured != tc.cured {
				t.Errorf("fixed %v, want cured=%v", r.Comparison.Fixed, tc.cured)
			}
			if data, _ := os.ReadFile(file); !strings.Contains(string(data), tc.variable) {
				t.Errorf("settings.json lacks %s after the fix:\n%s", tc.variable, data)
			}
		})
	}
}

// TestDoctorTextAndChinese: without --json the diagnosis reads as the
// wizard's, and it speaks Chinese with --lang zh; without --apply nothing is
// changed and the command to apply is named.
func TestDoctorTextAndChinese(t *testing.T) {
	home := isolate(t)
	srv := netchecktest.Start(t, netchecktest.Overloaded)
	file := fakeSettings(t, home, srv)
	before, _ := os.ReadFile(file)
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"This looks like: 529 Overloaded", "What Claude Medic found", "OVERLOADED", "Let Claude Code retry longer", "Sets CLAUDE_CODE_MAX_RETRIES to 15", "--apply --yes"}},
		{"zh", []string{"看起来是：529 Overloaded", "Claude Medic 的诊断结果", "OVERLOADED", "让 Claude Code 多重试几次", "修复："}},
	} {
		code, out, errOut := runCLI(t, "", "doctor", "--lang", tc.lang, "--symptom", "API Error: 529 Overloaded", "--timeout", "3s")
		if code != exitcode.Down {
			t.Errorf("%s: exit %d\n%s%s", tc.lang, code, out, errOut)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: the output lacks %q:\n%s", tc.lang, w, out)
			}
		}
	}
	if after, _ := os.ReadFile(file); string(after) != string(before) {
		t.Errorf("doctor without --apply changed settings.json:\n%s", after)
	}
}

// TestDoctorBadInput: an empty message, an empty or closed standard input, a
// message in neither language, no terminal to ask on: a clear sentence, and
// nothing changed.
func TestDoctorBadInput(t *testing.T) {
	home := isolate(t)
	srv := netchecktest.Start(t, netchecktest.Overloaded)
	file := fakeSettings(t, home, srv)
	before, _ := os.ReadFile(file)
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		code  int
		want  string
	}{
		{"empty symptom", "", []string{"--symptom", ""}, exitcode.Usage, "the message is empty"},
		{"blank symptom", "", []string{"--symptom", "  \n"}, exitcode.Usage, "the message is empty"},
		{"empty stdin", "", []string{"--symptom", "-"}, exitcode.Usage, "standard input was empty"},
		{"no terminal, no symptom", "", nil, exitcode.Usage, "without a terminal"},
		{"apply without yes or terminal", "", []string{"--symptom", "529", "--apply"}, exitcode.Usage, "add --yes"},
		{"neither language", "", []string{"--symptom", "Ein unbekannter Fehler ist aufgetreten", "--apply", "--yes", "--timeout", "3s"}, exitcode.Down, "does not recognise this message"},
		{"neither language, not applied", "", []string{"--symptom", "Ein unbekannter Fehler ist aufgetreten", "--apply", "--yes", "--timeout", "3s"}, exitcode.Down, "not applied: --apply needs a message"},
		{"a symptom by name", "", []string{"--symptom", "overloaded", "--timeout", "3s"}, exitcode.Down, "OVERLOADED"},
		{"the message on stdin", "API Error: 529 Overloaded\n", []string{"--symptom", "-", "--timeout", "3s"}, exitcode.Down, "This looks like: 529"},
		{"a stray argument", "", []string{"--symptom", "529", "extra"}, exitcode.Usage, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, tc.stdin, append([]string{"doctor"}, tc.args...)...)
			if code != tc.code || !strings.Contains(out+errOut, tc.want) {
				t.Errorf("exit %d (want %d), output lacks %q:\n%s%s", code, tc.code, tc.want, out, errOut)
			}
			if strings.Contains(out+errOut, "panic") || strings.Contains(out+errOut, "goroutine ") {
				t.Errorf("a stack trace:\n%s", errOut)
			}
			if after, _ := os.ReadFile(file); string(after) != string(before) {
				t.Fatalf("settings.json changed:\n%s", after)
			}
		})
	}
}
