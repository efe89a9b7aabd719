package tray

import (
	"fmt"
	"os"
	"testing"

	"claudemedic/netcheck/netchecktest"
)

// TestMain lets the tests run this test binary as the agent's child
// processes: `<test binary> tray ...` is the agent (a check child, or a whole
// second agent), `<test binary> window PAGE` stands for the window, noting
// the page in $CLAUDEMEDIC_TEST_WINDOW_LOG, and `<test binary> fakeapi`
// serves a healthy fake API in a process of its own (for benchmarks that
// measure only the agent's memory), printing its URL and CA file.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "fakeapi":
			testing.Benchmark(func(b *testing.B) {
				srv := netchecktest.Start(b, netchecktest.Healthy)
				fmt.Println(srv.URL(), srv.CAFile())
				select {} // until killed
			})
		case "tray":
			os.Exit(Main(os.Args[2:]))
		case "window":
			if f, err := os.OpenFile(os.Getenv("CLAUDEMEDIC_TEST_WINDOW_LOG"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600); err == nil {
				fmt.Fprintln(f, os.Args[2])
				f.Close()
			}
			os.Exit(0)
		}
	}
	os.Exit(m.Run())
}
