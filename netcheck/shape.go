package netcheck

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"claudemedic/claudesettings"
)

// Shape is the request Claude Code makes, as the checks copy it: its
// version, parameters and the structure of its system prompt and messages,
// never their text. It comes from the newest transcript of the installed
// Claude Code (doctor builds it with claudetranscript) or is the built-in
// copy of Claude Code 2.1.332's (BuiltinShape).
type Shape struct {
	From    string // ShapeTranscript or ShapeBuiltin
	Version string // the Claude Code release that made the request
	Model   string // the model it sent; "" leaves the choice to ModelFor
	// Betas is the anthropic-beta list it sent to POST /v1/messages; nil
	// means the built-in list for the credential.
	Betas                                     []string
	Thinking, ContextManagement, OutputConfig json.RawMessage
	System                                    []ShapeBlock // after the billing block Claude Code puts first
	Tools                                     []string     // the tools' names
	Messages                                  []ShapeMessage
}

// Where a Shape came from.
const (
	ShapeTranscript = "transcript"
	ShapeBuiltin    = "built-in"
)

// ShapeBlock is one text block: its length and what marks it.
type ShapeBlock struct {
	Len            int  // runes of the text
	SystemReminder bool // the text is a <system-reminder> block
	Cached         bool // it carries cache_control {"type":"ephemeral"}
}

// ShapeMessage is one message of the request: its role and blocks.
type ShapeMessage struct {
	Role          string // user, assistant or system (Claude Code 2.1.33x sends a system role inside messages)
	StringContent bool   // the content is a plain string, not blocks
	Blocks        []ShapeBlock
	OutputConfig  json.RawMessage // the per-message output_config Claude Code 2.1.332 puts on the system message
}

// RequestFrom is the report's request_from: "built-in 2.1.332", "transcript 2.1.332".
func (s Shape) RequestFrom() string { return strings.TrimSpace(s.From + " " + s.Version) }

// HasSystemMessage reports whether a system-role message is inside messages.
func (s Shape) HasSystemMessage() bool {
	for _, m := range s.Messages {
		if m.Role == "system" {
			return true
		}
	}
	return false
}

// BuiltinShape is Claude Code 2.1.332's request to POST /v1/messages as
// `claude -p` sent it to a logging fake (measured; the texts' lengths are
// those of that run).
func BuiltinShape() Shape {
	return Shape{
		From: ShapeBuiltin, Version: ClaudeCodeVersion,
		Betas:             messagesBetas,
		Thinking:          json.RawMessage(`{"type":"adaptive","display":"omitted"}`),
		ContextManagement: json.RawMessage(`{"edits":[{"type":"clear_thinking_20251015","keep":"all"}]}`),
		OutputConfig:      json.RawMessage(`{"effort":"medium"}`),
		System:            []ShapeBlock{{Len: 62, Cached: true}, {Len: 7022, Cached: true}},
		Tools: []string{"Agent", "Bash", "Edit", "ListAgents", "Read", "ReportFindings", "ScheduleWakeup", "Skill",
			"ToolSearch", "Workflow", "DeferredToolPlaceholder", "Write"},
		Messages: []ShapeMessage{
			{Role: "user", Blocks: []ShapeBlock{{Len: 580, SystemReminder: true}, {Len: 2}}},
			{Role: "system", Blocks: []ShapeBlock{{Len: 9197, Cached: true}}, OutputConfig: json.RawMessage(`{"effort":"medium"}`)},
		},
	}
}

// AgentSDKSystemPrompt is the first block of `claude -p`'s system prompt
// after the billing block (2.1.332, measured); an interactive session's is
// ClaudeCodeSystemPrompt.
const AgentSDKSystemPrompt = "You are a Claude agent, built on Anthropic's Claude Agent SDK."

// billingSuffix is the short hash Claude Code 2.1.332 put after its version
// in the billing block of `claude -p hi` (measured).
const billingSuffix = ".18b"

func (s Shape) version() string {
	if s.Version == "" {
		return ClaudeCodeVersion
	}
	return s.Version
}

// userAgent is the user agent of the Claude Code that made the request.
func (s Shape) userAgent() string {
	return "claude-cli/" + s.version() + " (external, " + entrypoint + ")"
}

// billingBlock is the first system block Claude Code sends.
func (s Shape) billingBlock() string {
	v := s.version()
	if v == ClaudeCodeVersion {
		v += billingSuffix
	}
	return "x-anthropic-billing-header: cc_version=" + v + "; cc_entrypoint=" + entrypoint + ";"
}

// Compact sizes: the always-on request keeps Claude Code's structure with
// short texts and no tools, at most about 200 input tokens.
const (
	compactText     = 48 // the most runes of one text block
	compactMessages = 2  // the first messages (user, then system)
	fullText        = 200_000
	toolDescription = 2600 // runes of a tool's description in the full shape (2.1.332's average, measured)
)

// neutral is n runes of text that says nothing of anyone's conversation.
func neutral(n int) string {
	const s = "This is a connection check by Claude Medic. "
	n = max(n, 1)
	return strings.Repeat(s, n/len(s)+1)[:n]
}

// blockText is a block's neutral text, at most limit runes.
func blockText(b ShapeBlock, limit int) string {
	n := min(b.Len, limit)
	if b.SystemReminder {
		return "<system-reminder>\n" + neutral(max(n-40, 1)) + "\n</system-reminder>"
	}
	return neutral(n)
}

type textBlock struct {
	Type         string          `json:"type"`
	Text         string          `json:"text"`
	CacheControl json.RawMessage `json:"cache_control,omitempty"`
}

var ephemeral = json.RawMessage(`{"type":"ephemeral"}`)

func blocks(bs []ShapeBlock, limit int, last string) []textBlock {
	out := make([]textBlock, 0, len(bs))
	for i, b := range bs {
		t := textBlock{Type: "text", Text: blockText(b, limit)}
		if last != "" && i == len(bs)-1 && !b.SystemReminder {
			t.Text = last
		}
		if b.Cached {
			t.CacheControl = ephemeral
		}
		out = append(out, t)
	}
	return out
}

// messages are the shape's messages with neutral texts: the first two
// (user, then system) in the compact request; every message of a known role
// in the full one. noSystem drops the system-role ones.
type wireMessage struct {
	Role         string          `json:"role"`
	Content      any             `json:"content"`
	OutputConfig json.RawMessage `json:"output_config,omitempty"`
}

func (s Shape) messages(full, noSystem bool) []wireMessage {
	limit := compactText
	if full {
		limit = fullText
	}
	var out []wireMessage
	for _, m := range s.Messages {
		if !full && len(out) == compactMessages {
			break
		}
		if m.Role == "" || noSystem && m.Role == "system" {
			continue
		}
		last := ""
		if m.Role == "user" {
			last = "hi"
		}
		msg := wireMessage{Role: m.Role, OutputConfig: m.OutputConfig}
		switch bs := blocks(m.Blocks, limit, last); {
		case m.StringContent || len(bs) == 0:
			n := 0
			for _, b := range m.Blocks {
				n += b.Len
			}
			msg.Content = neutral(min(max(n, 2), limit))
		default:
			msg.Content = bs
		}
		out = append(out, msg)
	}
	if len(out) == 0 || out[0].Role != "user" {
		out = append([]wireMessage{{Role: "user", Content: []textBlock{{Type: "text", Text: "hi"}}}}, out...)
	}
	return out
}

// body is the request's JSON: Claude Code's keys in its order, max_tokens 1.
func (s Shape) body(model, session string, stream, full, noSystem bool) []byte {
	if s.Model != "" && model == "" {
		model = s.Model
	}
	limit := compactText
	if full {
		limit = fullText
	}
	system := []textBlock{{Type: "text", Text: s.billingBlock()}}
	for i, b := range s.System {
		t := textBlock{Type: "text", Text: blockText(b, limit)}
		if i == 0 {
			t.Text = AgentSDKSystemPrompt
		}
		if b.Cached {
			t.CacheControl = ephemeral
		}
		system = append(system, t)
	}
	type tool struct {
		Name        string          `json:"name"`
		Description string          `json:"description"`
		InputSchema json.RawMessage `json:"input_schema"`
	}
	var tools []tool
	if full {
		for _, n := range s.Tools {
			tools = append(tools, tool{n, neutral(toolDescription), json.RawMessage(`{"type":"object","properties":{}}`)})
		}
	}
	userID, _ := json.Marshal(struct {
		DeviceID    string `json:"device_id"`
		AccountUUID string `json:"account_uuid"`
		SessionID   string `json:"session_id"`
	}{randomHex(32), "", session})
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // as JSON.stringify writes it: <system-reminder>, not \u003c
	enc.Encode(struct {
		Model             string            `json:"model"`
		Messages          []wireMessage     `json:"messages"`
		System            []textBlock       `json:"system"`
		Tools             []tool            `json:"tools,omitempty"`
		Metadata          map[string]string `json:"metadata"`
		MaxTokens         int               `json:"max_tokens"`
		Thinking          json.RawMessage   `json:"thinking,omitempty"`
		ContextManagement json.RawMessage   `json:"context_management,omitempty"`
		OutputConfig      json.RawMessage   `json:"output_config,omitempty"`
		Stream            bool              `json:"stream,omitempty"`
	}{model, s.messages(full, noSystem), system, tools, map[string]string{"user_id": string(userID)}, 1,
		s.Thinking, s.ContextManagement, s.OutputConfig, stream})
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// RequestTokens estimates the input tokens of the generating request: the
// compact one the default check sends, or the full shape of check --full.
// Texts and tool definitions count about four characters a token, each
// block and message a few more (the metadata and parameters count none).
func (s Shape) RequestTokens(full bool) int {
	if s.From == "" {
		s = BuiltinShape()
	}
	var b struct {
		Messages []struct {
			Content json.RawMessage `json:"content"`
		} `json:"messages"`
		System []textBlock     `json:"system"`
		Tools  json.RawMessage `json:"tools"`
	}
	json.Unmarshal(s.body(DefaultModel, "", true, full, false), &b)
	chars, blocks := len(b.Tools), 0
	for _, t := range b.System {
		chars, blocks = chars+len(t.Text), blocks+1
	}
	for _, m := range b.Messages {
		var bs []textBlock
		if json.Unmarshal(m.Content, &bs) != nil {
			var str string
			json.Unmarshal(m.Content, &str)
			bs = []textBlock{{Text: str}}
		}
		for _, t := range bs {
			chars, blocks = chars+len(t.Text), blocks+1
		}
		blocks++
	}
	return (chars+3)/4 + 3*blocks
}

// DailyCost is what the periodic check costs a day at interval: the input
// tokens of one generating request and of all of a day's checks. Zero when
// the check sends none (the first-party API, answered by the free
// count_tokens, or the preference that turns it off).
func DailyCost(s Shape, interval time.Duration, generating bool) (perCheck, perDay int) {
	if !generating || interval <= 0 {
		return 0, 0
	}
	perCheck = s.RequestTokens(false) + 1 // and its one output token
	return perCheck, perCheck * int(24*time.Hour/interval)
}

// Generates reports whether the default check sends a generating request to
// baseURL: any host but the Claude API's own (where count_tokens is free and
// proves as much).
func Generates(baseURL string) bool {
	u := strings.TrimSpace(baseURL)
	if u == "" {
		return false
	}
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
	}
	host := u
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if i := strings.LastIndex(host, "@"); i >= 0 {
		host = host[i+1:]
	}
	if h, _, ok := strings.Cut(strings.Trim(host, "[]"), "]:"); ok {
		host = h
	} else if i := strings.LastIndex(host, ":"); i >= 0 && strings.Count(host, ":") == 1 {
		host = host[:i]
	}
	return !isAnthropicHost(host)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// Header is one header of ANTHROPIC_CUSTOM_HEADERS.
type Header struct{ Name, Value string }

// ParseCustomHeaders reads ANTHROPIC_CUSTOM_HEADERS as Claude Code 2.1.332
// does (measured): one "Name: value" a line, split at the first colon, both
// trimmed; a line without a colon is dropped; a later line of the same name
// (in any case) replaces an earlier one. A name that is empty or not an
// HTTP token stops Claude Code before it sends anything ("Invalid
// ANTHROPIC_CUSTOM_HEADERS", "API Error: Invalid header name: ”"): bad says
// which, and dropped the lines it ignores.
func ParseCustomHeaders(v string) (hs []Header, bad, dropped []string) {
	for i, line := range strings.Split(strings.ReplaceAll(v, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			dropped = append(dropped, fmt.Sprintf("line %d", i+1))
			continue
		}
		name, value = strings.TrimSpace(name), strings.TrimSpace(value)
		if !validHeaderName(name) {
			bad = append(bad, fmt.Sprintf("line %d (%s)", i+1, describeName(name)))
			continue
		}
		replaced := false
		for j := range hs {
			if strings.EqualFold(hs[j].Name, name) {
				hs[j], replaced = Header{name, value}, true
			}
		}
		if !replaced {
			hs = append(hs, Header{name, value})
		}
	}
	return hs, bad, dropped
}

func describeName(n string) string {
	switch {
	case n == "":
		return "an empty name"
	case !utf8.ValidString(n):
		return "a name that is not valid text"
	}
	return fmt.Sprintf("a name of %d characters with a space or a character a header name cannot have", utf8.RuneCountInString(n))
}

func validHeaderName(n string) bool {
	if n == "" {
		return false
	}
	for i := 0; i < len(n); i++ {
		c := n[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// readCustomHeaders reads ANTHROPIC_CUSTOM_HEADERS for the requests, and
// adds to the config check what Claude Code would make of it: a name it
// refuses (it sends nothing then) fails, a line it drops warns.
func (r *run) readCustomHeaders(cfg *config) {
	v := r.opts.CustomHeaders
	if strings.TrimSpace(v.Value) == "" {
		return
	}
	hs, bad, dropped := ParseCustomHeaders(v.Value)
	r.headers = hs
	where := "ANTHROPIC_CUSTOM_HEADERS"
	if v.Source != "" {
		where += " (" + string(v.Source) + ")"
	}
	var fs []Finding
	if len(bad) > 0 {
		fs = append(fs, newFinding(CustomHeadersInvalid, CheckConfig, claudesettings.Text{
			EN: fmt.Sprintf("%s has a header Claude Code refuses: %s. Claude Code stops before it sends any request (\"Invalid ANTHROPIC_CUSTOM_HEADERS\").", where, strings.Join(bad, ", ")),
			ZH: fmt.Sprintf("%s 中有 Claude Code 拒绝的请求头：%s。Claude Code 会在发出任何请求之前停下（“Invalid ANTHROPIC_CUSTOM_HEADERS”）。", where, strings.Join(bad, "，"))}))
	}
	if len(dropped) > 0 {
		f := newFinding(CustomHeadersInvalid, CheckConfig, claudesettings.Text{
			EN: fmt.Sprintf("%s: %s has no colon, so Claude Code ignores it (each line must be \"Name: value\").", where, strings.Join(dropped, ", ")),
			ZH: fmt.Sprintf("%s：%s 没有冒号，Claude Code 会忽略它（每行必须是 “Name: value”）。", where, strings.Join(dropped, "，"))})
		f.Severity = SeverityWarn
		fs = append(fs, f)
	}
	if len(fs) == 0 {
		return
	}
	if cfg.pending != nil {
		cfg.pending.findings = append(cfg.pending.findings, fs...)
		return
	}
	r.addLate(CheckConfig, fs...)
}

// addLate adds findings to a check that has already ended, raising its status.
func (r *run) addLate(id CheckID, fs ...Finding) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, ok := r.results[id]
	if r.sealed || !ok {
		return
	}
	for _, f := range fs {
		switch {
		case f.Severity == SeverityFail:
			res.Status = StatusFail
		case f.Severity == SeverityWarn && res.Status != StatusFail:
			res.Status = StatusWarn
		}
	}
	r.results[id] = res
	r.findings[id] = append(r.findings[id], fs...)
}
