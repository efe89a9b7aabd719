package claudecfg

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// apiKeyHelper as Claude Code 2.1.330 runs it (read from its code and measured):
// through the shell (/bin/sh -c on Unix, %ComSpec% /d /s /c on Windows), in
// the project's folder, with its environment and the settings' env; its
// standard output trimmed of white space is the key, sent as both x-api-key
// and Authorization: Bearer. It fails for a non-zero exit ("exited 1: <its
// standard error>"), a time-out (Claude Code waits up to 10 minutes; Claude
// Medic waits HelperTimeout), no output ("did not return a value"), and
// output that is not one printable-ASCII token of at most 16384 characters
// ("it contains a line break at character 43 (129 characters on 2 lines)").

// Limits of an apiKeyHelper run.
const (
	maxHelperKey    = 16384    // Claude Code refuses a longer key
	maxHelperOutput = 64 << 10 // standard output kept; more is refused, not buffered
	maxHelperStderr = 4 << 10  // standard error kept, for the message
	maxStderrShown  = 300      // characters of standard error a message shows
)

// ErrHelper is the sentinel every apiKeyHelper failure wraps.
var ErrHelper = errors.New("apiKeyHelper failed")

// helperError is why apiKeyHelper gave no key. Its text never holds the
// helper's standard output (a secret) and shows its standard error with
// anything that looks like a key masked.
type helperError struct{ msg string }

func (e *helperError) Error() string { return e.msg }
func (e *helperError) Unwrap() error { return ErrHelper }

func helperFailed(format string, a ...any) error { return &helperError{fmt.Sprintf(format, a...)} }

// runHelper runs an apiKeyHelper command as Claude Code does, bounded by
// timeout and ctx, and returns its key.
func runHelper(ctx context.Context, command string, environ []string, dir string, timeout time.Duration) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := helperCommand(ctx, command)
	cmd.Env, cmd.Dir = environ, dir
	out := &limitedBuffer{n: maxHelperOutput + 1}
	errOut := &limitedBuffer{n: maxHelperStderr}
	cmd.Stdout, cmd.Stderr = out, errOut
	detach(cmd)
	helperArgs(cmd, command)
	cmd.WaitDelay = 500 * time.Millisecond
	err := cmd.Run()
	stderr := stderrLine(errOut.Bytes())
	with := func(msg string) error {
		if stderr != "" {
			return helperFailed("%s: %s", msg, stderr)
		}
		return helperFailed("%s", msg)
	}
	var ee *exec.ExitError
	switch {
	case ctx.Err() != nil:
		return "", with(fmt.Sprintf("did not finish within %s (is it waiting for a password, a browser sign-in or a keychain prompt?)", netcheck.FormatDuration(timeout)))
	case errors.As(err, &ee) && ee.ExitCode() > 0:
		return "", with(fmt.Sprintf("exited %d", ee.ExitCode()))
	case err != nil && errors.As(err, &ee):
		return "", with(fmt.Sprintf("ended by %v", ee.ProcessState))
	case err != nil:
		return "", helperFailed("could not be run: %v", err)
	case out.Len() > maxHelperOutput:
		return "", with(fmt.Sprintf("printed more than %d KiB on standard output; it must print only the key", maxHelperOutput>>10))
	}
	key := trimJS(out.String())
	if key == "" {
		return "", with("did not return a value (it printed nothing on standard output)")
	}
	if why := badHelperOutput(key); why != "" {
		return "", helperFailed("returned output that cannot be used as an API key: %s. The script must print only the key to stdout", why)
	}
	return key, nil
}

// trimJS trims what JavaScript's String.prototype.trim trims.
func trimJS(s string) string {
	return strings.TrimFunc(s, func(r rune) bool {
		switch r {
		case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
			return true
		}
		return r >= 0x2000 && r <= 0x200a
	})
}

// badHelperOutput says why a trimmed output is not a key, in Claude Code's
// words ("it contains a line break at character 44 (156 characters on 2
// lines)"), or "" when it is one.
func badHelperOutput(s string) string {
	runes := []rune(s)
	lines := 1
	for i := 0; i < len(runes); i++ {
		switch {
		case runes[i] == '\n':
			lines++
		case runes[i] == '\r':
			lines++
			if i+1 < len(runes) && runes[i+1] == '\n' {
				i++
			}
		}
	}
	size := fmt.Sprintf("%d characters", len(runes))
	if len(runes) == 1 {
		size = "1 character"
	}
	if lines > 1 {
		size += fmt.Sprintf(" on %d lines", lines)
	}
	at := func(what string, i int) string {
		return fmt.Sprintf("it contains %s at character %d (%s)", what, i+1, size)
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == 0x2028 || r == 0x2029 }); i >= 0 {
		return at("a line break", utf8.RuneCountInString(s[:i]))
	}
	for i, r := range runes {
		switch {
		case r == 0:
			return at("a NUL byte", i)
		case r == ' ' || r == '\t':
			return at("whitespace", i)
		case r < 32 || r == 127:
			return at("a control character", i)
		case r > 126:
			return at(fmt.Sprintf("a non-ASCII character (U+%04X)", r), i)
		}
	}
	if len(runes) > maxHelperKey {
		return fmt.Sprintf("it is %s long; the limit is %d", size, maxHelperKey)
	}
	return ""
}

// secretLike matches what could be a secret in a helper's standard error:
// an Anthropic key or token, or any long unbroken run of token characters.
var secretLike = regexp.MustCompile(`sk-ant-[A-Za-z0-9_\-]+|[A-Za-z0-9+/=_\-.]{32,}`)

// stderrLine is a helper's standard error for a message: trimmed, on one
// line, cut short, with anything that looks like a key masked.
func stderrLine(b []byte) string {
	s := strings.ToValidUTF8(string(bytes.TrimSpace(b)), "?")
	s = strings.Join(strings.Fields(s), " ")
	s = secretLike.ReplaceAllStringFunc(s, claudesettings.MaskKey)
	if r := []rune(s); len(r) > maxStderrShown {
		s = string(r[:maxStderrShown]) + "…"
	}
	return s
}

// keychainHelper matches an apiKeyHelper that prints Claude Medic's keychain
// key: `<claudemedic> key print [--profile P]`.
var keychainHelper = regexp.MustCompile(`(^|\s)key\s+print(\s+--profile(\s+|=)\S+)?\s*$`)

// readsKeychain reports whether an apiKeyHelper command is Claude Medic's
// `key print`, which reads Claude Medic's keychain.
func readsKeychain(command string) bool {
	return keychainHelper.MatchString(strings.TrimSpace(command))
}
