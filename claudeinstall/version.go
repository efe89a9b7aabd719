package claudeinstall

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// VersionTimeout bounds `claude --version`.
const VersionTimeout = 3 * time.Second

// ErrNoVersion is why a claude's version is unknown: it printed something
// else than a version, failed, or did not answer in time (wrapped).
var ErrNoVersion = errors.New("claude --version did not print a version")

// limited keeps at most n bytes and drops the rest.
type limited struct {
	bytes.Buffer
	n int
}

func (b *limited) Write(p []byte) (int, error) {
	if room := b.n - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

// run runs argv with environ, no terminal and stdin from /dev/null, within
// timeout (killing what it started when the time is up), and returns at most
// limit bytes of its standard output and error together.
func run(ctx context.Context, timeout time.Duration, argv, environ []string, limit int) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = environ
	out := &limited{n: limit}
	cmd.Stdout, cmd.Stderr = out, out
	ownGroup(cmd)
	cmd.WaitDelay = 500 * time.Millisecond
	err := cmd.Run()
	if ctx.Err() != nil {
		return out.Bytes(), fmt.Errorf("it did not finish within %s: %w", timeout, ctx.Err())
	}
	return out.Bytes(), err
}

// readVersion runs `path --version` and reads the version it prints.
func readVersion(ctx context.Context, path string, env Env, timeout time.Duration) (string, error) {
	out, err := run(ctx, timeout, []string{path, "--version"}, env.environ(), 4096)
	if err != nil && errors.Is(err, context.DeadlineExceeded) {
		return "", fmt.Errorf("%w: %s --version: %v", ErrNoVersion, path, err)
	}
	v, ok := parseVersion(string(out))
	if !ok {
		shown := strings.TrimSpace(string(out))
		if i := strings.IndexByte(shown, '\n'); i >= 0 {
			shown = shown[:i]
		}
		if len(shown) > 80 {
			shown = shown[:80] + "…"
		}
		if err != nil {
			return "", fmt.Errorf("%w: %s --version failed (%v) and printed %q", ErrNoVersion, path, err, shown)
		}
		return "", fmt.Errorf("%w: %s --version printed %q", ErrNoVersion, path, shown)
	}
	return v, nil
}

var versionRE = regexp.MustCompile(`^v?(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?(?:\s|$)`)

// parseVersion reads the version at the start of the first line, as Claude
// Code prints it: "2.1.330 (Claude Code)".
func parseVersion(s string) (string, bool) {
	line, _, _ := strings.Cut(strings.TrimSpace(s), "\n")
	m := versionRE.FindStringSubmatch(strings.TrimSpace(line))
	if m == nil {
		return "", false
	}
	return m[1] + "." + m[2] + "." + m[3] + m[4], true
}

// compareVersions compares two versions as semver does: -1 when a is older
// than b, 0 when equal, 1 when newer. A pre-release is older than its release.
func compareVersions(a, b string) int {
	pa, pb := versionRE.FindStringSubmatch(a), versionRE.FindStringSubmatch(b)
	if pa == nil || pb == nil {
		return strings.Compare(a, b)
	}
	for i := 1; i <= 3; i++ {
		x, _ := strconv.ParseUint(pa[i], 10, 64)
		y, _ := strconv.ParseUint(pb[i], 10, 64)
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case pa[4] == pb[4]:
		return 0
	case pa[4] == "":
		return 1
	case pb[4] == "":
		return -1
	}
	return strings.Compare(pa[4], pb[4])
}
