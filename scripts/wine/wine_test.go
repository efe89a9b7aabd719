//go:build wine

// Package wine runs Claude Medic's Windows build under Wine, in a throwaway
// prefix, against the fake Claude API of netchecktest served from this Linux
// process on 127.0.0.1 (Wine's processes reach it). scripts/test-wine.sh
// builds the binaries and the test-only bcryptprimitives.dll, then runs
//
//	go test -tags wine ./scripts/wine -args -bin DIR
//
// with a private HOME; it starts an Xvfb display of its own for the window
// and the tray agent. Each test drives the real claudemedic.exe (which hands
// the window over to claudemedic-window.exe) or claudemedic-agent.exe;
// the Windows unit tests of the packages with Windows code run as Windows
// test binaries. What Wine cannot show is listed in README.md.
package wine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"claudemedic/netcheck/netchecktest"
)

var (
	binDir  = flag.String("bin", "", "the folder holding claudemedic.exe, claudemedic-window.exe, claudemedic-agent.exe, bcryptprimitives.dll and tests/*.test.exe")
	shotDir = flag.String("shots", "", "where to keep the window's screenshots (default: a temporary folder)")
	keep    = flag.Bool("keep-prefix", false, "keep the Wine prefix afterwards, for a look inside")
)

const (
	wine       = "/usr/lib/wine/wine64"
	wineserver = "/usr/lib/wine/wineserver"
	dllName    = "bcryptprimitives.dll"
)

// pfx is the throwaway Wine prefix every test runs in.
var pfx struct {
	dir        string // WINEPREFIX
	user       string // the Windows user's name, C:\users\<user>
	withoutDLL result // claudemedic.exe run before the DLL went in
}

func TestMain(m *testing.M) {
	flag.Parse()
	code, err := setUp()
	if err != nil {
		fmt.Fprintf(os.Stderr, "wine: %v\n", err)
		os.Exit(1)
	}
	if code == 0 {
		code = m.Run()
	}
	exec.Command(wineserver, "-k").Run()
	exec.Command(wineserver, "-w").Run()
	if screen != nil {
		screen.stop()
	}
	if *keep {
		fmt.Fprintf(os.Stderr, "wine: the prefix is kept in %s\n", pfx.dir)
	} else {
		os.RemoveAll(pfx.dir)
	}
	os.Exit(code)
}

// screen is the display of this run's windows.
var screen *display

// setUp makes the prefix (wineboot, no Mono or Gecko prompts), runs
// claudemedic.exe once without the DLL, then installs it.
func setUp() (int, error) {
	if *binDir == "" {
		return 0, errors.New("-bin DIR is needed (scripts/test-wine.sh builds it)")
	}
	d, err := startDisplay(30 * time.Second)
	if err != nil {
		return 0, err
	}
	screen = d
	os.Setenv("DISPLAY", d.name)
	for _, f := range []string{wine, wineserver} {
		if _, err := os.Stat(f); err != nil {
			return 0, fmt.Errorf("Wine is not installed (%v): install Debian's wine64 package (scripts/deps.sh WINE_PACKAGES)", err)
		}
	}
	for _, f := range []string{"claudemedic.exe", "claudemedic-window.exe", "claudemedic-agent.exe", dllName} {
		if _, err := os.Stat(filepath.Join(*binDir, f)); err != nil {
			return 0, fmt.Errorf("%s is missing from %s: build it with scripts/test-wine.sh", f, *binDir)
		}
	}
	dir, err := os.MkdirTemp("", "claudemedic-wine.")
	if err != nil {
		return 0, err
	}
	pfx.dir = filepath.Join(dir, "prefix")
	os.Setenv("WINEPREFIX", pfx.dir)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	boot := exec.CommandContext(ctx, wine, "wineboot", "-i")
	boot.Env = wineEnv(nil)
	if out, err := boot.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("wineboot -i: %v\n%s", err, out)
	}
	if err := exec.CommandContext(ctx, wineserver, "-w").Run(); err != nil {
		return 0, fmt.Errorf("waiting for wineboot's wineserver: %v", err)
	}
	if err := startServer(); err != nil {
		return 0, err
	}
	users, _ := os.ReadDir(filepath.Join(pfx.dir, "drive_c", "users"))
	for _, u := range users {
		if u.IsDir() && u.Name() != "Public" {
			pfx.user = u.Name()
		}
	}
	if pfx.user == "" {
		return 0, fmt.Errorf("wineboot made no user folder in %s", pfx.dir)
	}
	pfx.withoutDLL = runExe(ctx, "claudemedic.exe", nil, "", "check", "--help")
	dll, err := os.ReadFile(filepath.Join(*binDir, dllName))
	if err != nil {
		return 0, err
	}
	if err := os.WriteFile(systemDLL(), dll, 0o644); err != nil {
		return 0, err
	}
	return 0, nil
}

// startServer starts the prefix's wineserver, persistent and with no
// output of ours: one that a Wine program starts inherits that program's
// output pipes and holds them open after it exits. Wine's services too.
func startServer() error {
	cmd := exec.Command(wineserver, "-p") // it goes into the background; its output goes nowhere
	cmd.Env = wineEnv(nil)
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("starting wineserver: %v", err)
	}
	// The first program of a session starts Wine's services, which inherit
	// its output: let that be one with none.
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	boot := exec.CommandContext(ctx, wine, "wineboot")
	boot.Env = wineEnv(nil)
	if err := boot.Run(); err != nil {
		return fmt.Errorf("starting Wine's services (wineboot): %v", err)
	}
	return nil
}

// flushRegistry stops the wineserver, which writes the registry to its .reg
// files, and starts it again. No Wine program may be running.
func flushRegistry(t *testing.T) {
	t.Helper()
	if err := exec.Command(wineserver, "-k").Run(); err != nil {
		t.Fatalf("wineserver -k: %v", err)
	}
	exec.Command(wineserver, "-w").Run()
	if err := startServer(); err != nil {
		t.Fatal(err)
	}
}

// background starts a Wine program that outlives the call, its output in a
// file (a pipe would be held open by what it starts) and its stdin a pipe
// that stays open and empty; the test's end kills it. output is what it
// wrote so far.
func background(t *testing.T, env []string, args ...string) (cmd *exec.Cmd, exited <-chan error, output func() string) {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	cmd = exec.Command(wine, args...)
	// Wine's own word on a window it cannot make ("no driver could be
	// loaded") goes into the output too.
	cmd.Env = wineEnv(append([]string{"WINEDEBUG=-all,err+winediag"}, env...))
	cmd.Stdout, cmd.Stderr = f, f
	stdin, err := cmd.StdinPipe() // open until the end: nothing is written to it
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait(); f.Close() }()
	t.Cleanup(func() {
		stdin.Close()
		cmd.Process.Kill()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Errorf("%s did not end when killed", args[0])
		}
	})
	return cmd, done, func() string { b, _ := os.ReadFile(f.Name()); return string(b) }
}

// requireDisplay fails the test when the display of its windows is gone or
// does not answer: then no window of Wine's could show, whatever the program.
func requireDisplay(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := screen.answers(ctx); err != nil {
		t.Fatal(err)
	}
}

// displayGone is why the display went away during a test, or "".
func displayGone() string {
	if err := screen.alive(); err != nil {
		return "\n" + err.Error()
	}
	return ""
}

func systemDLL() string { return filepath.Join(pfx.dir, "drive_c", "windows", "system32", dllName) }

// wineEnv is the whole environment of a Wine process: nothing of this
// process's own (Wine hands the Unix environment to Windows programs) but
// what Wine needs, and extra.
func wineEnv(extra []string) []string {
	env := []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "DISPLAY=" + os.Getenv("DISPLAY"),
		"WINEPREFIX=" + pfx.dir, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=", "LANG=C.UTF-8",
	}
	return append(env, extra...)
}

type result struct {
	code           int
	stdout, stderr string
	err            error // the run itself failed (not started, timed out)
}

func (r result) String() string {
	return fmt.Sprintf("exit %d (%v)\nstdout:\n%s\nstderr:\n%s", r.code, r.err, r.stdout, r.stderr)
}

// runExe runs a program of the bin folder under Wine with env and stdin.
func runExe(ctx context.Context, exe string, env []string, stdin string, args ...string) result {
	return runWine(ctx, env, stdin, append([]string{filepath.Join(*binDir, exe)}, args...)...)
}

func runWine(ctx context.Context, env []string, stdin string, args ...string) result {
	cmd := exec.CommandContext(ctx, wine, args...)
	cmd.Env = wineEnv(env)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	r := result{stdout: out.String(), stderr: errOut.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	case err != nil:
		r.code, r.err = -1, err
	}
	if ctx.Err() != nil {
		r.err = fmt.Errorf("timed out: %w", ctx.Err())
	}
	return r
}

// missingDLL is what a run that needs the DLL says when the prefix lacks it.
func missingDLL(r result) string {
	if !strings.Contains(r.stdout+r.stderr, "bcryptprimitives.dll not found") {
		return ""
	}
	return fmt.Sprintf("the Wine prefix %s lacks %s: Go 1.24 and later need its ProcessPrng on Windows, and Wine 8 has no such DLL. "+
		"scripts/test-wine.sh builds a test-only one from scripts/wine/dll/processprng.c; put it in %s", pfx.dir, dllName, filepath.Dir(systemDLL()))
}

// claudemedic runs claudemedic.exe with args; a timeout or a missing DLL fails the test.
func claudemedic(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	r := runExe(ctx, "claudemedic.exe", env, stdin, args...)
	if msg := missingDLL(r); msg != "" {
		t.Fatal(msg)
	}
	if r.err != nil {
		t.Fatalf("claudemedic %s: %v\n%s", strings.Join(args, " "), r.err, r)
	}
	return r
}

// reg runs Wine's reg.exe.
func reg(t *testing.T, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return runWine(ctx, nil, "", append([]string{"reg"}, args...)...)
}

// home is the user's profile folder, %USERPROFILE%, as a Linux path.
func home() string { return filepath.Join(pfx.dir, "drive_c", "users", pfx.user) }

// winPath is a Linux path as a Windows program names it: C:\… inside the
// prefix's drive C, Z:\… elsewhere.
func winPath(p string) string {
	c := filepath.Join(pfx.dir, "drive_c")
	if rel, err := filepath.Rel(c, p); err == nil && !strings.HasPrefix(rel, "..") {
		return `C:\` + strings.ReplaceAll(rel, "/", `\`)
	}
	return "Z:" + strings.ReplaceAll(p, "/", `\`)
}

// appData is Claude Medic's state folder in the prefix (%LOCALAPPDATA%\claudemedic).
func appData() string { return filepath.Join(home(), "AppData", "Local", "claudemedic") }

// prefsFile is the preferences file (%APPDATA%\claudemedic\config.json).
func prefsFile() string {
	return filepath.Join(home(), "AppData", "Roaming", "claudemedic", "config.json")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// A prefix without the DLL: the program cannot start, and the test says
// what is missing and where it goes.
func TestPrefixWithoutTheDLL(t *testing.T) {
	r := pfx.withoutDLL
	if r.code == 0 {
		t.Fatalf("claudemedic.exe ran in a prefix without %s; is Wine newer than 8, with the DLL of its own? %s", dllName, r)
	}
	msg := missingDLL(r)
	if msg == "" {
		t.Fatalf("without the DLL the run failed otherwise: %s", r)
	}
	for _, want := range []string{dllName, "ProcessPrng", "scripts/wine/dll/processprng.c", "system32"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message %q does not say %q", msg, want)
		}
	}
	if r := claudemedic(t, nil, "", "check", "--help"); r.code != 0 || !strings.Contains(r.stdout+r.stderr, "Exit status") {
		t.Errorf("with the DLL, check --help: %s", r)
	}
}

// The Windows unit tests of the packages with Windows code, as Windows test
// binaries. Only the tests written for Windows run: the portable ones assume
// a Unix home, shell and file modes, and Go 1.26's os.RemoveAll (t.TempDir's
// cleanup) fails under Wine 8, which lacks FileDispositionInformationEx.
func TestWindowsUnitTests(t *testing.T) {
	for _, tc := range []struct{ pkg, run string }{
		{"instance", "."},
		{"autostart", "."},
		{"claudecfg", "ExpandVars|EnvironmentFromRegistry|InspectReadsTheRegistry|DesktopEnv|EnvNamesCaseInsensitive"},
		{"claudecache", "ClaudeProcesses"},
		{"tray", "Toast"},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			r := runWine(ctx, nil, "", filepath.Join(*binDir, "tests", tc.pkg+".test.exe"), "-test.v", "-test.count=1", "-test.run", tc.run)
			if msg := missingDLL(r); msg != "" {
				t.Fatal(msg)
			}
			if r.code != 0 || r.err != nil || !strings.Contains(r.stdout, "\nPASS") {
				t.Fatalf("%s", r)
			}
			ran := regexp.MustCompile(`(?m)^--- PASS: (\S+)`).FindAllStringSubmatch(r.stdout, -1)
			if len(ran) == 0 {
				t.Fatalf("no test ran: %s", r)
			}
			var names []string
			for _, m := range ran {
				names = append(names, m[1])
			}
			t.Logf("passed under Wine: %s", strings.Join(names, ", "))
		})
	}
}

// check --json against the fake API: the contract's exit codes (0 ok, 1
// degraded, 2 down, 64 usage) and the finding each fault gives.
func TestCheckAgainstTheFakeAPI(t *testing.T) {
	srv := netchecktest.Start(t, netchecktest.Healthy)
	for _, tc := range []struct {
		sc      netchecktest.Scenario
		env     []string
		code    int
		finding string // a finding the report must hold ("" none failing)
	}{
		{netchecktest.Healthy, nil, 0, ""},
		{netchecktest.TimeoutTooLow, []string{"API_TIMEOUT_MS=5000"}, 1, "TIMEOUT_TOO_LOW"},
		{netchecktest.AuthInvalid, nil, 2, "AUTH_INVALID"},
		{netchecktest.TCPRefused, nil, 2, "TCP_REFUSED"},
		{netchecktest.TLSUntrusted, nil, 2, "TLS_UNTRUSTED"},
		{netchecktest.ProxyAuthRequired, nil, 2, "PROXY_AUTH_REQUIRED"},
	} {
		t.Run(string(tc.sc), func(t *testing.T) {
			srv.SetScenario(tc.sc)
			tg := srv.Target()
			base := tg.BaseURL.Value
			if tg.Proxy.Set() {
				base = srv.URL() // Wine's processes cannot use the fake DNS: the proxy is what this tests
			}
			args := []string{"check", "--json", "--timeout", "5s", "--key-stdin", "--base-url", base, "--ca-file", winPath(tg.CAFile.Value)}
			if tg.Proxy.Set() {
				args = append(args, "--proxy", tg.Proxy.Value)
			}
			r := claudemedic(t, tc.env, tg.Credential.Secret+"\n", args...)
			if strings.Contains(r.stdout+r.stderr, tg.Credential.Secret) {
				t.Fatal("the whole key was printed")
			}
			var rep struct {
				Schema   int    `json:"schema"`
				Verdict  string `json:"verdict"`
				Findings []struct {
					Code, Severity string
				} `json:"findings"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.Schema != 1 {
				t.Fatalf("not one JSON report of schema 1 (%v): %s", err, r)
			}
			var fails []string
			found := tc.finding == ""
			for _, f := range rep.Findings {
				if f.Severity == "fail" {
					fails = append(fails, f.Code)
				}
				found = found || f.Code == tc.finding
			}
			want := map[string]int{"ok": 0, "degraded": 1, "down": 2}[rep.Verdict]
			if r.code != want {
				t.Errorf("exit %d for the verdict %s", r.code, rep.Verdict)
			}
			switch {
			case tc.sc == netchecktest.Healthy && (len(fails) > 0 || r.code == 2):
				t.Errorf("healthy: exit %d, failures %v", r.code, fails)
			case tc.sc != netchecktest.Healthy && (r.code != tc.code || !found):
				t.Errorf("exit %d, findings %+v; want exit %d with %s", r.code, rep.Findings, tc.code, tc.finding)
			case tc.code == 2 && (len(fails) != 1 || fails[0] != tc.finding):
				t.Errorf("failures %v, want only %s", fails, tc.finding)
			}
		})
	}
	t.Run("usage", func(t *testing.T) {
		if r := claudemedic(t, nil, "", "check", "--no-such-flag"); r.code != 64 {
			t.Errorf("a wrong flag: %s", r)
		}
		if r := claudemedic(t, nil, "", "check", "sk-ant-api03-in-argv"); r.code != 64 || !strings.Contains(r.stderr, "never from the command line") {
			t.Errorf("a key in argv: %s", r)
		}
	})
}

// The key's round trip through Wine's Credential Manager, and the key in no
// file of the prefix (the registry's .reg files included) but as Wine's
// Credential Manager keeps it.
func TestKeyThroughTheCredentialManager(t *testing.T) {
	key := "sk-ant-api03-wine" + strconv.FormatInt(time.Now().UnixNano(), 36) + strings.Repeat("Kq7", 28) + "-AA"
	if r := claudemedic(t, nil, key+"\n", "key", "set"); r.code != 0 {
		t.Fatalf("key set: %s", r)
	}
	r := claudemedic(t, nil, "", "key", "status", "--json")
	var st map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &st); r.code != 0 || err != nil {
		t.Fatalf("key status --json: %v %s", err, r)
	}
	if strings.Contains(r.stdout, key) || !strings.Contains(r.stdout, key[len(key)-4:]) {
		t.Errorf("key status shows the key unmasked, or not at all: %s", r.stdout)
	}
	if r := claudemedic(t, nil, "", "key", "print"); r.code != 0 || strings.TrimSpace(r.stdout) != key {
		t.Fatalf("key print gave %q (exit %d), want the key set", strings.TrimSpace(r.stdout), r.code)
	}
	useWithClaudeCode(t, key)
	flushRegistry(t) // the registry reaches its files when wineserver stops
	var files int
	var inCredStore bool
	filepath.WalkDir(pfx.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		files++
		b, err := os.ReadFile(p)
		if err != nil {
			return nil
		}
		for _, form := range [][]byte{[]byte(key), utf16le(key)} {
			if bytes.Contains(b, form) {
				t.Errorf("the key is in %s", p)
			}
		}
		if strings.HasSuffix(p, ".reg") && bytes.Contains(b, []byte(`Credential Manager`)) && bytes.Contains(b, []byte("claudemedic")) {
			inCredStore = true
		}
		return nil
	})
	if files < 100 || !inCredStore {
		t.Errorf("searched %d files; Wine's Credential Manager holds Claude Medic's entry: %v", files, inCredStore)
	}
	if r := claudemedic(t, nil, "", "key", "delete", "--yes"); r.code != 0 {
		t.Fatalf("key delete: %s", r)
	}
	if r := claudemedic(t, nil, "", "key", "print"); r.code == 0 || strings.Contains(r.stdout, key) {
		t.Errorf("key print after delete: %s", r)
	}
}

// useWithClaudeCode installs claudemedic.exe where Windows programs go (a
// folder with a space in its name), points Claude Code's apiKeyHelper at it,
// and runs that helper as Claude Code does on Windows (%ComSpec% /d /s /c):
// it must print the key.
func useWithClaudeCode(t *testing.T, key string) {
	t.Helper()
	dir := filepath.Join(pfx.dir, "drive_c", "Program Files", "Claude Medic")
	data, err := os.ReadFile(filepath.Join(*binDir, "claudemedic.exe"))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(dir, 0o755)
	exe := filepath.Join(dir, "claudemedic.exe")
	if err := os.WriteFile(exe, data, 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if r := runWine(ctx, nil, "", exe, "key", "use-with-claude-code"); r.code != 0 {
		t.Fatalf("key use-with-claude-code: %s", r)
	}
	var settings struct {
		APIKeyHelper string `json:"apiKeyHelper"`
	}
	b, err := os.ReadFile(filepath.Join(home(), ".claude", "settings.json"))
	if err == nil {
		err = json.Unmarshal(b, &settings)
	}
	if err != nil || !strings.HasPrefix(settings.APIKeyHelper, `"C:\Program Files\Claude Medic\claudemedic.exe" key print`) {
		t.Fatalf("apiKeyHelper = %q (%v); want the installed program, quoted for cmd.exe", settings.APIKeyHelper, err)
	}
	// config show runs the helper as Claude Code does (cmd.exe's own command
	// line, written verbatim): the credential is the helper's, the key's.
	r := claudemedic(t, nil, "", "config", "show", "--json")
	var show struct {
		Credential *struct {
			Key, Source, Error string
		} `json:"credential"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &show); err != nil || show.Credential == nil {
		t.Fatalf("config show --json: %v %s", err, r)
	}
	if c := show.Credential; c.Source != "apiKeyHelper" || c.Error != "" || !strings.HasSuffix(c.Key, key[len(key)-4:]) {
		t.Errorf("apiKeyHelper %s, run through cmd.exe: credential %+v; want the key from apiKeyHelper", settings.APIKeyHelper, *c)
	}
	os.Remove(filepath.Join(home(), ".claude", "settings.json"))
}

func utf16le(s string) []byte {
	var b []byte
	for _, r := range s {
		b = append(b, byte(r), byte(r>>8))
	}
	return b
}

// config set-timeout then config restore gives %USERPROFILE%\.claude\settings.json
// back byte for byte (CRLF line ends, Chinese text); cache clear then cache
// undo gives the folder back byte for byte.
func TestSettingsRestoreAndCacheUndo(t *testing.T) {
	dir := filepath.Join(home(), ".claude")
	settings := filepath.Join(dir, "settings.json")
	orig := "{\r\n  \"model\": \"opus\",\r\n  \"env\": {\"NOTE\": \"中文 ok\"}\r\n}\r\n"
	writeFile(t, settings, orig)
	if r := claudemedic(t, nil, "", "config", "set-timeout", "--preset", "relay"); r.code != 0 {
		t.Fatalf("set-timeout: %s", r)
	}
	b, _ := os.ReadFile(settings)
	if !strings.Contains(string(b), `"API_TIMEOUT_MS"`) || !strings.Contains(string(b), "中文 ok") {
		t.Fatalf("set-timeout wrote %q", b)
	}
	if r := claudemedic(t, nil, "", "config", "restore", "--latest"); r.code != 0 {
		t.Fatalf("restore: %s", r)
	}
	if b, _ := os.ReadFile(settings); string(b) != orig {
		t.Errorf("restored settings differ:\n%q\nwant\n%q", b, orig)
	}

	for name, content := range map[string]string{
		"debug/session.txt": "debug log", "shell-snapshots/snap.sh": "echo hi", "image-cache/x/img.png": "\x89PNG",
		"projects/p/conversation.jsonl": `{"role":"user"}`, "CLAUDE.md": "# 说明",
	} {
		writeFile(t, filepath.Join(dir, filepath.FromSlash(name)), content)
	}
	before := tree(t, dir)
	r := claudemedic(t, nil, "", "cache", "clear", "--json")
	if r.code != 0 {
		t.Fatalf("cache clear: %s", r)
	}
	after := tree(t, dir)
	for p := range before {
		if strings.HasPrefix(p, "debug/") || strings.HasPrefix(p, "shell-snapshots/") || strings.HasPrefix(p, "image-cache/") {
			if _, ok := after[p]; ok {
				t.Errorf("cache clear left %s", p)
			}
		} else if after[p] != before[p] {
			t.Errorf("cache clear touched %s", p)
		}
	}
	r = claudemedic(t, nil, "", "cache", "undo")
	if r.code != 0 {
		// Go 1.26's os.RemoveAll fails under Wine 8 (no FileDispositionInformationEx):
		// the emptied trash batch stays, and the command says so. Windows has it.
		if !regexp.MustCompile(`unlinkat .*trash.*: Invalid function\.`).MatchString(r.stderr) {
			t.Fatalf("cache undo: %s", r)
		}
		t.Logf("cache undo restored, then could not remove its trash batch (Wine 8 and Go's RemoveAll): %s", strings.TrimSpace(r.stderr))
	}
	if got := tree(t, dir); fmt.Sprint(got) != fmt.Sprint(before) {
		t.Errorf("after undo the folder differs:\n%v\nwant\n%v", got, before)
	}
}

// tree maps each file under dir (slash paths) to its content.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	m := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			b, _ := os.ReadFile(p)
			rel, _ := filepath.Rel(dir, p)
			m[filepath.ToSlash(rel)] = string(b)
		}
		return nil
	})
	return m
}

// What a Windows user's Claude Code sees: the registry's environment (user
// and machine, a value that is not a string named), a Claude Code folder of
// non-ASCII name from it, the managed settings under Program Files, and the
// "Claude Code is running" guard finding claude.exe.
func TestWhatClaudeCodeSeesOnWindows(t *testing.T) {
	cfgDir := filepath.Join(pfx.dir, "drive_c", "users", "张三", ".claude")
	writeFile(t, filepath.Join(cfgDir, "settings.json"), `{"env": {"API_TIMEOUT_MS": "900000"}}`)
	managed := filepath.Join(pfx.dir, "drive_c", "Program Files", "ClaudeCode", "managed-settings.json")
	writeFile(t, managed, `{"env": {"NO_PROXY": "localhost,.corp"}}`)
	t.Cleanup(func() { os.Remove(managed) })
	for _, args := range [][]string{
		{"add", `HKCU\Environment`, "/v", "HTTPS_PROXY", "/t", "REG_SZ", "/d", "http://registry.corp:3128", "/f"},
		{"add", `HKCU\Environment`, "/v", "CLAUDE_CONFIG_DIR", "/t", "REG_EXPAND_SZ", "/d", `%SystemDrive%\users\张三\.claude`, "/f"},
		{"add", `HKCU\Environment`, "/v", "CLAUDE_CODE_MAX_RETRIES", "/t", "REG_DWORD", "/d", "15", "/f"},
	} {
		if r := reg(t, args...); r.code != 0 {
			t.Fatalf("reg %s: %s", strings.Join(args, " "), r)
		}
	}
	t.Cleanup(func() {
		for _, v := range []string{"HTTPS_PROXY", "CLAUDE_CONFIG_DIR", "CLAUDE_CODE_MAX_RETRIES"} {
			reg(t, "delete", `HKCU\Environment`, "/v", v, "/f")
		}
	})
	// The app's own environment is older: a variable since changed in the
	// registry, none for the folder.
	r := claudemedic(t, []string{"HTTPS_PROXY=http://stale.corp:1"}, "", "config", "show", "--login-shell", "--json")
	var show struct {
		ConfigDir string `json:"config_dir"`
		Files     []struct {
			Layer, Path string
			Exists      bool
		} `json:"files"`
		Variables []struct {
			Name   string  `json:"name"`
			Value  *string `json:"value"`
			Source string  `json:"source"`
		} `json:"variables"`
		LoginShell string `json:"login_shell_error"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &show); err != nil {
		t.Fatalf("config show --json: %v\n%s", err, r)
	}
	if want := `C:\users\张三\.claude`; show.ConfigDir != want {
		t.Errorf("Claude Code's folder %q, want %q (CLAUDE_CONFIG_DIR from HKCU\\Environment)", show.ConfigDir, want)
	}
	vars := map[string]string{}
	for _, v := range show.Variables {
		if v.Value != nil {
			vars[v.Name] = *v.Value + " from " + v.Source
		}
	}
	// Wine builds each program it starts from Linux an environment from the
	// registry, so here the app's own agrees with the registry and the value
	// shows as the shell's; on Windows an app started before the change has
	// the old one (claudecfg's Windows test gives Inspect such an environment).
	if v := vars["HTTPS_PROXY"]; v != "http://registry.corp:3128 from user environment (registry)" && v != "http://registry.corp:3128 from shell" {
		t.Errorf("HTTPS_PROXY = %q, want the registry's http://registry.corp:3128", v)
	}
	for name, want := range map[string]string{
		"API_TIMEOUT_MS": "900000 from user settings env",
		"NO_PROXY":       "localhost,.corp from managed settings env",
	} {
		if vars[name] != want {
			t.Errorf("%s = %q, want %q", name, vars[name], want)
		}
	}
	if _, ok := vars["CLAUDE_CODE_MAX_RETRIES"]; ok {
		t.Errorf("a REG_DWORD became a value: %v", vars)
	}
	if !strings.Contains(show.LoginShell, `CLAUDE_CODE_MAX_RETRIES in HKCU\Environment is a REG_DWORD, not a string`) {
		t.Errorf("the non-string value is not named: %q", show.LoginShell)
	}
	var managedSeen bool
	for _, f := range show.Files {
		managedSeen = managedSeen || (f.Layer == "managed" && f.Path == `C:\Program Files\ClaudeCode\managed-settings.json` && f.Exists)
	}
	if !managedSeen {
		t.Errorf("the managed settings file was not read: %+v", show.Files)
	}

	// The guard: cache clear refuses while claude.exe runs.
	helper := filepath.Join(t.TempDir(), "claude.exe")
	data, err := os.ReadFile(filepath.Join(*binDir, "tests", "claudecache.test.exe"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(helper, data, 0o755); err != nil {
		t.Fatal(err)
	}
	background(t, []string{"CLAUDEMEDIC_HELPER=1"}, helper, "-test.run=^TestHelperWaitForStdin$") // it waits on its stdin
	guard := filepath.Join(home(), ".claude", "debug", "guard.txt")
	writeFile(t, guard, "x")
	var last result
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(500 * time.Millisecond) {
		if last = claudemedic(t, nil, "", "cache", "clear"); strings.Contains(last.stderr, "Claude Code is running") {
			break
		}
	}
	if last.code == 0 || !strings.Contains(last.stderr, "Claude Code is running") {
		t.Errorf("cache clear while claude.exe runs: %s", last)
	}
	if _, err := os.Stat(guard); err != nil {
		t.Errorf("cache clear moved the cache while claude.exe runs: %v", err)
	}
}

// The tray agent: it starts (the named pipe, not an AF_UNIX socket), notifies
// of its first check's state (Wine has no toast: the failure is logged and the
// agent lives), answers a second launch by opening the window, turns start
// at login on and off in the Run key as its preferences say, and stays one.
func TestTrayAgent(t *testing.T) {
	srv := netchecktest.Start(t, netchecktest.TCPRefused)
	env := []string{"ANTHROPIC_BASE_URL=" + srv.Target().BaseURL.Value} // down at once, offline
	writeFile(t, prefsFile(), `{"check_interval": "1h", "autostart": false}`)
	logPath := filepath.Join(appData(), "agent.log")
	os.Remove(logPath)

	t.Cleanup(closeWindows)
	requireDisplay(t)
	_, exited, agentOut := background(t, env, filepath.Join(*binDir, "claudemedic-agent.exe"))
	waitLog := func(what string, pattern string) string {
		t.Helper()
		re := regexp.MustCompile(pattern)
		for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
			select {
			case err := <-exited:
				b, _ := os.ReadFile(logPath)
				t.Fatalf("the agent exited (%v) before %s:\n%s\nlog:\n%s", err, what, agentOut(), b)
			default:
			}
			b, _ := os.ReadFile(logPath)
			if m := re.Find(b); m != nil {
				return string(m)
			}
		}
		b, _ := os.ReadFile(logPath)
		t.Fatalf("no %s in the agent's log after 90 s:\n%s\nits output:\n%s%s", what, b, agentOut(), displayGone())
		return ""
	}
	waitLog("start", `msg="tray agent started"`)
	line := waitLog("notification of the first check's state", `level=WARN msg=notifying err=.*`)
	if !strings.Contains(line, "no toast notifications") {
		t.Errorf("the notification failed otherwise than for want of toasts: %s", line)
	}
	if b, _ := os.ReadFile(logPath); bytes.Contains(b, []byte("cannot reach this agent")) {
		t.Errorf("the agent's listener did not start:\n%s", b)
	}

	// A second launch says the agent already runs and ends, opening no
	// window; a third, with --open settings, has the running agent open it.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, exe := range []string{"claudemedic-agent.exe", "claudemedic.exe"} {
		args := []string{}
		if exe == "claudemedic.exe" {
			args = []string{"tray", "--open", "settings"}
		}
		r := runExe(ctx, exe, env, "", args...)
		if r.code != 0 || !strings.Contains(r.stdout, "already runs") {
			t.Errorf("second launch of %s: %s", exe, r)
		}
	}
	waitLog("a window opened for the third launch", `msg="opened the window" page=settings`)
	if b, _ := os.ReadFile(logPath); bytes.Contains(b, []byte(`msg="opened the window" page=status`)) {
		t.Errorf("the second launch, without --open, opened a window:\n%s", b)
	}
	if b, _ := os.ReadFile(logPath); bytes.Count(b, []byte(`msg="tray agent started"`)) != 1 {
		t.Errorf("more than one agent started:\n%s", b)
	}

	// Start at login, as the preferences say, read back from the registry.
	runKey := `HKCU\Software\Microsoft\Windows\CurrentVersion\Run`
	query := func() result { return reg(t, "query", runKey, "/v", "Claude Medic") }
	writeFile(t, prefsFile(), `{"check_interval": "1h", "autostart": true}`)
	var q result
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		if q = query(); q.code == 0 {
			break
		}
	}
	want := `"` + winPath(filepath.Join(*binDir, "claudemedic.exe")) + `" tray`
	if q.code != 0 || !strings.Contains(q.stdout, "REG_SZ") || !strings.Contains(q.stdout, want) {
		t.Errorf("reg query %s after turning start at login on: %s\nwant a REG_SZ %s", runKey, q, want)
	}
	writeFile(t, prefsFile(), `{"check_interval": "1h", "autostart": false}`)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(300 * time.Millisecond) {
		if q = query(); q.code != 0 {
			break
		}
	}
	if q.code == 0 {
		t.Errorf("the Run value stays after turning start at login off: %s", q)
	}
	select {
	case err := <-exited:
		t.Errorf("the agent exited: %v\n%s", err, agentOut())
	default:
	}
	b, _ := os.ReadFile(logPath)
	t.Logf("the agent's log:\n%s", b)
}

// The window opens under Xvfb on an English and on a Chinese Windows, and
// draws: the screenshot is not blank. The shots are kept in -shots. On an
// English Windows whose Claude Medic preference says Chinese, the window
// speaks Chinese: its shot is nearer the Chinese Windows' than the English one's.
func TestWindowOpens(t *testing.T) {
	dir := *shotDir
	if dir == "" {
		dir = t.TempDir()
	}
	os.MkdirAll(dir, 0o755)
	var shots []string
	for _, lang := range []string{"en", "zh", "zh-pref"} {
		t.Run(lang, func(t *testing.T) {
			prefs := `{"check_interval": "1h"}`
			if lang == "zh-pref" {
				prefs = `{"check_interval": "1h", "language": "zh"}`
			}
			writeFile(t, prefsFile(), prefs)
			// The system's language, as Windows sets it: Wine takes it from LC_ALL.
			locale := map[string]string{"en": "en_US.UTF-8", "zh": "zh_CN.UTF-8", "zh-pref": "en_US.UTF-8"}[lang]
			t.Cleanup(closeWindows)
			requireDisplay(t)
			// claudemedic.exe hands the window over to claudemedic-window.exe,
			// a process of its own: the window is found by its title.
			_, _, out := background(t, []string{"LANG=" + locale, "LC_ALL=" + locale}, filepath.Join(*binDir, "claudemedic.exe"), "window", "status")
			g, err := waitWindow([]string{"--name", "^Claude Medic$"}, 60*time.Second)
			if err != nil {
				t.Fatalf("%v\nits output:\n%s%s", err, out(), displayGone())
			}
			time.Sleep(4 * time.Second) // its first frames
			shot := filepath.Join(dir, "wine-window-"+lang+".png")
			// The whole screen, cropped to the window: import -window ID hangs
			// when the window changes meanwhile.
			if b, err := x11(30*time.Second, "import", "-window", "root", "-crop", g, "+repage", shot); err != nil {
				t.Fatalf("import: %v %s", err, b)
			}
			colours, mean := imageStats(t, shot)
			t.Logf("%s: %d colours, mean %.2f", shot, colours, mean)
			if colours < 50 || mean < 0.3 {
				t.Errorf("the window looks blank: %s has %d colours and mean brightness %.2f", shot, colours, mean)
			}
			shots = append(shots, shot)
		})
	}
	if len(shots) != 3 {
		return
	}
	en, zh, zhPref := pixelsApart(t, shots[0], shots[1]), pixelsApart(t, shots[2], shots[1]), pixelsApart(t, shots[2], shots[0])
	t.Logf("pixels apart: English and Chinese Windows %d; the Chinese preference and the Chinese Windows %d, and the English Windows %d", en, zh, zhPref)
	if en == 0 {
		t.Error("the English and the Chinese window look the same")
	}
	if zh >= zhPref {
		t.Errorf("on an English Windows the Chinese preference is not followed: its window is %d pixels from the Chinese one and %d from the English one", zh, zhPref)
	}
}

// pixelsApart counts the pixels in which two screenshots differ (ImageMagick's
// compare -metric AE); shots of different sizes are as far apart as can be.
func pixelsApart(t *testing.T, a, b string) int {
	t.Helper()
	out, _ := exec.Command("compare", "-metric", "AE", a, b, "null:").CombinedOutput() // exits 1 when they differ
	n, err := strconv.ParseFloat(strings.Fields(string(out) + " x")[0], 64)
	if err != nil {
		return math.MaxInt
	}
	return int(n)
}

// waitWindow waits for the window xdotool finds with search (its criteria,
// such as --name REGEXP), mapped, at least 300×300 and the same for a
// second, and returns its geometry as ImageMagick's -crop takes it (WxH+X+Y).
func waitWindow(search []string, wait time.Duration) (string, error) {
	last := ""
	for deadline := time.Now().Add(wait); time.Now().Before(deadline); time.Sleep(time.Second) {
		out, _ := x11(10*time.Second, "xdotool", append([]string{"search", "--onlyvisible"}, search...)...)
		best, area := "", 0
		for _, id := range strings.Fields(string(out)) {
			geo, err := x11(10*time.Second, "xdotool", "getwindowgeometry", "--shell", id)
			if err != nil {
				continue
			}
			v := map[string]int{}
			for _, line := range strings.Fields(string(geo)) {
				if k, n, ok := strings.Cut(line, "="); ok {
					v[k], _ = strconv.Atoi(n)
				}
			}
			if w, h := v["WIDTH"], v["HEIGHT"]; w >= 300 && h >= 300 && w*h > area {
				best, area = fmt.Sprintf("%dx%d+%d+%d", w, h, v["X"], v["Y"]), w*h
			}
		}
		if best != "" && best == last {
			return best, nil
		}
		last = best
	}
	return "", fmt.Errorf("no window (xdotool search %s) was shown within %s", strings.Join(search, " "), wait)
}

// x11 runs an X tool, bounded.
func x11(timeout time.Duration, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	return exec.CommandContext(ctx, name, args...).CombinedOutput()
}

// closeWindows ends the window processes a test left (the agent's children).
func closeWindows() {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	runWine(ctx, nil, "", "taskkill", "/f", "/im", "claudemedic.exe", "/im", "claudemedic-window.exe")
}

// imageStats is the number of distinct colours and the mean brightness (0 to 1).
func imageStats(t *testing.T, png string) (int, float64) {
	t.Helper()
	out, err := x11(time.Minute, "convert", png, "-format", "%k %[fx:mean]", "info:")
	if err != nil {
		t.Fatalf("convert %s: %v", png, err)
	}
	var n int
	var mean float64
	if _, err := fmt.Sscan(string(out), &n, &mean); err != nil {
		t.Fatalf("convert said %q: %v", out, err)
	}
	return n, mean
}
