package pages

import "testing"

func TestParse(t *testing.T) {
	for _, p := range All {
		if got, err := Parse(string(p)); err != nil || got != p {
			t.Errorf("Parse(%q) = %q, %v", p, got, err)
		}
	}
	for _, bad := range []string{"", "nowhere", "status; rm -rf", "Status"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded", bad)
		}
	}
	if List() != "status|wizard|key|settings|cache" {
		t.Errorf("List() = %q", List())
	}
}
