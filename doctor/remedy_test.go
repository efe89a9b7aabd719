package doctor

import (
	"context"
	"strings"
	"testing"
	"time"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// timedReport is report with the http check run (passed unless a finding
// fails it) and the answer's first byte after firstByte.
func timedReport(target claudesettings.TargetView, firstByte time.Duration, codes ...netcheck.Code) *netcheck.Report {
	r := report(target, codes...)
	status := netcheck.StatusPass
	for i := range r.Findings {
		r.Findings[i].Check = netcheck.CheckHTTP
		if r.Findings[i].Code == netcheck.TimeoutTooLow {
			r.Findings[i].Severity = netcheck.SeverityFail // slower than API_TIMEOUT_MS
		}
		if r.Findings[i].Severity == netcheck.SeverityFail {
			status = netcheck.StatusFail
		}
	}
	r.Checks = []netcheck.CheckResult{{ID: netcheck.CheckHTTP, Status: status}}
	r.Timings.FirstByte, r.Verdict = firstByte, netcheck.VerdictOf(r.Findings)
	return r
}

// Two findings never offer the same fix twice; the timeout fix shows the
// value it writes and why that number.
func TestRemediesOfferEachFixOnce(t *testing.T) {
	isolate(t)
	d := &Doctor{Settings: UserSettings{}}
	r := timedReport(claudesettings.TargetView{APITimeoutMS: "2000", APITimeoutSource: claudesettings.SourceUserSettings}, 5*time.Second,
		netcheck.TimeoutTooLow, netcheck.SlowResponse)
	rem := d.Remedies(r)
	if rem.Fixes[0].Kind != FixTimeout || rem.Fixes[0].Value != "600000" || rem.Fixes[1].Kind != FixNone {
		t.Fatalf("fixes %+v: want the timeout raised to 600000 once, on the first finding", rem.Fixes)
	}
	desc := rem.Fixes[0].Describe(i18n.For("en"), rem.File)
	if !strings.Contains(desc, "to 600000") || !strings.Contains(desc, "default") || !strings.Contains(desc, "2000 ms") {
		t.Errorf("Describe %q: want the value and the reason for it", desc)
	}
	if zh := rem.Fixes[0].Describe(i18n.For("zh"), rem.File); !strings.Contains(zh, "600000") || !strings.Contains(zh, "默认") {
		t.Errorf("Describe in Chinese %q", zh)
	}
}

// Advice never proposes the value already set: no timeout fix when the
// measurements propose nothing above the value in effect (SLOW_RESPONSE
// with the default), none that writes what the user settings already hold.
func TestRemediesNeverProposeTheValueSet(t *testing.T) {
	file := isolate(t)
	writeFile(t, file, `{"env": {"CLAUDE_CODE_MAX_RETRIES": "15", "CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS": "1"}}`)
	d := &Doctor{Settings: UserSettings{}}
	r := timedReport(claudesettings.TargetView{}, 4*time.Second, netcheck.SlowResponse, netcheck.Overloaded, netcheck.BetaRejected)
	rem := d.Remedies(r)
	for i, f := range rem.Fixes {
		if f.Kind != FixNone {
			t.Errorf("finding %s: fix %+v, want none (the value is already in effect)", r.Findings[i].Code, f)
		}
	}
	r = timedReport(claudesettings.TargetView{APITimeoutMS: "600000"}, 4*time.Second, netcheck.SlowResponse)
	if rem := d.Remedies(r); rem.Fixes[0].Kind != FixNone {
		t.Errorf("SLOW_RESPONSE with API_TIMEOUT_MS=600000: fix %+v proposes the value set", rem.Fixes[0])
	}
}

// A relay slower than API_TIMEOUT_MS: the check is down naming the setting,
// doctor's fix raises it, and the re-test with the settings as the fix left
// them shows TIMEOUT_TOO_LOW fixed.
func TestTimeoutFixRetest(t *testing.T) {
	file := isolate(t)
	writeFile(t, file, `{"env": {"API_TIMEOUT_MS": "300"}}`)
	srv := netchecktest.Start(t, netchecktest.SlowResponse) // answers after 600 ms
	check := func() *netcheck.Report {
		f, err := claudecfg.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		target := srv.Target()
		target.APITimeout = claudesettings.Setting{Value: f.Values["env"].(map[string]any)["API_TIMEOUT_MS"].(string), Source: claudesettings.SourceUserSettings}
		return netcheck.Run(context.Background(), target, srv.Options())
	}
	before := check()
	if before.Verdict != netcheck.VerdictDown || !before.Has(netcheck.TimeoutTooLow) {
		t.Fatalf("before: %s %v, want down with TIMEOUT_TOO_LOW", before.Verdict, before.Findings)
	}
	d := &Doctor{Settings: UserSettings{}}
	rem := d.Remedies(before)
	i := -1
	for k, f := range rem.Fixes {
		if f.Kind == FixTimeout {
			i = k
		}
	}
	if i < 0 {
		t.Fatalf("no timeout fix offered: %+v", rem.Fixes)
	}
	if _, err := rem.Apply(context.Background(), i, ""); err != nil {
		t.Fatal(err)
	}
	after := check()
	if c := Compare(before, after); after.Verdict == netcheck.VerdictDown || !strings.Contains(strings.Join(codes(c.Fixed), ","), "TIMEOUT_TOO_LOW") {
		t.Errorf("re-test: %s, fixed %v, remaining %v, new %v", after.Verdict, c.Fixed, c.Remaining, c.New)
	}
}
