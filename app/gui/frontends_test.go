package gui

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"claudemedic/app/cli"
	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/doctor/doctortest"
	"claudemedic/internal/pages"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// scenarioFor is the fake API's fault for a row of claude-code-messages.md:
// the scenario that makes the engine report one of the row's codes (the
// fault's own variant first: a gateway's 502 page, a credit balance), or
// false when netchecktest has none yet.
func scenarioFor(row doctortest.Row) (netchecktest.Scenario, bool) {
	variants := map[string]netchecktest.Scenario{
		"a gateway answers 502 with an HTML page": netchecktest.BadGatewayHTML,
		"400: credit balance too low":             netchecktest.BillingCreditBalance,
	}
	if sc, ok := variants[row.Fault]; ok {
		return sc, true
	}
	for _, code := range row.Codes() {
		if sc := netchecktest.Scenario(code); slices.Contains(netchecktest.Scenarios(), sc) {
			return sc, true
		}
	}
	return "", false
}

// beyondSettings reports whether a scenario's target carries what no
// settings file written by the test can give: the credentials of a failing
// apiKeyHelper, a saved login, shadowed ones, or a cloud provider.
func beyondSettings(tg claudesettings.Target) bool {
	return tg.Provider.Name != "" || len(tg.Shadowed) > 0 || tg.Credential.Err != nil || tg.Credential.Kind != claudesettings.KindAPIKey
}

// cliDoctor is `claudemedic doctor --symptom MESSAGE --json` in-process,
// against the same settings and fake API as the window.
type cliDoctor struct {
	Symptom doctor.Symptom `json:"symptom"`
	Report  struct {
		Findings []struct {
			Code netcheck.Code `json:"code"`
		} `json:"findings"`
	} `json:"report"`
	Fixes []struct {
		Code netcheck.Code `json:"code"`
		Kind doctor.Kind   `json:"kind"`
	} `json:"fixes"`
}

func runDoctorCLI(t *testing.T, f *fixture, message string) (cliDoctor, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	io := cli.IO{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Resolve: f.resolve, Options: func(o *netcheck.Options) {
		if f.srv == nil {
			return
		}
		so := f.srv.Options()
		o.Resolver, o.StatusURL, o.SlowAfter, o.StreamIdle = so.Resolver, so.StatusURL, so.SlowAfter, so.StreamIdle
		if so.Timeout > 0 {
			o.Timeout = so.Timeout
		}
	}}
	cli.Main(context.Background(), []string{"doctor", "--symptom", message, "--json", "--lang", "en"}, io)
	var r cliDoctor
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		t.Fatalf("claudemedic doctor: %v\n%s\n%s", err, out.String(), errOut.String())
	}
	return r, errOut.String()
}

// TestSameDiagnosisEveryFrontEnd holds the front ends to one diagnosis for
// every message Claude Code really prints (both tables of
// claude-code-messages.md): pasted into the window's wizard and given to
// `claudemedic doctor`, each message picks the same symptom; against the
// row's fault on the fake API (where netchecktest serves it), both run the
// same checks, report the same findings, the row's own among them, and offer
// the same fixes, the window a button for each. The tray's Troubleshoot…
// opens this wizard (TestTrayOverDBus clicks it).
func TestSameDiagnosisEveryFrontEnd(t *testing.T) {
	rows, err := doctortest.Rows()
	if err != nil {
		t.Fatal(err)
	}
	diagnosed := 0
	for _, row := range rows {
		t.Run(row.Finding+": "+row.Fault, func(t *testing.T) {
			sc, ok := scenarioFor(row)
			var f *fixture
			if ok {
				f = newFixture(t, sc)
			} else {
				f = newFixture(t, netchecktest.Healthy)
			}
			f.svc.Keys = doctor.Keychain{Profile: "unused"} // as the real window has it: only applying the key fix would touch it
			if tg := f.srv.Target(); ok && beyondSettings(tg) {
				// The fault is in the credential Claude Code picks (a failing
				// helper, a saved login, a provider): both front ends resolve
				// to the scenario's target, as claudecfg's own tests resolve it.
				f.resolve = func(context.Context) (claudesettings.Target, error) { return f.srv.Target(), nil }
				f.svc.Resolve, f.svc.Settings = f.resolve, doctor.UserSettings{Resolve: f.resolve}
			}
			f.w.show(pages.Wizard)
			wz := f.w.wizard
			test.Type(wz.paste, row.Message)
			want, _ := doctor.MatchSymptom(row.Message)
			if wz.symptom != want {
				t.Errorf("the wizard picked %s, doctor.MatchSymptom %s", wz.symptom, want)
			}
			if !ok {
				got, _ := runDoctorCLI(t, &fixture{}, row.Message)
				if got.Symptom != wz.symptom {
					t.Errorf("claudemedic doctor picked %s, the wizard %s", got.Symptom, wz.symptom)
				}
				t.Logf("no netchecktest scenario for %s yet: symptoms compared only", row.Finding)
				return
			}
			test.Tap(wz.runBtn)
			settle(t)
			if wz.before == nil {
				t.Fatalf("the wizard has no report: %s", resultText(wz.content))
			}
			rem := f.svc.Remedies(wz.before)
			var winCodes []netcheck.Code
			var winFixes []doctor.Kind
			for i, fd := range wz.before.Findings {
				winCodes = append(winCodes, fd.Code)
				winFixes = append(winFixes, rem.Fixes[i].Kind)
				if fix := rem.Fixes[i]; fix.Kind != doctor.FixNone && findButton(wz.result, fix.Label(tr())) == nil {
					t.Errorf("the wizard shows no %q button for %s", fix.Label(tr()), fd.Code)
				}
			}
			if !slices.Contains(winCodes, sc.Code()) {
				t.Errorf("the wizard's checks for %s do not find %s: %v", wz.symptom, sc.Code(), winCodes)
			}

			got, errOut := runDoctorCLI(t, f, row.Message)
			var cliCodes []netcheck.Code
			var cliFixes []doctor.Kind
			for _, fd := range got.Report.Findings {
				cliCodes = append(cliCodes, fd.Code)
			}
			for _, fx := range got.Fixes {
				cliFixes = append(cliFixes, fx.Kind)
			}
			if got.Symptom != wz.symptom || !slices.Equal(cliCodes, winCodes) || !slices.Equal(cliFixes, winFixes) {
				t.Errorf("claudemedic doctor: %s %v %v; the wizard: %s %v %v (%s)", got.Symptom, cliCodes, cliFixes, wz.symptom, winCodes, winFixes, errOut)
			}
			diagnosed++
		})
	}
	if diagnosed < 30 {
		t.Errorf("only %d rows were diagnosed against a fault", diagnosed)
	}
}
