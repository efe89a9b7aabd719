package cli

import (
	"flag"

	"claudemedic/internal/i18n"
	"claudemedic/keystore"
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
