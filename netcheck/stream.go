package netcheck

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"claudemedic/claudesettings"
)

// DefaultStreamIdle is the longest silence a stream may keep when
// Options.StreamIdle is zero (the API sends a ping well within it).
const DefaultStreamIdle = 30 * time.Second

// Buffering: a stream whose events all arrive within bufferedSpan of each
// other, the first only after bufferedAfter, was held back by something
// between and let go at once.
const (
	bufferedAfter = 250 * time.Millisecond
	bufferedSpan  = 10 * time.Millisecond
)

// idleReader resets the idle timer on every byte read.
type idleReader struct {
	r    io.Reader
	t    *time.Timer
	idle time.Duration
	last atomic.Int64 // unix nanoseconds of the last byte
}

func (i *idleReader) Read(p []byte) (int, error) {
	n, err := i.r.Read(p)
	if n > 0 {
		i.t.Reset(i.idle)
		i.last.Store(time.Now().UnixNano())
	}
	return n, err
}

// checkStream runs the opt-in stream check on the first-party API: the
// request Claude Code makes (POST /v1/messages?beta=true, its betas, user
// agent and model) with stream:true and max_tokens:1 on the client's
// connection, the SSE read event by event. On a relay the default check's
// generating request is already this stream (probe).
func (r *run) checkStream(ctx context.Context, c *client, cfg config) {
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	q := r.newAPIRequest(cfg, messages, true)
	req, err := q.build(ctx, r.target, true)
	if err != nil {
		r.skip(claudesettings.Text{EN: "The stream request could not be built.", ZH: "无法构造流式请求。"}, CheckStream)
		return
	}
	t0 := time.Now()
	timer := time.AfterFunc(r.streamIdle(), cancel)
	defer timer.Stop()
	resp, err := c.http.Do(req)
	if err != nil {
		if isTimeout(err) {
			if errors.Is(err, context.DeadlineExceeded) && r.outOfBudget(CheckStream, t0, t0) { // the run's deadline, not the idle limit (engine.go)
				return
			}
			r.failStream(t0, StreamStalled, fmt.Sprintf("No answer to the stream request within %s.", FormatDuration(time.Since(t0))),
				fmt.Sprintf("流式请求在 %s 内没有任何回应。", FormatDuration(time.Since(t0))))
		} else {
			r.failStream(t0, StreamEmpty, "The stream request ended without an answer: "+errText(err, r.opts.Timeout)+".",
				"流式请求没有得到回应就结束了："+errTextZH(err, r.opts.Timeout)+"。")
		}
		return
	}
	defer resp.Body.Close()
	body, isSSE := eventStream(resp)
	if !isSSE {
		timer.Stop()
		b, _ := io.ReadAll(io.LimitReader(body, maxBody))
		a := readAnswer(resp, b, r.target.Credential.Secret)
		r.streamRefused(a, q, t0)
		return
	}
	r.streamFallback = func() bool { return r.nonStreamingWorks(parent, c, cfg) }
	r.finishStream(readStream(body, timer, r.streamIdle(), t0))
}

func (r *run) streamIdle() time.Duration {
	if r.opts.StreamIdle > 0 {
		return r.opts.StreamIdle
	}
	return DefaultStreamIdle
}

func (r *run) failStream(t0 time.Time, code Code, en, zh string) {
	f := newFinding(code, CheckStream, claudesettings.Text{EN: en, ZH: zh})
	status := StatusFail
	if (code == StreamEmpty || code == StreamTruncated || code == StreamErrorEvent) && r.streamFallback != nil && r.streamFallback() {
		// Claude Code (2.1.332 and 2.1.330) sends a broken stream's request
		// again without streaming and answers when that works: an empty
		// stream, a cut one, an error event (scripts/differential.sh).
		f.Severity, status = SeverityWarn, StatusWarn
		f.Summary.EN += " Claude Code falls back to a non-streaming request, which works here: it answers, more slowly and without showing the text as it comes."
		f.Summary.ZH += "Claude Code 会改用非流式请求，而它在这里可以工作：能得到回答，只是更慢，也不会边生成边显示。"
	}
	r.finish(CheckStream, status, time.Since(t0), f.Summary, f)
}

// nonStreamingWorks asks the stream request's body again without
// streaming, as Claude Code does after a broken stream, and reports
// whether a message came back.
func (r *run) nonStreamingWorks(ctx context.Context, c *client, cfg config) bool {
	if ctx.Err() != nil {
		return false
	}
	x, err := r.exchange(ctx, c, r.newAPIRequest(cfg, messages, false), true)
	if err != nil || x.resp == nil || x.resp.StatusCode != http.StatusOK {
		return false
	}
	var m struct {
		Type string `json:"type"`
		Role string `json:"role"`
	}
	return json.Unmarshal(x.body, &m) == nil && m.Type == "message" && m.Role == "assistant"
}

// eventStream returns the body to read and whether it is an event stream,
// which Claude Code reads as one: a 200 answer in text/event-stream, or one
// whose body begins as an event stream whatever its content type says
// (text/html, text/plain, application/json, none: Claude Code 2.1.332
// answered from each; scripts/differential.sh).
func eventStream(resp *http.Response) (io.Reader, bool) {
	if resp.StatusCode != http.StatusOK {
		return resp.Body, false
	}
	ctype, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if ctype == "text/event-stream" {
		return resp.Body, true
	}
	b := bufio.NewReader(resp.Body)
	p, _ := b.Peek(6)
	head := string(p)
	return b, strings.HasPrefix(head, "event:") || strings.HasPrefix(head, "data:") || strings.HasPrefix(head, ":") || strings.HasPrefix(head, "id:")
}

// sseSeen is one event of a stream and when it came.
type sseSeen struct {
	name string
	at   time.Time
}

// streamResult is what reading a stream saw.
type streamResult struct {
	t0                        time.Time
	events                    []sseSeen
	errEvent                  *SSEEvent
	started, stopped, stalled bool
	outOfTime                 bool      // the run's deadline ended it (engine.go's outOfBudget judges it)
	began                     time.Time // when its reading began: the answer's headers had come
	bytes                     int64
	lastByte                  time.Time
	message                   []byte // message_start's message, which the answer checks read as the API's answer
}

// readStream reads an SSE body event by event until message_stop, an error
// event, its end, or a silence of idle (timer, which cancels the request,
// is reset on every byte).
func readStream(body io.Reader, timer *time.Timer, idle time.Duration, t0 time.Time) streamResult {
	in := &idleReader{r: body, t: timer, idle: idle}
	in.last.Store(time.Now().UnixNano())
	sse := NewSSEReader(in)
	res := streamResult{t0: t0, began: time.Now()}
	finished := false // a message_delta with its stop reason came
	for {
		ev, err := sse.Next()
		if err != nil {
			res.stalled = isTimeout(err) || errors.Is(err, context.Canceled)
			res.outOfTime = errors.Is(err, context.DeadlineExceeded) // the run's deadline; the idle limit cancels
			break
		}
		res.events = append(res.events, sseSeen{ev.Name, time.Now()})
		switch ev.Name {
		case "message_start":
			res.started = true
			var m struct {
				Message json.RawMessage `json:"message"`
			}
			if json.Unmarshal([]byte(ev.Data), &m) == nil {
				res.message = m.Message
			}
		case "error":
			res.errEvent = &ev
		case "message_delta":
			var d struct {
				Delta struct {
					StopReason *string `json:"stop_reason"`
				} `json:"delta"`
			}
			finished = json.Unmarshal([]byte(ev.Data), &d) == nil && d.Delta.StopReason != nil
		case "message_stop":
			res.stopped = true
		}
		if res.errEvent != nil || res.stopped {
			break
		}
	}
	timer.Stop()
	if finished && !res.stopped && !res.stalled && res.errEvent == nil {
		// It ended cleanly after the message_delta that carries the stop
		// reason, without message_stop: Claude Code 2.1.332 takes the answer.
		res.stopped = true
	}
	res.bytes = sse.Bytes
	res.lastByte = time.Unix(0, in.last.Load())
	return res
}

// finishStream ends the stream check from what readStream saw.
func (r *run) finishStream(res streamResult) {
	t0, events := res.t0, res.events
	last, lastZH := "before any event", "在任何事件之前"
	if n := len(events); n > 0 {
		last, lastZH = "after "+events[n-1].name, "在 "+events[n-1].name+" 之后"
	}
	d := time.Since(t0)
	if res.stalled && res.outOfTime && r.outOfBudget(CheckStream, res.began, res.lastByte) { // engine.go
		return
	}
	switch {
	case res.errEvent != nil:
		detail := clip(scrub(res.errEvent.Data, r.target.Credential.Secret), maxMessage)
		if e, ok := ParseErrorBody([]byte(res.errEvent.Data)); ok {
			detail = scrub(e.Detail(), r.target.Credential.Secret)
		}
		pos, posZH := "before message_start", "在 message_start 之前"
		if n := len(events); n >= 2 {
			pos, posZH = "after "+events[n-2].name, "在 "+events[n-2].name+" 之后"
		}
		r.failStream(t0, StreamErrorEvent, fmt.Sprintf("The 200 stream carried an error event %s (%s).", pos, detail),
			fmt.Sprintf("200 的流中%s出现了 error 事件（%s）。", posZH, detail))
	case res.stalled && time.Since(res.lastByte) < time.Second:
		r.failStream(t0, StreamStalled, fmt.Sprintf("The stream was still going after %s (%d events, the last %s) without message_stop: a one-token answer ends at once.", FormatDuration(d), len(events), last),
			fmt.Sprintf("流在 %s 后仍未结束（%d 个事件，最后一个%s），没有 message_stop：只有一个 token 的回答本应立即结束。", FormatDuration(d), len(events), lastZH))
	case res.stalled:
		silent := time.Since(res.lastByte).Round(time.Millisecond)
		r.failStream(t0, StreamStalled, fmt.Sprintf("The stream went silent %s: no byte, no ping for %s.", last, silent),
			fmt.Sprintf("流%s就没有动静了：%s 内没有任何字节，也没有 ping。", lastZH, silent))
	case !res.started:
		r.failStream(t0, StreamEmpty, fmt.Sprintf("The stream ended before message_start (%d bytes, %d events): \"request ended without sending any chunks\".", res.bytes, len(events)),
			fmt.Sprintf("流在 message_start 之前就结束了（%d 字节，%d 个事件）：即“request ended without sending any chunks”。", res.bytes, len(events)))
	case !res.stopped:
		r.failStream(t0, StreamTruncated, fmt.Sprintf("The stream was cut %s, without message_stop (%d events, %d bytes).", last, len(events), res.bytes),
			fmt.Sprintf("流%s被截断，没有 message_stop（%d 个事件，%d 字节）。", lastZH, len(events), res.bytes))
	default:
		first, end := events[0].at.Sub(t0), events[len(events)-1].at.Sub(t0)
		sum := claudesettings.Text{EN: fmt.Sprintf("%d events; message_start after %s, message_stop after %s.", len(events), FormatDuration(first), FormatDuration(end)), ZH: fmt.Sprintf("共 %d 个事件；message_start 用时 %s，message_stop 用时 %s。", len(events), FormatDuration(first), FormatDuration(end))}

		var fs []Finding
		// held: from the headers to the first event. An answer slow to start
		// (its headers late) is not a stream held back (SLOW_RESPONSE says it).
		if held := events[0].at.Sub(res.began); len(events) >= 3 && held >= bufferedAfter && end-first <= bufferedSpan {
			fs = append(fs, newFinding(StreamBuffered, CheckStream, claudesettings.Text{EN: fmt.Sprintf("All %d events arrived at once, %s after the answer's headers: something between holds the stream back and lets it go at the end.", len(events), FormatDuration(held)), ZH: fmt.Sprintf("全部 %d 个事件在回应头之后 %s 才一次性到达：中间有东西把流缓存起来，到最后才一起放出。", len(events), FormatDuration(held))}))
		}
		r.finish(CheckStream, StatusPass, d, sum, fs...)
	}
}

// streamRefused ends the stream check when the stream request got no
// stream: an error status or another content type.
func (r *run) streamRefused(a answer, q apiRequest, t0 time.Time) {
	en, zh := a.describe()
	code := UnexpectedResponse
	switch {
	case a.status == http.StatusOK && a.size == 0:
		code = StreamEmpty
	case !a.isAPI:
		code = NotAnthropicAPI
	case a.status == http.StatusTooManyRequests:
		code = RateLimited
	case a.status == 529:
		code = Overloaded
	case a.status >= 500:
		code = ServerError
	}
	f := newFinding(code, CheckStream, claudesettings.Text{EN: fmt.Sprintf("The stream request (POST /v1/messages, model %s) got no event stream: %s; %s.", q.model, en, a.errorDetail()), ZH: fmt.Sprintf("流式请求（POST /v1/messages，模型 %s）没有得到事件流：%s；%s。", q.model, zh, a.errorDetail())})
	r.finish(CheckStream, StatusFail, time.Since(t0), f.Summary, f)
}
