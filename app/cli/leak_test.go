package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"claudemedic/doctor/doctortest"
	"claudemedic/keystore"
	"claudemedic/keystore/keystoretest"
	"claudemedic/netcheck/netchecktest"
)

// buildBinary builds the real claudemedic into a temporary folder.
func buildBinary(t testing.TB) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "Claude Medic", "claudemedic") // a space: the helper command must quote it
	cmd := doctortest.GoTool("build", "-o", exe, "claudemedic")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return exe
}

// sandbox is a throwaway home for the real binary: Claude Code's folder and
// Claude Medic's config, data, state and cache folders all inside it, and a
// private Secret Service.
type sandbox struct {
	t        *testing.T
	exe      string
	home     string
	settings string
	env      []string
	secrets  []string // raw keys no output and no file may hold
}

type result struct {
	stdout, stderr string
	code           int
}

func newSandbox(t *testing.T, exe string, ss *keystoretest.SecretService) *sandbox {
	home := t.TempDir()
	env := slices.DeleteFunc(slices.Clone(ss.Env), func(kv string) bool {
		name, _, _ := strings.Cut(kv, "=")
		return strings.HasPrefix(name, "ANTHROPIC_") || strings.HasPrefix(name, "XDG_") || strings.HasSuffix(strings.ToUpper(name), "_PROXY") ||
			name == "HOME" || slices.Contains(doctortest.ShellVars, name)
	})
	env = append(env, "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"), "XDG_STATE_HOME="+filepath.Join(home, ".local", "state"),
		"XDG_CACHE_HOME="+filepath.Join(home, ".cache"), "XDG_RUNTIME_DIR="+filepath.Join(ss.Dir, "run"))
	return &sandbox{t: t, exe: exe, home: home, settings: filepath.Join(home, ".claude", "settings.json"), env: env}
}

// run runs the binary with stdin and checks that no raw key is in its output.
func (s *sandbox) run(stdin string, args ...string) result {
	s.t.Helper()
	return s.runCmd(exec.Command(s.exe, args...), stdin, false)
}

// print runs `key print` with args: its stdout may hold the key.
func (s *sandbox) print(args ...string) result {
	s.t.Helper()
	return s.runCmd(exec.Command(s.exe, append([]string{"key", "print"}, args...)...), "", true)
}

// runCmd runs cmd in the sandbox; printsKey allows a key on its stdout (key print).
func (s *sandbox) runCmd(cmd *exec.Cmd, stdin string, printsKey bool) result {
	s.t.Helper()
	var out, errb bytes.Buffer
	cmd.Env, cmd.Dir = s.env, s.home
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errb
	err := cmd.Run()
	r := result{out.String(), errb.String(), cmd.ProcessState.ExitCode()}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		s.t.Fatalf("%v: %v", cmd.Args, err)
	}
	for _, k := range s.secrets {
		if strings.Contains(r.stderr, k) || (!printsKey && strings.Contains(r.stdout, k)) {
			s.t.Fatalf("%v printed a raw key:\nstdout: %s\nstderr: %s", cmd.Args, r.stdout, r.stderr)
		}
	}
	return r
}

// helper runs the settings' apiKeyHelper through sh -c, as Claude Code does.
func (s *sandbox) helper() result {
	s.t.Helper()
	b, err := os.ReadFile(s.settings)
	if err != nil {
		s.t.Fatal(err)
	}
	var v struct {
		APIKeyHelper string `json:"apiKeyHelper"`
	}
	if err := json.Unmarshal(b, &v); err != nil || v.APIKeyHelper == "" {
		s.t.Fatalf("no apiKeyHelper in the settings (%v):\n%s", err, b)
	}
	return s.runCmd(exec.Command("sh", "-c", v.APIKeyHelper), "", true)
}

func (s *sandbox) writeSettings(env map[string]string) {
	s.t.Helper()
	b, _ := json.MarshalIndent(map[string]any{"env": env}, "", "  ")
	os.MkdirAll(filepath.Dir(s.settings), 0o700)
	if err := os.WriteFile(s.settings, b, 0o600); err != nil {
		s.t.Fatal(err)
	}
}

// checkJSON runs `check --json` and returns the key's source.
func (s *sandbox) checkJSON() string {
	s.t.Helper()
	r := s.run("", "check", "--json", "--timeout", "10s")
	var rep struct {
		Target struct {
			Key       *string `json:"key"`
			KeySource string  `json:"key_source"`
		} `json:"target"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil || rep.Target.Key == nil {
		s.t.Fatalf("check --json (exit %d): %v\nstdout: %s\nstderr: %s", r.code, err, r.stdout, r.stderr)
	}
	return rep.Target.KeySource
}

func want(t *testing.T, what string, r result, code int, stdout, stderr string) {
	t.Helper()
	if r.code != code || !strings.Contains(r.stdout, stdout) || !strings.Contains(r.stderr, stderr) {
		t.Fatalf("%s: exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
			what, r.code, r.stdout, r.stderr, code, stdout, stderr)
	}
}

// TestKeyCycleLeaksNothing runs the real binary through a set / print /
// check / use-with-claude-code cycle against a real Secret Service and the
// fake Claude API: the written apiKeyHelper, run through sh -c as Claude
// Code runs it, prints the key; no output but `key print`'s stdout holds a
// raw key, and no file in the home (Claude Code's folder, Claude Medic's
// config, data, state and cache folders) does either.
func TestKeyCycleLeaksNothing(t *testing.T) {
	ss := keystoretest.Start(t, keystoretest.Options{})
	api := netchecktest.Start(t, netchecktest.Healthy)
	s := newSandbox(t, buildBinary(t), ss)
	key := netchecktest.TestKey // the key the fake API accepts
	plain := strings.Replace(key, "netchecktest", "plaintextkey", 1)
	bad := `"` + strings.Replace(key, "netchecktest", "quotedbadkey", 1) + `"`
	s.secrets = []string{key, plain, strings.Trim(bad, `"`)}
	base := map[string]string{"ANTHROPIC_BASE_URL": api.URL(), "NODE_EXTRA_CA_CERTS": api.CAFile()}
	s.writeSettings(base)

	want(t, "print with no key", s.print(), 1, "", "claudemedic key set")
	want(t, "set", s.run(key+"\n", "key", "set"), 0, "Stored the API key", "")
	if got, ok := ss.Lookup(t, keystore.Service, keystore.DefaultProfile); !ok || got != key {
		t.Fatalf("the Secret Service holds %q, %v under service=%s username=%s", got, ok, keystore.Service, keystore.DefaultProfile)
	}
	want(t, "set a quoted key", s.run(bad, "key", "set"), 1, "", "quotes")
	want(t, "status", s.run("", "key", "status"), 0, "sk-ant-api03…", "")
	want(t, "print", s.print(), 0, key+"\n", "")
	// Claude Code does not read the keychain until apiKeyHelper points at it:
	// check says so, and uses no key.
	if r := s.run("", "check", "--json", "--timeout", "10s"); !strings.Contains(r.stdout, `"unused_keychain_key": true`) || strings.Contains(r.stdout, `"key_source"`) {
		t.Fatalf("check before use-with-claude-code (exit %d):\n%s", r.code, r.stdout)
	}

	want(t, "use-with-claude-code", s.run("", "key", "use-with-claude-code"), 0, "Claude Code now reads the key", "")
	if r := s.helper(); r.code != 0 || r.stdout != key+"\n" || r.stderr != "" {
		t.Fatalf("the apiKeyHelper command: exit %d, stdout %q, stderr %q; want the key", r.code, r.stdout, r.stderr)
	}
	if got := s.checkJSON(); got != "apiKeyHelper" {
		t.Fatalf("check's key_source = %q; want apiKeyHelper", got)
	}
	want(t, "status with the helper", s.run("", "key", "status"), 0, "Claude Code reads it", "")

	// A plaintext key in the settings: refused without --move-plaintext, moved with it.
	settings, _ := os.ReadFile(s.settings)
	var doc map[string]any
	json.Unmarshal(settings, &doc)
	doc["env"].(map[string]any)["ANTHROPIC_API_KEY"] = plain
	settings, _ = json.MarshalIndent(doc, "", "  ")
	os.WriteFile(s.settings, settings, 0o600)
	want(t, "use without --move-plaintext", s.run("", "key", "use-with-claude-code", "--profile", "moved"), 1, "", "--move-plaintext")
	if b, _ := os.ReadFile(s.settings); !bytes.Equal(b, settings) {
		t.Fatal("a refused use-with-claude-code changed the settings")
	}
	want(t, "move plaintext", s.run("", "key", "use-with-claude-code", "--profile", "moved", "--move-plaintext"), 0, "Moved the plaintext ANTHROPIC_API_KEY", "")
	if r := s.helper(); r.code != 0 || r.stdout != plain+"\n" {
		t.Fatalf("the apiKeyHelper command for profile moved: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}
	r := s.run("", "check")
	if !strings.Contains(r.stdout+r.stderr, "AUTH_INVALID") && !strings.Contains(r.stdout+r.stderr, "401") {
		t.Logf("check with a key the fake API refuses:\n%s%s", r.stdout, r.stderr)
	}

	// Deleting the helper's key: the helper fails with a message, no key.
	want(t, "delete", s.run("", "key", "delete", "--profile", "moved", "--yes"), 0, "Deleted", "apiKeyHelper still runs")
	if r := s.helper(); r.code == 0 || r.stdout != "" || !strings.Contains(r.stderr, "no key is stored") {
		t.Fatalf("the apiKeyHelper command with no key: exit %d, stdout %q, stderr %q", r.code, r.stdout, r.stderr)
	}

	// No file in the home holds a raw key: settings, backups, profile list,
	// reports, logs.
	var files int
	filepath.WalkDir(s.home, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		files++
		b, _ := os.ReadFile(p)
		for _, k := range s.secrets {
			if bytes.Contains(b, []byte(k)) {
				t.Errorf("%s holds a raw key", p)
			}
		}
		return nil
	})
	for _, dir := range []string{".claude", ".config/claudemedic", ".local/share/claudemedic"} {
		if _, err := os.Stat(filepath.Join(s.home, dir)); err != nil {
			t.Errorf("expected the cycle to write into %s: %v", dir, err)
		}
	}
	t.Logf("%d files in the sandbox home hold no key", files)
}

// TestKeySetOnATerminal pastes the key into `key set` on a real
// pseudo-terminal (util-linux script), after the prompt: the terminal shows
// no echo of it.
func TestKeySetOnATerminal(t *testing.T) {
	ss := keystoretest.Start(t, keystoretest.Options{})
	if _, err := exec.LookPath("script"); err != nil {
		t.Fatal("script (util-linux) is missing:", err)
	}
	s := newSandbox(t, buildBinary(t), ss)
	key := netchecktest.TestKey
	cmd := exec.Command("script", "-qec", strings.TrimSuffix(keystore.HelperCommand(s.exe, ""), " key print")+" key set", "/dev/null")
	cmd.Env, cmd.Dir = s.env, s.home
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var screen []byte
	waitFor := func(text string) {
		buf := make([]byte, 4096)
		for !bytes.Contains(screen, []byte(text)) {
			n, err := stdout.Read(buf)
			screen = append(screen, buf[:n]...)
			if err != nil {
				t.Fatalf("the terminal never showed %q: %v\n%s", text, err, screen)
			}
		}
	}
	waitFor("it is not shown")
	stdin.Write([]byte(key + "\r"))
	waitFor("Stored the API key")
	stdin.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("key set on a terminal: %v\n%s", err, screen)
	}
	if bytes.Contains(screen, []byte(key)) {
		t.Fatalf("the terminal echoed the key:\n%s", screen)
	}
	if got, ok := ss.Lookup(t, keystore.Service, keystore.DefaultProfile); !ok || got != key {
		t.Fatalf("the Secret Service holds %q, %v", got, ok)
	}
}
