package doctor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"claudemedic/claudecfg"
	"claudemedic/claudesettings"
	"claudemedic/claudetranscript"
	"claudemedic/internal/prefs"
	"claudemedic/netcheck"
)

// RequestOptions are what the checks need to make the request the installed
// Claude Code makes: its newest request from its transcripts (the structure
// only: no text, path or tool output is read into it), else the built-in
// copy; ANTHROPIC_CUSTOM_HEADERS; and the preference that turns the
// generating request off.
type RequestOptions struct {
	Request       *netcheck.Shape // nil: the built-in copy
	CustomHeaders claudesettings.Setting
	NoGenerate    bool
}

// Apply sets o on opts where opts leaves them unset.
func (o RequestOptions) Apply(opts *netcheck.Options) {
	if opts.Request == nil {
		opts.Request = o.Request
	}
	if !opts.CustomHeaders.Set() {
		opts.CustomHeaders = o.CustomHeaders
	}
	opts.NoGenerate = opts.NoGenerate || o.NoGenerate
}

// requestBeside is Doctor.Request for src: it starts reading at once and
// returns what waits for it (at most half a second; the built-in copy then).
func requestBeside(src claudecfg.ResolveOptions) func(ctx context.Context) func() RequestOptions {
	return func(ctx context.Context) func() RequestOptions {
		ch := make(chan RequestOptions, 1)
		go func() { ch <- ReadRequest(ctx, src.Environ) }()
		return func() RequestOptions {
			select {
			case o := <-ch:
				return o
			case <-time.After(500 * time.Millisecond):
				p, _ := prefs.Load()
				return RequestOptions{NoGenerate: p.NoGenerate, CustomHeaders: customHeaders(src.Environ)}
			}
		}
	}
}

// ReadRequest reads the request options from Claude Code's config folder
// (CLAUDE_CONFIG_DIR in environ, else ~/.claude; environ nil means this
// process's environment) and the preferences.
func ReadRequest(ctx context.Context, environ []string) RequestOptions {
	p, _ := prefs.Load() // broken preferences give the defaults
	o := RequestOptions{NoGenerate: p.NoGenerate, CustomHeaders: customHeaders(environ)}
	if p.NoTranscripts { // nothing under projects/ is opened: the built-in copy
		return o
	}
	dir := lookup(environ, claudesettings.VarConfigDir)
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return o
		}
		dir = filepath.Join(home, ".claude")
	}
	if q, ok, err := claudetranscript.NewestRequest(ctx, claudetranscript.ProjectsDir(dir)); ok && err == nil {
		s := ShapeOf(q)
		o.Request = &s
	}
	return o
}

// ShapeOf is the structure of a request Claude Code wrote down, for the
// checks: its version, parameters, and the roles and lengths of its blocks;
// what the transcript did not record is the built-in copy's.
func ShapeOf(q claudetranscript.Request) netcheck.Shape {
	s := netcheck.BuiltinShape()
	s.From, s.Version, s.Model = netcheck.ShapeTranscript, q.Version, q.Model
	if len(q.Betas) > 0 {
		s.Betas = q.Betas
	}
	for _, raw := range []struct {
		dst *[]byte
		src []byte
	}{{(*[]byte)(&s.Thinking), q.Thinking}, {(*[]byte)(&s.ContextManagement), q.ContextManagement}, {(*[]byte)(&s.OutputConfig), q.OutputConfig}} {
		if len(raw.src) > 0 {
			*raw.dst = raw.src
		}
	}
	block := func(b claudetranscript.Block) netcheck.ShapeBlock {
		return netcheck.ShapeBlock{Len: b.Len, SystemReminder: b.SystemReminder, Cached: len(b.CacheControl) > 0 && string(b.CacheControl) != "null"}
	}
	if q.ShapeFound && len(q.System) > 0 {
		s.System = nil
		for _, b := range q.System {
			s.System = append(s.System, block(b))
		}
	}
	if len(q.Tools) > 0 {
		s.Tools = q.Tools
	}
	var msgs []netcheck.ShapeMessage
	for _, m := range q.Messages {
		sm := netcheck.ShapeMessage{Role: m.Role, StringContent: m.StringContent, OutputConfig: m.OutputConfig}
		for _, b := range m.Blocks {
			sm.Blocks = append(sm.Blocks, block(b))
		}
		msgs = append(msgs, sm)
	}
	if len(msgs) > 0 && msgs[0].Role == "user" {
		s.Messages = msgs
	}
	return s
}

func customHeaders(environ []string) claudesettings.Setting {
	v := lookup(environ, "ANTHROPIC_CUSTOM_HEADERS")
	if v == "" {
		return claudesettings.Setting{}
	}
	return claudesettings.Setting{Value: v, Source: claudesettings.SourceShell}
}

func lookup(environ []string, name string) string {
	if environ == nil {
		return os.Getenv(name)
	}
	for i := len(environ) - 1; i >= 0; i-- {
		if k, v, ok := strings.Cut(environ[i], "="); ok && k == name {
			return v
		}
	}
	return ""
}
