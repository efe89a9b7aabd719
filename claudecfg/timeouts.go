package claudecfg

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"claudemedic/claudesettings"
	"claudemedic/netcheck"
)

// Preset is a named set of timeout and retry values; an empty value unsets
// the variable (Claude Code's default applies).
type Preset struct {
	Name   string
	Title  claudesettings.Text
	Why    claudesettings.Text
	Values map[string]string
}

// TimeoutVars are the variables a preset sets, in the order shown.
var TimeoutVars = []string{claudesettings.VarAPITimeout, claudesettings.VarMaxRetries, claudesettings.VarBashTimeout, claudesettings.VarMCPTimeout}

// Presets are the timeout presets of `config set-timeout --preset`.
var Presets = []Preset{
	{
		Name:  "default",
		Title: claudesettings.Text{EN: "Claude Code's defaults", ZH: "Claude Code 默认值"},
		Why:   claudesettings.Text{EN: "Removes the four settings so Claude Code's own defaults apply: a 10-minute request timeout, 10 retries, 2 minutes for a shell command, 30 s for an MCP server to start.", ZH: "删除这四项设置，恢复 Claude Code 自带的默认值：请求超时 10 分钟，重试 10 次，Shell 命令 2 分钟，MCP 服务器启动 30 秒。"},

		Values: map[string]string{claudesettings.VarAPITimeout: "", claudesettings.VarMaxRetries: "", claudesettings.VarBashTimeout: "", claudesettings.VarMCPTimeout: ""},
	},
	{
		Name:  "slow-network",
		Title: claudesettings.Text{EN: "Slow or lossy network", ZH: "慢速或不稳定的网络"},
		Why:   claudesettings.Text{EN: "For a slow or lossy connection: 20 minutes per request so a long answer is not cut off, the most retries Claude Code allows (15), and more time for shell commands (5 min) and MCP servers (60 s).", ZH: "适合慢速或丢包的网络：每个请求 20 分钟，长回答不会被中断；重试次数取 Claude Code 允许的最大值 15；Shell 命令 5 分钟，MCP 服务器 60 秒。"},

		Values: map[string]string{claudesettings.VarAPITimeout: "1200000", claudesettings.VarMaxRetries: "15", claudesettings.VarBashTimeout: "300000", claudesettings.VarMCPTimeout: "60000"},
	},
	{
		Name:  "relay",
		Title: claudesettings.Text{EN: "Relay or gateway", ZH: "中转或网关"},
		Why:   claudesettings.Text{EN: "For a relay or gateway in front of the API, which may hold the whole answer before passing it on: 50 minutes per request, and only 3 retries, because a relay retries on its own and every retry waits that long again (and may be billed).", ZH: "适合 API 前面的中转或网关（它可能收完整个回答才转发）：每个请求 50 分钟；只重试 3 次，因为中转自己会重试，每次重试又要等这么久（而且可能计费）。"},

		Values: map[string]string{claudesettings.VarAPITimeout: "3000000", claudesettings.VarMaxRetries: "3", claudesettings.VarMCPTimeout: "60000"},
	},
}

// PresetNamed returns the preset called name.
func PresetNamed(name string) (Preset, error) {
	for _, p := range Presets {
		if p.Name == name {
			return p, nil
		}
	}
	return Preset{}, fmt.Errorf("no timeout preset %q (one of: default, slow-network, relay)", name)
}

// Edits are the settings edits that apply the preset to a layer's env.
func (p Preset) Edits() []Edit {
	var out []Edit
	for _, name := range TimeoutVars {
		v, ok := p.Values[name]
		switch {
		case !ok:
		case v == "":
			out = append(out, Unset(claudesettings.EnvKey, name))
		default:
			out = append(out, Set(v, claudesettings.EnvKey, name))
		}
	}
	return out
}

// Sample is one measured run against the API.
type Sample struct {
	FirstByte time.Duration // time to the first response byte
	Stream    time.Duration // the whole streamed answer, when the stream check ran
	OK        bool          // the run reached the API
}

// Suggestion is a proposed API_TIMEOUT_MS with the numbers behind it: the
// one suggestion type, for the CLI, the window and the wizard.
type Suggestion struct {
	Timeout      time.Duration       `json:"-"` // the proposal, APITimeoutMS as a duration
	Samples      int                 `json:"samples"`
	Failed       int                 `json:"failed"`
	P95FirstByte time.Duration       `json:"p95_first_byte_ns"`
	P95Stream    time.Duration       `json:"p95_stream_ns"`
	APITimeoutMS int64               `json:"api_timeout_ms"`
	Current      time.Duration       `json:"current_ns"`
	Change       bool                `json:"change"` // the proposal is above the current value
	Explanation  claudesettings.Text `json:"-"`
}

// The numbers behind SuggestTimeout.
const (
	answerBudget = 10 * time.Minute // a long answer at normal speed: Claude Code's own default
	headroom     = 3                // slow starts three times worse than the measured p95 still fit
	smallWait    = time.Minute      // below this, the default already has the room
)

// ErrNoSamples is a measurement where no run reached the API.
var ErrNoSamples = errors.New("no run reached the API, so there is nothing to measure: fix what `claudemedic check` reports first")

// SuggestTimeout proposes API_TIMEOUT_MS from measured runs: the p95 of the
// time to first byte and of the stream, three times over as headroom, on top
// of the 10 minutes a long answer needs; rounded up to a whole minute. When
// the network adds less than a minute of waiting, Claude Code's default
// (600000) stays. current is the value in effect (Target.EffectiveAPITimeout;
// 0 means the default).
func SuggestTimeout(samples []Sample, current time.Duration) (Suggestion, error) {
	if current <= 0 {
		current = claudesettings.DefaultAPITimeout
	}
	s := Suggestion{Samples: len(samples), Current: current}
	var fb, st []time.Duration
	for _, x := range samples {
		if !x.OK {
			s.Failed++
			continue
		}
		fb = append(fb, x.FirstByte)
		if x.Stream > 0 {
			st = append(st, x.Stream)
		}
	}
	if len(fb) == 0 {
		return s, ErrNoSamples
	}
	s.P95FirstByte, s.P95Stream = P95(fb), P95(st)
	wait := max(s.P95FirstByte, s.P95Stream)
	proposed := answerBudget
	if headroom*wait >= smallWait {
		proposed = answerBudget + headroom*wait
		proposed = time.Duration(math.Ceil(float64(proposed)/float64(time.Minute))) * time.Minute
	}
	s.APITimeoutMS = min(proposed.Milliseconds(), claudesettings.MaxAPITimeoutMS)
	s.Timeout = time.Duration(s.APITimeoutMS) * time.Millisecond
	s.Change = time.Duration(s.APITimeoutMS)*time.Millisecond > current
	s.Explanation = explain(s, wait, len(fb))
	return s, nil
}

func explain(s Suggestion, wait time.Duration, ok int) claudesettings.Text {
	measured := fmt.Sprintf("Over %d runs that reached the API, the slowest typical wait (p95) was %s to the first byte", ok, round(s.P95FirstByte))
	measuredZH := fmt.Sprintf("在 %d 次成功的测量中，首字节时间的 p95 为 %s", ok, round(s.P95FirstByte))
	if s.P95Stream > 0 {
		measured += fmt.Sprintf(" and %s for a whole streamed answer", round(s.P95Stream))
		measuredZH += fmt.Sprintf("，完整流式回答的 p95 为 %s", round(s.P95Stream))
	}
	if s.Failed > 0 {
		measured += fmt.Sprintf(" (%d runs failed and are not counted)", s.Failed)
		measuredZH += fmt.Sprintf("（另有 %d 次失败，未计入）", s.Failed)
	}
	var how, howZH string
	if headroom*wait < smallWait {
		how = fmt.Sprintf("Three times that is under a minute, so Claude Code's default of 10 minutes (600000 ms) already covers a long answer on this network.")
		howZH = "三倍也不到一分钟，所以 Claude Code 默认的 10 分钟（600000 毫秒）足够应付这个网络上的长回答。"
	} else {
		how = fmt.Sprintf("A long answer needs about 10 minutes on its own; adding three times the measured wait (%s) as headroom and rounding up to the minute gives %d ms (%s).",
			round(headroom*wait), s.APITimeoutMS, time.Duration(s.APITimeoutMS)*time.Millisecond)
		howZH = fmt.Sprintf("长回答本身约需 10 分钟；再加上测得等待时间的三倍（%s）作为余量，向上取整到分钟，得到 %d 毫秒（%s）。",
			round(headroom*wait), s.APITimeoutMS, time.Duration(s.APITimeoutMS)*time.Millisecond)
	}
	verdict := fmt.Sprintf("The current timeout (%d ms) is enough.", s.Current.Milliseconds())
	verdictZH := fmt.Sprintf("当前超时（%d 毫秒）已经足够。", s.Current.Milliseconds())
	if s.Change {
		verdict = fmt.Sprintf("The current timeout (%d ms) is shorter: raise API_TIMEOUT_MS to %d.", s.Current.Milliseconds(), s.APITimeoutMS)
		verdictZH = fmt.Sprintf("当前超时（%d 毫秒）偏短：请把 API_TIMEOUT_MS 调到 %d。", s.Current.Milliseconds(), s.APITimeoutMS)
	}
	return claudesettings.Text{EN: measured + ". " + how + " " + verdict, ZH: measuredZH + "。" + howZH + verdictZH}
}

func round(d time.Duration) time.Duration {
	if d > 10*time.Second {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

// P95 is the 95th percentile of ds by the nearest-rank method (with five
// samples, the largest); 0 for none.
func P95(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	rank := int(math.Ceil(0.95 * float64(len(s))))
	return s[max(rank, 1)-1]
}

// SampleOf reads a run: it reached the API when the http check saw the
// Claude API answer (even a 401 is an answer). A first byte the trace could
// not time (on loopback the request can finish writing after the answer
// starts) counts as the whole request.
func SampleOf(r *netcheck.Report) Sample {
	c, ran := r.Check(netcheck.CheckHTTP)
	s := Sample{FirstByte: r.Timings.FirstByte, OK: ran && (c.Status == netcheck.StatusPass || c.Status == netcheck.StatusWarn || answeredTooLate(r))}
	if s.FirstByte <= 0 {
		s.FirstByte = r.Timings.Total
	}
	if c, ok := r.Check(netcheck.CheckStream); ok && c.Status == netcheck.StatusPass {
		s.Stream = c.Duration
	}
	return s
}

// answeredTooLate reports whether the http check failed only because the
// answer came after API_TIMEOUT_MS (TIMEOUT_TOO_LOW): the API was reached and
// its time measured, which is what a timeout suggestion needs.
func answeredTooLate(r *netcheck.Report) bool {
	late := false
	for _, f := range r.Findings {
		if f.Check == netcheck.CheckHTTP && f.Severity == netcheck.SeverityFail {
			if f.Code != netcheck.TimeoutTooLow {
				return false
			}
			late = true
		}
	}
	return late
}
