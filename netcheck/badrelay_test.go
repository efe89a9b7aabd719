package netcheck_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
	"claudemedic/netcheck/netchecktest"
)

// Bad relays: a megabyte of HTML, a stream that never ends, a redirect loop.
// Each is a finding with a fix within --timeout, no crash, and no key in the report.
func TestBadRelays(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    netcheck.Code
	}{
		{"a megabyte of HTML", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<html><head><title>Portal</title></head><body>")
			io.WriteString(w, strings.Repeat("<p>"+netchecktest.TestKey+"</p>", (2<<20)/120))
		}, netcheck.NotAnthropicAPI},
		{"a stream that never ends", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/event-stream")
			rc := http.NewResponseController(w)
			io.WriteString(w, "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"type\":\"message\",\"role\":\"assistant\"}}\n\n")
			for r.Context().Err() == nil {
				io.WriteString(w, "event: ping\ndata: {\"type\":\"ping\"}\n\n")
				rc.Flush()
				time.Sleep(50 * time.Millisecond)
			}
		}, netcheck.StreamStalled},
		{"a redirect loop", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, r.URL.String(), http.StatusFound)
		}, netcheck.NotAnthropicAPI},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			target := claudesettings.Target{BaseURL: flag(srv.URL),
				Credential: claudesettings.Credential{Secret: netchecktest.TestKey, Kind: claudesettings.KindAPIKey, Source: claudesettings.SourceFlag, Var: "ANTHROPIC_API_KEY"}}
			t0 := time.Now()
			r := netcheck.Run(context.Background(), target, netcheck.Options{Timeout: 2 * time.Second})
			if d := time.Since(t0); d > 2500*time.Millisecond {
				t.Errorf("took %s, want within the timeout", d)
			}
			if !r.Has(tt.want) || r.Verdict != netcheck.VerdictDown {
				t.Errorf("verdict %s, findings %v, want %s", r.Verdict, fails(r), tt.want)
				for _, c := range r.Checks {
					t.Logf("  %-9s %-4s %s", c.ID, c.Status, c.Summary.EN)
				}
			}
			b, _ := json.Marshal(r)
			if strings.Contains(string(b), netchecktest.TestKey) {
				t.Errorf("the report holds the key")
			}
			for _, f := range r.Findings {
				if f.Fix.EN == "" || f.Fix.ZH == "" {
					t.Errorf("%s has no fix", f.Code)
				}
			}
		})
	}
}
