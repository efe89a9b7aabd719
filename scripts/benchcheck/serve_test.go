//go:build benchcheck

// Package benchcheck serves a healthy fake Claude API on loopback for
// scripts/bench-check.sh: it writes the base URL a check of the scenario
// $BENCH_SCENARIO (default HEALTHY) uses and the fake's CA file, one a line,
// to $BENCH_OUT, and serves until its standard input closes. Opt-in (build
// tag benchcheck), never in CI.
package benchcheck

import (
	"io"
	"os"
	"testing"

	"claudemedic/netcheck/netchecktest"
)

func TestServe(t *testing.T) {
	sc := netchecktest.Healthy
	if s := os.Getenv("BENCH_SCENARIO"); s != "" {
		sc = netchecktest.Scenario(s)
	}
	srv := netchecktest.Start(t, sc)
	if err := os.WriteFile(os.Getenv("BENCH_OUT")+".tmp", []byte(srv.Target().BaseURL.Value+"\n"+srv.CAFile()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(os.Getenv("BENCH_OUT")+".tmp", os.Getenv("BENCH_OUT")); err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, os.Stdin)
}
