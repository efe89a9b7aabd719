package claudecfg

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"time"

	"claudemedic/claudesettings"

	"golang.org/x/text/unicode/norm"
)

// What a claude.ai login saved by Claude Code's /login looks like, and where
// it is (Claude Code 2.1.330):
//   - Linux and Windows: .credentials.json in Claude Code's folder
//     ($CLAUDE_SECURESTORAGE_CONFIG_DIR, else $CLAUDE_CONFIG_DIR, else ~/.claude),
//     {"claudeAiOauth": {"accessToken", "refreshToken", "expiresAt" (ms since
//     1970), "scopes", "subscriptionType"}, …}.
//   - macOS: the same JSON document as the password of the login keychain's
//     generic password with service LoginKeychainService and account
//     LoginKeychainAccount (Claude Code runs `security find-generic-password
//     -a ACCOUNT -w -s SERVICE`), the file as a fallback.
//
// Claude Code sends the access token (as Authorization: Bearer with the oauth
// beta) only when the scopes hold "user:inference": a Claude Console login
// (scopes org:create_api_key and user:profile) saves an API key instead, as
// "primaryApiKey" in Claude Code's state file (.claude.json), sent as x-api-key.
// A file that is not JSON, or a login without claudeAiOauth, is no login to
// Claude Code ("Not logged in · Please run /login"). Claude Medic reads these
// files and never writes, refreshes or sends them anywhere else.

const (
	credentialsFile = ".credentials.json"
	inferenceScope  = "user:inference"
	maxLoginFile    = 1 << 20
)

// LoginKeychainService is the macOS keychain service Claude Code keeps the
// claude.ai login under: "Claude Code-credentials", with "-" and the first 8
// hex digits of the SHA-256 of the config folder (as written, NFC) when
// CLAUDE_CONFIG_DIR (or CLAUDE_SECURESTORAGE_CONFIG_DIR) moves it.
func LoginKeychainService(configDir, secureDir string, secureSet bool) string {
	dir, custom := configDir, configDir != ""
	if secureSet {
		dir, custom = secureDir, secureDir != ""
	}
	if !custom {
		return "Claude Code-credentials"
	}
	sum := sha256.Sum256([]byte(norm.NFC.String(dir)))
	return "Claude Code-credentials-" + hex.EncodeToString(sum[:])[:8]
}

var accountName = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)

// LoginKeychainAccount is the account of Claude Code's keychain item: $USER,
// else the account's name, or "claude-code-user" for a name with other
// characters than letters, digits, '.', '_' and '-'.
func LoginKeychainAccount(userVar string) string {
	n := userVar
	if n == "" {
		if u, err := user.Current(); err == nil {
			n = u.Username
		}
	}
	if !accountName.MatchString(n) {
		return "claude-code-user"
	}
	return n
}

// loginInKeychain reports whether Claude Code keeps the login in the
// keychain here (macOS); tests set it.
var loginInKeychain = runtime.GOOS == "darwin"

// loginCandidate is the claude.ai login as Claude Code would read it. quiet
// marks a Credential.Err that is no fault when another credential is set (a
// .credentials.json that only holds MCP servers' tokens, a Console login).
type loginCandidate struct {
	cred  claudesettings.Credential
	found bool
	quiet bool
}

// readLogin finds the claude.ai login: the keychain item on macOS (through
// o.LoginKeychain), else .credentials.json.
func (s *Settings) readLogin(ctx context.Context, o ResolveOptions) loginCandidate {
	secure, secureSet := s.Vars[claudesettings.VarSecureStorageDir]
	dir := s.ConfigDir
	if secureSet {
		if d, err := dirFrom(secure.Value); err == nil {
			dir = d
		}
	}
	if loginInKeychain && o.LoginKeychain != nil {
		service := LoginKeychainService(s.Vars[claudesettings.VarConfigDir].Value, secure.Value, secureSet)
		kctx, cancel := context.WithTimeout(ctx, KeychainTimeout)
		data, err := o.LoginKeychain(kctx, service, LoginKeychainAccount(s.Vars["USER"].Value))
		cancel()
		switch {
		case err != nil:
			s.LoginKeychainErr = err
		case data != "":
			return parseLogin([]byte(data), claudesettings.SourceLoginKeychain, "")
		}
	}
	path := filepath.Join(dir, credentialsFile)
	data, err := readBounded(path, maxLoginFile)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return loginCandidate{}
	case err != nil:
		return loginCandidate{found: true, cred: loginCred(claudesettings.SourceCredentialsFile, path, fmt.Errorf("%s cannot be read: %v", path, unwrapPathErr(err)))}
	}
	return parseLogin(data, claudesettings.SourceCredentialsFile, path)
}

// loginCred is a claude.ai login credential as the chain holds it.
func loginCred(src claudesettings.Source, file string, err error) claudesettings.Credential {
	return claudesettings.Credential{Kind: claudesettings.KindOAuth, Source: src, File: file, Label: "claude.ai login", Err: err}
}

// parseLogin reads a saved login document. Bad input is a Credential.Err
// that says what is wrong, never a panic; nothing of the document's secrets
// goes into it.
func parseLogin(data []byte, src claudesettings.Source, file string) loginCandidate {
	what := file
	if what == "" {
		what = "the login keychain item"
	}
	bad := func(quiet bool, format string, a ...any) loginCandidate {
		return loginCandidate{found: true, quiet: quiet, cred: loginCred(src, file, fmt.Errorf(what+" "+format, a...))}
	}
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		if len(bytes.TrimSpace(data)) == 0 {
			return bad(false, "is empty, so Claude Code sees no login")
		}
		return bad(false, "is not valid JSON (%s), so Claude Code sees no login", jsonErrorText(data, err))
	}
	raw, ok := doc["claudeAiOauth"]
	if !ok {
		return bad(true, "holds no claude.ai login (no claudeAiOauth)")
	}
	var oauth map[string]json.RawMessage
	if err := json.Unmarshal(raw, &oauth); err != nil || oauth == nil {
		return bad(false, "has a claudeAiOauth that is not an object, so Claude Code sees no login")
	}
	var token string
	if err := json.Unmarshal(oauth["accessToken"], &token); err != nil || token == "" {
		return bad(false, "has no accessToken in claudeAiOauth, so Claude Code sees no login")
	}
	var scopes []any
	json.Unmarshal(oauth["scopes"], &scopes)
	if !slices.Contains(scopes, any(inferenceScope)) {
		return bad(true, "holds a login whose scopes lack %s (a Claude Console login), which Claude Code does not send", inferenceScope)
	}
	c := loginCred(src, file, nil)
	c.Secret = token
	var sub string
	if json.Unmarshal(oauth["subscriptionType"], &sub) == nil && sub != "" {
		c.Label = "claude.ai login (" + subscriptionTitle(sub) + ")"
	}
	var ms float64
	if json.Unmarshal(oauth["expiresAt"], &ms) == nil && ms > 0 && ms < 1e15 {
		c.ExpiresAt = time.UnixMilli(int64(ms))
	}
	return loginCandidate{found: true, cred: c}
}

// subscriptionTitle is a subscriptionType as claude.ai names the plan.
func subscriptionTitle(sub string) string {
	switch strings.ToLower(sub) {
	case "max":
		return "Max"
	case "pro":
		return "Pro"
	case "team":
		return "Team"
	case "enterprise":
		return "Enterprise"
	case "free":
		return "Free"
	}
	if len(sub) > 32 || !accountName.MatchString(sub) {
		return "unknown plan"
	}
	return sub
}

// jsonErrorText is where a JSON document breaks, for a person.
func jsonErrorText(data []byte, err error) string {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return fmt.Sprintf("line %d: %v", line, se)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "it is not a JSON object"
	}
	return err.Error()
}

// readManagedKey reads the API key a Claude Console /login saved in Claude
// Code's state file: $CLAUDE_CONFIG_DIR/.claude.json, else ~/.claude.json.
func (s *Settings) readManagedKey() claudesettings.Credential {
	path := ""
	if v := s.Vars[claudesettings.VarConfigDir]; v.Set() {
		path = filepath.Join(s.ConfigDir, ".claude.json")
	} else if home, err := os.UserHomeDir(); err == nil {
		path = filepath.Join(home, ".claude.json")
	}
	data, err := readBounded(path, 64<<20)
	if path == "" || err != nil {
		return claudesettings.Credential{}
	}
	var doc struct {
		PrimaryAPIKey string `json:"primaryApiKey"`
	}
	if json.Unmarshal(data, &doc) != nil || doc.PrimaryAPIKey == "" {
		return claudesettings.Credential{}
	}
	return claudesettings.Credential{Secret: doc.PrimaryAPIKey, Kind: claudesettings.KindAPIKey, Source: claudesettings.SourceStateFile,
		Var: "primaryApiKey", Label: "the API key /login saved", File: path}
}

// readBounded reads at most limit bytes of path; a bigger file is an error.
func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a folder", path)
	}
	var buf bytes.Buffer
	n, err := buf.ReadFrom(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if n > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return buf.Bytes(), nil
}

// unwrapPathErr drops the path a *fs.PathError repeats.
func unwrapPathErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
