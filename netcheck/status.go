package netcheck

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"claudemedic/claudesettings"
)

// statusSummary is the part of a Statuspage summary.json the status check reads.
type statusSummary struct {
	Status struct {
		Indicator   string `json:"indicator"`
		Description string `json:"description"`
	} `json:"status"`
	Incidents []struct {
		Name       string `json:"name"`
		Status     string `json:"status"`
		Impact     string `json:"impact"`
		Components []struct {
			Name string `json:"name"`
		} `json:"components"`
	} `json:"incidents"`
}

// apiIncidents returns the names of unresolved incidents that touch the API
// or Claude Code (an incident naming no component counts).
func (s statusSummary) apiIncidents() []string {
	var names []string
	for _, in := range s.Incidents {
		if in.Status == "resolved" || in.Status == "postmortem" || in.Status == "completed" {
			continue
		}
		touches := len(in.Components) == 0
		for _, c := range in.Components {
			n := strings.ToLower(c.Name)
			touches = touches || strings.Contains(n, "api") || strings.Contains(n, "claude code")
		}
		if touches {
			names = append(names, clip(in.Name, 120))
		}
	}
	return names
}

// checkStatus runs the status check: the public status page's summary, for
// an ongoing incident. It goes the way the API requests go (proxy, CA).
func (r *run) checkStatus(ctx context.Context, cfg config) {
	t0 := time.Now()
	raw := r.opts.StatusURL
	if raw == "" {
		raw = DefaultStatusURL
	}
	skip := func(en, zh string) {
		r.finish(CheckStatus, StatusSkip, time.Since(t0), claudesettings.Text{EN: en, ZH: zh})
	}
	u, err := claudesettings.ParseBaseURL(raw)
	if err != nil {
		skip("The status page URL is not valid.", "状态页地址无效。")
		return
	}
	h, port := hostPort(u)
	proxy := routeFor(r.target, h, port)
	deadline, _ := ctx.Deadline()
	c := newClient(cfg, proxy, r.opts, deadline)
	defer c.tr.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		skip("The status page URL is not valid.", "状态页地址无效。")
		return
	}
	resp, err := c.http.Do(req)
	if err != nil {
		skip("The status page could not be read: "+errText(err, r.opts.Timeout)+".", "无法读取状态页："+errTextZH(err, r.opts.Timeout)+"。")
		return
	}
	defer resp.Body.Close()
	var sum statusSummary
	if resp.StatusCode != http.StatusOK || json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(&sum) != nil {
		skip(fmt.Sprintf("The status page did not answer with its summary (HTTP %d).", resp.StatusCode),
			fmt.Sprintf("状态页没有返回摘要（HTTP %d）。", resp.StatusCode))
		return
	}
	desc := clip(sum.Status.Description, 120)
	if names := sum.apiIncidents(); len(names) > 0 {
		list := strings.Join(names, "; ")
		f := newFinding(UpstreamIncident, CheckStatus, claudesettings.Text{EN: fmt.Sprintf("The status page reports: %s (%s).", list, desc), ZH: fmt.Sprintf("状态页报告：%s（%s）。", list, desc)})
		r.finish(CheckStatus, StatusWarn, time.Since(t0), f.Summary, f)
		return
	}
	r.finish(CheckStatus, StatusPass, time.Since(t0), claudesettings.Text{EN: fmt.Sprintf("No incident for the API (%s).", desc), ZH: fmt.Sprintf("API 没有进行中的事件（%s）。", desc)})
}

// routeFor returns the proxy that applies to host:port, nil for none (or a
// proxy Claude Code cannot use, which the proxy check reports).
func routeFor(t claudesettings.Target, host, port string) *url.URL {
	raw := strings.TrimSpace(t.Proxy.Value)
	if raw == "" || claudesettings.NoProxyMatches(t.NoProxy.Value, host, port) {
		return nil
	}
	u, err := claudesettings.ParseProxyURL(raw)
	if err != nil {
		return nil
	}
	return u
}
