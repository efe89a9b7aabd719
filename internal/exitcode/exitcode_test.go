package exitcode

import (
	"testing"

	"claudemedic/netcheck"
)

func TestOf(t *testing.T) {
	for v, want := range map[netcheck.Verdict]int{netcheck.VerdictOK: 0, netcheck.VerdictDegraded: 1, netcheck.VerdictDown: 2, netcheck.VerdictUnknown: 2} {
		if got := Of(v); got != want {
			t.Errorf("Of(%s) = %d, want %d", v, got, want)
		}
	}
}
