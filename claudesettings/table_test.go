package claudesettings

import (
	"errors"
	"testing"
	"time"
)

// TestMeasuredReadings holds what Claude Code 2.1.332 was measured to do
// with each value (/work/coord/variable-rules.md): API_TIMEOUT_MS against a
// fake API that answers after 3 s (a hang-up at the time given, or the
// answer), CLAUDE_CODE_MAX_RETRIES against one that answers 503 (requests
// counted), BASH_DEFAULT_TIMEOUT_MS with `sleep 4` run by its Bash tool.
func TestMeasuredReadings(t *testing.T) {
	for _, tc := range []struct {
		name, raw string
		want      int64 // the number Claude Code used
		problem   bool
	}{
		{VarAPITimeout, "2000", 2000, false},                      // hang-up at 1983 ms
		{VarAPITimeout, " 2000 ", 2000, false},                    // 2039 ms
		{VarAPITimeout, "\t2000\n", 2000, false},                  // 2147 ms
		{VarAPITimeout, "\ufeff2000", 2000, false},                // 2017 ms
		{VarAPITimeout, "+2000", 2000, false},                     // 1985 ms
		{VarAPITimeout, "1e3", 1000, false},                       // 998 ms
		{VarAPITimeout, "2,000", 2000, false},                     // 1990 ms
		{VarAPITimeout, "2000ms", 2000, true},                     // 1985 ms
		{VarAPITimeout, "2000.9", 2000, true},                     // 2004 ms
		{VarAPITimeout, "2s", 2, true},                            // "set API_TIMEOUT_MS above 2", at once
		{VarAPITimeout, `"2000"`, 600000, true},                   // answered after 3 s
		{VarAPITimeout, "'2000'", 600000, true},                   // answered
		{VarAPITimeout, "２０００", 600000, true},                     // answered
		{VarAPITimeout, "\u0662\u0660\u0660\u0660", 600000, true}, // answered
		{VarAPITimeout, "abc", 600000, true},                      // answered
		{VarAPITimeout, "0x7d0", MaxAPITimeoutMS, true},           // parseInt reads 0: no limit, answered
		{VarAPITimeout, "", 600000, false},                        // answered
		{VarAPITimeout, "0", MaxAPITimeoutMS, true},               // answered
		{VarAPITimeout, "-5", MaxAPITimeoutMS, true},              // answered
		{VarAPITimeout, "2147483647", MaxAPITimeoutMS, false},     // answered
		{VarAPITimeout, "2147483648", MaxAPITimeoutMS, true},      // answered: no limit
		{VarAPITimeout, "99999999999", MaxAPITimeoutMS, true},     // answered
		{VarMaxRetries, "1", 1, false},                            // 2 requests
		{VarMaxRetries, " 1 ", 1, false},                          // 2
		{VarMaxRetries, "\ufeff1", 1, false},                      // 2
		{VarMaxRetries, "+1", 1, false},                           // 2
		{VarMaxRetries, "1e0", 1, false},                          // 2
		{VarMaxRetries, "1x", 1, true},                            // 2
		{VarMaxRetries, "0", 0, false},                            // 1
		{VarMaxRetries, `"1"`, 10, true},                          // still retrying after 14 s
		{VarMaxRetries, "-1", 10, true},                           // still retrying
		{VarMaxRetries, "１", 10, true},                            // still retrying
		{VarMaxRetries, "16", 15, true},                           // still retrying (15: read in the code)
		{VarBashTimeout, "2000", 2000, false},                     // "Command timed out after 2s"
		{VarBashTimeout, " 2000 ", 2000, false},                   // after 2s
		{VarBashTimeout, "+2000", 2000, false},                    // after 2s
		{VarBashTimeout, "1e3", 1000, false},                      // after 1s
		{VarBashTimeout, "2s", 2, true},                           // "timed out after 0s"
		{VarBashTimeout, `"2000"`, 120000, true},                  // "done"
		{VarBashTimeout, "0", 120000, true},                       // done
		{VarBashTimeout, "-5", 120000, true},                      // done
		{VarBashTimeout, "２０００", 120000, true},                    // done
		{VarBashTimeout, "2147483648", MaxAPITimeoutMS, true},     // done
		{VarBashTimeout, "99999999999", MaxAPITimeoutMS, true},    // done
		// MCP_TIMEOUT: an MCP server that never answers, the wait before
		// the first API request.
		{VarMCPTimeout, " 2000 ", 2000, false},                // 3.7 s (start-up included)
		{VarMCPTimeout, "+2000", 2000, false},                 // 5.0 s
		{VarMCPTimeout, "1e3", 1000, false},                   // 3.5 s
		{VarMCPTimeout, `"2000"`, 30000, true},                // 32.5 s
		{VarMCPTimeout, "0", 30000, true},                     // 32.6 s
		{VarMCPTimeout, "-5", 30000, true},                    // 31.0 s
		{VarMCPTimeout, "２０００", 30000, true},                  // 32.6 s
		{VarMCPTimeout, "99999999999", MaxAPITimeoutMS, true}, // no request in 45 s
		// MCP_TOOL_TIMEOUT, read in the code only: min(max(n, 1000), 2147483647), below 1 ignored.
		{VarMCPToolTimeout, "5", 1000, true},
		{VarMCPToolTimeout, "0", 100000000, true},
	} {
		r := Read(tc.name, tc.raw)
		if r.Number != tc.want || r.Problem.None() == tc.problem {
			t.Errorf("%s=%q: %d, problem %q; want %d, a problem %v", tc.name, tc.raw, r.Number, r.Problem.EN, tc.want, tc.problem)
		}
	}
}

func TestParseInput(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		err            error
	}{
		{VarAPITimeout, "600000", "600000", nil},
		{VarAPITimeout, " 10m ", "600000", nil},
		{VarAPITimeout, "600s", "600000", nil},
		{VarAPITimeout, "1h30m", "5400000", nil},
		{VarAPITimeout, "default", "", nil},
		{VarAPITimeout, "", "", nil},
		{VarAPITimeout, "0", "", ErrOutOfRange},
		{VarAPITimeout, "2147483648", "", ErrOutOfRange},
		{VarAPITimeout, "+600000", "", ErrOutOfRange},
		{VarAPITimeout, "1.5us", "", ErrNotWholeMillis},
		{VarAPITimeout, "ten minutes", "", ErrNotDuration},
		{VarAPITimeout, "１０m", "", ErrNotDuration},
		{VarMaxRetries, "15", "15", nil},
		{VarMaxRetries, "16", "", ErrOutOfRange},
		{VarMaxRetries, "3s", "", ErrOutOfRange},
		{VarMCPTimeout, "90s", "90000", nil},
	} {
		got, err := ParseInput(tc.name, tc.in)
		if got != tc.want || !errors.Is(err, tc.err) || (err == nil) != (tc.err == nil) {
			t.Errorf("ParseInput(%s, %q) = %q, %v; want %q, %v", tc.name, tc.in, got, err, tc.want, tc.err)
		}
		if p, ok := ProblemOf(err); err != nil && (!ok || p.ZH == "") {
			t.Errorf("ParseInput(%s, %q): no sentence in both languages: %v", tc.name, tc.in, err)
		}
	}
}

func TestTableViews(t *testing.T) {
	if Defaults[VarAPITimeout] != "600000" || time.Duration(600000)*time.Millisecond != DefaultAPITimeout {
		t.Error("API_TIMEOUT_MS's default disagrees with DefaultAPITimeout")
	}
	if Defaults[VarBaseURL] != DefaultBaseURL || !IsSecret(VarAPIKey) || !IsSecret("AWS_SECRET_ACCESS_KEY") || IsSecret(VarAPITimeout) {
		t.Error("the views of the table are wrong")
	}
	for _, v := range Table {
		if v.Meaning.EN == "" || v.Meaning.ZH == "" || v.Kind == "" {
			t.Errorf("%s: a row without its meaning or kind", v.Name)
		}
	}
	for _, name := range Variables {
		if v, _ := Lookup(name); v.Provider {
			t.Errorf("%s: a provider's variable in Variables", name)
		}
	}
}
