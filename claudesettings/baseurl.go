package claudesettings

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"

	"golang.org/x/net/idna"
)

// BaseURLError is why ANTHROPIC_BASE_URL cannot be used at all, in both languages.
type BaseURLError struct{ Text Text }

func (e *BaseURLError) Error() string { return e.Text.EN }

func baseURLErr(en, zh string) error { return &BaseURLError{Text{en, zh}} }

// TrimBaseURL drops what Claude Code drops around ANTHROPIC_BASE_URL: white
// space, control characters, and a byte order mark (U+FEFF, which an editor
// may put at the start of a file the value was copied from: Claude Code
// 2.1.332 answered with it, scripts/differential.sh).
func TrimBaseURL(raw string) string {
	return strings.TrimFunc(raw, func(r rune) bool { return r <= ' ' || r == '\ufeff' })
}

// ParseBaseURL reads ANTHROPIC_BASE_URL as Claude Code does (a WHATWG URL
// parser), and is the one rule for it: claudecfg's value check calls it
// too. White space and control characters around the value are dropped, and
// tabs and line breaks inside it, as Claude Code drops them (measured). It
// fails, as Claude Code does ("API Error: Invalid URL"), when the value is
// not an absolute http or https URL with a valid host and port, holds
// another control character, or a space or another forbidden character in
// the host. A path (a space in it is sent as %20), a query string, a
// fragment or user info pass: Claude Code uses them, and CheckBaseURL says
// what they do.
func ParseBaseURL(raw string) (*url.URL, error) {
	s := TrimBaseURL(raw)
	s = strings.NewReplacer("\t", "", "\n", "", "\r", "").Replace(s)
	if i := strings.IndexFunc(s, func(r rune) bool { return r < ' ' || r == 0x7f }); i >= 0 {
		return nil, baseURLErr(fmt.Sprintf("it holds a control character at character %d", len([]rune(s[:i]))+1),
			fmt.Sprintf("第 %d 个字符是控制字符", len([]rune(s[:i]))+1))
	}
	u, err := url.Parse(s)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, baseURLErr(err.Error(), "无法解析（"+err.Error()+"）")
	}
	switch {
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, baseURLErr("the scheme must be https:// or http://", "必须以 https:// 或 http:// 开头")
	case u.Opaque != "" || u.Hostname() == "":
		return nil, baseURLErr("there is no host name", "没有主机名")
	}
	if h := u.Hostname(); net.ParseIP(h) == nil {
		ascii, err := hostProfile.ToASCII(h)
		if err != nil || strings.ContainsAny(ascii, " #%/:<>?@[\\]^|") {
			return nil, baseURLErr(fmt.Sprintf("the host name %q is not valid", h), fmt.Sprintf("主机名 %q 无效", h))
		}
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return nil, baseURLErr(fmt.Sprintf("port %q is not valid", p), fmt.Sprintf("端口 %q 无效", p))
		}
	}
	return u, nil
}

// hostProfile maps a host name as a WHATWG URL parser does (UTS #46,
// non-transitional, underscores allowed).
var hostProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.StrictDomainName(false), idna.Transitional(false))

// CheckBaseURL is ParseBaseURL's verdict on a value, and also fails when
// the base URL is usable but breaks Claude Code's request path: it ends in
// /v1 or /v1/messages, or carries a query string or a fragment (BASE_URL_PATH).
func CheckBaseURL(raw string) error {
	u, err := ParseBaseURL(raw)
	if err != nil {
		return err
	}
	if t, ok := BaseURLPathIssue(u, raw); ok {
		return &BaseURLError{t}
	}
	return nil
}

// baseURLPathIssue says how the base URL breaks the path Claude Code adds to
// it, measured with Claude Code 2.1.330: …/v1 makes it call /v1/v1/messages;
// a query string swallows the path (…?x=1/v1/messages); a fragment drops it
// (every request goes to the base URL itself).
func BaseURLPathIssue(u *url.URL, raw string) (Text, bool) {
	shown := u.Redacted()
	path := strings.TrimRight(u.Path, "/")
	switch {
	case u.RawQuery != "" || u.ForceQuery:
		return Text{fmt.Sprintf("ANTHROPIC_BASE_URL %s carries a query string: Claude Code appends /v1/messages after it, inside the query, so its requests go to %s with a garbled query and miss the API.", shown, nonEmpty(u.Path, "/")),
			fmt.Sprintf("ANTHROPIC_BASE_URL %s 带有查询字符串：Claude Code 会把 /v1/messages 接在它后面、落进查询参数里，于是请求发往 %s，查询参数错乱，到不了 API。", shown, nonEmpty(u.Path, "/"))}, true
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return Text{fmt.Sprintf("ANTHROPIC_BASE_URL %s carries a fragment (#…): everything Claude Code appends after it is dropped, so every request goes to %s instead of /v1/messages.", shown, nonEmpty(u.Path, "/")),
			fmt.Sprintf("ANTHROPIC_BASE_URL %s 带有片段（#…）：Claude Code 接在后面的路径都会被丢掉，于是所有请求都发往 %s，而不是 /v1/messages。", shown, nonEmpty(u.Path, "/"))}, true
	case strings.HasSuffix(path, "/v1") || strings.HasSuffix(path, "/v1/messages"):
		return Text{fmt.Sprintf("ANTHROPIC_BASE_URL %s ends in %s: Claude Code adds /v1/messages itself, so it calls %s/v1/messages.", shown, path[strings.LastIndex(path, "/v1"):], path),
			fmt.Sprintf("ANTHROPIC_BASE_URL %s 以 %s 结尾：Claude Code 会自己加上 /v1/messages，于是它请求的是 %s/v1/messages。", shown, path[strings.LastIndex(path, "/v1"):], path)}, true
	}
	return Text{}, false
}

func nonEmpty(s, or string) string {
	if s == "" {
		return or
	}
	return s
}
