//go:build linux

package cli

import (
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"claudemedic/keystore/keystoretest"
	"claudemedic/netcheck/netchecktest"
)

// BenchmarkKeyPrintBinary measures what Claude Code waits for each time it
// runs the apiKeyHelper: the real binary's `key print` through sh -c, against
// a private gnome-keyring; maxRSS-KB is the child's peak resident memory.
//
//	scripts/testenv.sh go test -run '^$' -bench KeyPrintBinary ./app/cli/
func BenchmarkKeyPrintBinary(b *testing.B) {
	ss := keystoretest.Start(b, keystoretest.Options{})
	exe := buildBinary(b)
	set := exec.Command(exe, "key", "set")
	set.Env = append(ss.Env, "XDG_CONFIG_HOME="+b.TempDir())
	set.Stdin = strings.NewReader(netchecktest.TestKey)
	if out, err := set.CombinedOutput(); err != nil {
		b.Fatalf("key set: %v\n%s", err, out)
	}
	var maxRSS int64
	for b.Loop() {
		cmd := exec.Command(exe, "key", "print")
		cmd.Env = set.Env
		out, err := cmd.Output()
		if err != nil || string(out) != netchecktest.TestKey+"\n" {
			b.Fatalf("key print: %v", err)
		}
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			maxRSS = max(maxRSS, ru.Maxrss)
		}
	}
	b.ReportMetric(float64(maxRSS), "maxRSS-KB")
}
