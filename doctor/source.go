package doctor

import (
	"claudemedic/internal/i18n"
	"claudemedic/netcheck"
)

// SourceName says where a value came from, for a person.
func SourceName(tr i18n.Printer, s netcheck.Source) string {
	switch s {
	case netcheck.SourceUserSettings:
		return tr.X("source.user", "your Claude Code settings")
	case netcheck.SourceProjectSettings, netcheck.SourceLocalSettings:
		return tr.X("source.project", "the project's Claude Code settings")
	case netcheck.SourceManagedSettings:
		return tr.X("source.managed", "the managed settings (your administrator)")
	case netcheck.SourceShell, netcheck.SourceLoginShell:
		return tr.X("source.shell", "your shell profile (~/.bashrc, ~/.zshrc or ~/.profile)")
	case netcheck.SourceUserEnvironment:
		return tr.X("source.userenv", "your Windows environment variables (System Properties → Environment Variables)")
	case netcheck.SourceKeychain:
		return tr.X("source.keychain", "the keychain")
	case netcheck.SourceDefault:
		return tr.X("source.default", "Claude Code's default")
	case netcheck.SourceCredentialsFile:
		return tr.X("source.credentials_file", "Claude Code's .credentials.json")
	case netcheck.SourceLoginKeychain:
		return tr.X("source.login_keychain", "Claude Code's login keychain item")
	case netcheck.SourceStateFile:
		return tr.X("source.state_file", "Claude Code's .claude.json")
	case netcheck.SourceAPIKeyHelper:
		return tr.X("source.api_key_helper", "the apiKeyHelper command")
	case netcheck.SourceFlag:
		return tr.X("source.flag", "a command-line flag")
	case netcheck.SourceStdin:
		return tr.X("source.stdin", "standard input")
	}
	return string(s)
}
