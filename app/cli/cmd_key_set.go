package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"claudemedic/claudesettings"
	"claudemedic/doctor"
)

// keySetOptions are `key set`'s flags.
type keySetOptions struct {
	profile string
	token   bool
}

func runKeySet(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("key.set_synopsis", `key set [--profile P] [--token]

Reads the key from standard input (pasted on a terminal, where it is not shown,
or piped in; never from the command line), checks its shape, and stores it in
the OS keychain. --token stores a token sent as "Authorization: Bearer" (a
relay's token, ANTHROPIC_AUTH_TOKEN) instead of an API key.`))
	var o keySetOptions
	profileFlag(fs, tr, &o.profile)
	fs.BoolVar(&o.token, "token", false, tr.X("key.flag_token", "store a Bearer token (ANTHROPIC_AUTH_TOKEN kind), not an API key"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noKeyArgs(fs); err != nil {
		return err
	}
	kind, what := claudesettings.KindAPIKey, tr.X("key.what_key", "API key")
	if o.token {
		kind, what = claudesettings.KindBearer, tr.X("key.what_token", "token")
	}
	key, err := e.readSecret(what)
	if err != nil {
		return err
	}
	if strings.TrimSpace(key) == "" {
		return errors.New(tr.X("key.set_empty", "no key was given on standard input: pipe it in (claudemedic key set < keyfile)\nor run `claudemedic key set` in a terminal and paste the {{.What}} when asked. Nothing was stored.", "What", what))
	}
	k := doctor.Keychain{Profile: o.profile}
	if err := k.SetKind(ctx, key, kind); err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, tr.X("key.stored_in_keychain", "Stored the {{.What}} for profile {{.Profile}} in the keychain ({{.Key}}).", "What", what, "Profile", fmt.Sprintf("%q", o.profile), "Key", claudesettings.MaskKey(strings.TrimSpace(key))))
	if !k.HelperInstalled() {
		fmt.Fprintln(e.Stdout, tr.X("key.next_use", "Next: run `claudemedic key use-with-claude-code{{.Profile}}` so Claude Code reads it from there.", "Profile", profileArg(o.profile)))
	}
	return nil
}

// readSecret reads a secret from Stdin: on a terminal without echo (the
// terminal is put in raw mode before the prompt shows, so nothing typed or
// pasted after it is echoed), else everything piped in (at most maxKeyInput bytes).
func (e *env) readSecret(what string) (string, error) {
	tr := e.tr
	if f, ok := e.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		old, err := term.MakeRaw(int(f.Fd()))
		if err != nil {
			return "", fmt.Errorf("%s: %w", tr.X("key.preparing_terminal", "preparing the terminal"), err)
		}
		defer term.Restore(int(f.Fd()), old)
		t := term.NewTerminal(struct {
			io.Reader
			io.Writer
		}{f, e.Stderr}, "")
		line, err := t.ReadPassword(tr.X("key.paste_prompt", "Paste the {{.What}} and press Enter (it is not shown): ", "What", what))
		if errors.Is(err, io.EOF) {
			return "", errors.New(tr.X("key.cancelled", "cancelled; nothing was stored"))
		}
		if err != nil {
			return "", fmt.Errorf("%s: %w", tr.X("key.reading_terminal", "reading the {{.What}} from the terminal", "What", what), err)
		}
		return line, nil
	}
	b, err := readAllLimited(e.Stdin, maxKeyInput)
	if err != nil {
		return "", fmt.Errorf("%s: %w", tr.X("key.reading_stdin", "reading the {{.What}} from standard input", "What", what), err)
	}
	return string(b), nil
}

func readAllLimited(r io.Reader, n int64) ([]byte, error) {
	if r == nil {
		return nil, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, n+1))
	if err == nil && int64(len(b)) > n {
		err = fmt.Errorf("standard input holds more than %d KiB, which is not a key; nothing was stored", n>>10)
	}
	return b, err
}
