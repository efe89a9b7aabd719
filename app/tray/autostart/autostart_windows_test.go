//go:build windows

package autostart

import (
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/windows/registry"
)

// testRunKey points runKey at a fresh key, so the test never touches the
// user's real Run key.
func testRunKey(t *testing.T) {
	t.Helper()
	saved := runKey
	runKey = fmt.Sprintf(`Software\ClaudeMedicTest\Run-%d`, os.Getpid())
	t.Cleanup(func() { registry.DeleteKey(registry.CURRENT_USER, runKey); runKey = saved })
}

func TestRunValue(t *testing.T) {
	testRunKey(t)
	if on, err := Enabled(); on || err != nil {
		t.Fatalf("Enabled before Enable: %v, %v", on, err)
	}
	if err := Disable(); err != nil {
		t.Errorf("Disable with no Run key: %v", err)
	}
	for _, tc := range []struct {
		argv []string
		want string
	}{
		{[]string{`C:\Users\张三\AppData\Local\Programs\Claude Medic\claudemedic.exe`, "tray"},
			`"C:\Users\张三\AppData\Local\Programs\Claude Medic\claudemedic.exe" tray`},
		{[]string{`C:\cm\claudemedic-agent.exe`}, `"C:\cm\claudemedic-agent.exe"`},
		{[]string{`C:\a "b"\c.exe`, "x y"}, `"C:\a \"b\"\c.exe" "x y"`},
	} {
		if err := Enable(tc.argv); err != nil {
			t.Fatal(err)
		}
		k, err := registry.OpenKey(registry.CURRENT_USER, runKey, registry.QUERY_VALUE)
		if err != nil {
			t.Fatal(err)
		}
		got, kind, err := k.GetStringValue(Name)
		k.Close()
		if err != nil || kind != registry.SZ || got != tc.want {
			t.Errorf("Run value for %q = %s (type %d, %v), want %s", tc.argv, got, kind, err, tc.want)
		}
		if on, err := Enabled(); !on || err != nil {
			t.Errorf("Enabled after Enable: %v, %v", on, err)
		}
	}
	if err := Disable(); err != nil {
		t.Fatal(err)
	}
	if on, err := Enabled(); on || err != nil {
		t.Errorf("Enabled after Disable: %v, %v", on, err)
	}
	if err := Enable(nil); err == nil {
		t.Error("Enable with no program succeeded")
	}
}
