package claudecfg

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// apiKeyHelper run as Claude Code runs it: through sh, trimmed, and refused
// with Claude Code's own words when its output is not one key.
func TestRunHelper(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("apiKeyHelper runs through sh")
	}
	project := t.TempDir()
	key := orderHelperKey
	measuredKey := "sk-ant-api03-" + strings.Repeat("H", 94) + "-HLP1" // the key of scripts/agree-credentials.sh
	for _, tc := range []struct {
		name, command string
		key           string
		err           string
		notIn         string // what the error must not show
		slow          bool   // may take seconds on a loaded machine
	}{
		{name: "a key", command: "echo " + key, key: key},
		{name: "white space around it is trimmed", command: `printf '  \t` + key + `\r\n\n'`, key: key},
		{name: "a key from a settings variable", command: "printf %s \"$HELPER_TEST_KEY\"", key: key},
		{name: "in the project folder", command: `[ "$(pwd)" = '` + project + `' ] && echo ` + key, key: key},
		{name: "exit 1 with its standard error", command: "echo 'error: SSO session expired, run vault login' >&2; exit 1",
			err: "exited 1: error: SSO session expired, run vault login"},
		{name: "a key in standard error is masked", command: "echo " + key + "; echo \"bad token " + key + "\" >&2; exit 3",
			err: "exited 3: bad token sk-ant-api03", notIn: key},
		{name: "a banner line before the key (as measured with Claude Code)", command: "echo 'Vault: logged in as tester (token valid 1h)'; echo " + measuredKey,
			err: "returned output that cannot be used as an API key: it contains a line break at character 44 (156 characters on 2 lines). The script must print only the key to stdout", notIn: measuredKey},
		{name: "nothing", command: "true", err: "did not return a value"},
		{name: "only white space", command: "printf '\\n \\n'", err: "did not return a value"},
		{name: "a space inside", command: "echo 'sk-ant-api03 abc'", err: "it contains whitespace at character 13 (16 characters)"},
		{name: "a smart quote", command: "printf '\\342\\200\\234" + key + "'", err: "a non-ASCII character (U+201C) at character 1"},
		{name: "too long", command: "head -c 16385 /dev/zero | tr '\\0' a", err: "it is 16385 characters long; the limit is 16384"},
		{name: "megabytes", command: "head -c 8000000 /dev/zero | tr '\\0' a", err: "printed more than 64 KiB", slow: true},
		{name: "killed", command: "kill -9 $$", err: "ended by signal: killed"},
		{name: "never ends", command: "echo started >&2; sleep 60", err: "did not finish within 300 ms (is it waiting for a password"},
		{name: "never ends, and its child neither", command: "sleep 60 & sleep 60", err: "did not finish within 300 ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			timeout := 300 * time.Millisecond
			if tc.slow {
				timeout = time.Minute
			}
			got, err := runHelper(context.Background(), tc.command, []string{"PATH=/usr/bin:/bin", "HELPER_TEST_KEY=" + key}, project, timeout)
			switch {
			case tc.err == "" && (err != nil || got != tc.key):
				t.Errorf("got %q, %v; want %q", got, err, tc.key)
			case tc.err != "" && (err == nil || got != "" || !strings.Contains(err.Error(), tc.err) || !errors.Is(err, ErrHelper)):
				t.Errorf("got %q, %v; want the error %q", got, err, tc.err)
			case tc.notIn != "" && err != nil && strings.Contains(err.Error(), tc.notIn):
				t.Errorf("the error shows a secret: %v", err)
			}
		})
	}
}

// A helper that never ends is stopped at the caller's deadline too.
func TestRunHelperContext(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("apiKeyHelper runs through sh")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err := runHelper(ctx, "sleep 60", []string{"PATH=/usr/bin:/bin"}, "", time.Hour)
	if err == nil || !strings.Contains(err.Error(), "did not finish") {
		t.Errorf("error %v", err)
	}
}

func TestReadsKeychain(t *testing.T) {
	for cmd, want := range map[string]bool{
		"/usr/bin/claudemedic key print":                          true,
		"'/opt/Claude Medic/claudemedic' key print --profile w-1": true,
		"claudemedic key print --profile=relay ":                  true,
		"/usr/bin/claudemedic key status":                         false,
		"vault kv get -field=key secret/claude":                   false,
		"echo key print; echo sk-ant":                             false,
		"":                                                        false,
	} {
		if got := readsKeychain(cmd); got != want {
			t.Errorf("readsKeychain(%q) = %v", cmd, got)
		}
	}
}

// The helper's failure is the credential's Err, not a settings problem.
func TestResolveHelperFailure(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("apiKeyHelper runs through sh")
	}
	dir := testHome(t)
	writeFile(t, filepath.Join(dir, "settings.json"), `{"apiKeyHelper": "echo oops >&2; exit 2"}`)
	tgt, err := Resolve(context.Background(), ResolveOptions{Environ: []string{"PATH=/usr/bin:/bin"}})
	if err != nil {
		t.Fatal(err)
	}
	c := tgt.Credential
	if c.Source != "apiKeyHelper" || c.Secret != "" || c.Err == nil || c.Err.Error() != "exited 2: oops" || c.File != filepath.Join(dir, "settings.json") || len(tgt.Problems) > 0 {
		t.Errorf("credential %+v, problems %+v", c, tgt.Problems)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkHelperMegabytes: a helper that prints 8 MB costs a bounded
// buffer, not 8 MB (see B/op).
func BenchmarkHelperMegabytes(b *testing.B) {
	if runtime.GOOS == "windows" {
		b.Skip("apiKeyHelper runs through sh")
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := runHelper(context.Background(), "head -c 8000000 /dev/zero | tr '\\0' a", []string{"PATH=/usr/bin:/bin"}, "", time.Minute); err == nil {
			b.Fatal("no error")
		}
	}
}

// The bounded buffer must not be an io.ReaderFrom: io.Copy (os/exec's
// copying of a child's output) would call it and read everything.
func TestLimitedBufferIsOnlyAWriter(t *testing.T) {
	var w io.Writer = &limitedBuffer{n: 4}
	if _, ok := w.(io.ReaderFrom); ok {
		t.Fatal("limitedBuffer is an io.ReaderFrom: its limit would be bypassed")
	}
	io.Copy(w, strings.NewReader("0123456789"))
	if b := w.(*limitedBuffer); b.String() != "0123" || b.Len() != 4 {
		t.Errorf("kept %q", b.String())
	}
}
