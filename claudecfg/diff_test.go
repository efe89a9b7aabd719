package claudecfg

import (
	"strings"
	"testing"
)

// TestDiffKeysShowsBothSidesMasked: every change lists its key once, with
// each side shown as the settings page shows it, and no secret in the clear.
func TestDiffKeysShowsBothSidesMasked(t *testing.T) {
	const oldKey, newKey = "sk-ant-api03-OLDOLDOLDOLDOLDOLDOLD-AAAA", "sk-ant-api03-NEWNEWNEWNEWNEWNEWNEW-BBBB"
	for _, tc := range []struct {
		name, old, new string
		want           string // the changes' String()s, joined by " | "
		hidden         []string
	}{
		{"timeout raised", `{"env":{"API_TIMEOUT_MS":"3000"}}`, `{"env":{"API_TIMEOUT_MS":"600000"}}`,
			"env.API_TIMEOUT_MS: 3000 → 600000", nil},
		{"number to string", `{"env":{"API_TIMEOUT_MS":3000}}`, `{"env":{"API_TIMEOUT_MS":"3000"}}`,
			"env.API_TIMEOUT_MS: 3000 → 3000", nil},
		{"key replaced", `{"env":{"ANTHROPIC_API_KEY":"` + oldKey + `"}}`, `{"env":{"ANTHROPIC_API_KEY":"` + newKey + `"}}`,
			"", []string{"OLDOLDOLD", "NEWNEWNEW"}},
		{"proxy password", `{}`, `{"env":{"HTTPS_PROXY":"http://me:hunter2@proxy:3128"}}`,
			"", []string{"hunter2"}},
		{"removed and added", `{"env":{"A":"1"},"model":"x"}`, `{"env":{"B":"2"},"model":"x"}`,
			"env.A: removed (was 1) | env.B: set to 2", nil},
		{"key outside env", `{"note":"x"}`, `{"note":"` + newKey + `"}`, "", []string{"NEWNEWNEW"}},
		{"nothing changed", `{"env":{"A":"1"}}`, `{"env":{"A":"1"}}`, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			changes := diffKeys([]byte(tc.old), []byte(tc.new))
			var got []string
			for _, c := range changes {
				got = append(got, c.String())
			}
			all := strings.Join(got, " | ")
			if tc.want != "" && all != tc.want {
				t.Errorf("got %q, want %q", all, tc.want)
			}
			if tc.name == "nothing changed" && len(changes) != 0 {
				t.Errorf("got %q, want no change", all)
			}
			if tc.hidden != nil && len(changes) != 1 {
				t.Errorf("got %q, want one change", all)
			}
			for _, h := range tc.hidden {
				if strings.Contains(all, h) {
					t.Errorf("%q shows %q", all, h)
				}
			}
		})
	}
}
