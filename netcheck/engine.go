package netcheck

import (
	"context"
	"fmt"
	"net"
	"slices"
	"sync"
	"time"

	"claudemedic/claudesettings"
)

// Options choose what a run checks and how long each check may take.
type Options struct {
	Timeout   time.Duration     // bound for each check; 0 means 10s. The whole run ends within about this.
	Stream    bool              // run the opt-in stream check (spends a few tokens)
	Status    bool              // run the opt-in status-page check
	StatusURL string            // the Statuspage summary URL; "" means https://status.claude.com/api/v2/summary.json
	Only      []CheckID         // run only these checks (and what they need); nil means the default set
	Progress  func(CheckResult) // called as each check ends (from any goroutine, one call at a time; keep it short), for live progress

	Resolver   *net.Resolver // resolves host names; nil means the system's resolver
	StreamIdle time.Duration // the longest silence (no byte, no ping) a stream may keep; 0 means 30s
	SlowAfter  time.Duration // a time to first byte above this is SLOW_RESPONSE; 0 means 3s

	// Request is the request Claude Code makes, from its newest transcript;
	// nil means the built-in copy (BuiltinShape).
	Request *Shape
	// NoGenerate keeps the default check free on a relay too: count_tokens
	// only, as on the first-party API (the preference that turns the
	// generating request off). Without it, on any host but the Claude API
	// the check sends one streamed POST /v1/messages of Claude Code's shape
	// with max_tokens 1 (see probe).
	NoGenerate bool
	// Full sends Claude Code's whole request, tools and texts at their
	// lengths (check --full, the wizard): thousands of input tokens.
	Full bool
	// CustomHeaders is ANTHROPIC_CUSTOM_HEADERS as Claude Code would read it.
	CustomHeaders claudesettings.Setting
}

// DefaultTimeout bounds each check when Options.Timeout is zero.
const DefaultTimeout = 10 * time.Second

// DefaultStatusURL is the public status page's Statuspage summary.
const DefaultStatusURL = "https://status.claude.com/api/v2/summary.json"

// needs says which checks a check cannot do without.
var needs = map[CheckID][]CheckID{
	CheckTCP:       {CheckDNS},
	CheckTLS:       {CheckTCP, CheckProxy},
	CheckHTTP:      {CheckTLS},
	CheckClock:     {CheckHTTP},
	CheckAuth:      {CheckHTTP, CheckKey},
	CheckRateLimit: {CheckHTTP},
	CheckStream:    {CheckAuth},
}

// networkChecks are the checks answered by the request to the API.
var networkChecks = []CheckID{CheckDNS, CheckTCP, CheckProxy, CheckTLS, CheckClock, CheckHTTP, CheckAuth, CheckRateLimit, CheckStream}

// Run checks target and returns the report. It never panics on bad input: a
// garbled URL or an unreadable CA file becomes a finding. It returns within
// about opts.Timeout even when the network swallows every packet.
//
// The network checks share the work of the request Claude Code makes (on
// the Claude API, the free POST /v1/messages/count_tokens; on any other host,
// one streamed POST /v1/messages of Claude Code's shape with max_tokens 1,
// unless Options.NoGenerate; see probe) on a fresh transport: dns, tcp, proxy
// and tls are the first one's phases; http, clock, auth and ratelimit read the
// answer; the stream check reads the generating request's stream, or (opt-in
// on the Claude API) follows on the same connection; the opt-in status check
// runs beside it.
func Run(ctx context.Context, target claudesettings.Target, opts Options) *Report {
	start := time.Now()
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	r := &run{opts: opts, target: target, start: start, want: plan(opts),
		results: map[CheckID]CheckResult{}, findings: map[CheckID][]Finding{}}
	r.shape = BuiltinShape()
	if opts.Request != nil && opts.Request.From != "" {
		r.shape = *opts.Request
	}

	cfg := r.checkConfig()
	r.readCustomHeaders(&cfg)
	usable := r.checkKey()
	rt := r.checkRoute(cfg)

	var wg sync.WaitGroup
	if r.want[CheckStatus] {
		wg.Add(1)
		go func() { defer wg.Done(); r.checkStatus(ctx, cfg) }()
	}
	if p := target.Provider; p.Name != "" {
		r.skipProvider(p)
	}
	if r.wantsAny(networkChecks...) {
		switch {
		case target.Provider.Name != "" && !target.Provider.Endpoint.Set():
			r.skipAll("there is no endpoint to reach (see key)", "没有可连接的端点（见 key）")
		case cfg.base == nil:
			r.skipAll("the base URL is not valid (see config)", "基础 URL 无效（见 config）")
		case rt.blocked:
			r.skipAll("Claude Code cannot use this proxy setting (see proxy)", "Claude Code 无法使用这个代理设置（见 proxy）")
		default:
			r.probe(ctx, cfg, rt, usable)
		}
	}
	r.endConfig(&cfg, r.baseWorked)
	wg.Wait()
	return r.report()
}

// plan returns the checks to run: opts.Only and what they need, or the
// default set and the opt-in checks asked for.
func plan(opts Options) map[CheckID]bool {
	want := map[CheckID]bool{}
	var add func(id CheckID)
	add = func(id CheckID) {
		if want[id] {
			return
		}
		want[id] = true
		for _, n := range needs[id] {
			add(n)
		}
	}
	if opts.Only != nil {
		for _, id := range opts.Only {
			add(id)
		}
		return want
	}
	for _, id := range AllChecks {
		if (id != CheckStream || opts.Stream) && (id != CheckStatus || opts.Status) {
			add(id)
		}
	}
	return want
}

// run is one run of the checks: what it was asked and what it found so far.
type run struct {
	opts   Options
	target claudesettings.Target
	start  time.Time
	want   map[CheckID]bool

	mu     sync.Mutex
	sealed bool
	// streamFallback, when set, asks the stream's request again without
	// streaming, as Claude Code does after a broken stream (stream.go).
	streamFallback func() bool
	results        map[CheckID]CheckResult
	findings       map[CheckID][]Finding
	timings        Timings
	// baseWorked: the endpoint answered 2xx at the URL built on the base
	// URL, so a path that looked wrong (BASE_URL_PATH) is not.
	baseWorked bool
	// retried: the answers a retry got past, as Claude Code's does (retry.go).
	retried []Finding

	shape     Shape    // the request Claude Code makes (shape.go)
	headers   []Header // ANTHROPIC_CUSTOM_HEADERS
	sentShape bool     // a request of Claude Code's shape went out: the report says where it came from
}

func (r *run) wantsAny(ids ...CheckID) bool {
	return slices.ContainsFunc(ids, func(id CheckID) bool { return r.want[id] })
}

// finish records the end of check id, once, and reports it to Progress. The
// status is raised to warn or fail by the findings.
func (r *run) finish(id CheckID, status Status, d time.Duration, summary claudesettings.Text, fs ...Finding) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.sealed || !r.want[id] {
		return
	}
	if _, done := r.results[id]; done {
		return
	}
	for _, f := range fs {
		switch {
		case f.Severity == SeverityFail:
			status = StatusFail
		case f.Severity == SeverityWarn && status != StatusFail:
			status = StatusWarn
		}
	}
	res := CheckResult{ID: id, Status: status, Duration: d, Summary: summary}
	r.results[id] = res
	r.findings[id] = append(r.findings[id], fs...)
	if r.opts.Progress != nil {
		r.opts.Progress(res)
	}
}

// done reports whether check id has ended.
func (r *run) done(id CheckID) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.results[id]
	return ok
}

// skip ends the checks ids that have not ended with the reason why they could not run.
func (r *run) skip(reason claudesettings.Text, ids ...CheckID) {
	for _, id := range ids {
		r.finish(id, StatusSkip, 0, reason)
	}
}

func (r *run) skipAll(en, zh string) { r.skip(claudesettings.Text{EN: en, ZH: zh}, networkChecks...) }

// skipProvider ends the checks that read the API's answer when a cloud
// provider is selected: its endpoint is reached (dns, tcp, proxy, tls, and
// the clock from its Date header), but a request to it is not signed, so its
// answer says nothing about the credentials or the model.
func (r *run) skipProvider(p claudesettings.Provider) {
	t := p.Name.Title()
	r.skip(claudesettings.Text{EN: fmt.Sprintf("Not checked with %s: Claude Medic reaches its endpoint but does not sign a request to it.", t), ZH: fmt.Sprintf("使用 %s 时不检查：Claude Medic 会连接其端点，但不会为请求签名。", t)},

		CheckHTTP, CheckAuth, CheckRateLimit, CheckStream)
}

// report seals the run and assembles the Report in check order.
func (r *run) report() *Report {
	r.skip(claudesettings.Text{EN: "Not reached: the run ended first.", ZH: "未执行：检查已结束。"}, AllChecks...)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sealed = true
	rep := &Report{Schema: Schema, Target: r.target.View(), StartedAt: r.start.UTC(), Timings: r.timings}
	if r.wantsAny(networkChecks...) {
		rep.RequestFrom = r.shape.RequestFrom()
	}
	for _, id := range AllChecks {
		if res, ok := r.results[id]; ok {
			rep.Checks = append(rep.Checks, res)
			rep.Findings = append(rep.Findings, r.findings[id]...)
		}
	}
	rep.Verdict = VerdictOf(rep.Findings)
	rep.Duration = time.Since(r.start)
	return rep
}

// newFinding builds a finding of code from check with the catalogue's severity
// and fix, and a summary that says what was seen (the catalogue's summary when
// summary is empty).
func newFinding(code Code, check CheckID, summary claudesettings.Text) Finding {
	e, ok := catalogue[code]
	if !ok {
		e = Entry{Severity: SeverityFail}
	}
	if summary.EN == "" {
		summary.EN = e.Summary.EN
	}
	if summary.ZH == "" {
		summary.ZH = e.Summary.ZH
	}
	return Finding{Code: code, Severity: e.Severity, Check: check, Summary: summary, Fix: e.Fix}
}

// stallAfter is the silence that proves a stream stalled when the run's own
// deadline, not the idle limit, stops it: the idle limit, or half the run's
// budget when that is shorter (a healthy max_tokens:1 stream ends within a
// second or two).
func (r *run) stallAfter() time.Duration {
	idle := r.opts.StreamIdle
	if idle <= 0 {
		idle = DefaultStreamIdle
	}
	return min(idle, r.opts.Timeout/2)
}

// outOfBudget is called when the run's deadline stopped check id, whose
// phase (a stream's reading, from its headers) began at began and last
// received a byte at lastByte. A check stopped by the run's own time limit
// is not blamed on the network: unless the phase had stallAfter to itself,
// or the answer had been silent that long already (a stall the deadline only
// confirms), it ends the check as skipped, "not enough time", and reports
// true. Each phase so gets its judgement from its own time, not from what
// the phases before it left over.
func (r *run) outOfBudget(id CheckID, began, lastByte time.Time) bool {
	if need := r.stallAfter(); time.Since(began) >= need || time.Since(lastByte) >= need {
		return false
	}
	had, spent := time.Since(began), began.Sub(r.start)
	r.finish(id, StatusSkip, had, claudesettings.Text{
		EN: fmt.Sprintf("Not finished: the checks before it took %s of the run's %s time limit, which left it %s, too little to tell a slow answer from a stalled one. Run the check again with a longer time limit (--timeout).", FormatDuration(spent), FormatDuration(r.opts.Timeout), FormatDuration(had)),
		ZH: fmt.Sprintf("未完成：之前的检查用掉了本次 %s 时限中的 %s，只给它留下 %s，不足以区分回答慢与卡住。请用更长的时限（--timeout）再检查一次。", FormatDuration(r.opts.Timeout), FormatDuration(spent), FormatDuration(had))})
	return true
}
