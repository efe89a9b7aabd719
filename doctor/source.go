package doctor

import (
	"claudemedic/claudesettings"
	"claudemedic/internal/i18n"
)

// SourceName says where a value came from, for a person.
func SourceName(tr i18n.Printer, s claudesettings.Source) string {
	switch s {
	case claudesettings.SourceUserSettings:
		return tr.X("source.user", "your Claude Code settings")
	case claudesettings.SourceProjectSettings, claudesettings.SourceLocalSettings:
		return tr.X("source.project", "the project's Claude Code settings")
	case claudesettings.SourceManagedSettings:
		return tr.X("source.managed", "the managed settings (your administrator)")
	case claudesettings.SourceShell, claudesettings.SourceLoginShell:
		return tr.X("source.shell", "your shell profile (~/.bashrc, ~/.zshrc or ~/.profile)")
	case claudesettings.SourceUserEnvironment:
		return tr.X("source.userenv", "your Windows environment variables (System Properties → Environment Variables)")
	case claudesettings.SourceKeychain:
		return tr.X("source.keychain", "the keychain")
	case claudesettings.SourceDefault:
		return tr.X("source.default", "Claude Code's default")
	case claudesettings.SourceCredentialsFile:
		return tr.X("source.credentials_file", "Claude Code's .credentials.json")
	case claudesettings.SourceLoginKeychain:
		return tr.X("source.login_keychain", "Claude Code's login keychain item")
	case claudesettings.SourceStateFile:
		return tr.X("source.state_file", "Claude Code's .claude.json")
	case claudesettings.SourceAPIKeyHelper:
		return tr.X("source.api_key_helper", "the apiKeyHelper command")
	case claudesettings.SourceFlag:
		return tr.X("source.flag", "a command-line flag")
	case claudesettings.SourceStdin:
		return tr.X("source.stdin", "standard input")
	}
	return string(s)
}
