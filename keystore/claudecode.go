package keystore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
)

// Errors of UseWithClaudeCode, besides the keychain's own.
var (
	// ErrPlaintextInSettings: the user settings hold a plaintext
	// ANTHROPIC_API_KEY that is not the keychain's key. Claude Code uses it
	// before apiKeyHelper, so it must move (UseOptions.MovePlaintext) or go.
	ErrPlaintextInSettings = errors.New("the settings hold a plaintext ANTHROPIC_API_KEY, which Claude Code uses before apiKeyHelper")
	// ErrKeyConflict: the settings' plaintext key and the keychain's key for
	// the profile differ, and moving one would lose the other.
	ErrKeyConflict = errors.New("the keychain already holds a different key for this profile")
)

// UseOptions tune UseWithClaudeCode.
type UseOptions struct {
	// MovePlaintext moves a plaintext ANTHROPIC_API_KEY found in the user
	// settings' env into the keychain (validated first), then removes it
	// from the file and from the file's backups.
	MovePlaintext bool
	// DropPlaintext removes a plaintext ANTHROPIC_API_KEY found in the user
	// settings' env (and from the file's backups) without moving it: it is
	// the key being replaced by the keychain's (the window's "new key" after
	// an invalid one). The keychain's key must be stored first.
	DropPlaintext bool
	// Executable is the program apiKeyHelper runs; "" means this one.
	Executable string
}

// UseResult is what UseWithClaudeCode did.
type UseResult struct {
	File     string                // the user settings file
	Helper   string                // the apiKeyHelper command written
	Change   *claudecfg.Change     // the edit (its Backup, for Undo); Changed() is false when nothing had to change
	Moved    bool                  // a plaintext key moved from the settings into the keychain
	Scrubbed int                   // backups of the settings file the plaintext key was removed from
	Warnings []claudesettings.Text // credentials elsewhere that Claude Code would use before apiKeyHelper
}

// UseWithClaudeCode makes Claude Code read profile's key from the keychain:
// it writes `"apiKeyHelper": "<this program> key print"` into the user
// settings through claudecfg's writer (only that key changes; backup, atomic
// write, refused if the file changed since it was read). A plaintext
// ANTHROPIC_API_KEY in the same settings' env would win over the helper: it
// is removed when the keychain holds the same key, moved first with
// opts.MovePlaintext, and otherwise the call fails with
// ErrPlaintextInSettings and writes nothing. If storing the moved key fails,
// nothing is removed. With no key anywhere it fails with ErrNotFound.
func UseWithClaudeCode(ctx context.Context, profile string, opts UseOptions) (*UseResult, error) {
	profile, err := checkProfile(profile)
	if err != nil {
		return nil, err
	}
	file, err := claudecfg.SettingsPath(claudecfg.LayerUser, "")
	if err != nil {
		return nil, err
	}
	doc, err := claudecfg.Open(file)
	if err != nil {
		return nil, err
	}
	values, err := doc.Values()
	if err != nil {
		return nil, err
	}
	env, _ := claudecfg.EnvOf(values) // the one reader of a settings file's env
	plain := strings.TrimSpace(env[claudesettings.VarAPIKey])

	stored, err := Get(ctx, profile)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	if plain == "" && stored == "" {
		return nil, fmt.Errorf("no key is stored for profile %q, and %s holds none to move: store the key first: %w", profile, file, ErrNotFound)
	}
	exe := opts.Executable
	if exe == "" {
		if exe, err = Executable(); err != nil {
			return nil, err
		}
	}
	res := &UseResult{File: file, Helper: HelperCommand(exe, profile)}
	switch {
	case plain == "" || plain == stored:
		// Nothing to move: a plaintext copy of the keychain's key just goes.
	case opts.DropPlaintext && stored != "":
		// The plaintext key is the one being replaced: it just goes.
	case !opts.MovePlaintext:
		return nil, fmt.Errorf("%s: %w (%s): move it into the keychain (--move-plaintext), or remove it from the file yourself",
			file, ErrPlaintextInSettings, claudesettings.MaskKey(plain))
	case stored != "":
		return nil, fmt.Errorf("profile %q: %w (%s) than %s's ANTHROPIC_API_KEY (%s): delete the keychain's key first, or use another profile; nothing was changed",
			profile, ErrKeyConflict, claudesettings.MaskKey(stored), file, claudesettings.MaskKey(plain))
	default:
		if err := Set(ctx, profile, plain); err != nil {
			return nil, fmt.Errorf("the ANTHROPIC_API_KEY in %s was not moved and is still there: %w", file, err)
		}
		res.Moved = true
	}

	edits := []claudecfg.Edit{claudecfg.Set(res.Helper, claudesettings.KeyAPIKeyHelper)}
	if env[claudesettings.VarAPIKey] != "" {
		edits = append(edits, claudecfg.Unset("env", claudesettings.VarAPIKey))
	}
	if err := doc.Apply(edits...); err != nil {
		return nil, keptNote(res.Moved, err)
	}
	if res.Change, err = doc.Save(); err != nil {
		return nil, keptNote(res.Moved, err)
	}
	if plain != "" {
		if res.Scrubbed, err = claudecfg.ScrubBackups(file, plain); err != nil {
			return res, fmt.Errorf("Claude Code now reads the key from the keychain, but a backup of %s may still hold it: %w", file, err)
		}
	}
	res.Warnings = shadowingCredentials(values)
	return res, nil
}

// keptNote says, with a failed settings edit, where the key is.
func keptNote(moved bool, err error) error {
	if moved {
		return fmt.Errorf("the key is now in the keychain too, but the settings were not changed: %w", err)
	}
	return err
}

// shadowingCredentials lists what Claude Code would use before apiKeyHelper:
// ANTHROPIC_AUTH_TOKEN in the user settings, and either variable in this
// program's environment (the shell it was started from).
func shadowingCredentials(user map[string]any) []claudesettings.Text {
	var out []claudesettings.Text
	env, _ := claudecfg.EnvOf(user)
	if env[claudesettings.VarAuthToken] != "" {
		out = append(out, claudesettings.Text{EN: "ANTHROPIC_AUTH_TOKEN is set in the user settings' env; Claude Code sends it instead of the apiKeyHelper key: remove it if the keychain's key should be used.", ZH: "用户设置的 env 中设置了 ANTHROPIC_AUTH_TOKEN；Claude Code 会改用它而不是 apiKeyHelper 的密钥：如需使用钥匙串中的密钥，请删除它。"})
	}
	for _, name := range []string{claudesettings.VarAuthToken, claudesettings.VarAPIKey} {
		if os.Getenv(name) != "" {
			out = append(out, claudesettings.Text{EN: name + " is set in this shell's environment; Claude Code started from this shell uses it before apiKeyHelper: remove it from your shell profile (~/.bashrc, ~/.zshrc or ~/.profile).", ZH: "当前 shell 环境中设置了 " + name + "；从此 shell 启动的 Claude Code 会优先使用它而不是 apiKeyHelper：请从 shell 配置文件（~/.bashrc、~/.zshrc 或 ~/.profile）中删除它。"})
		}
	}
	return out
}

// HelperCommand is the apiKeyHelper command that prints profile's key with
// the program at exe: `<exe> key print`, plus `--profile P` for a profile
// other than DefaultProfile, the path quoted for the shell Claude Code runs it with (claudecfg.CommandQuote).
func HelperCommand(exe, profile string) string {
	cmd := claudecfg.CommandQuote(exe) + " key print"
	if profile != "" && profile != DefaultProfile {
		cmd += " --profile " + claudecfg.CommandQuote(profile)
	}
	return cmd
}

// Executable is this program's absolute path, symlinks resolved, for
// apiKeyHelper. A temporary `go run` build is refused: it is deleted when
// the run ends, and Claude Code would then find no helper.
func Executable() (string, error) {
	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.EvalSymlinks(exe)
	}
	if err != nil {
		return "", fmt.Errorf("finding Claude Medic's own path for apiKeyHelper: %w", err)
	}
	if strings.Contains(exe, string(filepath.Separator)+"go-build") {
		return "", fmt.Errorf("%s is a temporary build of `go run`, deleted when it ends: build or install claudemedic and run that", exe)
	}
	return installedHelper(exe) // never a build folder (helperpath.go)
}
