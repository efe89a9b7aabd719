package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/internal/exitcode"
	"claudemedic/internal/i18n"
	"claudemedic/keystore"
	"claudemedic/netcheck"
)

var keyCommand = &command{
	name: "key",
	summary: func(tr i18n.Printer) string {
		return tr.X("key.summary", "keep the API key in the OS keychain and give it to Claude Code")
	},
	subs: []*command{
		{name: "set", run: runKeySet, summary: func(tr i18n.Printer) string {
			return tr.X("key.set_summary", "store a key, read without echo or from a pipe")
		}},
		{name: "status", run: runKeyStatus, summary: func(tr i18n.Printer) string {
			return tr.X("key.status_summary", "whether a key is stored and Claude Code reads it")
		}},
		{name: "delete", run: runKeyDelete, summary: func(tr i18n.Printer) string { return tr.X("key.delete_summary", "delete the stored key") }},
		{name: "print", run: runKeyPrint, summary: func(tr i18n.Printer) string {
			return tr.X("key.print_summary", "print the key (what apiKeyHelper runs)")
		}},
		{name: "use-with-claude-code", run: runKeyUse, summary: func(tr i18n.Printer) string {
			return tr.X("key.use_summary", "make Claude Code read the key from the keychain")
		}},
	},
}

// maxKeyInput bounds what `key set` reads from a pipe: far more than any key,
// so an oversized one is told apart (ErrTooLarge) from a runaway stream.
const maxKeyInput = 64 << 10

// profileFlag adds --profile to fs, into p.
func profileFlag(fs *flag.FlagSet, tr i18n.Printer, p *string) {
	fs.StringVar(p, "profile", keystore.DefaultProfile, tr.X("key.flag_profile", "the key's profile (a named one, e.g. for a relay's token)"))
}

// noKeyArgs refuses positional arguments; for `key set` it never echoes one,
// since it may be the key itself.
func (e *env) noKeyArgs(fs *flag.FlagSet) error {
	if fs.NArg() == 0 {
		return nil
	}
	if e.name == "key set" {
		return usageErr(e.tr.X("key.set_argument", "a key is never taken from the command line (it would show in `ps` and stay in your shell history);\npipe it in (claudemedic key set < keyfile) or run `claudemedic key set` in a terminal and paste it when asked.\nIf that argument was your key, remove it from your shell history."))
	}
	return e.noArgs(fs)
}

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
	if err := keystore.SetKind(ctx, o.profile, key, kind); err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, tr.X("key.stored_in_keychain", "Stored the {{.What}} for profile {{.Profile}} in the keychain ({{.Key}}).", "What", what, "Profile", fmt.Sprintf("%q", o.profile), "Key", claudesettings.MaskKey(strings.TrimSpace(key))))
	if !helperInstalled(o.profile) {
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

// keyStatusOptions are `key status`'s flags.
type keyStatusOptions struct {
	profile string
	asJSON  bool
}

func runKeyStatus(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("key.status_synopsis", `key status [--profile P] [--json]

Says whether the keychain holds a key for the profile (shown masked), whether
its shape is right, and whether Claude Code reads it (apiKeyHelper).
Exit status: 0 a key is stored, 1 none is (or the keychain cannot be read).`))
	var o keyStatusOptions
	profileFlag(fs, tr, &o.profile)
	fs.BoolVar(&o.asJSON, "json", false, tr.X("cli.flag_json", "print one JSON object"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noKeyArgs(fs); err != nil {
		return err
	}
	st, err := keystore.Status(ctx, o.profile)
	var others []string
	if names, perr := keystore.Profiles(); perr == nil {
		for _, n := range names {
			if n != st.Profile {
				others = append(others, n)
			}
		}
	}
	used := st.Stored && helperInstalled(o.profile)
	if o.asJSON {
		j := keyStatusJSON{Profile: o.profile, Stored: st.Stored, Key: st.Masked, Problems: st.Problems,
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
		if werr := e.writeJSON(j); werr != nil {
			return werr
		}
	} else if err == nil {
		e.printKeyStatus(st, used, others)
	}
	switch {
	case err != nil:
		return err
	case !st.Stored:
		return exitWith(exitcode.Failed)
	}
	return nil
}

func (e *env) printKeyStatus(st keystore.KeyStatus, used bool, others []string) {
	tr, w := e.tr, e.Stdout
	profile := fmt.Sprintf("%q", st.Profile)
	if !st.Stored {
		fmt.Fprintln(w, tr.X("key.status_none", "Profile {{.Profile}}: no key is stored in the keychain. Store one with: claudemedic key set{{.Arg}}", "Profile", profile, "Arg", profileArg(st.Profile)))
	} else {
		kind := tr.X("key.kind_key", "an API key")
		if st.Kind == claudesettings.KindBearer {
			kind = tr.X("key.kind_token", "a Bearer token")
		}
		fmt.Fprintln(w, tr.X("key.status_stored", "Profile {{.Profile}}: {{.Kind}} is stored in the keychain ({{.Key}}).", "Profile", profile, "Kind", kind, "Key", st.Masked))
		for _, f := range st.Problems {
			fmt.Fprintln(w, "  "+tr.X("key.status_problem", "problem ({{.Code}}): {{.Summary}}", "Code", f.Code, "Summary", f.Summary.In(tr.Lang())))
		}
		if used {
			fmt.Fprintln(w, tr.X("key.status_used", "Claude Code reads it: apiKeyHelper in the user settings runs `claudemedic key print`."))
		} else {
			fmt.Fprintln(w, tr.X("key.status_unused", "Claude Code does not read it yet: run `claudemedic key use-with-claude-code{{.Arg}}`.", "Arg", profileArg(st.Profile)))
		}
	}
	if len(others) > 0 {
		fmt.Fprintln(w, tr.X("key.other_profiles", "Other profiles: {{.Profiles}}", "Profiles", strings.Join(others, ", ")))
	}
}

// keyDeleteOptions are `key delete`'s flags.
type keyDeleteOptions struct {
	profile string
	yes     bool
}

func runKeyDelete(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("key.delete_synopsis", `key delete [--profile P] [--yes]

Deletes the profile's key from the keychain, after asking on a terminal
(--yes deletes without asking, as a script must). It cannot be undone: keep
another copy of the key if you may need it again.`))
	var o keyDeleteOptions
	profileFlag(fs, tr, &o.profile)
	fs.BoolVar(&o.yes, "yes", false, tr.X("key.flag_yes", "delete without asking"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noKeyArgs(fs); err != nil {
		return err
	}
	if !o.yes {
		f, ok := e.Stdin.(*os.File)
		if !ok || !term.IsTerminal(int(f.Fd())) {
			return usageErr(tr.X("key.delete_needs_yes", "add --yes to delete the key without being asked (deleting cannot be undone)"))
		}
		st, err := keystore.Status(ctx, o.profile)
		if err != nil {
			return err
		}
		if !st.Stored {
			return errors.New(tr.X("key.delete_none", "no key is stored for profile {{.Profile}}; nothing to delete", "Profile", fmt.Sprintf("%q", st.Profile)))
		}
		fmt.Fprint(e.Stderr, tr.X("key.delete_question", "Delete the key for profile {{.Profile}} ({{.Key}}) from the keychain? It cannot be undone. [y/N] ", "Profile", fmt.Sprintf("%q", st.Profile), "Key", st.Masked))
		answer, _ := bufio.NewReader(f).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(answer)); a != "y" && a != "yes" && a != "是" {
			fmt.Fprintln(e.Stderr, tr.X("key.not_deleted", "Nothing was deleted."))
			return exitWith(exitcode.Failed)
		}
	}
	if err := keystore.Delete(ctx, o.profile); err != nil {
		return err
	}
	fmt.Fprintln(e.Stdout, tr.X("key.deleted_profile", "Deleted the key for profile {{.Profile}} from the keychain.", "Profile", fmt.Sprintf("%q", o.profile)))
	if helperInstalled(o.profile) {
		fmt.Fprintln(e.Stderr, tr.X("key.helper_dangling", "warning: Claude Code's apiKeyHelper still runs `claudemedic key print{{.Arg}}`, which now fails:\nstore a new key with `claudemedic key set{{.Arg}}`, or remove apiKeyHelper from the user settings.", "Arg", profileArg(o.profile)))
	}
	return nil
}

// keyPrintOptions are `key print`'s flags.
type keyPrintOptions struct {
	profile string
}

func runKeyPrint(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("key.print_synopsis", `key print [--profile P]

Prints the profile's key and a newline on standard output: the command Claude
Code runs as its apiKeyHelper. With no key (or a keychain that cannot be read)
it prints why on standard error and exits 1.`))
	var o keyPrintOptions
	profileFlag(fs, tr, &o.profile)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noKeyArgs(fs); err != nil {
		return err
	}
	key, err := keystore.Get(ctx, o.profile)
	if err != nil {
		return e.storeHint(err, o.profile)
	}
	if _, err := fmt.Fprintln(e.Stdout, key); err != nil {
		return exitWith(exitcode.Failed)
	}
	return nil
}

// storeHint adds "store the key with …" to a keychain error that is a missing key.
func (e *env) storeHint(err error, profile string) error {
	if errors.Is(err, keystore.ErrNotFound) {
		return withHint(err, e.tr.X("key.store_hint", "Store the key with: claudemedic key set{{.Arg}}", "Arg", profileArg(profile)))
	}
	return err
}

// keyUseOptions are `key use-with-claude-code`'s flags.
type keyUseOptions struct {
	profile string
	move    bool
}

func runKeyUse(ctx context.Context, e *env, args []string) error {
	tr := e.tr
	fs := e.flags(tr.X("key.use_synopsis", `key use-with-claude-code [--profile P] [--move-plaintext]

Makes Claude Code read the key from the keychain: writes
"apiKeyHelper": "<this program> key print" into the user settings
(~/.claude/settings.json, or $CLAUDE_CONFIG_DIR/settings.json), with a backup.
A plaintext ANTHROPIC_API_KEY in that file's env would win over the helper:
--move-plaintext stores it in the keychain first, then removes it from the
file and from the file's backups. If storing it fails, nothing is removed.`))
	var o keyUseOptions
	profileFlag(fs, tr, &o.profile)
	fs.BoolVar(&o.move, "move-plaintext", false, tr.X("key.flag_move", "move a plaintext ANTHROPIC_API_KEY from the user settings into the keychain"))
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := e.noKeyArgs(fs); err != nil {
		return err
	}
	res, err := keystore.UseWithClaudeCode(ctx, o.profile, keystore.UseOptions{MovePlaintext: o.move})
	if err != nil && res == nil {
		return e.storeHint(err, o.profile)
	}
	p := fmt.Sprintf("%q", o.profile)
	if res.Moved {
		fmt.Fprintln(e.Stdout, tr.X("key.moved", "Moved the plaintext ANTHROPIC_API_KEY from {{.File}} into the keychain (profile {{.Profile}}).", "File", res.File, "Profile", p))
	}
	if res.Change == nil || !res.Change.Changed() {
		fmt.Fprintln(e.Stdout, tr.X("key.already_used", "Claude Code already reads the key from the keychain: apiKeyHelper in {{.File}} is {{.Helper}}", "File", res.File, "Helper", res.Helper))
	} else {
		fmt.Fprintln(e.Stdout, tr.X("key.now_used", "Claude Code now reads the key for profile {{.Profile}} from the keychain. Changed {{.File}}:", "Profile", p, "File", res.File))
		for _, k := range res.Change.Keys {
			fmt.Fprintf(e.Stdout, "  %s\n", k)
		}
		if res.Change.Backup != "" {
			fmt.Fprintln(e.Stdout, tr.X("key.backed_up", "The old file is backed up as {{.Backup}}; undo with: claudemedic config restore --latest", "Backup", res.Change.Backup))
		}
	}
	if res.Scrubbed > 0 {
		fmt.Fprintln(e.Stdout, tr.X("key.scrubbed", "Removed the plaintext key from {{.N}} backup(s) of the file; the rest of each backup is kept.", "N", res.Scrubbed))
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.Stderr, "%s %s\n", tr.X("cli.warning", "warning:"), w.In(tr.Lang()))
	}
	if err != nil {
		return e.storeHint(err, o.profile)
	}
	return nil
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
	h, _ := f.Values[claudesettings.KeyAPIKeyHelper].(string)
	return strings.TrimSpace(h) == keystore.HelperCommand(exe, profile)
}

// profileArg is " --profile P" for a profile other than the default, for hints.
func profileArg(profile string) string {
	if profile == "" || profile == keystore.DefaultProfile {
		return ""
	}
	return " --profile " + profile
}
