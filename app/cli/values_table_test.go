package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"claudemedic/app/tray/metrics"
	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// badInputs are the ways a number is mistyped (issue 17, "Bad input"),
// around base, a value Claude Code reads as written.
func badInputs(base string) []string {
	return []string{
		base, " " + base + " ", "\t" + base + "\n", // spaces around
		`"` + base + `"`, "'" + base + "'", // quotes
		"\ufeff" + base,                      // a byte order mark
		"+" + base,                           // a plus sign
		"10m", "600s", base + "ms", "2000.5", // units, a fraction
		"",                                           // empty: unset
		"0", "-5", "2147483648", "99999999999", "16", // out of range
		"１０", "\u0662\u0660\u0660\u0660", // full-width and Arabic-Indic digits
		"1e3", "2,000", "abc",
	}
}

// badProxyInputs are the same mistakes in a proxy address or a NO_PROXY list.
func badProxyInputs(name string) []string {
	if name == claudesettings.VarNoProxy {
		return []string{"localhost,127.0.0.1", " localhost , 127.0.0.1 ", `"localhost"`, "'localhost'", "\ufefflocalhost",
			"+localhost", "localhost:8080ms", "", "10.0.0.0/99", "１２７.0.0.1", "localhost,,"}
	}
	base := "http://proxy.example.com:8080"
	return []string{base, " " + base + " ", "\t" + base + "\n", `"` + base + `"`, "'" + base + "'", "\ufeff" + base,
		"+" + base, base + "ms", "", "http://proxy.example.com:99999", "http://proxy.example.com:８０８０",
		"socks5://127.0.0.1:1080", "proxy.example.com:8080", "http://user:hunter2@bad host:8080"}
}

// TestEveryReaderAgrees runs every numeric variable of the table, with every
// bad input, through each reader a front end uses: the engine's config check
// (netcheck.Run with the config check only, on the target claudecfg
// resolves), `config show --json`, the tray's metrics gauge and the timeout
// suggestion; each must give the value and the sentence the table's Read
// gives. The variables go in the user settings' env together, one bad input
// each per run.
func TestEveryReaderAgrees(t *testing.T) {
	bases := map[string]string{
		claudesettings.VarAPITimeout: "2000", claudesettings.VarMaxRetries: "3",
		claudesettings.VarBashTimeout: "2000", claudesettings.VarBashMaxTimeout: "700000",
		claudesettings.VarMCPTimeout: "2000", claudesettings.VarMCPToolTimeout: "2000",
	}
	for _, row := range claudesettings.Table {
		if _, ok := bases[row.Name]; !ok && (row.Kind == claudesettings.ValueMillis || row.Kind == claudesettings.ValueCount) {
			t.Errorf("%s: a numeric variable of the table without a test value", row.Name)
		}
	}
	for i := range badInputs("") {
		env := map[string]string{}
		for name, base := range bases {
			env[name] = badInputs(base)[i]
		}
		t.Run(fmt.Sprintf("%q", env[claudesettings.VarAPITimeout]), func(t *testing.T) { checkReaders(t, env) })
	}
	// The proxy variables, one at a time (the check judges the proxy in
	// effect), with the same kinds of bad input.
	for _, name := range []string{claudesettings.VarHTTPSProxy, claudesettings.VarHTTPProxy, claudesettings.VarNoProxy} {
		for _, raw := range badProxyInputs(name) {
			t.Run(fmt.Sprintf("%s=%q", name, claudesettings.RedactProxyURL(raw)), func(t *testing.T) { checkReaders(t, map[string]string{name: raw}) })
		}
	}
	for _, raw := range []string{"  https://relay.example.com  ", "relay.example.com", "https://relay.example.com/v1", ""} {
		t.Run(fmt.Sprintf("%s=%q", claudesettings.VarBaseURL, raw), func(t *testing.T) {
			checkReaders(t, map[string]string{claudesettings.VarBaseURL: raw})
		})
	}
}

func checkReaders(t *testing.T, env map[string]string) {
	home := isolate(t)
	t.Chdir(t.TempDir())
	data, _ := json.Marshal(map[string]map[string]string{"env": env})
	writeSettings(t, filepath.Join(home, ".claude", "settings.json"), string(data))
	ctx := context.Background()
	target, err := claudecfg.Resolve(ctx, claudecfg.ResolveOptions{})
	if err != nil {
		t.Fatal(err)
	}
	report := netcheck.Run(ctx, target, netcheck.Options{Only: []netcheck.CheckID{netcheck.CheckConfig, netcheck.CheckProxy}})
	_, out, errOut := runCLI(t, "", "config", "show", "--json")
	if rep, _ := json.Marshal(report); strings.Contains(out+errOut+string(rep), "hunter2") {
		t.Errorf("a proxy's password shows: %s %s", out+errOut, rep)
	}
	for name, raw := range env {
		checkReader(t, name, raw, target, report, out+errOut)
	}
}

// checkReader compares each reader's answer for one variable with the table's.
func checkReader(t *testing.T, name, raw string, target claudesettings.Target, report *netcheck.Report, out string) {
	t.Helper()
	want := claudesettings.Read(name, raw)
	if want.Problem.None() != (want.Problem.ZH == "") {
		t.Errorf("%s=%q: the sentence is not in both languages: %+v", name, raw, want.Problem)
	}
	if got := target.Read(name); got.Effective != want.Effective || got.Problem != want.Problem {
		t.Errorf("%s=%q: Target.Read = %q %q, want %q %q", name, raw, got.Effective, got.Problem.EN, want.Effective, want.Problem.EN)
	}
	if got := target.Read(name); got.Effective != want.Effective || got.Problem != want.Problem {
		t.Errorf("Target.Read = %q %q, want %q %q", got.Effective, got.Problem.EN, want.Effective, want.Problem.EN)
	}
	var found []string
	for _, f := range report.Findings {
		if strings.Contains(f.Summary.EN, name+"=") || strings.Contains(f.Summary.EN, name+" ") || strings.HasPrefix(f.Summary.EN, name+":") {
			found = append(found, f.Summary.EN)
		}
	}
	switch {
	case want.Problem.None() && len(found) > 0:
		t.Errorf("%s=%q: check: %q, want no finding", name, raw, found)
	case !want.Problem.None() && (len(found) != 1 || !strings.Contains(found[0], want.Problem.EN)):
		t.Errorf("%s=%q: check: %q, want one finding with %q", name, raw, found, want.Problem.EN)
	}

	// config show --json.
	var show struct {
		Variables []struct {
			Name      string  `json:"name"`
			Value     *string `json:"value"`
			Effective string  `json:"effective"`
			Default   string  `json:"default"`
			Problem   string  `json:"problem"`
		} `json:"variables"`
	}
	if err := json.Unmarshal([]byte(out), &show); err != nil {
		t.Fatalf("config show --json: %v\n%s", err, out)
	}
	seen := false
	for _, v := range show.Variables {
		if v.Name != name {
			continue
		}
		seen = true
		effective := v.Effective
		switch {
		case v.Value == nil:
			effective = v.Default
		case effective == "":
			effective = *v.Value
		}
		if name == claudesettings.VarBaseURL && v.Value == nil {
			effective = strings.TrimSpace(effective)
		}
		if effective != claudesettings.DisplayValue(name, want.Effective) || v.Problem != want.Problem.EN {
			t.Errorf("%s=%q: config show: %q %q, want %q %q", name, raw, effective, v.Problem, want.Effective, want.Problem.EN)
		}
	}
	if !seen {
		t.Errorf("%s=%q: config show does not list %s", name, raw, name)
	}

	if name != claudesettings.VarAPITimeout {
		return
	}
	// The engine's summary names the timeout it uses.
	if c, _ := report.Check(netcheck.CheckConfig); len(report.Findings) == 0 && !want.Defaulted && !strings.Contains(c.Summary.EN, want.Effective+" ms") {
		t.Errorf("%s=%q: check summary %q, want %s ms", name, raw, c.Summary.EN, want.Effective)
	}
	// The tray's gauge, from the report.
	m := metrics.New()
	m.Observe(report)
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	gauge := -1.0
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if v, ok := strings.CutPrefix(line, "claudemedic_api_timeout_seconds "); ok {
			gauge, _ = strconv.ParseFloat(v, 64)
		}
	}
	if gauge != want.Duration().Seconds() {
		t.Errorf("%s=%q: metrics gauge %v s, want %v s", name, raw, gauge, want.Duration().Seconds())
	}
	// The suggestion's current value, from the target (CLI) and from the report (window, wizard).
	d, p := target.EffectiveAPITimeout()
	dr, pr := report.Target.APITimeout()
	if d != want.Duration() || dr != want.Duration() || p != want.Problem || pr != want.Problem {
		t.Errorf("%s=%q: timeouts %v %v (%q %q), want %v %q", name, raw, d, dr, p.EN, pr.EN, want.Duration(), want.Problem.EN)
	}
	s, err := claudecfg.SuggestTimeout([]claudecfg.Sample{{FirstByte: time.Second, OK: true}}, dr)
	if err != nil || s.Current != want.Duration() {
		t.Errorf("%s=%q: suggestion current %v (%v), want %v", name, raw, s.Current, err, want.Duration())
	}
}
