package claudecfg

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"claudemedic/claudesettings"
)

// loginShellCache keeps the login shell's environment for a minute, so the
// tray's checks do not start a shell each time but a fixed profile is seen soon.
var loginShellCache struct {
	sync.Mutex
	key string
	at  time.Time
	env map[string]string
	err error
}

// loginShellEnv runs the user's login shell once, as VS Code does, and reads
// its environment: $SHELL -i -l -c 'echo MARK; env; echo MARK', with no
// terminal (stdin /dev/null, its own session) and LoginShellTimeout.
func loginShellEnv(ctx context.Context, shellEnv map[string]string) (map[string]string, error) {
	if env, ok, err := desktopEnv(ctx, shellEnv); ok { // Windows: the registry's environment
		return env, err
	}
	shell := shellEnv["SHELL"]
	if shell == "" {
		shell = accountShell()
	}
	if shell == "" {
		return nil, errors.New("SHELL is not set and no login shell is known, so the login shell's environment cannot be read")
	}
	key := shell + "\x00" + shellEnv["HOME"] + "\x00" + shellEnv[claudesettings.VarConfigDir]
	c := &loginShellCache
	c.Lock()
	defer c.Unlock()
	if c.key == key && time.Since(c.at) < time.Minute {
		return c.env, c.err
	}
	c.env, c.err = readLoginShell(ctx, shell, shellEnv)
	c.key, c.at = key, time.Now()
	return c.env, c.err
}

// accountShell is the login shell of the account, for a process started
// without SHELL: /etc/passwd, else macOS's default.
func accountShell() string {
	if runtime.GOOS == "windows" {
		return ""
	}
	if data, err := os.ReadFile("/etc/passwd"); err == nil {
		uid := strconv.Itoa(os.Getuid())
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Split(line, ":")
			if len(f) >= 7 && f[2] == uid && f[6] != "" {
				return f[6]
			}
		}
	}
	if runtime.GOOS == "darwin" {
		return "/bin/zsh"
	}
	return ""
}

// forgetLoginShell drops the cached login shell environment.
func forgetLoginShell() {
	loginShellCache.Lock()
	loginShellCache.key = ""
	loginShellCache.Unlock()
}

func readLoginShell(ctx context.Context, shell string, shellEnv map[string]string) (map[string]string, error) {
	ctx, cancel := context.WithTimeout(ctx, LoginShellTimeout)
	defer cancel()
	var rnd [8]byte
	rand.Read(rnd[:])
	mark := "__CLAUDEMEDIC_ENV_" + hex.EncodeToString(rnd[:]) + "__"
	environ := make([]string, 0, len(shellEnv))
	for k, v := range shellEnv {
		environ = append(environ, k+"="+v)
	}
	out, err := runBounded(ctx, []string{shell, "-i", "-l", "-c", "echo " + mark + "; env; echo " + mark}, environ, 4<<20)
	if ctx.Err() != nil {
		return nil, fmt.Errorf("the login shell %s did not finish within %s: %w", shell, LoginShellTimeout, ctx.Err())
	}
	first := bytes.Index(out, []byte(mark+"\n"))
	last := bytes.LastIndex(out, []byte(mark))
	if first < 0 || last <= first {
		if err != nil {
			return nil, fmt.Errorf("running the login shell %s: %w", shell, err)
		}
		return nil, fmt.Errorf("the login shell %s did not print its environment", shell)
	}
	env := map[string]string{}
	for _, line := range strings.Split(string(out[first+len(mark)+1:last]), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok && k != "" && !strings.ContainsAny(k, " \t") {
			env[k] = v
		}
	}
	return env, nil
}

// limitedBuffer keeps at most n bytes and drops the rest. It is only a
// Writer: a bytes.Buffer embedded in it would lend it ReadFrom, which
// io.Copy (and so os/exec) prefers, and which reads everything.
type limitedBuffer struct {
	buf bytes.Buffer
	n   int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.n - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *limitedBuffer) Bytes() []byte  { return b.buf.Bytes() }
func (b *limitedBuffer) Len() int       { return b.buf.Len() }
func (b *limitedBuffer) String() string { return b.buf.String() }

// runBounded runs argv with environ, no terminal and stdin from /dev/null,
// killing it (and what it started) when ctx ends, and returns at most limit
// bytes of its standard output. Its standard error is discarded.
func runBounded(ctx context.Context, argv []string, environ []string, limit int) ([]byte, error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = environ
	out := &limitedBuffer{n: limit}
	cmd.Stdout = out
	detach(cmd)
	cmd.WaitDelay = 500 * time.Millisecond
	err := cmd.Run()
	return out.Bytes(), err
}
