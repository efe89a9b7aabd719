package claudecfg

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// The credentials of the order tests, one per source, each well formed.
const (
	orderAuthToken = "gateway-token-0123456789abcdefghijklmnopqrstuvwxyz-AUTH"
	orderAPIKey    = "sk-ant-api03-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-KEYK"
	orderHelperKey = "sk-ant-api03-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-HELP"
	orderOAuth     = "sk-ant-oat01-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-OATK"
	orderLogin     = "sk-ant-oat01-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-LOGN"
)

// loginJSON is a .credentials.json as /login writes it.
func loginJSON(token string, expiresMS int64) string {
	return fmt.Sprintf(`{"claudeAiOauth":{"accessToken":%q,"refreshToken":"sk-ant-ort01-refresh","expiresAt":%d,"scopes":["user:inference","user:profile"],"subscriptionType":"max"},"mcpOAuth":{}}`, token, expiresMS)
}

// isolateCloud keeps the machine's own cloud (an EC2 or GCE host) out of the tests.
func isolateCloud(t *testing.T) {
	old := dmiVendor
	dmiVendor = []string{filepath.Join(t.TempDir(), "sys_vendor")}
	t.Cleanup(func() { dmiVendor = old })
}

// place is where a variable is set: the app's own environment, the login
// shell's profile, or the user settings' env.
type place int

const (
	inShell place = iota
	inLoginShell
	inSettings
)

var placeSource = map[place]claudesettings.Source{inShell: claudesettings.SourceShell, inLoginShell: claudesettings.SourceLoginShell, inSettings: claudesettings.SourceUserSettings}

// TestCredentialOrder resolves every combination of the six sources
// (a cloud provider, ANTHROPIC_AUTH_TOKEN, ANTHROPIC_API_KEY, apiKeyHelper,
// CLAUDE_CODE_OAUTH_TOKEN, the claude.ai login file), the variables set in
// the shell, the login shell and the settings' env in turn, and checks the
// winner, its kind, the shadowed ones in order and the key check's findings
// against the order Claude Code 2.1.330 was measured to follow.
func TestCredentialOrder(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil || runtime.GOOS == "windows" {
		t.Skip("needs bash and sh")
	}
	isolateCloud(t)
	const (
		provider = 1 << iota
		authToken
		apiKey
		helper
		oauthToken
		loginFile
		all = 1<<iota - 1
	)
	for combo := 0; combo <= all; combo++ {
		has := func(bit int) bool { return combo&bit != 0 }
		where := place(combo % 3)
		var names []string
		for bit, n := range map[int]string{provider: "provider", authToken: "auth", apiKey: "key", helper: "helper", oauthToken: "oauth", loginFile: "login"} {
			if has(bit) {
				names = append(names, n)
			}
		}
		slices.Sort(names)
		name := fmt.Sprintf("%02d_%s_in_%s", combo, strings.Join(names, "+"), placeSource[where])
		t.Run(name, func(t *testing.T) {
			dir := testHome(t)
			home := filepath.Dir(dir)
			environ := []string{"HOME=" + home, "PATH=/usr/bin:/bin", "SHELL=" + bash}
			var profile strings.Builder
			env := map[string]string{}
			setVar := func(k, v string) {
				switch where {
				case inShell:
					environ = append(environ, k+"="+v)
				case inLoginShell:
					fmt.Fprintf(&profile, "export %s=%s\n", k, v)
				case inSettings:
					env[k] = v
				}
			}
			type want struct {
				v    string
				kind claudesettings.CredentialKind
				src  claudesettings.Source
				sec  string
			}
			var chain []want
			if has(provider) {
				setVar(claudesettings.VarUseBedrock, "1")
				environ = append(environ, "AWS_REGION=eu-west-1", "AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=example")
			}
			if has(authToken) {
				setVar(claudesettings.VarAuthToken, orderAuthToken)
				chain = append(chain, want{claudesettings.VarAuthToken, claudesettings.KindBearer, placeSource[where], orderAuthToken})
			}
			if has(apiKey) {
				setVar(claudesettings.VarAPIKey, orderAPIKey)
				chain = append(chain, want{claudesettings.VarAPIKey, claudesettings.KindAPIKey, placeSource[where], orderAPIKey})
			}
			settings := map[string]any{}
			if has(helper) {
				settings["apiKeyHelper"] = "echo " + orderHelperKey
				if !has(provider) { // with a provider Claude Code does not run it
					chain = append(chain, want{claudesettings.KeyAPIKeyHelper, claudesettings.KindKeyAndBearer, claudesettings.SourceAPIKeyHelper, orderHelperKey})
				}
			}
			if has(oauthToken) {
				setVar(claudesettings.VarOAuthToken, orderOAuth)
				chain = append(chain, want{claudesettings.VarOAuthToken, claudesettings.KindOAuth, placeSource[where], orderOAuth})
			}
			if has(loginFile) {
				writeFile(t, filepath.Join(dir, credentialsFile), loginJSON(orderLogin, 4102444800000))
				chain = append(chain, want{"", claudesettings.KindOAuth, claudesettings.SourceCredentialsFile, orderLogin})
			}
			if len(env) > 0 {
				settings["env"] = env
			}
			writeFile(t, filepath.Join(dir, "settings.json"), mustJSON(t, settings))
			writeFile(t, filepath.Join(home, ".bash_profile"), profile.String())

			s, err := Inspect(context.Background(), ResolveOptions{Environ: environ, LoginShell: where == inLoginShell})
			if err != nil {
				t.Fatal(err)
			}
			if s.LoginShellErr != nil {
				t.Fatal(s.LoginShellErr)
			}
			tgt := s.Target()
			got := func(c claudesettings.Credential) want { return want{c.Var, c.Kind, c.Source, c.Secret} }
			var gotChain []want
			if tgt.Credential.Set() {
				gotChain = append(gotChain, got(tgt.Credential))
			}
			for _, c := range tgt.Shadowed {
				gotChain = append(gotChain, got(c))
			}
			if has(provider) {
				if tgt.Credential.Set() || tgt.Provider.Name != claudesettings.ProviderBedrock || !tgt.Provider.Credentials.Set() {
					t.Errorf("with Bedrock: credential %+v, provider %+v", tgt.Credential, tgt.Provider)
				}
			}
			if !slices.Equal(gotChain, chain) {
				t.Errorf("winner and shadowed:\n got %+v\nwant %+v", gotChain, chain)
			}

			// The key check's findings, as the order implies them.
			r := netcheck.Run(context.Background(), tgt, netcheck.Options{Only: []netcheck.CheckID{netcheck.CheckKey}})
			var codes []netcheck.Code
			for _, f := range r.Findings {
				codes = append(codes, f.Code)
			}
			var wantCodes []netcheck.Code
			anthropic := !has(provider)
			if anthropic && (has(authToken) && (has(apiKey) || has(helper)) || has(apiKey) && has(helper)) {
				wantCodes = append(wantCodes, netcheck.AuthConflict) // two values on one request
			}
			if anthropic && has(loginFile) && (has(authToken) || has(apiKey) || has(helper)) {
				wantCodes = append(wantCodes, netcheck.KeyOverridesLogin)
			}
			if anthropic && len(chain) == 0 {
				wantCodes = append(wantCodes, netcheck.KeyMissing)
			}
			if !slices.Equal(codes, wantCodes) {
				c, _ := r.Check(netcheck.CheckKey)
				t.Errorf("findings %v, want %v (%s)", codes, wantCodes, c.Summary.EN)
			}
			b, _ := r.MarshalJSON()
			for _, secret := range []string{orderAuthToken, orderAPIKey, orderHelperKey, orderOAuth, orderLogin} {
				if strings.Contains(string(b), secret) {
					t.Errorf("the report holds a whole secret")
				}
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestCredentialHeaders: what goes on the wire for the measured combinations.
func TestCredentialHeaders(t *testing.T) {
	c := func(v string, k claudesettings.CredentialKind, secret string) claudesettings.Credential {
		return claudesettings.Credential{Var: v, Kind: k, Secret: secret}
	}
	auth := c(claudesettings.VarAuthToken, claudesettings.KindBearer, "AUTH")
	key := c(claudesettings.VarAPIKey, claudesettings.KindAPIKey, "KEY")
	help := c(claudesettings.KeyAPIKeyHelper, claudesettings.KindKeyAndBearer, "HELP")
	oauth := c(claudesettings.VarOAuthToken, claudesettings.KindOAuth, "OAUTH")
	login := claudesettings.Credential{Kind: claudesettings.KindOAuth, Secret: "LOGIN", Source: claudesettings.SourceCredentialsFile}
	managed := c("primaryApiKey", claudesettings.KindAPIKey, "MANAGED")
	for _, tc := range []struct {
		name  string
		chain []claudesettings.Credential
		want  string // "Authorization=…;x-api-key=…"
	}{
		{"login only", []claudesettings.Credential{login}, "Authorization=Bearer LOGIN"},
		{"oauth token only", []claudesettings.Credential{oauth}, "Authorization=Bearer OAUTH"},
		{"auth token and api key", []claudesettings.Credential{auth, key}, "Authorization=Bearer AUTH;x-api-key=KEY"},
		{"api key over a login", []claudesettings.Credential{key, login}, "x-api-key=KEY"},
		{"helper alone", []claudesettings.Credential{help}, "Authorization=Bearer HELP;x-api-key=HELP"},
		{"api key and helper", []claudesettings.Credential{key, help}, "Authorization=Bearer HELP;x-api-key=KEY"},
		{"auth token and helper", []claudesettings.Credential{auth, help}, "Authorization=Bearer AUTH;x-api-key=HELP"},
		{"auth token, key and helper", []claudesettings.Credential{auth, key, help}, "Authorization=Bearer AUTH;x-api-key=KEY"},
		{"helper over oauth and login", []claudesettings.Credential{help, oauth, login}, "Authorization=Bearer HELP;x-api-key=HELP"},
		{"auth token over oauth", []claudesettings.Credential{auth, oauth}, "Authorization=Bearer AUTH"},
		{"api key over oauth", []claudesettings.Credential{key, oauth}, "x-api-key=KEY"},
		{"login over the Console key", []claudesettings.Credential{login, managed}, "Authorization=Bearer LOGIN"},
		{"Console key alone", []claudesettings.Credential{managed}, "x-api-key=MANAGED"},
	} {
		tgt := claudesettings.Target{Credential: tc.chain[0], Shadowed: tc.chain[1:]}
		var got []string
		for _, h := range tgt.CredentialHeaders() {
			got = append(got, h.Name+"="+h.Value)
		}
		if strings.Join(got, ";") != tc.want {
			t.Errorf("%s: %v, want %s", tc.name, got, tc.want)
		}
		tgt.Provider.Name = claudesettings.ProviderVertex
		if hs := tgt.CredentialHeaders(); hs != nil {
			t.Errorf("%s with a provider: %v", tc.name, hs)
		}
	}
}

// The measured cases of Claude Code, one by one, as Resolve sees them.
func TestCredentialCases(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("apiKeyHelper runs through sh")
	}
	isolateCloud(t)
	for _, tc := range []struct {
		name      string
		environ   []string
		settings  string
		login     string // .credentials.json
		state     string // ~/.claude.json
		winner    string // the winner's name
		winnerErr string
		shadowed  []string
	}{
		{name: "nothing at all", settings: `{}`},
		{name: "login file only", settings: `{}`, login: loginJSON(orderLogin, 1), winner: "claude.ai login (Max)"},
		{name: "a Console login: its API key, not its token", settings: `{}`, state: `{"primaryApiKey": "` + orderAPIKey + `"}`,
			login:  `{"claudeAiOauth":{"accessToken":"sk-ant-oat01-console","scopes":["org:create_api_key","user:profile"]}}`,
			winner: "the API key /login saved"},
		{name: "login over the Console key", settings: `{}`, state: `{"primaryApiKey": "` + orderAPIKey + `"}`, login: loginJSON(orderLogin, 1),
			winner: "claude.ai login (Max)", shadowed: []string{"the API key /login saved"}},
		{name: "stale key over a login", environ: []string{"ANTHROPIC_API_KEY=" + orderAPIKey}, settings: `{}`, login: loginJSON(orderLogin, 1),
			winner: claudesettings.VarAPIKey, shadowed: []string{"claude.ai login (Max)"}},
		{name: "a failing helper still wins over a login", settings: `{"apiKeyHelper": "echo 'error: SSO session expired' >&2; exit 1"}`, login: loginJSON(orderLogin, 1),
			winner: claudesettings.KeyAPIKeyHelper, winnerErr: "exited 1: error: SSO session expired", shadowed: []string{"claude.ai login (Max)"}},
		{name: "a broken login file under a key", environ: []string{"ANTHROPIC_API_KEY=" + orderAPIKey}, settings: `{}`, login: `{"claudeAiOauth": `,
			winner: claudesettings.VarAPIKey, shadowed: []string{"claude.ai login"}},
		{name: "a broken login file alone", settings: `{}`, login: `not json`, winner: "claude.ai login", winnerErr: "is not valid JSON"},
		{name: "MCP tokens only", settings: `{}`, login: `{"mcpOAuth": {"srv": {}}}`, winner: "claude.ai login", winnerErr: "no claudeAiOauth"},
		{name: "MCP tokens under a key are not mentioned", environ: []string{"ANTHROPIC_API_KEY=" + orderAPIKey}, settings: `{}`, login: `{"mcpOAuth": {}}`, winner: claudesettings.VarAPIKey},
		{name: "an empty value unsets", environ: []string{"ANTHROPIC_API_KEY=" + orderAPIKey}, settings: `{"env": {"ANTHROPIC_API_KEY": ""}}`, login: loginJSON(orderLogin, 1),
			winner: "claude.ai login (Max)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := testHome(t)
			writeFile(t, filepath.Join(dir, "settings.json"), tc.settings)
			if tc.login != "" {
				writeFile(t, filepath.Join(dir, credentialsFile), tc.login)
			}
			if tc.state != "" {
				writeFile(t, filepath.Join(filepath.Dir(dir), ".claude.json"), tc.state)
			}
			tgt, err := Resolve(context.Background(), ResolveOptions{Environ: append([]string{"PATH=/usr/bin:/bin"}, tc.environ...)})
			if err != nil {
				t.Fatal(err)
			}
			name := ""
			if tgt.Credential.Set() {
				name = tgt.Credential.Name()
			}
			var shadowed []string
			for _, c := range tgt.Shadowed {
				shadowed = append(shadowed, c.Name())
			}
			if name != tc.winner || !slices.Equal(shadowed, tc.shadowed) {
				t.Errorf("winner %q, shadowed %q; want %q, %q", name, shadowed, tc.winner, tc.shadowed)
			}
			if e := tgt.Credential.Err; (e == nil) != (tc.winnerErr == "") || e != nil && !strings.Contains(e.Error(), tc.winnerErr) {
				t.Errorf("winner's error %v, want %q", e, tc.winnerErr)
			}
			if len(tgt.Problems) > 0 {
				t.Errorf("problems %+v", tgt.Problems)
			}
		})
	}
}

// With --key-stdin the caller gives the key: no helper runs, no keychain is asked.
func TestExplicitCredential(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("apiKeyHelper runs through sh")
	}
	dir := testHome(t)
	marker := filepath.Join(t.TempDir(), "ran")
	writeFile(t, filepath.Join(dir, "settings.json"), `{"apiKeyHelper": "touch `+marker+`; echo key"}`)
	writeFile(t, filepath.Join(dir, credentialsFile), loginJSON(orderLogin, 1))
	asked := false
	ask := func(context.Context) (string, error) { asked = true; return "k", nil }
	old := loginInKeychain
	loginInKeychain = true
	t.Cleanup(func() { loginInKeychain = old })
	explicit := claudesettings.Credential{Secret: orderAPIKey, Source: claudesettings.SourceStdin, Var: "stdin"}
	opts := ResolveOptions{Environ: []string{"PATH=/usr/bin:/bin"}, Credential: &explicit,
		Keychain: ask, LoginKeychain: func(context.Context, string, string) (string, error) { asked = true; return "", nil }}
	for _, tc := range []struct {
		environ []string
		secret  string
		kind    claudesettings.CredentialKind
	}{
		{nil, orderAPIKey, claudesettings.KindAPIKey},
		{[]string{"ANTHROPIC_AUTH_TOKEN=" + orderAuthToken}, orderAPIKey, claudesettings.KindBearer}, // sent as the variable would be
		{[]string{"CLAUDE_CODE_OAUTH_TOKEN=" + orderOAuth}, orderAPIKey, claudesettings.KindOAuth},
		{nil, orderOAuth, claudesettings.KindOAuth},
	} {
		opts.Environ = append([]string{"PATH=/usr/bin:/bin"}, tc.environ...)
		explicit.Secret = tc.secret
		tgt, err := Resolve(context.Background(), opts)
		if err != nil {
			t.Fatal(err)
		}
		c := tgt.Credential
		if _, err := os.Stat(marker); err == nil || asked || c.Secret != tc.secret || c.Kind != tc.kind || c.Source != claudesettings.SourceStdin || len(tgt.Shadowed) > 0 {
			t.Errorf("%v: helper ran %v, keychain asked %v, credential %+v, shadowed %d", tc.environ, err == nil, asked, c, len(tgt.Shadowed))
		}
	}
}

// Claude Medic's keychain key counts only through `claudemedic key print`.
func TestUnusedKeychainKey(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("apiKeyHelper runs through sh")
	}
	dir := testHome(t)
	stored := func(context.Context) (string, error) { return "sk-ant-api03-stored", nil }
	none := func(context.Context) (string, error) { return "", nil }
	boom := errors.New("the keychain is locked")
	locked := func(context.Context) (string, error) { return "", boom }
	for _, tc := range []struct {
		name     string
		settings string
		keychain func(context.Context) (string, error)
		unused   bool
		err      error
	}{
		{"a key no helper reads", `{}`, stored, true, nil},
		{"no key stored", `{}`, none, false, nil},
		{"the helper prints it", `{"apiKeyHelper": "/opt/claudemedic/claudemedic key print"}`, stored, false, nil},
		{"the helper prints another profile's", `{"apiKeyHelper": "'/opt/Claude Medic/claudemedic' key print --profile relay"}`, stored, false, nil},
		{"another helper", `{"apiKeyHelper": "vault read -field=key secret/claude"}`, stored, true, nil},
		{"a locked keychain", `{}`, locked, false, boom},
	} {
		writeFile(t, filepath.Join(dir, "settings.json"), tc.settings)
		s, err := Inspect(context.Background(), ResolveOptions{Environ: []string{"PATH=/usr/bin:/bin"}, Keychain: tc.keychain, HelperTimeout: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		if s.UnusedKeychainKey != tc.unused || !errors.Is(s.KeychainErr, tc.err) || s.KeychainErr != nil && tc.err == nil {
			t.Errorf("%s: unused %v (keychain error %v), want %v", tc.name, s.UnusedKeychainKey, s.KeychainErr, tc.unused)
		}
		if tc.unused && s.Credential.Source == claudesettings.SourceKeychain {
			t.Errorf("%s: the keychain key is used as Claude Code's credential", tc.name)
		}
	}
}
