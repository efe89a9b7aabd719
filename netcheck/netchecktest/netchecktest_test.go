package netchecktest_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

func codes(r *netcheck.Report, sev netcheck.Severity) []netcheck.Code {
	var out []netcheck.Code
	for _, f := range r.Findings {
		if f.Severity == sev {
			out = append(out, f.Code)
		}
	}
	return out
}

// Every scenario gives exactly its codes (Want: its own, and Also's), each
// with its severity; the healthy scenarios give none.
func TestScenarios(t *testing.T) {
	for _, sc := range netchecktest.Scenarios() {
		t.Run(string(sc), func(t *testing.T) {
			t.Parallel()
			srv := netchecktest.Start(t, sc)
			r := netcheck.Run(context.Background(), srv.Target(), srv.Options())
			fails, warns := codes(r, netcheck.SeverityFail), codes(r, netcheck.SeverityWarn)
			slices.Sort(fails)
			slices.Sort(warns)
			wantFails, wantWarns := sc.Want()
			if !slices.Equal(fails, wantFails) || !slices.Equal(warns, wantWarns) {
				t.Errorf("fails %v, warns %v; want fails %v, warns %v", fails, warns, wantFails, wantWarns)
				for _, c := range r.Checks {
					t.Logf("  %-9s %-4s %s", c.ID, c.Status, c.Summary.EN)
				}
			}
			for _, f := range r.Findings {
				if f.Summary.EN == "" || f.Summary.ZH == "" || f.Fix.EN == "" || f.Fix.ZH == "" {
					t.Errorf("%s: a text is empty: %+v", f.Code, f)
				}
			}
			b, err := json.Marshal(r)
			if err != nil {
				t.Fatal(err)
			}
			for _, secret := range []string{netchecktest.TestKey, netchecktest.TestToken, netchecktest.RefusedToken, "relay-secret"} {
				if strings.Contains(string(b), secret) {
					t.Errorf("the report holds a whole secret")
				}
			}
		})
	}
}

// The tray flips a live server from healthy to failing and back.
func TestSetScenarioLive(t *testing.T) {
	t.Parallel()
	srv := netchecktest.Start(t, netchecktest.Healthy)
	for _, sc := range []netchecktest.Scenario{netchecktest.Healthy, netchecktest.Overloaded, netchecktest.TLSExpired, netchecktest.Healthy} {
		srv.SetScenario(sc)
		r := netcheck.Run(context.Background(), srv.Target(), srv.Options())
		if want := sc.Code(); want == "" && r.Verdict != netcheck.VerdictOK || want != "" && !r.Has(want) {
			t.Errorf("%s: verdict %s, findings %v", sc, r.Verdict, codes(r, netcheck.SeverityFail))
		}
	}
}
