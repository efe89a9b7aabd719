// Package docs holds the documentation; its test holds the README to
// "every command in it works when pasted".
package docs

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"claudemedic/doctor/doctortest"
	"claudemedic/netcheck/netchecktest"
)

// readmeCommands is every line of README.md's ```sh blocks, without its
// comment, in order.
func readmeCommands(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	in := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		l := strings.TrimSpace(sc.Text())
		switch {
		case strings.HasPrefix(l, "```"):
			in = !in && (l == "```sh" || l == "```bash" || l == "```shell")
		case in && l != "":
			if w := words(l); len(w) > 0 {
				lines = append(lines, strings.Join(quoteAll(w), " "))
			}
		}
	}
	return lines
}

// words splits a line as the shell does for these lines: spaces, single and
// double quotes, and a comment from an unquoted #.
func words(line string) []string {
	var out []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				cur.WriteRune(r)
			}
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == '#' && !inWord:
			return out
		case r == ' ' || r == '\t':
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

func quoteAll(w []string) []string {
	var q []string
	for _, s := range w {
		if strings.ContainsAny(s, " \t") {
			s = `"` + s + `"`
		}
		q = append(q, s)
	}
	return q
}

// notRun are the README's claudemedic commands this test does not run, and
// why; it still checks their command line against --help.
var notRun = map[string]string{
	"claudemedic":                    "starts the tray agent and opens the window (app/tray's tests run it)",
	"claudemedic window":             "opens the window (app/gui's smoke tests run it)",
	"claudemedic window settings":    "opens the window (app/gui's smoke tests run it)",
	"claudemedic tray":               "runs all day (app/tray's tests run it)",
	"claudemedic claude-code update": "would update this machine's Claude Code from the network",
}

// onTerminal are the commands that ask on a terminal, and what the test
// answers there (they run in a pseudo-terminal, as when pasted).
var onTerminal = map[string]string{
	"claudemedic key delete": "y\n",
	"claudemedic doctor":     "3\nn\nn\nn\nn\n", // "Request timed out", then no to each fix
}

// mustSucceed are the commands that must exit 0 here (a healthy fake API,
// a fresh home); the others must only take their command line (not 64, the
// usage error), finish, and not crash: `config set-ca` of a file that is not
// there, or `errors` with errors to show, exit 1 by design.
var mustSucceed = []string{
	"claudemedic --version", "claudemedic check", "claudemedic check --json", "claudemedic check --full",
	"claudemedic config show", "claudemedic config backups", "claudemedic cache list",
	"claudemedic cache clear --dry-run", "claudemedic cache clear", "claudemedic cache undo",
	"claudemedic key set", "claudemedic key status",
	"claudemedic config set-timeout --preset relay", "claudemedic uninstall-helper",
}

// TestReadmeCommands: every command in README.md's code blocks works when
// pasted. claudemedic's commands: each one's command line is what its
// --help says (the command, its subcommand, every flag), and each one that
// can run here does, on a fresh home against a fake API, in the README's
// order; the make targets exist (make -n) and make the files the README
// names; the scripts are there and executable; the package is called what
// `apt` is told. A line the test does not know fails it: teach it.
func TestReadmeCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("builds claudemedic and runs the README's commands")
	}
	// claudemedic and the programs it runs beside it (cmd/*), as installed.
	dir := t.TempDir()
	bin := filepath.Join(dir, "claudemedic")
	if out, err := doctortest.GoTool("build", "-o", bin, "claudemedic").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmds, err := doctortest.GoTool("list", "claudemedic/cmd/...").Output()
	if err != nil {
		t.Fatalf("go list claudemedic/cmd/...: %v", err)
	}
	for _, pkg := range strings.Fields(string(cmds)) {
		if out, err := doctortest.GoTool("build", "-o", filepath.Join(dir, filepath.Base(pkg)), pkg).CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
	}
	home := doctortest.Isolate(t)
	srv := netchecktest.Start(t, netchecktest.Healthy)
	env := append(os.Environ(), "SHELL=/bin/sh", "LANG=C.UTF-8", "LC_ALL=", "LANGUAGE=",
		"CLAUDE_CONFIG_DIR="+filepath.Join(home, ".claude"),
		"ANTHROPIC_BASE_URL="+srv.URL(), "NODE_EXTRA_CA_CERTS="+srv.CAFile(), "ANTHROPIC_API_KEY="+netchecktest.TestKey)
	os.MkdirAll(filepath.Join(home, ".claude", "debug"), 0o700)
	os.WriteFile(filepath.Join(home, ".claude", "debug", "old.txt"), []byte("cache"), 0o600) // something for the cache commands
	keychain := os.Getenv("CLAUDEMEDIC_TEST_DESKTOP") == "1"

	run := func(ctx context.Context, stdin string, name string, args ...string) (string, int) {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Env = env
		cmd.Dir = ".."
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.CombinedOutput()
		if err != nil && cmd.ProcessState == nil {
			return err.Error(), -1
		}
		return string(out), cmd.ProcessState.ExitCode()
	}
	helpOf := map[string]string{}
	help := func(path ...string) (string, int) {
		key := strings.Join(path, " ")
		if h, ok := helpOf[key]; ok {
			return h, 0
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		out, code := run(ctx, "", bin, append(path, "--help")...)
		if code == 0 {
			helpOf[key] = out
		}
		return out, code
	}
	var makeDeb, makeDist string
	makeN := func(t *testing.T, target string) string {
		if _, err := exec.LookPath("make"); err != nil {
			t.Skip("make is not installed (apt install make): the make lines are not checked")
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		out, code := run(ctx, "", "make", "-n", target)
		if code != 0 {
			t.Errorf("make -n %s: exit %d\n%s", target, code, out)
		}
		return out
	}

	lines := readmeCommands(t)
	if len(lines) < 20 {
		t.Fatalf("only %d commands found in README.md's code blocks", len(lines))
	}
	for _, line := range lines {
		w := words(line)
		t.Run(line, func(t *testing.T) {
			if strings.ContainsAny(line, "|<>;&`$") {
				t.Fatalf("%q is not one command as typed: the shell would read a pipe, a redirection or a substitution", line)
			}
			switch {
			case w[0] == "claudemedic":
				// The command and its subcommand, as --help names them.
				path := []string{}
				if len(w) > 1 && !strings.HasPrefix(w[1], "-") {
					path = append(path, w[1])
					if h, code := help(w[1]); code != 0 {
						t.Fatalf("claudemedic %s --help: exit %d\n%s", w[1], code, h)
					} else if len(w) > 2 && !strings.HasPrefix(w[2], "-") && regexp.MustCompile(`(?m)^\s+`+regexp.QuoteMeta(w[2])+`\s`).MatchString(h) {
						path = append(path, w[2])
					}
				}
				h, hcode := help(path...)
				if hcode != 0 {
					t.Fatalf("claudemedic %s --help: exit %d\n%s", strings.Join(path, " "), hcode, h)
				}
				for _, a := range w[1:] {
					if name, ok := strings.CutPrefix(a, "--"); ok && a != "--version" && a != "--help" {
						name, _, _ = strings.Cut(name, "=")
						if !regexp.MustCompile(`(?m)^\s+-` + regexp.QuoteMeta(name) + `\b`).MatchString(h) {
							t.Errorf("claudemedic %s --help has no flag %s:\n%s", strings.Join(path, " "), a, h)
						}
					}
				}
				if why, ok := notRun[line]; ok {
					t.Skipf("not run: it %s; its command line is as --help says", why)
				}
				if strings.HasPrefix(line, "claudemedic key ") && !keychain {
					t.Skip("needs a keychain: run under scripts/testenv.sh")
				}
				stdin := ""
				if line == "claudemedic key set" {
					stdin = netchecktest.TestKey + "\n" // from a pipe, as the README says it may come
				}
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				defer cancel()
				out, code := "", 0
				if answer, ok := onTerminal[line]; ok {
					if _, err := exec.LookPath("script"); err != nil {
						t.Skip("needs script(1) for a terminal (util-linux)")
					}
					out, code = run(ctx, answer, "script", "-qec", strings.Join(append([]string{bin}, quoteAll(w[1:])...), " "), "/dev/null")
				} else {
					out, code = run(ctx, stdin, bin, w[1:]...)
				}
				head := out
				if len(head) > 1500 {
					head = head[:1500] + "…"
				}
				t.Logf("exit %d\n%s", code, head)
				switch {
				case ctx.Err() != nil:
					t.Errorf("did not finish within 2 minutes")
				case code == 64:
					t.Errorf("a usage error (exit 64)")
				case strings.Contains(out, "panic:") || strings.Contains(out, "goroutine "):
					t.Errorf("crashed")
				case code != 0 && slices.Contains(mustSucceed, line):
					t.Errorf("exit %d, want 0", code)
				case code < 0 || code > 2:
					t.Errorf("exit %d", code)
				}
				if strings.Contains(out, netchecktest.TestKey) {
					t.Errorf("the key came out in its output")
				}
			case w[0] == "scripts/run.sh" || w[0] == "scripts/test.sh":
				info, err := os.Stat(filepath.Join("..", w[0]))
				if err != nil || info.Mode()&0o111 == 0 {
					t.Errorf("%s is not an executable script here: %v", w[0], err)
				}
				t.Skip("not run: builds and launches the app / runs every test (this test is one of them); it is there and executable")
			case w[0] == "make" && len(w) == 2 && (w[1] == "deb" || w[1] == "dist"):
				if w[1] == "deb" {
					makeDeb = makeN(t, "deb")
				} else {
					makeDist = makeN(t, "dist")
				}
			case w[0] == "sudo" && len(w) == 4 && w[1] == "apt" && w[2] == "install":
				if makeDeb == "" {
					makeDeb = makeN(t, "deb")
				}
				if !strings.Contains(makeDeb, "--target "+strings.TrimPrefix(w[3], "./")) {
					t.Errorf("make deb does not make %s:\n%s", w[3], makeDeb)
				}
			case w[0] == "tar" && len(w) == 3 && w[1] == "-xJf":
				if makeDist == "" {
					makeDist = makeN(t, "dist")
				}
				if !strings.Contains(makeDist, "tar -cJf "+w[2]+" -C bin/dist/pkg claudemedic") {
					t.Errorf("make dist does not make %s holding the folder claudemedic:\n%s", w[2], makeDist)
				}
			case line == "cd claudemedic":
				// The archive's folder: checked with the tar line above.
			case w[0] == "make" && len(w) == 2 && (w[1] == "user-install" || w[1] == "user-uninstall"):
				// In the archive's folder: its Makefile is fyne package's template.
				// The go tool in the environment the test started with: in the
				// isolated home it would look in an empty module cache.
				out, err := doctortest.GoTool("list", "-m", "-f", "{{.Dir}}", "fyne.io/tools").Output()
				dir := strings.TrimSpace(string(out))
				if err != nil || dir == "" {
					t.Fatalf("go list fyne.io/tools: %q, %v", out, err)
				}
				mk, err := os.ReadFile(filepath.Join(dir, "cmd", "fyne", "internal", "templates", "data", "Makefile"))
				if err != nil || !regexp.MustCompile(`(?m)^`+w[1]+`:`).Match(mk) {
					t.Errorf("the archive's Makefile has no %s target: %v\n%s", w[1], err, mk)
				}
			case w[0] == "sudo" && len(w) == 4 && w[1] == "apt" && w[2] == "remove":
				nfpm, _ := os.ReadFile("../packaging/nfpm.yaml")
				if !regexp.MustCompile(`(?m)^name: ` + regexp.QuoteMeta(w[3]) + `$`).Match(nfpm) {
					t.Errorf("the package is not called %s (packaging/nfpm.yaml)", w[3])
				}
			default:
				t.Errorf("a command this test does not know: teach it how to check %q", line)
			}
		})
	}
}

// TestReadmeLinks: every file README.md links to or shows is in the repository.
func TestReadmeLinks(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	links := regexp.MustCompile(`\]\(([^)#\s]+)`).FindAllStringSubmatch(string(data), -1)
	if len(links) < 5 {
		t.Fatalf("only %d links found", len(links))
	}
	for _, m := range links {
		if strings.Contains(m[1], "://") {
			continue
		}
		if _, err := os.Stat(filepath.Join("..", m[1])); err != nil {
			t.Errorf("README.md links to %s: %v", m[1], err)
		}
	}
}
