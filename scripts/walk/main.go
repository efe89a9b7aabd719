//go:build ignore

// Command walk measures which files the wizard's timeout fix passes through:
// built with -cover -covermode=atomic -coverpkg=claudemedic/..., it clears the
// coverage counters before the decision (doctor's Remedies) and again before
// the click (Remedies.Apply), and writes each phase's counters to OUT/decide
// and OUT/apply.
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/coverage"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/doctor"
	"claudemedic/netcheck"
)

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func main() {
	out := os.Args[1]
	home, _ := os.MkdirTemp("", "walk")
	defer os.RemoveAll(home)
	for k, v := range map[string]string{"HOME": home, "XDG_DATA_HOME": home + "/.local/share", "XDG_STATE_HOME": home + "/.local/state", "XDG_CONFIG_HOME": home + "/.config", "CLAUDE_CONFIG_DIR": ""} {
		os.Setenv(k, v)
	}
	file := filepath.Join(home, ".claude", "settings.json")
	os.MkdirAll(filepath.Dir(file), 0o700)
	os.WriteFile(file, []byte("{\n  \"env\": {\n    \"API_TIMEOUT_MS\": \"10000\"\n  }\n}\n"), 0o600)
	d := &doctor.Doctor{Settings: doctor.UserSettings{}}
	e, _ := netcheck.Lookup(netcheck.TimeoutTooLow)
	r := &netcheck.Report{Schema: netcheck.Schema, StartedAt: time.Now().UTC(),
		Target:   claudesettings.TargetView{APITimeoutMS: "10000", APITimeoutSource: claudesettings.SourceUserSettings},
		Checks:   []netcheck.CheckResult{{ID: netcheck.CheckHTTP, Status: netcheck.StatusPass}},
		Findings: []netcheck.Finding{{Code: netcheck.TimeoutTooLow, Severity: e.Severity, Summary: e.Summary, Fix: e.Fix}}}
	r.Timings.FirstByte = 40 * time.Second
	phase := func(name string, f func()) {
		dir := filepath.Join(out, name)
		must(os.MkdirAll(dir, 0o755))
		must(coverage.ClearCounters())
		f()
		must(coverage.WriteMetaDir(dir))
		must(coverage.WriteCountersDir(dir))
	}
	var rem *doctor.Remedies
	phase("decide", func() { rem = d.Remedies(r) })
	var c *doctor.Change
	var err error
	phase("apply", func() { c, err = rem.Apply(context.Background(), 0, "") })
	must(err)
	fmt.Println(c.Lines)
}
