package tray

import (
	"fmt"
	"strings"
	"time"

	"claudemedic/app/prefs"
	"claudemedic/netcheck"
)

// The menu's and notifications' words, in English and Simplified Chinese.
var zh = map[string]string{
	"Check now":                               "立即检查",
	"Open Claude Medic…":                      "打开 Claude Medic…",
	"Troubleshoot…":                           "排查问题…",
	"Clear cache…":                            "清理缓存…",
	"Pause monitoring":                        "暂停监控",
	"Start at login":                          "登录时启动",
	"Quit":                                    "退出",
	"Claude API: OK":                          "Claude API：正常",
	"Claude API: slow or flaky":               "Claude API：缓慢或不稳定",
	"Claude API: not reachable":               "Claude API：无法访问",
	"Claude API: not checked yet":             "Claude API：尚未检查",
	"Checking the Claude API…":                "正在检查 Claude API…",
	"Could not check: %s":                     "无法检查：%s",
	"%s (paused)":                             "%s（已暂停）",
	"latency %s":                              "延迟 %s",
	"checked %s":                              "检查于 %s",
	"The Claude API answers again":            "Claude API 已恢复",
	"The Claude API is slow or flaky":         "Claude API 缓慢或不稳定",
	"The Claude API cannot be reached":        "无法访问 Claude API",
	"Run a check and show the findings":       "运行检查并显示结果",
	"Open the window":                         "打开窗口",
	"Find the cause of an error step by step": "逐步查找错误原因",
	"Free space Claude Code's cache takes":    "释放 Claude Code 缓存占用的空间",
	"Stop the background checks":              "停止后台检查",
	"Start the tray agent when you log in":    "登录时启动托盘程序",
	"Stop the tray agent":                     "退出托盘程序",
	"Claude Code %s":                          "Claude Code %s",
	"Claude Code %s: %s is out":               "Claude Code %s：已发布 %s",
	"Claude Code: not found":                  "Claude Code：未找到",
	"Claude Code: version unknown":            "Claude Code：版本未知",
	"Claude Code %s (%d installs)":            "Claude Code %s（%d 份安装）",
}

// words translates to one language: "zh…" picks Chinese, anything else English.
type words string

// language picks the language as every front end does (prefs.ChooseLanguage).
func language(pref string) words {
	l, _ := prefs.ChooseLanguage(pref)
	return words(l)
}

func (w words) zh() bool { return strings.HasPrefix(strings.ToLower(string(w)), "zh") }

// T translates s, then formats it with args.
func (w words) T(s string, args ...any) string {
	if w.zh() {
		if t, ok := zh[s]; ok {
			s = t
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// headline is the status line for a verdict.
func (w words) headline(v netcheck.Verdict) string {
	switch v {
	case netcheck.VerdictOK:
		return w.T("Claude API: OK")
	case netcheck.VerdictDegraded:
		return w.T("Claude API: slow or flaky")
	case netcheck.VerdictDown:
		return w.T("Claude API: not reachable")
	}
	return w.T("Claude API: not checked yet")
}

// showTime is a check's time of day, with the date when it was not today.
func showTime(t, now time.Time) string {
	t = t.In(now.Location())
	if y, m, d := t.Date(); y == now.Year() && m == now.Month() && d == now.Day() {
		return t.Format("15:04")
	}
	return t.Format("Jan 2 15:04")
}

// claudeCodeLine is the menu's line for the installed Claude Code: its
// version, a newer one when out, or that none is found; "" when the report
// did not look.
func (w words) claudeCodeLine(r *netcheck.Report) string {
	if r == nil || r.ClaudeCode == nil {
		return ""
	}
	cc := r.ClaudeCode
	switch {
	case cc.Path == "":
		return w.T("Claude Code: not found")
	case cc.Version == "":
		return w.T("Claude Code: version unknown")
	case cc.Has(netcheck.ClaudeCodeOutdated) && cc.Latest != "":
		return w.T("Claude Code %s: %s is out", cc.Version, cc.Latest)
	case len(cc.Others) > 0:
		return w.T("Claude Code %s (%d installs)", cc.Version, len(cc.Others)+1)
	}
	return w.T("Claude Code %s", cc.Version)
}
