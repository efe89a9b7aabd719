package deploy_test

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// screenshot saves Prometheus' own graph page of the board's main
// expressions to path, with headless Chromium (Grafana is not in Debian):
// `CLAUDEMEDIC_SCREENSHOT=$PWD/docs/screenshot-prometheus.png go test -run TestFleet ./deploy/`.
func screenshot(t *testing.T, api string, queries map[string][]string, path string) {
	t.Helper()
	bin := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			bin = p
			break
		}
	}
	if bin == "" {
		t.Fatal("CLAUDEMEDIC_SCREENSHOT needs chromium: apt-get install chromium")
	}
	v := url.Values{}
	for i, title := range []string{"Verdict per machine", "Latency per phase, p50 and p95", "Error rate by finding code"} {
		e := queries[title]
		if len(e) == 0 {
			t.Fatalf("no panel %q", title)
		}
		n := "g" + strconv.Itoa(i)
		v.Set(n+".expr", grafanaVars.Replace(e[len(e)-1]))
		v.Set(n+".tab", "0")
		v.Set(n+".range_input", "1m")
	}
	page := api + "/classic/graph?" + v.Encode()
	out, err := exec.Command(bin, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--user-data-dir="+t.TempDir(), "--virtual-time-budget=8000", "--window-size=1280,2000",
		"--screenshot="+path, page).CombinedOutput()
	if err != nil {
		t.Fatalf("chromium: %v\n%s", err, out)
	}
	abs, _ := filepath.Abs(path)
	if _, err := os.Stat(abs); err != nil {
		t.Fatal(err)
	}
	t.Logf("the screenshot of %s is %s", page, abs)
}
