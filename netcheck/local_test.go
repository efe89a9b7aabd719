package netcheck

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestIsLocalHost(t *testing.T) {
	for host, want := range map[string]bool{
		"127.0.0.1": true, "::1": true, "[::1]": true, "localhost": true, "relay.localhost": true,
		"10.1.2.3": true, "192.168.1.10": true, "172.20.0.5": true, "fe80::1": true, "myrouter": true,
		"nas.local": true, "relay.lan": true, "gw.corp.internal": true, "box.home.arpa": true,
		"api.anthropic.com": false, "8.8.8.8": false, "relay.example.com": false, "172.32.0.1": false,
	} {
		if got := isLocalHost(host); got != want {
			t.Errorf("isLocalHost(%q) = %v, want %v", host, got, want)
		}
	}
}

func TestStatusIncidents(t *testing.T) {
	page := `{"status":{"indicator":"minor","description":"Minor Service Outage"},"incidents":[
	 {"name":"Elevated errors on the API","status":"investigating","components":[{"name":"Claude API (api.anthropic.com)"}]},
	 {"name":"claude.ai login issues","status":"identified","components":[{"name":"claude.ai"}]},
	 {"name":"Old one","status":"resolved","components":[{"name":"Claude API (api.anthropic.com)"}]},
	 {"name":"Unlabelled incident","status":"monitoring"},
	 {"name":"Claude Code slow","status":"investigating","components":[{"name":"Claude Code"}]}]}`
	var s statusSummary
	if err := json.Unmarshal([]byte(page), &s); err != nil {
		t.Fatal(err)
	}
	want := []string{"Elevated errors on the API", "Unlabelled incident", "Claude Code slow"}
	if got := s.apiIncidents(); !slices.Equal(got, want) {
		t.Errorf("apiIncidents() = %q, want %q", got, want)
	}
}

func TestPlan(t *testing.T) {
	got := plan(Options{Only: []CheckID{CheckAuth}})
	for _, id := range []CheckID{CheckAuth, CheckHTTP, CheckKey, CheckTLS, CheckTCP, CheckDNS, CheckProxy} {
		if !got[id] {
			t.Errorf("Only auth does not run %s, which it needs", id)
		}
	}
	if got[CheckStream] || got[CheckStatus] || got[CheckClock] {
		t.Errorf("Only auth runs more than it needs: %v", got)
	}
	def := plan(Options{})
	if def[CheckStream] || def[CheckStatus] || len(def) != len(AllChecks)-2 {
		t.Errorf("the default set is %v", def)
	}
}
