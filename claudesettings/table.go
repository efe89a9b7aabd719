package claudesettings

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ValueKind says what a variable of Claude Code holds.
type ValueKind string

// The kinds of value in the table.
const (
	ValueMillis   ValueKind = "milliseconds"
	ValueCount    ValueKind = "count"
	ValueURL      ValueKind = "url"
	ValueProxyURL ValueKind = "proxy url"
	ValueList     ValueKind = "list"
	ValueFlag     ValueKind = "flag"
	ValuePath     ValueKind = "path"
	ValueSecret   ValueKind = "secret"
	ValueText     ValueKind = "text"
)

// Var is one variable of Claude Code's environment: one row of Table.
type Var struct {
	Name    string
	Meaning Text
	Default string // Claude Code's value when it is unset, as text; "" for none
	Secret  bool   // a credential: shown masked, never whole
	Kind    ValueKind
	// Min and Max bound what Claude Medic saves for a number (ParseInput):
	// the values Claude Code reads as written.
	Min, Max int64
	// Provider marks a cloud provider's variable: read for the credential,
	// not listed by `config show` (Variables).
	Provider bool
	read     func(v Var, raw string) Reading
}

// Reading is a variable's value as Claude Code reads it.
type Reading struct {
	Name string
	Raw  string // as written; "" is unset
	// Effective is the value Claude Code uses, as text: the number it reads
	// ("2000" for " 2000 "), or its default when Raw is unset or ignored.
	Effective string
	// Number is the number Claude Code uses, for milliseconds and counts.
	Number int64
	// Defaulted: Claude Code uses its default (Raw unset, or ignored).
	Defaulted bool
	// URL is the parsed base URL (ValueURL), nil when it is not usable.
	URL *url.URL
	// Problem says, when Raw is not what it seems to Claude Code, what
	// Claude Code will do with it; the zero Problem when it reads Raw as written.
	Problem Problem
}

// Duration is Number as milliseconds.
func (r Reading) Duration() time.Duration { return time.Duration(r.Number) * time.Millisecond }

// Problem is a sentence (English and Chinese) saying what Claude Code will
// do with a value that is not what it seems; the zero Problem is none.
type Problem struct{ Text }

// None reports whether there is no problem.
func (p Problem) None() bool { return p.EN == "" }

// Err is the problem as an error wrapping ErrOutOfRange; nil for none.
func (p Problem) Err() error {
	if p.None() {
		return nil
	}
	return &problemError{p: p}
}

type problemError struct {
	p    Problem
	also error // a sentinel the error is too (ErrSocksProxy)
}

func (e *problemError) Error() string { return e.p.EN }
func (e *problemError) Unwrap() []error {
	if e.also != nil {
		return []error{ErrOutOfRange, e.also}
	}
	return []error{ErrOutOfRange}
}

// ProblemOf returns the Problem an error from CheckValue or ParseInput carries.
func ProblemOf(err error) (Problem, bool) {
	var pe *problemError
	if errors.As(err, &pe) {
		return pe.p, true
	}
	var ie *InputError
	if errors.As(err, &ie) {
		return Problem{ie.Text}, true
	}
	return Problem{}, false
}

// Read reads the variable's text as Claude Code 2.1.332 reads it.
func (v Var) Read(raw string) Reading {
	if v.read == nil {
		return readText(v, raw)
	}
	return v.read(v, raw)
}

// Table holds the variables of Claude Code that Claude Medic reads, shows
// or tunes, one row each, in the order `config show` prints them; the rows
// marked Provider come last.
var Table = []Var{
	{Name: VarBaseURL, Kind: ValueURL, Default: DefaultBaseURL, read: readBaseURL,
		Meaning: Text{EN: "The address of the Claude API (or of a relay in front of it).", ZH: "Claude API（或其前面的中转）的地址。"}},
	{Name: VarAPIKey, Kind: ValueSecret, Secret: true, read: readSecret,
		Meaning: Text{EN: "An API key, sent as x-api-key.", ZH: "API 密钥，以 x-api-key 发送。"}},
	{Name: VarAuthToken, Kind: ValueSecret, Secret: true, read: readSecret,
		Meaning: Text{EN: "A token, sent as Authorization: Bearer.", ZH: "令牌，以 Authorization: Bearer 发送。"}},
	{Name: VarOAuthToken, Kind: ValueSecret, Secret: true, read: readSecret,
		Meaning: Text{EN: "A long-lived claude.ai token (claude setup-token).", ZH: "长期有效的 claude.ai 令牌（claude setup-token）。"}},
	proxyRow("https_proxy"), proxyRow(VarHTTPSProxy), proxyRow("http_proxy"), proxyRow(VarHTTPProxy), proxyRow("all_proxy"), proxyRow(VarAllProxy),
	noProxyRow("no_proxy"), noProxyRow(VarNoProxy),
	{Name: VarExtraCACerts, Kind: ValuePath,
		Meaning: Text{EN: "A PEM file of extra certificate authorities to trust.", ZH: "额外信任的证书颁发机构（PEM 文件）。"}},
	{Name: VarAPITimeout, Min: 1, Max: maxTimer, Kind: ValueMillis, Default: strconv.FormatInt(DefaultAPITimeout.Milliseconds(), 10), read: readAPITimeout,
		Meaning: Text{EN: "How long one request to the API may take, in milliseconds.", ZH: "一次 API 请求最多可用的时间（毫秒）。"}},
	{Name: VarMaxRetries, Min: 0, Max: 15, Kind: ValueCount, Default: "10", read: readMaxRetries,
		Meaning: Text{EN: "How many times a failed request is retried.", ZH: "失败的请求重试的次数。"}},
	{Name: VarBashTimeout, Min: 1, Max: maxTimer, Kind: ValueMillis, Default: "120000", read: readBashTimeout,
		Meaning: Text{EN: "How long a shell command may run by default, in milliseconds.", ZH: "Shell 命令默认可运行的时间（毫秒）。"}},
	{Name: VarBashMaxTimeout, Min: 1, Max: maxTimer, Kind: ValueMillis, Default: "600000", read: readBashTimeout,
		Meaning: Text{EN: "The longest a shell command may be allowed to run, in milliseconds.", ZH: "Shell 命令最多可运行的时间（毫秒）。"}},
	{Name: VarMCPTimeout, Min: 1, Max: maxTimer, Kind: ValueMillis, Default: "30000", read: readMCPTimeout,
		Meaning: Text{EN: "How long an MCP server may take to start, in milliseconds.", ZH: "MCP 服务器启动最多可用的时间（毫秒）。"}},
	{Name: VarMCPToolTimeout, Min: 1000, Max: maxTimer, Kind: ValueMillis, Default: "100000000", read: readMCPToolTimeout,
		Meaning: Text{EN: "How long a call to an MCP tool may take, in milliseconds.", ZH: "调用 MCP 工具最多可用的时间（毫秒）。"}},
	{Name: VarNoNonessential, Kind: ValueFlag,
		Meaning: Text{EN: "1 turns off traffic Claude Code can do without (updates, telemetry).", ZH: "设为 1 时关闭非必要的网络流量（更新、遥测）。"}},
	{Name: VarModel, Kind: ValueText,
		Meaning: Text{EN: "The model Claude Code asks for.", ZH: "Claude Code 使用的模型。"}},
	{Name: VarDisableBetas, Kind: ValueFlag,
		Meaning: Text{EN: "1 sends only the beta features Claude Code cannot do without.", ZH: "设为 1 时只发送 Claude Code 必需的 beta 功能。"}},
	{Name: VarCertStore, Kind: ValueList,
		Meaning: Text{EN: "Which certificate authorities Claude Code trusts (bundled,system when unset).", ZH: "Claude Code 信任哪些证书颁发机构（未设置时为 bundled,system）。"}},
	{Name: VarNodeOptions, Kind: ValueText,
		Meaning: Text{EN: "Options for Node.js (--use-system-ca trusts the system's store).", ZH: "Node.js 选项（--use-system-ca 信任系统证书库）。"}},

	secretRow(VarFoundryAPIKey), secretRow(VarAWSBearerToken), secretRow("AWS_SECRET_ACCESS_KEY"), secretRow("AWS_SESSION_TOKEN"), secretRow("AZURE_CLIENT_SECRET"),
}

func proxyRow(name string) Var {
	return Var{Name: name, Kind: ValueProxyURL, read: readProxy,
		Meaning: Text{EN: "The HTTP(S) proxy Claude Code goes through (the first of https_proxy, HTTPS_PROXY, http_proxy, HTTP_PROXY, all_proxy, ALL_PROXY that is set).", ZH: "Claude Code 使用的 HTTP(S) 代理（依次取 https_proxy、HTTPS_PROXY、http_proxy、HTTP_PROXY、all_proxy、ALL_PROXY 中第一个已设置的）。"}}
}

func noProxyRow(name string) Var {
	return Var{Name: name, Kind: ValueList, read: readNoProxy,
		Meaning: Text{EN: "Hosts reached without the proxy, comma-separated (no_proxy wins over NO_PROXY).", ZH: "不经代理直接访问的主机，用逗号分隔（no_proxy 优先于 NO_PROXY）。"}}
}

func secretRow(name string) Var {
	return Var{Name: name, Kind: ValueSecret, Secret: true, Provider: true, read: readSecret,
		Meaning: Text{EN: "A cloud provider's credential.", ZH: "云服务商的凭据。"}}
}

var byName = func() map[string]int {
	m := make(map[string]int, len(Table))
	for i, v := range Table {
		m[v.Name] = i
	}
	return m
}()

// Lookup returns the table's row for a variable.
func Lookup(name string) (Var, bool) {
	i, ok := byName[name]
	if !ok {
		return Var{}, false
	}
	return Table[i], true
}

// Read reads a variable's text as Claude Code does; a variable not in the
// table is taken as written.
func Read(name, raw string) Reading {
	v, ok := Lookup(name)
	if !ok {
		v = Var{Name: name}
	}
	return v.Read(raw)
}

// Variables lists, in the order `config show` prints them, the variables
// that matter (the table's rows but the providers').
var Variables = func() []string {
	var out []string
	for _, v := range Table {
		if !v.Provider {
			out = append(out, v.Name)
		}
	}
	return out
}()

// Defaults are Claude Code's values for unset variables, for `config show`.
var Defaults = func() map[string]string {
	m := map[string]string{}
	for _, v := range Table {
		if v.Default != "" {
			m[v.Name] = v.Default
		}
	}
	return m
}()

// IsSecret reports whether the variable holds a credential.
func IsSecret(name string) bool {
	v, ok := Lookup(name)
	return ok && v.Secret
}

// JavaScript's timers hold 2147483647 ms at most (MaxAPITimeoutMS).
const maxTimer = MaxAPITimeoutMS

func readText(v Var, raw string) Reading {
	r := Reading{Name: v.Name, Raw: raw, Effective: raw}
	if raw == "" {
		r.Effective, r.Defaulted = v.Default, true
	}
	return r
}

func readSecret(v Var, raw string) Reading {
	r := readText(v, raw)
	if strings.ContainsAny(raw, "\r\n") {
		r.Problem = Problem{Text{EN: fmt.Sprintf("%s holds a line break: Claude Code sends it in a header as written and the request fails (\"Invalid header value\"); remove the line break.", v.Name),
			ZH: fmt.Sprintf("%s 含有换行：Claude Code 会原样放进请求头，请求会失败（“Invalid header value”）；请删除换行。", v.Name)}}
	}
	return r
}

func readProxy(v Var, raw string) Reading {
	r := readText(v, raw)
	if strings.TrimSpace(raw) == "" { // no proxy (the proxy check says so too)
		return r
	}
	r.Problem, _ = proxyProblem(v.Name, raw)
	return r
}

// proxyProblem is what Claude Code does with a proxy address it cannot use
// (ParseProxyURL's rules), in both languages, the password hidden; name
// starts the sentence when given. socks is set for a SOCKS proxy.
func proxyProblem(name, raw string) (p Problem, socks bool) {
	_, err := ParseProxyURL(raw)
	if err == nil {
		return Problem{}, false
	}
	shown := RedactProxyURL(raw)
	pre, preZH := "", ""
	if name != "" {
		pre, preZH = name+": ", name+"："
	}
	reason := Text{EN: err.Error(), ZH: err.Error()}
	var pe *ProxyURLError
	if errors.As(err, &pe) {
		reason = pe.Reason
	}
	switch {
	case errors.Is(err, ErrProxySOCKS):
		return Problem{Text{EN: pre + ErrSocksProxy.Error(),
			ZH: preZH + "Claude Code 只支持 HTTP 和 HTTPS 代理，不支持 SOCKS（会报 UnsupportedProxyProtocol）；请改用代理的 HTTP 端口，或在本地用一个 HTTP 转 SOCKS 的程序。"}}, true
	case pe != nil && !pe.Unparsable:
		return Problem{Text{EN: fmt.Sprintf("%s%q cannot be used as a proxy: %s; Claude Code's requests through it fail.", pre, shown, reason.EN),
			ZH: fmt.Sprintf("%s%q 不能用作代理：%s；Claude Code 经它发出的请求会失败。", preZH, shown, reason.ZH)}}, false
	}
	return Problem{Text{EN: fmt.Sprintf("%s%q is not a URL Claude Code can read (%s), so it refuses to start; write it like http://proxy.example.com:8080.", pre, shown, reason.EN),
		ZH: fmt.Sprintf("%s%q 不是 Claude Code 能读取的 URL（%s），它会因此无法启动；请写成 http://proxy.example.com:8080 这样。", preZH, shown, reason.ZH)}}, false
}

// readNoProxy reads NO_PROXY: the list as written (Claude Code's default is
// none); an entry that can match no host as written (quotes, an invisible
// character, a character host names do not have) is a Problem, since
// Claude Code then still sends through the proxy what it was meant to
// exempt. Entries are split as NoProxyMatches splits them.
func readNoProxy(v Var, raw string) Reading {
	r := readText(v, raw)
	for _, e := range noProxyEntries(raw) {
		why := noProxyFault(e)
		if why.EN == "" {
			continue
		}
		r.Problem = Problem{Text{EN: fmt.Sprintf("%s entry %q can match no host as written (%s): Claude Code still sends the requests it was meant to exempt through the proxy.", v.Name, e, why.EN),
			ZH: fmt.Sprintf("%s 中的条目 %q 按原样写法匹配不到任何主机（%s）：Claude Code 仍会让本应豁免的请求经过代理。", v.Name, e, why.ZH)}}
		break
	}
	return r
}

// noProxyFault says why a NO_PROXY entry can match no host, or nothing.
func noProxyFault(e string) Text {
	switch {
	case strings.ContainsAny(e, "\"'"):
		return Text{EN: "the quotes are part of it", ZH: "引号也是它的一部分"}
	case strings.ContainsFunc(e, func(c rune) bool { return !unicode.IsPrint(c) }):
		return Text{EN: "it holds an invisible character, such as a byte order mark", ZH: "它含有不可见字符，例如 BOM"}
	case strings.ContainsFunc(e, func(c rune) bool {
		return c > unicode.MaxASCII || !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".-_*:[]/%", c))
	}):
		return Text{EN: "it holds a character host names do not have", ZH: "它含有主机名中不会出现的字符"}
	}
	return Text{}
}

// readBaseURL reads ANTHROPIC_BASE_URL: unset, https://api.anthropic.com;
// else ParseBaseURL's rules (white space around is trimmed). A URL Claude
// Code can use but whose path, query or fragment breaks the path it adds
// has URL set and the Problem BaseURLPathIssue says.
func readBaseURL(v Var, raw string) Reading {
	r := readText(v, raw)
	text := raw
	if strings.TrimSpace(text) == "" {
		text, r.Defaulted = DefaultBaseURL, true
	}
	r.Effective = strings.TrimSpace(text)
	u, err := ParseBaseURL(text)
	if err != nil {
		shown := RedactProxyURL(strings.TrimSpace(text))
		zh := err.Error()
		var be *BaseURLError
		if errors.As(err, &be) {
			zh = be.Text.ZH
		}
		r.Problem = Problem{Text{EN: fmt.Sprintf("ANTHROPIC_BASE_URL %q is not a usable URL: %v; Claude Code answers \"API Error: Invalid URL\".", shown, err),
			ZH: fmt.Sprintf("ANTHROPIC_BASE_URL %q 不是可用的 URL：%s；Claude Code 会报 “API Error: Invalid URL”。", shown, zh)}}
		return r
	}
	r.URL = u
	if t, ok := BaseURLPathIssue(u, text); ok { // the check holds it until the network says (BASE_URL_PATH)
		r.Problem = Problem{t}
	}
	return r
}

// number reads a numeric variable's text (readNumber) and fills Reading
// for the two cases every numeric variable shares: unset or not a number
// (Claude Code's default, with a Problem for the latter), and digits
// followed by something Claude Code drops (the number, with a Problem).
// ok is false when the first case ended the reading.
func number(v Var, raw string) (r Reading, n float64, ok bool) {
	r = Reading{Name: v.Name, Raw: raw}
	def, _ := strconv.ParseInt(v.Default, 10, 64)
	useDefault := func() { r.Number, r.Effective, r.Defaulted = def, v.Default, true }
	if raw == "" {
		useDefault()
		return r, 0, false
	}
	nr := readNumber(raw)
	if !nr.ok {
		useDefault()
		why, whyZH := "", ""
		switch {
		case nr.quoted:
			why, whyZH = " (the quotes are part of the value: remove them)", "（引号也是值的一部分：请去掉引号）"
		case nr.foreign:
			why, whyZH = " (it reads only the digits 0-9)", "（它只认 0-9 这几个数字）"
		}
		r.Problem = Problem{Text{EN: fmt.Sprintf("Claude Code cannot read %s=%q as a number%s, so it ignores it and uses its default, %s.", v.Name, raw, why, amount(v, def).EN),
			ZH: fmt.Sprintf("Claude Code 无法把 %s=%q 读成数字%s，因此忽略它，使用默认值 %s。", v.Name, raw, whyZH, amount(v, def).ZH)}}
		return r, 0, false
	}
	if nr.dropped != "" {
		shown := clampInt(nr.n)
		hint, hintZH := "", ""
		if v.Kind == ValueMillis {
			hint, hintZH = " Write milliseconds only, e.g. 600000 for 10 minutes.", "请只写毫秒数，例如 10 分钟写 600000。"
			if d, err := time.ParseDuration(jsTrim(raw)); err == nil && d > 0 && d%time.Millisecond == 0 {
				hint, hintZH = fmt.Sprintf(" Write milliseconds only: %d for %s.", d.Milliseconds(), d), fmt.Sprintf("请只写毫秒数：%s 写 %d。", d, d.Milliseconds())
			}
		}
		r.Problem = Problem{Text{EN: fmt.Sprintf("Claude Code reads %s=%q as %s: it takes the digits at the start and ignores %q.%s", v.Name, raw, amount(v, shown).EN, nr.dropped, hint),
			ZH: fmt.Sprintf("Claude Code 把 %s=%q 读成 %s：它只取开头的数字，忽略 %q。%s", v.Name, raw, amount(v, shown).ZH, nr.dropped, hintZH)}}
	}
	return r, nr.n, true
}

// set puts n in the reading; a Problem already there (digits dropped) stays
// unless p is given.
func (r *Reading) set(n int64, p Problem) {
	r.Number, r.Effective = n, strconv.FormatInt(n, 10)
	if !p.None() {
		r.Problem = p
	}
}

// amount says n in the variable's unit: "2000 ms (2s)", "10 retries".
func amount(v Var, n int64) Text {
	if v.Kind == ValueCount {
		return Text{EN: fmt.Sprintf("%d", n), ZH: fmt.Sprintf("%d", n)}
	}
	d := time.Duration(n) * time.Millisecond
	if n >= 1000 && n <= maxTimer {
		return Text{EN: fmt.Sprintf("%d ms (%s)", n, d), ZH: fmt.Sprintf("%d 毫秒（%s）", n, d)}
	}
	return Text{EN: fmt.Sprintf("%d ms", n), ZH: fmt.Sprintf("%d 毫秒", n)}
}

func clampInt(f float64) int64 { return int64(min(max(f, -1e15), 1e15)) }

// readAPITimeout: int(), then `timeout: n ?? 600000`, `n > 0 ? n : 2147483647`
// (its API client; measured: "0" and "-5" answered after 3 s, no timeout).
// Above 2147483647 see timerOverflow.
func readAPITimeout(v Var, raw string) Reading {
	r, f, ok := number(v, raw)
	if !ok {
		return r
	}
	n := clampInt(f)
	switch {
	case n <= 0:
		r.set(maxTimer, Problem{Text{EN: fmt.Sprintf("Claude Code reads %s=%q as no limit: it waits up to %d ms (about 24.8 days) for an answer.", v.Name, raw, int64(maxTimer)),
			ZH: fmt.Sprintf("Claude Code 把 %s=%q 当作不限时：最多等待 %d 毫秒（约 24.8 天）。", v.Name, raw, int64(maxTimer))}})
	case n > maxTimer:
		r.set(timerOverflow(v, raw, n))
	default:
		r.set(n, Problem{})
	}
	return r
}

// timerOverflow is what Claude Code does with more than 2147483647 ms, a
// JavaScript timer's limit: measured with API_TIMEOUT_MS=2147483648 and
// 99999999999, it did not time out (answered after 3 s, as with no limit).
// The same is assumed for the shell timeouts, read the same way.
func timerOverflow(v Var, raw string, n int64) (int64, Problem) {
	return maxTimer, Problem{Text{EN: fmt.Sprintf("%s=%q is above %d ms, a JavaScript timer's limit: Claude Code reads it as no limit; write at most %d.", v.Name, raw, int64(maxTimer), int64(maxTimer)),
		ZH: fmt.Sprintf("%s=%q 超过 JavaScript 定时器的上限 %d 毫秒：Claude Code 把它当作不限时；请写不超过 %d 的值。", v.Name, raw, int64(maxTimer), int64(maxTimer))}}
}

// readMaxRetries: int(), then `n >= 0 ? (n > 15 ? 15 : n) : 10` (15 with a
// warning in its debug log).
func readMaxRetries(v Var, raw string) Reading {
	r, f, ok := number(v, raw)
	if !ok {
		return r
	}
	n := clampInt(f)
	switch {
	case n < 0:
		r.Problem = Problem{Text{EN: fmt.Sprintf("Claude Code ignores %s=%q, a negative number, and retries %s times, its default.", v.Name, raw, v.Default),
			ZH: fmt.Sprintf("Claude Code 忽略负数 %s=%q，按默认值重试 %s 次。", v.Name, raw, v.Default)}}
		r.Number, r.Effective, r.Defaulted = 10, v.Default, true
	case n > 15:
		r.set(15, Problem{Text{EN: fmt.Sprintf("Claude Code caps %s=%q at 15 retries.", v.Name, raw), ZH: fmt.Sprintf("Claude Code 把 %s=%q 限制为最多 15 次重试。", v.Name, raw)}})
	default:
		r.set(n, Problem{})
	}
	return r
}

// readBashTimeout (BASH_DEFAULT_TIMEOUT_MS, BASH_MAX_TIMEOUT_MS): `if (text)
// { n = ug(text); if (!isNaN(n) && n > 0) return n }; return default`. (The
// maximum is then raised to the default timeout when below it; the Reading
// is of the one variable.)
func readBashTimeout(v Var, raw string) Reading {
	r, f, ok := number(v, raw)
	if !ok {
		return r
	}
	n := clampInt(f)
	switch {
	case n <= 0:
		def, _ := strconv.ParseInt(v.Default, 10, 64)
		r.Problem = Problem{Text{EN: fmt.Sprintf("Claude Code ignores %s=%q (it must be above 0) and uses its default, %s.", v.Name, raw, amount(v, def).EN),
			ZH: fmt.Sprintf("Claude Code 忽略 %s=%q（必须大于 0），使用默认值 %s。", v.Name, raw, amount(v, def).ZH)}}
		r.Number, r.Effective, r.Defaulted = def, v.Default, true
	case n > maxTimer:
		r.set(timerOverflow(v, raw, n))
	default:
		r.set(n, Problem{})
	}
	return r
}

// readMCPTimeout: int(), then `n && n > 0 ? Math.min(n, 2147483647) : 30000`.
func readMCPTimeout(v Var, raw string) Reading {
	r, f, ok := number(v, raw)
	if !ok {
		return r
	}
	n := clampInt(f)
	switch {
	case n <= 0:
		r.Problem = Problem{Text{EN: fmt.Sprintf("Claude Code ignores %s=%q (it must be above 0) and uses its default, %s.", v.Name, raw, amount(v, 30000).EN),
			ZH: fmt.Sprintf("Claude Code 忽略 %s=%q（必须大于 0），使用默认值 %s。", v.Name, raw, amount(v, 30000).ZH)}}
		r.Number, r.Effective, r.Defaulted = 30000, v.Default, true
	case n > maxTimer:
		r.set(maxTimer, capped(v, raw))
	default:
		r.set(n, Problem{})
	}
	return r
}

// readMCPToolTimeout: int({min: 1}) (below 1 ignored), then
// `Math.min(Math.max(n ?? 1e8, 1000), 2147483647)` (a server's own timeout
// of 1000 or more wins; HTTP servers are raised to 60000 at least).
func readMCPToolTimeout(v Var, raw string) Reading {
	r, f, ok := number(v, raw)
	if !ok {
		return r
	}
	n := clampInt(f)
	switch {
	case n < 1:
		r.Problem = Problem{Text{EN: fmt.Sprintf("Claude Code ignores %s=%q (it must be 1 or more) and uses its default, %s.", v.Name, raw, amount(v, 1e8).EN),
			ZH: fmt.Sprintf("Claude Code 忽略 %s=%q（必须至少为 1），使用默认值 %s。", v.Name, raw, amount(v, 1e8).ZH)}}
		r.Number, r.Effective, r.Defaulted = 1e8, v.Default, true
	case n < 1000:
		r.set(1000, Problem{Text{EN: fmt.Sprintf("Claude Code raises %s=%q to 1000 ms, the least it allows.", v.Name, raw),
			ZH: fmt.Sprintf("Claude Code 把 %s=%q 提高到它允许的最小值 1000 毫秒。", v.Name, raw)}})
	case n > maxTimer:
		r.set(maxTimer, capped(v, raw))
	default:
		r.set(n, Problem{})
	}
	return r
}

func capped(v Var, raw string) Problem {
	return Problem{Text{EN: fmt.Sprintf("Claude Code caps %s=%q at %d ms (about 24.8 days), a JavaScript timer's limit.", v.Name, raw, int64(maxTimer)),
		ZH: fmt.Sprintf("Claude Code 把 %s=%q 限制为 JavaScript 定时器的上限 %d 毫秒（约 24.8 天）。", v.Name, raw, int64(maxTimer))}}
}

// ErrOutOfRange is a value Claude Code would reject or misread.
var ErrOutOfRange = errors.New("value out of range")

// The variables of Claude Code's environment that Claude Medic reads, shows or tunes.
const (
	VarBaseURL        = "ANTHROPIC_BASE_URL"
	VarAPIKey         = "ANTHROPIC_API_KEY"
	VarAuthToken      = "ANTHROPIC_AUTH_TOKEN"
	VarHTTPSProxy     = "HTTPS_PROXY"
	VarHTTPProxy      = "HTTP_PROXY"
	VarAllProxy       = "ALL_PROXY"
	VarNoProxy        = "NO_PROXY"
	VarExtraCACerts   = "NODE_EXTRA_CA_CERTS"
	VarAPITimeout     = "API_TIMEOUT_MS"
	VarMaxRetries     = "CLAUDE_CODE_MAX_RETRIES"
	VarBashTimeout    = "BASH_DEFAULT_TIMEOUT_MS"
	VarBashMaxTimeout = "BASH_MAX_TIMEOUT_MS"
	VarMCPTimeout     = "MCP_TIMEOUT"
	VarMCPToolTimeout = "MCP_TOOL_TIMEOUT"
	VarNoNonessential = "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"
	VarConfigDir      = "CLAUDE_CONFIG_DIR"
	VarModel          = "ANTHROPIC_MODEL"
	VarDisableBetas   = "CLAUDE_CODE_DISABLE_EXPERIMENTAL_BETAS"
	VarCertStore      = "CLAUDE_CODE_CERT_STORE"
	VarNodeOptions    = "NODE_OPTIONS"
	KeyAPIKeyHelper   = "apiKeyHelper" // a top-level settings key, not a variable
	EnvKey            = "env"
)

// ProxyVars are the variables Claude Code takes its proxy from, the first
// set winning: lower case before upper case, https before http, then
// all_proxy (each order measured with Claude Code 2.1.330, which also uses
// http_proxy for its https:// requests).
var ProxyVars = []string{ProxyVar, VarHTTPSProxy, "http_proxy", VarHTTPProxy, "all_proxy", VarAllProxy}

// ProxyVar is the variable a proxy is saved in (ProxyEdits): https_proxy,
// the first of ProxyVars, so the saved proxy is the one Claude Code reads.
const ProxyVar = "https_proxy"

// NoProxyVars are the variables Claude Code takes NO_PROXY from: no_proxy
// when it is set, else NO_PROXY (measured: the two are not merged).
var NoProxyVars = []string{"no_proxy", VarNoProxy}

// CheckValue checks the value of an environment variable as Claude Code
// reads it (the table's Read): an error when Claude Code would not read it
// as written, saying what it will do. An empty value (which unsets the
// variable) is always fine. The error wraps ErrOutOfRange and never holds a
// credential.
func CheckValue(name, value string) error {
	if value == "" {
		return nil
	}
	v, ok := Lookup(name)
	if !ok {
		v, ok = Lookup(strings.ToUpper(name))
	}
	if ok && v.Kind == ValueProxyURL {
		if p, socks := proxyProblem(name, value); !p.None() {
			return proxyError(p, socks)
		}
		return nil
	}
	return Read(name, value).Problem.Err()
}

func proxyError(p Problem, socks bool) error {
	if socks {
		return &problemError{p: p, also: ErrSocksProxy}
	}
	return &problemError{p: p}
}

// ErrSocksProxy is a socks:// proxy: Claude Code supports HTTP and HTTPS proxies only.
var ErrSocksProxy = errors.New("Claude Code supports HTTP and HTTPS proxies only, not SOCKS (it fails with UnsupportedProxyProtocol); use the proxy's HTTP port, or a local HTTP-to-SOCKS bridge")

// CheckProxyURL checks a proxy address the way Claude Code reads it
// (claudesettings.ParseProxyURL: a complete http:// or https:// URL with a host;
// basic auth in it is fine, percent-encoded). The error never holds the
// password.
func CheckProxyURL(raw string) error {
	if p, socks := proxyProblem("", raw); !p.None() {
		return proxyError(p, socks)
	}
	return nil
}

// DisplayValue is a variable's value as Claude Medic shows it: a credential
// masked, a proxy's password hidden.
func DisplayValue(name, value string) string {
	switch {
	case value == "":
		return ""
	case IsSecret(name):
		return MaskKey(value)
	case strings.HasSuffix(strings.ToUpper(name), "_PROXY") && strings.ToUpper(name) != VarNoProxy, name == VarBaseURL:
		return RedactProxyURL(value)
	}
	return value
}

// DisplayChange is both sides of a change to the variable name, each shown
// as DisplayValue shows it ("" for a side where it is not set).
func DisplayChange(name, old, new string) (shownOld, shownNew string) {
	return DisplayValue(name, old), DisplayValue(name, new)
}

// The variables of the cloud providers that Claude Medic reads.
const (
	VarUseBedrock        = "CLAUDE_CODE_USE_BEDROCK"
	VarUseVertex         = "CLAUDE_CODE_USE_VERTEX"
	VarUseFoundry        = "CLAUDE_CODE_USE_FOUNDRY"
	VarBedrockBaseURL    = "ANTHROPIC_BEDROCK_BASE_URL"
	VarVertexBaseURL     = "ANTHROPIC_VERTEX_BASE_URL"
	VarFoundryBaseURL    = "ANTHROPIC_FOUNDRY_BASE_URL"
	VarFoundryResource   = "ANTHROPIC_FOUNDRY_RESOURCE"
	VarFoundryAPIKey     = "ANTHROPIC_FOUNDRY_API_KEY"
	VarAWSRegion         = "AWS_REGION"
	VarAWSDefaultRegion  = "AWS_DEFAULT_REGION"
	VarAWSProfile        = "AWS_PROFILE"
	VarAWSBearerToken    = "AWS_BEARER_TOKEN_BEDROCK"
	VarCloudMLRegion     = "CLOUD_ML_REGION"
	VarVertexProjectID   = "ANTHROPIC_VERTEX_PROJECT_ID"
	VarGoogleCredentials = "GOOGLE_APPLICATION_CREDENTIALS"
	VarSkipBedrockAuth   = "CLAUDE_CODE_SKIP_BEDROCK_AUTH"
	VarSkipVertexAuth    = "CLAUDE_CODE_SKIP_VERTEX_AUTH"
	VarSkipFoundryAuth   = "CLAUDE_CODE_SKIP_FOUNDRY_AUTH"
)

// MaxAPITimeoutMS is the largest API_TIMEOUT_MS Claude Code accepts: a
// JavaScript timer's limit, above which the timer fires at once. The same
// bound holds for every timeout Claude Code reads in milliseconds; it is the
// one constant the checks, the settings editor and the window use.
const MaxAPITimeoutMS = 2147483647

// VarOAuthToken is the long-lived claude.ai token `claude setup-token` makes.
const VarOAuthToken = "CLAUDE_CODE_OAUTH_TOKEN"

// VarSecureStorageDir moves Claude Code's saved login away from its config folder.
const VarSecureStorageDir = "CLAUDE_SECURESTORAGE_CONFIG_DIR"
