//go:build differential

package differential

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// kv is one variable as a person wrote it: its name (any case) and value.
type kv struct{ name, value string }

// world is what one set-up gives Claude Code and Claude Medic alike: the
// shell's environment, the user settings file, the files they name.
type world struct {
	shell    []string
	settings map[string]any
}

// environ builds the set-up's world in home (its .claude and files).
func (f *Fake) environ(home string, p *pki) (world, error) {
	s := f.s
	claudeDir := filepath.Join(home, ".claude")
	if err := os.MkdirAll(claudeDir, 0o700); err != nil {
		return world{}, err
	}
	w := world{settings: map[string]any{}}
	w.shell = []string{"HOME=" + home, "PATH=" + os.Getenv("PATH"), "SHELL=/bin/sh", "LANG=C.UTF-8",
		"CLAUDE_CONFIG_DIR=" + claudeDir, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
		"XDG_STATE_HOME=" + filepath.Join(home, ".state"), "XDG_DATA_HOME=" + filepath.Join(home, ".local", "share"),
		"XDG_CACHE_HOME=" + filepath.Join(home, ".cache"),
		"CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1", "CLAUDE_CODE_MAX_RETRIES=" + strings.Replace(s["retries"], "spaced", " 1 ", 1),
		"DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent"}

	var vars []kv // Claude Code's own variables, placed by the where dimension
	var credVars []kv

	// The base URL.
	host := map[string]string{"name": apiHost, "ip": "127.0.0.1", "localhost": "localhost"}[s["host"]]
	scheme, port := "https", f.tlsPort()
	switch s["tls"] {
	case "http":
		scheme, port = "http", f.plainPort()
	case "http_to_tls":
		scheme = "http"
	}
	base := scheme + "://" + host + ":" + strconv.Itoa(port)
	baseName := "ANTHROPIC_BASE_URL"
	switch s["base_form"] {
	case "slash":
		base += "/"
	case "spaces":
		base = " " + base + " "
	case "quoted":
		base = `"` + base + `"`
	case "lowername":
		baseName = "anthropic_base_url"
	case "bom":
		base = "\ufeff" + base
	case "v1":
		base += "/v1"
	case "upperscheme":
		base = strings.ToUpper(scheme) + base[len(scheme):]
	case "empty":
		base = ""
	}
	vars = append(vars, kv{baseName, base})

	// The CA.
	caPEM := filepath.Join(home, "ca.pem")
	if err := os.WriteFile(caPEM, p.root.PEM(), 0o644); err != nil {
		return world{}, err
	}
	ca := caPEM
	switch s["tls"] {
	case "ca_file_missing":
		ca = filepath.Join(home, "no-such-ca.pem")
	case "ca_der":
		ca = filepath.Join(home, "ca.der")
		if err := os.WriteFile(ca, p.root.Cert().Raw, 0o644); err != nil {
			return world{}, err
		}
	}
	vars = append(vars, kv{"NODE_EXTRA_CA_CERTS", ca})

	// The proxy.
	if pr := s["proxy"]; pr != "none" {
		pp := strconv.Itoa(f.proxy.port())
		u := map[string]string{
			"ok":           "http://127.0.0.1:" + pp,
			"auth":         "http://" + proxyUserinfo + "@127.0.0.1:" + pp,
			"auth_missing": "http://127.0.0.1:" + pp,
			"refused":      "http://127.0.0.1:" + pp,
			"dead":         "http://127.0.0.1:" + strconv.Itoa(f.deadPort),
			"socks5":       "socks5://127.0.0.1:" + pp,
			"unparsable":   "http://corp proxy:" + pp,
			"noscheme":     "127.0.0.1:" + pp,
			"https_scheme": "https://127.0.0.1:" + pp,
		}[pr]
		switch s["proxy_form"] {
		case "spaces":
			u = " " + u + " "
		case "quoted":
			u = `"` + u + `"`
		case "slash":
			u += "/"
		case "upperscheme":
			if i := strings.Index(u, "://"); i > 0 {
				u = strings.ToUpper(u[:i]) + u[i:]
			}
		}
		dead := "http://127.0.0.1:" + strconv.Itoa(f.deadPort)
		switch s["proxy_var"] {
		case "lower_wins":
			vars = append(vars, kv{"https_proxy", u}, kv{"HTTPS_PROXY", dead})
		case "upper_loses":
			vars = append(vars, kv{"HTTPS_PROXY", u}, kv{"https_proxy", dead})
		default:
			vars = append(vars, kv{s["proxy_var"], u})
		}
		np := ""
		name := "NO_PROXY"
		tp := strconv.Itoa(port)
		switch s["no_proxy"] {
		case "star":
			np = "*"
		case "dotdomain":
			np = ".claudemedic.test"
		case "domain":
			np = "claudemedic.test"
		case "host":
			np = apiHost
		case "localhost":
			np = "localhost"
		case "ip":
			np = "127.0.0.1"
		case "spaced":
			np = "localhost, 127.0.0.1 , " + apiHost
		case "lowername":
			name, np = "no_proxy", apiHost+",127.0.0.1,localhost"
		case "withport":
			np = apiHost + ":" + tp + ",127.0.0.1:" + tp + ",localhost:" + tp
		case "wildcard":
			np = "*.claudemedic.test"
		}
		if np != "" {
			vars = append(vars, kv{name, np})
		}
	}

	// API_TIMEOUT_MS as written.
	if t := s["timeout"]; t != "unset" {
		name, v := "API_TIMEOUT_MS", t
		switch t {
		case "spaces":
			v = " 5000 "
		case "quoted":
			v = `"5000"`
		case "ms_suffix":
			v = "5000ms"
		case "plus":
			v = "+5000"
		case "exp":
			v = "5e3"
		case "empty":
			v = ""
		case "zero":
			v = "0"
		case "junk":
			v = "abc"
		case "lowername":
			name, v = "api_timeout_ms", "5000"
		}
		vars = append(vars, kv{name, v})
	}

	// Another numeric variable, as written.
	switch s["numvar"] {
	case "bash_junk":
		vars = append(vars, kv{"BASH_DEFAULT_TIMEOUT_MS", "abc"})
	case "bash_max_negative":
		vars = append(vars, kv{"BASH_MAX_TIMEOUT_MS", "-1"})
	case "mcp_unit":
		vars = append(vars, kv{"MCP_TIMEOUT", "30s"})
	case "mcp_tool_quoted":
		vars = append(vars, kv{"MCP_TOOL_TIMEOUT", `"60000"`})
	case "bash_huge":
		vars = append(vars, kv{"BASH_DEFAULT_TIMEOUT_MS", "99999999999"})
	}

	// ANTHROPIC_CUSTOM_HEADERS.
	switch s["headers"] {
	case "valid":
		vars = append(vars, kv{"ANTHROPIC_CUSTOM_HEADERS", "X-Team: medic"})
	case "required_given":
		vars = append(vars, kv{"ANTHROPIC_CUSTOM_HEADERS", gatewayHeader + ": " + gatewayKey})
	case "unparsable_required":
		vars = append(vars, kv{"ANTHROPIC_CUSTOM_HEADERS", gatewayHeader + " " + gatewayKey})
	case "multi_required":
		vars = append(vars, kv{"ANTHROPIC_CUSTOM_HEADERS", "X-Team: medic\n" + gatewayHeader + ": " + gatewayKey})
	}

	// The credential.
	keyFile := filepath.Join(home, ".key")
	if err := os.WriteFile(keyFile, []byte(apiKey+"\n"), 0o600); err != nil {
		return world{}, err
	}
	switch s["cred"] {
	case "apikey":
		credVars = append(credVars, kv{"ANTHROPIC_API_KEY", apiKey})
	case "token":
		credVars = append(credVars, kv{"ANTHROPIC_AUTH_TOKEN", relayToken})
	case "helper":
		w.settings["apiKeyHelper"] = "cat " + keyFile
	case "key_spaces":
		credVars = append(credVars, kv{"ANTHROPIC_API_KEY", " " + apiKey + " "})
	case "key_quoted":
		credVars = append(credVars, kv{"ANTHROPIC_API_KEY", `"` + apiKey + `"`})
	case "key_newline":
		credVars = append(credVars, kv{"ANTHROPIC_API_KEY", apiKey + "\n"})
	case "wrong":
		credVars = append(credVars, kv{"ANTHROPIC_API_KEY", wrongKey})
	case "none":
	case "both_token_wrong":
		credVars = append(credVars, kv{"ANTHROPIC_AUTH_TOKEN", "sk-relay-differential-WRONG-0123456789abcdefghijklmnop"}, kv{"ANTHROPIC_API_KEY", apiKey})
	case "helper_fails":
		w.settings["apiKeyHelper"] = "echo 'vault: SSO session expired, run vault login' >&2; exit 1"
	case "helper_banner":
		w.settings["apiKeyHelper"] = "echo 'Welcome to the key vault'; cat " + keyFile
	}

	env := map[string]string{}
	toShell := func(list []kv) {
		for _, v := range list {
			w.shell = append(w.shell, v.name+"="+v.value)
		}
	}
	toSettings := func(list []kv) {
		for _, v := range list {
			env[v.name] = v.value
		}
	}
	switch s["where"] {
	case "shell":
		toShell(vars)
		toShell(credVars)
	case "settings":
		toSettings(vars)
		toSettings(credVars)
	case "split": // the base URL and the credential in the settings, the rest in the shell
		toSettings(vars[:1])
		toShell(vars[1:])
		toSettings(credVars)
	case "shadow": // a stale base URL in the shell, the right one in the settings
		w.shell = append(w.shell, "ANTHROPIC_BASE_URL=https://127.0.0.1:"+strconv.Itoa(f.deadPort))
		toSettings(vars[:1])
		toShell(vars[1:])
		toShell(credVars)
	}
	if len(env) > 0 {
		w.settings["env"] = env
	}
	if len(w.settings) > 0 {
		b, _ := json.MarshalIndent(w.settings, "", "  ")
		if err := os.WriteFile(filepath.Join(claudeDir, "settings.json"), b, 0o600); err != nil {
			return world{}, fmt.Errorf("settings: %w", err)
		}
	}
	return w, nil
}
