package claudetranscript

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"slices"
	"strings"
	"time"
)

// Request is the structure of a request Claude Code sent, as its transcript
// tells it: Claude Code's own parameters, and of the messages only their
// structure. No text of the conversation or of Claude Code's prompts.
type Request struct {
	Time        time.Time
	Version     string
	Session     string
	Project     string
	QuerySource string // "sdk" for claude -p (measured); "repl_main_thread…", "agent:…", "compact", … (names from Claude Code's code)
	Model       string
	Betas       []string
	MaxTokens   int
	// Claude Code's own params, as it wrote them.
	Thinking, ContextManagement, OutputConfig json.RawMessage
	// System is the shape's system blocks; on the wire a billing block
	// ("x-anthropic-billing-header: …") comes before them.
	System   []Block
	Tools    []string // names only
	Messages []MessageShape
	// ShapeFound: System and Tools are known (their api-request-shape was found).
	ShapeFound bool
	// MessagesComplete: every message's role is known. A later turn refers to
	// messages Claude Code did not write as blobs; those have Role "".
	MessagesComplete bool
}

// Block is one content block, without its text.
type Block struct {
	Type           string          // "text", "tool_use", "tool_result", "image", …
	Len            int             // characters of a text block; 0 for others
	SystemReminder bool            // a text block that starts with <system-reminder>
	CacheControl   json.RawMessage `json:",omitempty"` // e.g. {"type":"ephemeral"}
}

// MessageShape is one message of a request, without its text.
type MessageShape struct {
	Role          string // "user", "assistant", "system"; "" unknown
	StringContent bool   // the content was a plain string (Blocks then has one text block)
	Blocks        []Block
	OutputConfig  json.RawMessage `json:",omitempty"` // per-message output_config (on 2.1.33x's system message)
}

// HasSystemMessage tells a message of role "system" inside messages: Claude
// Code 2.1.33x sends one; strict gateways refuse it (422).
func (r Request) HasSystemMessage() bool {
	return slices.ContainsFunc(r.Messages, func(m MessageShape) bool { return m.Role == "system" })
}

const (
	newestFiles    = 8         // transcripts looked into, newest first
	requestMaxLine = 16 << 20  // a shape with many tools can be large
	requestBudget  = 96 << 20  // bytes read from the end of one transcript
	shapeBudget    = 8 << 20   // bytes read from the start of another, for a shape
	totalBudget    = 256 << 20 // bytes read in all
	maxMessages    = 100000    // messages kept of one request
	chainBudget    = 2 << 20   // bytes read back to follow a request's chain
)

type requestEntry struct {
	head
	ID          flexStr         `json:"id"`
	QuerySource flexStr         `json:"querySource"`
	ShapeHash   flexStr         `json:"shapeHash"`
	Base        flexStr         `json:"base"`
	Keep        flexInt         `json:"keep"`
	Tail        []flexStr       `json:"tail"`
	Params      json.RawMessage `json:"params"`
	Cache       []struct {
		Path  []json.RawMessage `json:"path"`
		Value json.RawMessage   `json:"value"`
	} `json:"cacheControl"`
}

type params struct {
	Model             flexStr         `json:"model"`
	Betas             []flexStr       `json:"betas"`
	MaxTokens         flexInt         `json:"max_tokens"`
	Thinking          json.RawMessage `json:"thinking"`
	ContextManagement json.RawMessage `json:"context_management"`
	OutputConfig      json.RawMessage `json:"output_config"`
}

type rawBlock struct {
	Type         flexStr         `json:"type"`
	Text         *string         `json:"text"`
	CacheControl json.RawMessage `json:"cache_control"`
}

type rawMessage struct {
	Role         flexStr         `json:"role"`
	Content      json.RawMessage `json:"content"`
	OutputConfig json.RawMessage `json:"output_config"`
}

// shapeOf turns a message into its shape; its text is dropped here.
func shapeOf(m rawMessage) MessageShape {
	s := MessageShape{Role: string(m.Role), OutputConfig: compact(m.OutputConfig)}
	c := bytes.TrimSpace(m.Content)
	if len(c) == 0 {
		return s
	}
	var str string
	if c[0] == '"' && json.Unmarshal(c, &str) == nil {
		s.StringContent = true
		s.Blocks = []Block{textBlock(str, nil)}
		return s
	}
	var blocks []rawBlock
	if c[0] == '[' && json.Unmarshal(c, &blocks) == nil {
		for _, b := range blocks {
			s.Blocks = append(s.Blocks, blockOf(b))
		}
	}
	return s
}

func textBlock(text string, cc json.RawMessage) Block {
	return Block{
		Type:           "text",
		Len:            len([]rune(text)),
		SystemReminder: strings.HasPrefix(strings.TrimLeft(text, " \t\r\n"), "<system-reminder>"),
		CacheControl:   compact(cc),
	}
}

func blockOf(b rawBlock) Block {
	if b.Type == "text" && b.Text != nil {
		return textBlock(*b.Text, b.CacheControl)
	}
	return Block{Type: clean(string(b.Type)), CacheControl: compact(b.CacheControl)}
}

// compact keeps small JSON of Claude Code's own markup (cache_control,
// output_config, thinking…): null and anything large or odd is dropped.
func compact(raw json.RawMessage) json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) || len(raw) > 2048 || !json.Valid(raw) {
		return nil
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return nil
	}
	return json.RawMessage(Mask(buf.String()))
}

type shapeInfo struct {
	system []Block
	tools  []string
}

func parseShape(line []byte) (hash string, s shapeInfo, ok bool) {
	var e struct {
		Type      flexStr `json:"type"`
		ShapeHash flexStr `json:"shapeHash"`
		Shape     struct {
			System json.RawMessage `json:"system"`
			Tools  []struct {
				Name flexStr `json:"name"`
			} `json:"tools"`
		} `json:"shape"`
	}
	if json.Unmarshal(line, &e) != nil || e.Type != "api-request-shape" {
		return "", s, false
	}
	var str string
	if json.Unmarshal(e.Shape.System, &str) == nil {
		s.system = []Block{textBlock(str, nil)}
	} else {
		var blocks []rawBlock
		_ = json.Unmarshal(e.Shape.System, &blocks)
		for _, b := range blocks {
			s.system = append(s.system, blockOf(b))
		}
	}
	for _, t := range e.Shape.Tools {
		s.tools = append(s.tools, clean(string(t.Name)))
	}
	return string(e.ShapeHash), s, true
}

func parseBlob(line []byte) (hash string, m MessageShape, ok bool) {
	var e struct {
		Type    flexStr    `json:"type"`
		Hash    flexStr    `json:"hash"`
		Message rawMessage `json:"message"`
	}
	if json.Unmarshal(line, &e) != nil || e.Type != "api-request-blob" {
		return "", m, false
	}
	return string(e.Hash), shapeOf(e.Message), true
}

// quickField finds "name":"value" in line without decoding it: a hint only,
// for skipping lines (a value with escapes is not found).
func quickField(line []byte, prefix string) (string, bool) {
	i := bytes.Index(line, []byte(prefix))
	if i < 0 {
		return "", false
	}
	rest := line[i+len(prefix):]
	j := bytes.IndexByte(rest, '"')
	if j < 0 || bytes.IndexByte(rest[:j], '\\') >= 0 {
		return "", false
	}
	return string(rest[:j]), true
}

// mainSource tells the requests of the conversation itself from side requests
// (titles, summaries, memory, classifiers) and subagents.
func mainSource(qs string) bool {
	return qs == "" || qs == "sdk" || strings.HasPrefix(qs, "repl_main_thread")
}

var (
	markRequest = []byte(`"api-request`)
	markShape   = []byte(`"api-request-shape"`)
	markBlob    = []byte(`"api-request-blob"`)
)

// newestOnly returns a keep for listTranscripts that accepts a file only when it is
// among the n newest seen so far: it lets fewer than ln(files/n)·n+n through
// in a folder's random order, not all.
func newestOnly(n int) func(time.Time) bool {
	var top []time.Time // the n newest so far, oldest first
	return func(m time.Time) bool {
		if len(top) == n {
			if m.Before(top[0]) {
				return false
			}
			top = top[1:]
		}
		i, _ := slices.BinarySearchFunc(top, m, time.Time.Compare)
		top = slices.Insert(top, i, m)
		return true
	}
}

// NewestRequest finds the newest request Claude Code wrote down under
// projectsDir: the newest api-request of the conversation itself (a side request
// or a subagent's only when there is no other), with its shape and messages.
// It stats every transcript but reads only the newest few, from their end,
// within a byte budget. ok is false when no transcript has one (Claude Code
// before 2.1.33x writes none).
func NewestRequest(ctx context.Context, projectsDir string) (Request, bool, error) {
	list, err := listTranscripts(ctx, projectsDir, newestOnly(newestFiles))
	if err != nil {
		return Request{}, false, err
	}
	slices.SortFunc(list, func(a, b transcript) int { return b.info.ModTime().Compare(a.info.ModTime()) })
	list = list[:min(len(list), newestFiles)]
	budget := int64(totalBudget)
	var fallback *Request
	for _, t := range list {
		if err := ctx.Err(); err != nil {
			return Request{}, false, err
		}
		req, found, err := newestIn(ctx, t, list, &budget)
		if err != nil {
			if ctx.Err() != nil {
				return Request{}, false, ctx.Err()
			}
			continue
		}
		if found {
			if mainSource(req.QuerySource) {
				return req, true, nil
			}
			if fallback == nil {
				fallback = &req
			}
		}
		if budget <= 0 {
			break
		}
	}
	if fallback != nil {
		return *fallback, true, nil
	}
	return Request{}, false, nil
}

// newestIn reads t backwards for its newest request and what it refers to.
func newestIn(ctx context.Context, t transcript, others []transcript, budget *int64) (Request, bool, error) {
	f, err := os.Open(t.path)
	if err != nil {
		return Request{}, false, err
	}
	defer f.Close()
	fb := min(int64(requestBudget), *budget)
	br := newBackwardLines(f, t.info.Size(), requestMaxLine, fb)
	defer func() { *budget -= fb - br.budget }()

	var (
		target   *requestEntry // the request wanted
		sideReq  *requestEntry // the newest side request, if no main one comes
		requests = map[string]*requestEntry{}
		wantReq  = map[string]bool{}
		wantBlob = map[string]bool{}
		blobs    = map[string]MessageShape{}
		shape    *shapeInfo
	)
	want := func(r *requestEntry) {
		for _, h := range r.Tail {
			if _, ok := blobs[string(h)]; !ok {
				wantBlob[string(h)] = true
			}
		}
		if r.Base != "" {
			if _, ok := requests[string(r.Base)]; !ok {
				wantReq[string(r.Base)] = true
			}
		}
	}
	done := func() bool {
		return target != nil && shape != nil && len(wantReq) == 0 && len(wantBlob) == 0
	}
	chainCut := false
	for n := 0; !done(); n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return Request{}, false, ctx.Err()
		}
		if target != nil && len(wantReq) > 0 && fb-br.budget > chainBudget {
			// A long session: the rest of the chain is too far back. Its start
			// comes from the file's head below.
			chainCut = true
			break
		}
		line, long, ok, _, err := br.next()
		if err != nil {
			return Request{}, false, err
		}
		if !ok {
			break
		}
		if long || !bytes.Contains(line, markRequest) {
			continue
		}
		switch {
		case bytes.Contains(line, markShape):
			if target == nil || shape != nil {
				continue
			}
			if h, s, ok := parseShape(line); ok && h == string(target.ShapeHash) {
				shape = &s
			}
		case bytes.Contains(line, markBlob):
			if len(wantBlob) == 0 {
				continue
			}
			if h, found := quickField(line, `"hash":"`); found && !wantBlob[h] {
				continue
			}
			if h, m, ok := parseBlob(line); ok && wantBlob[h] {
				blobs[h] = m
				delete(wantBlob, h)
			}
		default:
			if target != nil {
				// Only the requests the chain names: decode just the chain's fields.
				if id, found := quickField(line, `"id":"`); found && !wantReq[id] || len(wantReq) == 0 {
					continue
				}
				var c struct {
					Type flexStr   `json:"type"`
					ID   flexStr   `json:"id"`
					Base flexStr   `json:"base"`
					Keep flexInt   `json:"keep"`
					Tail []flexStr `json:"tail"`
				}
				if json.Unmarshal(line, &c) != nil || c.Type != "api-request" || !wantReq[string(c.ID)] {
					continue
				}
				r := &requestEntry{ID: c.ID, Base: c.Base, Keep: c.Keep, Tail: c.Tail}
				requests[string(c.ID)] = r
				delete(wantReq, string(c.ID))
				want(r)
				continue
			}
			var r requestEntry
			if json.Unmarshal(line, &r) != nil || r.Type != "api-request" || r.ID == "" {
				continue
			}
			if target == nil {
				if !mainSource(string(r.QuerySource)) {
					if sideReq == nil {
						sideReq = &r
					}
					continue
				}
				target = &r
				requests[string(r.ID)] = &r
				want(&r)
			}
		}
	}
	if target == nil && sideReq != nil {
		// Only side requests in reach: read again for the newest of them.
		return sideRequest(ctx, t, others, sideReq, budget)
	}
	if target == nil {
		return Request{}, false, nil
	}
	var root []MessageShape
	if chainCut || shape == nil {
		var s *shapeInfo
		s, root = readHead(ctx, t, string(target.ShapeHash), budget)
		if shape == nil {
			shape = s
		}
	}
	if shape == nil {
		shape = findShape(ctx, string(target.ShapeHash), others, budget)
	}
	req := build(t, target, requests, blobs, shape)
	if chainCut {
		// The session's first messages, where the chain's start was not reached.
		for i := range min(len(root), len(req.Messages)) {
			if req.Messages[i].Role == "" && req.Messages[i].Blocks == nil {
				req.Messages[i] = root[i]
			}
		}
		req.MessagesComplete = false
	}
	return req, true, nil
}

// sideRequest builds a side request found in t, without resolving its parts
// again: it is a fallback only.
func sideRequest(ctx context.Context, t transcript, others []transcript, r *requestEntry, budget *int64) (Request, bool, error) {
	shape := findShape(ctx, string(r.ShapeHash), append([]transcript{t}, others...), budget)
	return build(t, r, map[string]*requestEntry{string(r.ID): r}, nil, shape), true, nil
}

// readHead reads the start of t (at most shapeBudget bytes) for the shape
// named hash and the messages of the session's first request (its chain's root).
func readHead(ctx context.Context, t transcript, hash string, budget *int64) (*shapeInfo, []MessageShape) {
	f, err := os.Open(t.path)
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	var shape *shapeInfo
	var root []MessageShape
	blobs := map[string]MessageShape{}
	lr := newForwardLines(f, 0, requestMaxLine, false)
	for n := 0; lr.off < shapeBudget && *budget > 0 && (shape == nil || root == nil); n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return shape, root
		}
		start := lr.off
		line, long, ok, err := lr.next()
		*budget -= lr.off - start
		if err != nil || !ok {
			break
		}
		if long || !bytes.Contains(line, markRequest) {
			continue
		}
		switch {
		case bytes.Contains(line, markShape):
			if h, s, ok := parseShape(line); ok && h == hash && shape == nil {
				shape = &s
			}
		case bytes.Contains(line, markBlob):
			if h, m, ok := parseBlob(line); ok {
				blobs[h] = m
			}
		default:
			var r requestEntry
			if root != nil || json.Unmarshal(line, &r) != nil || r.Type != "api-request" || r.Keep != 0 || !mainSource(string(r.QuerySource)) {
				continue
			}
			for _, h := range r.Tail {
				root = append(root, cloneShape(blobs[string(h)]))
			}
			if root == nil {
				root = []MessageShape{}
			}
		}
	}
	return shape, root
}

// findShape looks for the shape from the start of the transcripts (a shape is
// written before the first request that uses it, near a session's start).
func findShape(ctx context.Context, hash string, files []transcript, budget *int64) *shapeInfo {
	if hash == "" {
		return nil
	}
	needle := []byte(hash)
	for _, t := range files {
		if *budget <= 0 || ctx.Err() != nil {
			return nil
		}
		f, err := os.Open(t.path)
		if err != nil {
			continue
		}
		lr := newForwardLines(f, 0, requestMaxLine, false)
		for lr.off < shapeBudget {
			start := lr.off
			line, long, ok, err := lr.next()
			*budget -= lr.off - start
			if err != nil || !ok {
				break
			}
			if long || !bytes.Contains(line, markShape) || !bytes.Contains(line, needle) {
				continue
			}
			if h, s, ok := parseShape(line); ok && h == hash {
				f.Close()
				return &s
			}
		}
		f.Close()
	}
	return nil
}

func build(t transcript, r *requestEntry, requests map[string]*requestEntry, blobs map[string]MessageShape, shape *shapeInfo) Request {
	var p params
	_ = json.Unmarshal(r.Params, &p)
	req := Request{
		Time: parseTime(r.Timestamp), Version: clean(string(r.Version)), Session: clean(string(r.SessionID)),
		Project: t.project, QuerySource: clean(string(r.QuerySource)),
		Model: clean(string(p.Model)), MaxTokens: int(p.MaxTokens),
		Thinking: compact(p.Thinking), ContextManagement: compact(p.ContextManagement), OutputConfig: compact(p.OutputConfig),
	}
	for _, b := range p.Betas {
		req.Betas = append(req.Betas, clean(string(b)))
	}
	if shape != nil {
		req.ShapeFound = true
		req.System = slices.Clone(shape.system)
		req.Tools = slices.Clone(shape.tools)
	}
	req.Messages, req.MessagesComplete = messagesOf(r, requests, blobs)
	for _, c := range r.Cache {
		applyCache(&req, c.Path, c.Value)
	}
	return req
}

// messagesOf rebuilds a request's messages: its base's first keep, then its
// tail, from the oldest request of the chain forward (one list, linear).
func messagesOf(r *requestEntry, requests map[string]*requestEntry, blobs map[string]MessageShape) ([]MessageShape, bool) {
	chain := []*requestEntry{r}
	seen := map[string]bool{string(r.ID): true}
	for cur := r; cur.Keep > 0 && cur.Base != ""; {
		b := requests[string(cur.Base)]
		if b == nil || seen[string(b.ID)] {
			break
		}
		seen[string(b.ID)] = true
		chain = append(chain, b)
		cur = b
	}
	complete := true
	var out []MessageShape
	for i := len(chain) - 1; i >= 0; i-- {
		c := chain[i]
		keep := min(max(int(c.Keep), 0), maxMessages)
		if keep <= len(out) {
			out = out[:keep]
		} else {
			// The base is out of reach (or says less): unknown messages.
			for len(out) < keep {
				out = append(out, MessageShape{})
			}
			complete = false
		}
		for _, h := range c.Tail {
			if len(out) >= maxMessages {
				break
			}
			if m, ok := blobs[string(h)]; ok {
				out = append(out, cloneShape(m))
			} else {
				out = append(out, MessageShape{})
				complete = false
			}
		}
	}
	return out, complete
}

func cloneShape(m MessageShape) MessageShape {
	m.Blocks = slices.Clone(m.Blocks)
	return m
}

// applyCache puts a cacheControl entry (path ["system", i] or ["messages", i,
// "content", j]) on its block.
func applyCache(req *Request, path []json.RawMessage, value json.RawMessage) {
	var parts []any
	for _, p := range path {
		var v any
		if json.Unmarshal(p, &v) != nil {
			return
		}
		parts = append(parts, v)
	}
	idx := func(v any) (int, bool) {
		f, ok := v.(float64)
		return int(f), ok && f >= 0 && f == float64(int(f))
	}
	cc := compact(value)
	switch {
	case len(parts) == 2 && parts[0] == "system":
		if i, ok := idx(parts[1]); ok && i < len(req.System) {
			req.System[i].CacheControl = cc
		}
	case len(parts) == 4 && parts[0] == "messages" && parts[2] == "content":
		i, ok1 := idx(parts[1])
		j, ok2 := idx(parts[3])
		if ok1 && ok2 && i < len(req.Messages) && j < len(req.Messages[i].Blocks) {
			req.Messages[i].Blocks[j].CacheControl = cc
		}
	}
}
