package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"claudemedic/claudecfg"
	"claudemedic/keystore"
	"claudemedic/netcheck"
)

func init() {
	register(command{name: "key", summary: "keep the API key in the OS keychain and give it to Claude Code", run: runKey})
}

func runKey(ctx context.Context, args []string, io IO) int {
	return subcommand(ctx, "key", map[string]func(context.Context, []string, IO) int{
		"set":                  runKeySet,
		"status":               runKeyStatus,
		"delete":               runKeyDelete,
		"print":                runKeyPrint,
		"use-with-claude-code": runKeyUse,
	}, args, io)
}

// maxKeyInput bounds what `key set` reads from a pipe: far more than any key,
// so an oversized one is told apart (ErrTooLarge) from a runaway stream.
const maxKeyInput = 64 << 10

// profileFlag adds --profile to fs.
func profileFlag(fs *flag.FlagSet) *string {
	return fs.String("profile", keystore.DefaultProfile, "the key's profile (a named one, e.g. for a relay's token)")
}

// noArgs refuses positional arguments; for `key set` it never echoes one,
// since it may be the key itself.
func noArgs(name string, rest []string, io IO) bool {
	if len(rest) == 0 {
		return true
	}
	if name == "set" {
		fmt.Fprintln(io.Stderr, "claudemedic key set: a key is never taken from the command line (it would show in `ps` and stay in your shell history);\n"+
			"pipe it in (claudemedic key set < keyfile) or run `claudemedic key set` in a terminal and paste it when asked.\n"+
			"If that argument was your key, remove it from your shell history.")
	} else {
		fmt.Fprintf(io.Stderr, "claudemedic key %s: unexpected argument %q\n", name, rest[0])
	}
	return false
}

const keySetSynopsis = `key set [--profile P] [--token]

Reads the key from standard input (pasted on a terminal, where it is not shown,
or piped in; never from the command line), checks its shape, and stores it in
the OS keychain. --token stores a token sent as "Authorization: Bearer" (a
relay's token, ANTHROPIC_AUTH_TOKEN) instead of an API key.`

func runKeySet(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("key set", keySetSynopsis, io)
	profile := profileFlag(fs)
	token := fs.Bool("token", false, "store a Bearer token (ANTHROPIC_AUTH_TOKEN kind), not an API key")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if !noArgs("set", fs.Args(), io) {
		return ExitUsage
	}
	kind, what := netcheck.KindAPIKey, "API key"
	if *token {
		kind, what = netcheck.KindBearer, "token"
	}
	key, err := readSecret(io, what)
	if err != nil {
		fmt.Fprintf(io.Stderr, "claudemedic key set: %v\n", err)
		return ExitDegraded
	}
	if strings.TrimSpace(key) == "" {
		fmt.Fprintf(io.Stderr, "claudemedic key set: no key was given on standard input: pipe it in (claudemedic key set < keyfile)\n"+
			"or run `claudemedic key set` in a terminal and paste the %s when asked. Nothing was stored.\n", what)
		return ExitDegraded
	}
	if err := keystore.SetKind(ctx, *profile, key, kind); err != nil {
		fmt.Fprintf(io.Stderr, "claudemedic key set: %v\n", err)
		return ExitDegraded
	}
	fmt.Fprintf(io.Stdout, "Stored the %s for profile %q in the keychain (%s).\n", what, *profile, netcheck.MaskKey(strings.TrimSpace(key)))
	if !helperInstalled(*profile) {
		fmt.Fprintf(io.Stdout, "Next: run `claudemedic key use-with-claude-code%s` so Claude Code reads it from there.\n", profileArg(*profile))
	}
	return ExitOK
}

// readSecret reads a secret from std.Stdin: on a terminal without echo (the
// terminal is put in raw mode before the prompt shows, so nothing typed or
// pasted after it is echoed), else everything piped in (at most maxKeyInput bytes).
func readSecret(std IO, what string) (string, error) {
	if f, ok := std.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		old, err := term.MakeRaw(int(f.Fd()))
		if err != nil {
			return "", fmt.Errorf("preparing the terminal: %w", err)
		}
		defer term.Restore(int(f.Fd()), old)
		t := term.NewTerminal(struct {
			io.Reader
			io.Writer
		}{f, std.Stderr}, "")
		line, err := t.ReadPassword(fmt.Sprintf("Paste the %s and press Enter (it is not shown): ", what))
		if errors.Is(err, io.EOF) {
			return "", errors.New("cancelled; nothing was stored")
		}
		if err != nil {
			return "", fmt.Errorf("reading the %s from the terminal: %w", what, err)
		}
		return line, nil
	}
	b, err := readAllLimited(std.Stdin, maxKeyInput)
	if err != nil {
		return "", fmt.Errorf("reading the %s from standard input: %w", what, err)
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

const keyStatusSynopsis = `key status [--profile P] [--json]

Says whether the keychain holds a key for the profile (shown masked), whether
its shape is right, and whether Claude Code reads it (apiKeyHelper).
Exit status: 0 a key is stored, 1 none is (or the keychain cannot be read).`

// keyStatusJSON is `key status --json`: never the key, only its masked form.
type keyStatusJSON struct {
	Profile         string             `json:"profile"`
	Stored          bool               `json:"stored"`
	Key             string             `json:"key,omitempty"`
	Kind            string             `json:"kind,omitempty"`
	Problems        []netcheck.Finding `json:"problems"`
	UsedByClaude    bool               `json:"used_by_claude_code"`
	OtherProfiles   []string           `json:"other_profiles"`
	KeychainProblem string             `json:"error,omitempty"`
}

func runKeyStatus(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("key status", keyStatusSynopsis, io)
	profile := profileFlag(fs)
	asJSON := fs.Bool("json", false, "print one JSON object")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if !noArgs("status", fs.Args(), io) {
		return ExitUsage
	}
	st, err := keystore.Status(ctx, *profile)
	var others []string
	if names, perr := keystore.Profiles(); perr == nil {
		for _, n := range names {
			if n != st.Profile {
				others = append(others, n)
			}
		}
	}
	used := st.Stored && helperInstalled(*profile)
	if *asJSON {
		j := keyStatusJSON{Profile: *profile, Stored: st.Stored, Key: st.Masked, Problems: st.Problems,
			UsedByClaude: used, OtherProfiles: others}
		if st.Stored {
			j.Kind = string(st.Kind)
		}
		if j.Problems == nil {
			j.Problems = []netcheck.Finding{}
		}
		if j.OtherProfiles == nil {
			j.OtherProfiles = []string{}
		}
		if err != nil {
			j.KeychainProblem = err.Error()
		}
		enc := json.NewEncoder(io.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(j)
	} else if err == nil {
		printKeyStatus(io.Stdout, st, used, others)
	}
	switch {
	case err != nil:
		fmt.Fprintf(io.Stderr, "claudemedic key status: %v\n", err)
		return ExitDegraded
	case !st.Stored:
		return ExitDegraded
	}
	return ExitOK
}

func printKeyStatus(w io.Writer, st keystore.KeyStatus, used bool, others []string) {
	if !st.Stored {
		fmt.Fprintf(w, "Profile %q: no key is stored in the keychain. Store one with: claudemedic key set%s\n", st.Profile, profileArg(st.Profile))
	} else {
		kind := "an API key"
		if st.Kind == netcheck.KindBearer {
			kind = "a Bearer token"
		}
		fmt.Fprintf(w, "Profile %q: %s is stored in the keychain (%s).\n", st.Profile, kind, st.Masked)
		for _, f := range st.Problems {
			fmt.Fprintf(w, "  problem (%s): %s\n", f.Code, f.Summary.EN)
		}
		if used {
			fmt.Fprintln(w, "Claude Code reads it: apiKeyHelper in the user settings runs `claudemedic key print`.")
		} else {
			fmt.Fprintf(w, "Claude Code does not read it yet: run `claudemedic key use-with-claude-code%s`.\n", profileArg(st.Profile))
		}
	}
	if len(others) > 0 {
		fmt.Fprintf(w, "Other profiles: %s\n", strings.Join(others, ", "))
	}
}

const keyDeleteSynopsis = `key delete [--profile P] [--yes]

Deletes the profile's key from the keychain, after asking on a terminal
(--yes deletes without asking, as a script must). It cannot be undone: keep
another copy of the key if you may need it again.`

func runKeyDelete(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("key delete", keyDeleteSynopsis, io)
	profile := profileFlag(fs)
	yes := fs.Bool("yes", false, "delete without asking")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if !noArgs("delete", fs.Args(), io) {
		return ExitUsage
	}
	if !*yes {
		f, ok := io.Stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			fmt.Fprintln(io.Stderr, "claudemedic key delete: add --yes to delete the key without being asked (deleting cannot be undone)")
			return ExitUsage
		}
		st, err := keystore.Status(ctx, *profile)
		if err != nil {
			fmt.Fprintf(io.Stderr, "claudemedic key delete: %v\n", err)
			return ExitDegraded
		}
		if !st.Stored {
			fmt.Fprintf(io.Stderr, "claudemedic key delete: no key is stored for profile %q; nothing to delete\n", st.Profile)
			return ExitDegraded
		}
		fmt.Fprintf(io.Stderr, "Delete the key for profile %q (%s) from the keychain? It cannot be undone. [y/N] ", st.Profile, st.Masked)
		answer, _ := bufio.NewReader(f).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" {
			fmt.Fprintln(io.Stderr, "Nothing was deleted.")
			return ExitDegraded
		}
	}
	if err := keystore.Delete(ctx, *profile); err != nil {
		fmt.Fprintf(io.Stderr, "claudemedic key delete: %v\n", err)
		return ExitDegraded
	}
	fmt.Fprintf(io.Stdout, "Deleted the key for profile %q from the keychain.\n", *profile)
	if helperInstalled(*profile) {
		fmt.Fprintf(io.Stderr, "warning: Claude Code's apiKeyHelper still runs `claudemedic key print%s`, which now fails:\n"+
			"store a new key with `claudemedic key set%s`, or remove apiKeyHelper from the user settings.\n", profileArg(*profile), profileArg(*profile))
	}
	return ExitOK
}

const keyPrintSynopsis = `key print [--profile P]

Prints the profile's key and a newline on standard output: the command Claude
Code runs as its apiKeyHelper. With no key (or a keychain that cannot be read)
it prints why on standard error and exits 1.`

func runKeyPrint(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("key print", keyPrintSynopsis, io)
	profile := profileFlag(fs)
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if !noArgs("print", fs.Args(), io) {
		return ExitUsage
	}
	key, err := keystore.Get(ctx, *profile)
	if err != nil {
		fmt.Fprintf(io.Stderr, "claudemedic key print: %v\n", err)
		if errors.Is(err, keystore.ErrNotFound) {
			fmt.Fprintf(io.Stderr, "Store the key with: claudemedic key set%s\n", profileArg(*profile))
		}
		return ExitDegraded
	}
	if _, err := fmt.Fprintln(io.Stdout, key); err != nil {
		return ExitDegraded
	}
	return ExitOK
}

const keyUseSynopsis = `key use-with-claude-code [--profile P] [--move-plaintext]

Makes Claude Code read the key from the keychain: writes
"apiKeyHelper": "<this program> key print" into the user settings
(~/.claude/settings.json, or $CLAUDE_CONFIG_DIR/settings.json), with a backup.
A plaintext ANTHROPIC_API_KEY in that file's env would win over the helper:
--move-plaintext stores it in the keychain first, then removes it from the
file and from the file's backups. If storing it fails, nothing is removed.`

func runKeyUse(ctx context.Context, args []string, io IO) int {
	fs := newFlagSet("key use-with-claude-code", keyUseSynopsis, io)
	profile := profileFlag(fs)
	move := fs.Bool("move-plaintext", false, "move a plaintext ANTHROPIC_API_KEY from the user settings into the keychain")
	if code, ok := parse(fs, args); !ok {
		return code
	}
	if !noArgs("use-with-claude-code", fs.Args(), io) {
		return ExitUsage
	}
	res, err := keystore.UseWithClaudeCode(ctx, *profile, keystore.UseOptions{MovePlaintext: *move})
	if err != nil {
		fmt.Fprintf(io.Stderr, "claudemedic key use-with-claude-code: %v\n", err)
		if errors.Is(err, keystore.ErrNotFound) {
			fmt.Fprintf(io.Stderr, "Store the key with: claudemedic key set%s\n", profileArg(*profile))
		}
		if res == nil {
			return ExitDegraded
		}
	}
	if res.Moved {
		fmt.Fprintf(io.Stdout, "Moved the plaintext ANTHROPIC_API_KEY from %s into the keychain (profile %q).\n", res.File, *profile)
	}
	if res.Change == nil || !res.Change.Changed() {
		fmt.Fprintf(io.Stdout, "Claude Code already reads the key from the keychain: apiKeyHelper in %s is %s\n", res.File, res.Helper)
	} else {
		fmt.Fprintf(io.Stdout, "Claude Code now reads the key for profile %q from the keychain. Changed %s:\n", *profile, res.File)
		for _, k := range res.Change.Keys {
			fmt.Fprintf(io.Stdout, "  %s\n", k)
		}
		if res.Change.Backup != "" {
			fmt.Fprintf(io.Stdout, "The old file is backed up as %s; undo with: claudemedic config restore --latest\n", res.Change.Backup)
		}
	}
	if res.Scrubbed > 0 {
		fmt.Fprintf(io.Stdout, "Removed the plaintext key from %d backup(s) of the file; the rest of each backup is kept.\n", res.Scrubbed)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(io.Stderr, "warning: %s\n", w.EN)
	}
	if err != nil {
		return ExitDegraded
	}
	return ExitOK
}

// helperInstalled reports whether the user settings' apiKeyHelper runs this
// program's `key print` for profile.
func helperInstalled(profile string) bool {
	exe, err := keystore.Executable()
	if err != nil {
		return false
	}
	path, err := claudecfg.SettingsPath(claudecfg.LayerUser, "")
	if err != nil {
		return false
	}
	f, err := claudecfg.ReadFile(path)
	if err != nil {
		return false
	}
	h, _ := f.Values[claudecfg.KeyAPIKeyHelper].(string)
	return strings.TrimSpace(h) == keystore.HelperCommand(exe, profile)
}

// profileArg is " --profile P" for a profile other than the default, for hints.
func profileArg(profile string) string {
	if profile == "" || profile == keystore.DefaultProfile {
		return ""
	}
	return " --profile " + profile
}
