package claudecfg

import (
	"errors"
	"strings"
	"testing"
)

func TestExpandVars(t *testing.T) {
	vars := map[string]string{"ROOT": `C:\Tools`, "USERPROFILE": `C:\Users\张三`, "EMPTY": ""}
	lookup := func(n string) (string, bool) { v, ok := vars[strings.ToUpper(n)]; return v, ok }
	for in, want := range map[string]string{
		`%ROOT%\bin`:               `C:\Tools\bin`,
		`%root%\bin;%USERPROFILE%`: `C:\Tools\bin;C:\Users\张三`,
		`%UNKNOWN%\x`:              `%UNKNOWN%\x`,
		`%UNKNOWN%ROOT%`:           `%UNKNOWN%ROOT%`,
		`100%`:                     `100%`,
		`%%`:                       `%%`,
		`a%EMPTY%b`:                `ab`,
		`no percent`:               `no percent`,
		`%ROOT%%ROOT%`:             `C:\ToolsC:\Tools`,
	} {
		if got := expandVars(in, lookup); got != want {
			t.Errorf("expandVars(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEnvironmentFromRegistry(t *testing.T) {
	machine := regKey{name: `HKLM\…\Environment`, values: []regValue{
		{"Path", regExpandSZ, `%SystemRoot%\system32;C:\Tools`},
		{"TOOLS", regSZ, `C:\Tools`},
		{"HTTPS_PROXY", regSZ, "http://machine.corp:8080"},
		{"NODE_EXTRA_CA_CERTS", regExpandSZ, `%TOOLS%\corp-ca.pem`},
	}}
	user := regKey{name: `HKCU\Environment`, values: []regValue{
		{"PATH", regExpandSZ, `%USERPROFILE%\bin`},
		{"https_proxy", regSZ, "http://user.corp:3128"}, // one variable with HTTPS_PROXY on Windows
		{"CLAUDE_CONFIG_DIR", regSZ, `C:\Users\张三\.claude`},
		{"API_TIMEOUT_MS", 4, ""},                   // REG_DWORD: Windows leaves it out
		{"SOME_OTHER_APP", 3, ""},                   // REG_BINARY, not Claude Code's: no word
		{"ANTHROPIC_MODEL", regExpandSZ, "%TOOLS%"}, // a user variable may use a machine one
	}}
	base := map[string]string{"SystemRoot": `C:\Windows`, "USERPROFILE": `C:\Users\张三`}
	env, err := environmentFromRegistry([]regKey{machine, user}, base)
	for name, want := range map[string]string{
		"PATH":                `C:\Windows\system32;C:\Tools;C:\Users\张三\bin`,
		"HTTPS_PROXY":         "http://user.corp:3128",
		"https_proxy":         "http://user.corp:3128",
		"NODE_EXTRA_CA_CERTS": `C:\Tools\corp-ca.pem`,
		"CLAUDE_CONFIG_DIR":   `C:\Users\张三\.claude`,
		"ANTHROPIC_MODEL":     `C:\Tools`,
	} {
		if env[name] != want {
			t.Errorf("%s = %q, want %q", name, env[name], want)
		}
	}
	if _, ok := env["API_TIMEOUT_MS"]; ok {
		t.Error("a REG_DWORD value became a variable")
	}
	if _, ok := env["SystemRoot"]; ok {
		t.Error("a variable of base (not in the registry) was returned")
	}
	if err == nil || !strings.Contains(err.Error(), `API_TIMEOUT_MS in HKCU\Environment is a REG_DWORD, not a string`) ||
		strings.Contains(err.Error(), "SOME_OTHER_APP") {
		t.Errorf("error %v, want one naming API_TIMEOUT_MS only", err)
	}

	// A key that cannot be read is said; the other still counts.
	env, err = environmentFromRegistry([]regKey{{name: `HKLM\…`, err: errors.New("access denied")}, user}, base)
	if env["CLAUDE_CONFIG_DIR"] == "" || err == nil || !strings.Contains(err.Error(), `HKLM\… could not be read: access denied`) {
		t.Errorf("unreadable key: %v, %v", env, err)
	}
	// Nothing in the registry: an empty environment, no error.
	if env, err := environmentFromRegistry([]regKey{{name: "a"}, {name: "b"}}, base); len(env) != 0 || err != nil {
		t.Errorf("empty keys: %v, %v", env, err)
	}
}
