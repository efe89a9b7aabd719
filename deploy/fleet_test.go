// Package deploy_test tests the fleet-monitoring files shipped in deploy/:
// promtool checks and unit-tests the rules, then a real Prometheus scrapes a
// real tray agent checking the fake Claude API (each in a process of its
// own), every panel of the Grafana board returns data, and the ClaudeAPIDown
// alert fires when the fake API goes down and clears when it comes back.
package deploy_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"claudemedic/app/tray"
	"claudemedic/doctor/doctortest"
	"claudemedic/internal/dbustest"
	"claudemedic/netcheck/netchecktest"
)

// TestMain lets the test run this test binary as the other processes:
// `fakeapi` serves the fake API (printing its URL and CA file, then switching
// to each scenario named on its standard input), `agent` is the tray agent
// (cmd/claudemedic-agent), and `tray --check-once` is the agent's check child.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 {
		switch os.Args[1] {
		case "fakeapi":
			testing.Benchmark(func(b *testing.B) {
				srv := netchecktest.Start(b, netchecktest.Healthy)
				fmt.Println(srv.URL(), srv.CAFile())
				sc := bufio.NewScanner(os.Stdin)
				for sc.Scan() {
					srv.SetScenario(netchecktest.Scenario(strings.TrimSpace(sc.Text())))
					fmt.Println("ok")
				}
				os.Exit(0) // the test closed our standard input
			})
		case "agent":
			os.Exit(tray.RunAgent(os.Args[2:]))
		case "tray":
			os.Exit(tray.Main(os.Args[2:]))
		}
	}
	os.Exit(m.Run())
}

const (
	rulesFile     = "prometheus/claudemedic-rules.yml"
	rulesTest     = "prometheus/claudemedic-rules.test.yml"
	exampleConfig = "prometheus/prometheus.yml"
	dashboardFile = "grafana/claudemedic-dashboard.json"
)

// need returns the path of a program the test needs: a skip (loud) when it
// is missing outside the test desktop, a failure on it (scripts/test.sh
// installs Debian's prometheus package).
func need(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CLAUDEMEDIC_TEST_DESKTOP") == "1" {
			t.Fatalf("%s is missing: scripts/deps.sh installs Debian's prometheus package", name)
		}
		t.Skipf("SKIPPING the Prometheus tests: %s is not installed (apt-get install prometheus, or run scripts/test.sh)", name)
	}
	return p
}

// promtool runs promtool with args and returns an error holding promtool's
// own words when it fails: the file, the line and what is wrong.
func promtool(t *testing.T, args ...string) error {
	t.Helper()
	out, err := exec.Command(need(t, "promtool"), args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("promtool %s failed:\n%s", strings.Join(args, " "), bytes.TrimSpace(out))
	}
	return nil
}

func TestRulesCheck(t *testing.T) {
	if err := promtool(t, "check", "rules", rulesFile); err != nil {
		t.Fatal(err)
	}
	if err := promtool(t, "check", "config", exampleConfig); err != nil {
		t.Fatal(err)
	}
}

// TestRulesUnitTests runs promtool's unit tests of the rules: the 5-minute
// logic of ClaudeAPIDown, the recording rules and the other alerts.
func TestRulesUnitTests(t *testing.T) {
	if err := promtool(t, "test", "rules", rulesTest); err != nil {
		t.Fatal(err)
	}
}

// TestRulesEditedBadly: a rule file edited by hand with a mistake gives
// promtool's message, naming the file, the line and the problem.
func TestRulesEditedBadly(t *testing.T) {
	good, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, from, to, want string }{
		{"an expression", "expr: claudemedic_api_up == 0", "expr: claudemedic_api_up == == 0", "parse error"},
		{"the indentation", "\n      - alert: ClaudeAPIDown", "\n    - alert: ClaudeAPIDown", "yaml"},
		{"a duration", "for: 5m", "for: five minutes", "not a valid duration"},
	} {
		t.Run(c.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "claudemedic-rules.yml")
			edited := strings.Replace(string(good), c.from, c.to, 1)
			if edited == string(good) {
				t.Fatalf("%q is not in the rule file", c.from)
			}
			if err := os.WriteFile(bad, []byte(edited), 0o600); err != nil {
				t.Fatal(err)
			}
			err := promtool(t, "check", "rules", bad)
			if err == nil {
				t.Fatal("promtool accepted the broken file")
			}
			if !strings.Contains(err.Error(), bad) || !strings.Contains(strings.ToLower(err.Error()), c.want) {
				t.Errorf("the message does not name the file and say %q:\n%v", c.want, err)
			}
		})
	}
}

// panelQueries returns every panel's expressions, by panel title.
func panelQueries(t *testing.T) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(dashboardFile)
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatalf("%s is not valid JSON: %v", dashboardFile, err)
	}
	out := map[string][]string{}
	for _, p := range d.Panels {
		for _, q := range p.Targets {
			if q.Expr == "" {
				t.Errorf("panel %q has a target with no expression", p.Title)
			}
			out[p.Title] = append(out[p.Title], q.Expr)
		}
	}
	if len(out) < 6 {
		t.Fatalf("the board has %d panels with queries; want the six of issue 12 at least", len(out))
	}
	return out
}

// grafanaVars stands for Grafana's variables in an instant query: every
// machine, and windows that fit a test of a few minutes.
var grafanaVars = strings.NewReplacer("$instance", ".*", "$window", "2m", "$__range", "10m",
	"$__rate_interval", "1m", "$__interval", "5s")

// TestFleet runs a real Prometheus against a real tray agent checking the
// fake API. The alert's `for: 5m` becomes `for: 5s` in the test's copy of
// the rules (promtool's unit tests above cover the real 5 minutes).
func TestFleet(t *testing.T) {
	promBin := need(t, "prometheus")
	need(t, "promtool")
	queries := panelQueries(t)
	busAddr := dbustest.Session(t) // for the agent's tray icon

	// The fake API, in a process of its own.
	fake := exec.Command(os.Args[0], "fakeapi")
	toFake, err := fake.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	fromFakePipe, err := fake.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	fake.Stderr = os.Stderr
	if err := fake.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { toFake.Close(); fake.Process.Kill(); fake.Wait() })
	fromFake := bufio.NewReader(fromFakePipe)
	line, err := fromFake.ReadString('\n')
	apiURL, caFile, ok := strings.Cut(strings.TrimSpace(line), " ")
	if err != nil || !ok {
		t.Fatalf("the fake API said %q: %v", line, err)
	}
	scenario := func(s netchecktest.Scenario) {
		t.Helper()
		fmt.Fprintln(toFake, s)
		if l, err := fromFake.ReadString('\n'); err != nil || strings.TrimSpace(l) != "ok" {
			t.Fatalf("switching the fake API to %s: %q %v", s, l, err)
		}
	}

	// The agent, with its metrics endpoint on, checking the fake API.
	home := t.TempDir()
	metricsPort := freePort(t)
	cfgDir := filepath.Join(home, "config", "claudemedic")
	os.MkdirAll(cfgDir, 0o700)
	prefsJSON := fmt.Sprintf(`{"check_interval": "1m", "metrics_port": %d}`, metricsPort)
	if err := os.WriteFile(filepath.Join(cfgDir, "config.json"), []byte(prefsJSON), 0o600); err != nil {
		t.Fatal(err)
	}
	// Claude Code failed a request on the machine before the agent started.
	doctortest.Transcript(t, filepath.Join(home, ".claude"), doctortest.Transcript529, filepath.Join(home, "src"), "", time.Now())
	agent := exec.Command(os.Args[0], "agent")
	agent.Env = append(os.Environ(), "HOME="+home, "XDG_STATE_HOME="+home+"/state", "XDG_CONFIG_HOME="+home+"/config",
		"XDG_DATA_HOME="+home+"/data", "XDG_RUNTIME_DIR="+shortDir(t), "SHELL=/bin/sh", "DBUS_SESSION_BUS_ADDRESS="+busAddr,
		"CLAUDE_CONFIG_DIR="+home+"/.claude", "ANTHROPIC_BASE_URL="+apiURL, "NODE_EXTRA_CA_CERTS="+caFile,
		"ANTHROPIC_API_KEY="+netchecktest.TestKey, "CLAUDEMEDIC_ONE_BINARY=1", "LANG=C", "LC_ALL=", "LC_MESSAGES=", "LANGUAGE=")
	agent.Stdout, agent.Stderr = os.Stderr, os.Stderr
	if err := agent.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { agent.Process.Signal(os.Interrupt); agent.Wait() })
	metricsURL := fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort)
	waitFor(t, "the agent's first check on its endpoint", 60*time.Second, func() (bool, string) {
		body := get(metricsURL)
		return strings.Contains(body, "claudemedic_api_up 1\n"), body
	})
	checkNow := agentMenu(t, busAddr, agent.Process.Pid)

	// Prometheus, scraping the agent every second, its rules evaluated every second.
	dir := t.TempDir()
	rules, err := os.ReadFile(rulesFile)
	if err != nil {
		t.Fatal(err)
	}
	short := strings.Replace(string(rules), "expr: claudemedic_api_up == 0\n        for: 5m", "expr: claudemedic_api_up == 0\n        for: 5s", 1)
	if short == string(rules) {
		t.Fatal("the ClaudeAPIDown rule is not `expr: claudemedic_api_up == 0` with `for: 5m` any more: update this test")
	}
	os.WriteFile(filepath.Join(dir, "rules.yml"), []byte(short), 0o600)
	promPort := freePort(t)
	config := fmt.Sprintf(`global: {scrape_interval: 1s, evaluation_interval: 1s}
rule_files: [rules.yml]
scrape_configs:
  - job_name: claudemedic
    static_configs: [{targets: ["127.0.0.1:%d"]}]
`, metricsPort)
	os.WriteFile(filepath.Join(dir, "prometheus.yml"), []byte(config), 0o600)
	if err := promtool(t, "check", "config", filepath.Join(dir, "prometheus.yml")); err != nil {
		t.Fatal(err)
	}
	prom := exec.Command(promBin, "--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"), fmt.Sprintf("--web.listen-address=127.0.0.1:%d", promPort))
	var promLog bytes.Buffer
	prom.Stdout, prom.Stderr = &promLog, &promLog
	if err := prom.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		prom.Process.Signal(os.Interrupt)
		prom.Wait()
		if t.Failed() {
			t.Logf("Prometheus' log:\n%s", promLog.String())
		}
	})
	api := fmt.Sprintf("http://127.0.0.1:%d", promPort)
	waitFor(t, "Prometheus to scrape the agent", 60*time.Second, func() (bool, string) {
		r, err := query(api, "claudemedic_api_up")
		return err == nil && len(r) == 1 && r[0].Value[1] == "1", fmt.Sprint(r, err)
	})

	// Claude Code fails another request: its counter rises while the probe passes.
	doctortest.Transcript(t, filepath.Join(home, ".claude"), doctortest.TranscriptRefused, filepath.Join(home, "src"), "", time.Now())
	waitFor(t, "Claude Code's refused request on the agent's endpoint", 60*time.Second, func() (bool, string) {
		body := get(metricsURL)
		return strings.Contains(body, `claudemedic_claude_code_api_errors_total{code="TCP_REFUSED"} 1`), body
	})

	// The fake API goes down: the next check says so, the alert fires.
	scenario(netchecktest.ServerError)
	checkNow()
	waitFor(t, "the agent to see the API down", 60*time.Second, func() (bool, string) {
		r, err := query(api, "claudemedic_api_up")
		return err == nil && len(r) == 1 && r[0].Value[1] == "0", fmt.Sprint(r, err)
	})
	waitFor(t, "ClaudeAPIDown to fire", 60*time.Second, func() (bool, string) {
		a, err := alerts(api)
		return err == nil && a["ClaudeAPIDown"] == "firing", fmt.Sprint(a, err)
	})

	// It comes back: the alert clears.
	scenario(netchecktest.Healthy)
	checkNow()
	waitFor(t, "ClaudeAPIDown to clear", 90*time.Second, func() (bool, string) {
		a, err := alerts(api)
		return err == nil && a["ClaudeAPIDown"] == "", fmt.Sprint(a, err)
	})

	// Every panel's expression returns data, and so does every recording rule.
	time.Sleep(3 * time.Second) // a few more scrapes after the last check
	if os.Getenv("CLAUDEMEDIC_SCREENSHOT") != "" {
		time.Sleep(20 * time.Second) // more of the healthy line after the outage, for the picture
	}
	for title, exprs := range queries {
		for _, e := range exprs {
			q := grafanaVars.Replace(e)
			if strings.Contains(q, "$") {
				t.Errorf("panel %q: %s uses a variable this test does not know", title, e)
				continue
			}
			r, err := query(api, q)
			switch {
			case err != nil:
				t.Errorf("panel %q: %s: %v", title, q, err)
			case len(r) == 0:
				t.Errorf("panel %q: %s returned no data", title, q)
			}
		}
	}
	for _, name := range regexp.MustCompile(`(?m)^\s*- record: (\S+)`).FindAllStringSubmatch(string(rules), -1) {
		if r, err := query(api, name[1]); err != nil || len(r) == 0 {
			t.Errorf("the recording rule %s has no data: %v", name[1], err)
		}
	}
	if r, err := query(api, `increase(claudemedic_findings_total{code="SERVER_ERROR"}[5m]) > 0`); err != nil || len(r) == 0 {
		t.Errorf("the down checks' SERVER_ERROR findings did not reach Prometheus: %v %v", r, err)
	}
	if shot := os.Getenv("CLAUDEMEDIC_SCREENSHOT"); shot != "" {
		screenshot(t, api, queries, shot)
	}
}

// sample is one series of an instant query's answer.
type sample struct {
	Metric map[string]string `json:"metric"`
	Value  [2]any            `json:"value"`
}

// query runs an instant query through Prometheus' HTTP API.
func query(api, q string) ([]sample, error) {
	resp, err := http.Get(api + "/api/v1/query?query=" + url.QueryEscape(q))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string          `json:"resultType"`
			Result     json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	if out.Status != "success" {
		return nil, fmt.Errorf("%s", out.Error)
	}
	if out.Data.ResultType == "scalar" {
		var v [2]any
		json.Unmarshal(out.Data.Result, &v)
		return []sample{{Value: v}}, nil
	}
	var r []sample
	err = json.Unmarshal(out.Data.Result, &r)
	return r, err
}

// alerts returns the state of each active alert by name.
func alerts(api string) (map[string]string, error) {
	resp, err := http.Get(api + "/api/v1/alerts")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out struct {
		Data struct {
			Alerts []struct {
				Labels map[string]string `json:"labels"`
				State  string            `json:"state"`
			} `json:"alerts"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, err
	}
	m := map[string]string{}
	for _, a := range out.Data.Alerts {
		m[a.Labels["alertname"]] = a.State
	}
	return m, nil
}

func get(u string) string {
	resp, err := http.Get(u)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func waitFor(t *testing.T, what string, limit time.Duration, ok func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	var last string
	for time.Now().Before(deadline) {
		var done bool
		if done, last = ok(); done {
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("waited %v for %s; last saw: %s", limit, what, last)
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// shortDir is a folder with a short path, for the agent's socket.
func shortDir(t *testing.T) string {
	t.Helper()
	d, err := os.MkdirTemp("/tmp", "cmfleet")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// agentMenu returns a function that clicks the agent's "Check now" over
// D-Bus, as a person does in the tray menu.
func agentMenu(t *testing.T, busAddr string, pid int) func() {
	t.Helper()
	conn, err := dbus.Connect(busAddr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	menu := conn.Object("org.kde.StatusNotifierItem-"+strconv.Itoa(pid)+"-1", "/StatusNotifierItem/menu")
	find := func() (int32, error) {
		call := menu.Call("com.canonical.dbusmenu.GetLayout", 0, int32(0), int32(-1), []string{})
		if call.Err != nil {
			return 0, call.Err
		}
		var rev uint32
		var root struct {
			ID       int32
			Props    map[string]dbus.Variant
			Children []dbus.Variant
		}
		if err := call.Store(&rev, &root); err != nil {
			return 0, err
		}
		for _, c := range root.Children {
			if f, ok := c.Value().([]any); ok && len(f) == 3 {
				props, _ := f[1].(map[string]dbus.Variant)
				if l, _ := props["label"].Value().(string); l == "Check now" {
					id, _ := f[0].(int32)
					return id, nil
				}
			}
		}
		return 0, fmt.Errorf("no Check now in the menu")
	}
	var id int32
	waitFor(t, "the agent's menu on D-Bus", 30*time.Second, func() (bool, string) {
		var err error
		id, err = find()
		return err == nil, fmt.Sprint(err)
	})
	return func() {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if call := menu.CallWithContext(ctx, "com.canonical.dbusmenu.Event", 0, id, "clicked", dbus.MakeVariant(""), uint32(time.Now().Unix())); call.Err != nil {
			t.Fatalf("clicking Check now: %v", call.Err)
		}
	}
}
