package tray

import (
	"fmt"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"claudemedic/netcheck"
)

func TestLanguage(t *testing.T) {
	for _, tc := range []struct {
		pref, lcAll, lang string
		zh                bool
	}{
		{"", "", "zh_CN.UTF-8", true},
		{"", "C", "zh_CN.UTF-8", false}, // LC_ALL wins
		{"", "", "POSIX", false},
		{"", "", "", false},
		{"zh", "", "en_US.UTF-8", true}, // the preference wins
		{"en", "zh_TW.UTF-8", "", false},
	} {
		t.Setenv("LC_ALL", tc.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", tc.lang)
		t.Setenv("LANGUAGE", "")
		w := language(tc.pref)
		if w.zh() != tc.zh {
			t.Errorf("language(%q) with LC_ALL=%q LANG=%q: zh=%v", tc.pref, tc.lcAll, tc.lang, w.zh())
		}
	}
	if got := words("zh_CN").T("Quit"); got != "退出" {
		t.Errorf("zh Quit = %q", got)
	}
	if got := words("zh").T("latency %s", "5 ms"); got != "延迟 5 ms" {
		t.Errorf("zh latency = %q", got)
	}
	if got := words("en").headline(netcheck.VerdictDown); got != "Claude API: not reachable" {
		t.Errorf("en down = %q", got)
	}
	// Every Chinese text keeps the English one's format verbs.
	for en, zh := range zh {
		if countVerbs(en) != countVerbs(zh) {
			t.Errorf("%q and %q hold different format verbs", en, zh)
		}
	}
}

func countVerbs(s string) int {
	n := 0
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' {
			n++
			i++
		}
	}
	return n
}

func TestShowing(t *testing.T) {
	now := time.Date(2026, 11, 21, 15, 0, 0, 0, time.UTC)
	if got := showTime(now.Add(-time.Hour), now); got != "14:00" {
		t.Errorf("today: %q", got)
	}
	if got := showTime(now.Add(-48*time.Hour), now); got != "Nov 19 15:00" {
		t.Errorf("two days ago: %q", got)
	}
	if got := ellipsis("abcdef", 4); got != "abc…" {
		t.Errorf("ellipsis = %q", got)
	}
	if got := ellipsis("证书不受信任", 10); got != "证书不受信任" {
		t.Errorf("ellipsis of a short text = %q", got)
	}
}

func TestWindowOpenerRefusesUnknownPages(t *testing.T) {
	w := &windowOpener{exe: func() (string, error) { return "/bin/true", nil }}
	for _, p := range []string{"", "nowhere", "status; rm -rf"} {
		if err := w.Open(p); err == nil {
			t.Errorf("Open(%q) succeeded", p)
		}
	}
}

// TestDropIfBusClosed: a systray update on a closed session bus is dropped;
// any other panic is not swallowed.
func TestDropIfBusClosed(t *testing.T) {
	func() {
		defer dropIfBusClosed()
		panic(fmt.Errorf("setting the icon: %w", dbus.ErrClosed))
	}()
	defer func() {
		if r := recover(); r == nil {
			t.Fatal("another panic was swallowed")
		}
	}()
	func() {
		defer dropIfBusClosed()
		panic("something else")
	}()
}

func TestClaudeCodeLine(t *testing.T) {
	rep := func(cc *netcheck.ClaudeCodeView, codes ...netcheck.Code) *netcheck.Report {
		for _, c := range codes {
			cc.Findings = append(cc.Findings, netcheck.Finding{Code: c, Check: netcheck.CheckVersion})
		}
		return &netcheck.Report{ClaudeCode: cc}
	}
	for _, c := range []struct {
		r      *netcheck.Report
		en, zh string
	}{
		{nil, "", ""},
		{&netcheck.Report{}, "", ""},
		{rep(&netcheck.ClaudeCodeView{}, netcheck.ClaudeCodeNotFound), "Claude Code: not found", "Claude Code：未找到"},
		{rep(&netcheck.ClaudeCodeView{Path: "/usr/bin/claude"}, netcheck.ClaudeCodeVersionUnknown), "Claude Code: version unknown", "Claude Code：版本未知"},
		{rep(&netcheck.ClaudeCodeView{Path: "/usr/bin/claude", Version: "2.1.300", Latest: "2.1.330"}, netcheck.ClaudeCodeOutdated), "Claude Code 2.1.300: 2.1.330 is out", "Claude Code 2.1.300：已发布 2.1.330"},
		{rep(&netcheck.ClaudeCodeView{Path: "/usr/bin/claude", Version: "2.1.330", Others: []string{"~/.local/bin/claude (native 2.1.300)"}}, netcheck.ClaudeCodeMultiple), "Claude Code 2.1.330 (2 installs)", "Claude Code 2.1.330（2 份安装）"},
		{rep(&netcheck.ClaudeCodeView{Path: "/usr/bin/claude", Version: "2.1.330", Latest: "2.1.330"}), "Claude Code 2.1.330", "Claude Code 2.1.330"},
	} {
		if got := words("en").claudeCodeLine(c.r); got != c.en {
			t.Errorf("en: %q; want %q", got, c.en)
		}
		if got := words("zh").claudeCodeLine(c.r); got != c.zh {
			t.Errorf("zh: %q; want %q", got, c.zh)
		}
	}
}
