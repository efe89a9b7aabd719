package gui

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestBreakLines breaks mixed Chinese and English text at a fixed width
// (each character one unit wide) and checks the rules: no break inside a
// Latin word, no line opening with a closing mark or ending with an opening one.
func TestBreakLines(t *testing.T) {
	measure := func(s string) float32 { return float32(utf8.RuneCountInString(s)) }
	for _, tc := range []struct {
		text  string
		width float32
		want  []string
	}{
		{"请在 Claude Code 中运行 /login，然后按跳过。", 12, []string{"请在 Claude", "Code 中运行", "/login，然后按跳", "过。"}},
		{"粘贴一个来自 console.anthropic.com 的 API 密钥", 10, []string{"粘贴一个来自", "console.", "anthropic.", "com 的 API", "密钥"}},
		{"调高 API_TIMEOUT_MS，或检查代理。", 16, []string{"调高", "API_TIMEOUT_MS，或", "检查代理。"}},
		{"设为默认的 600000（10 分钟），避免", 10, []string{"设为默认的", "600000（10", "分钟），避免"}},
		{"Raise the timeout to 600000 now", 12, []string{"Raise the", "timeout to", "600000 now"}},
		{"a\nb c", 10, []string{"a", "b c"}},
	} {
		got := breakLines(tc.text, tc.width, measure)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("breakLines(%q, %v) = %q, want %q", tc.text, tc.width, got, tc.want)
		}
		for _, l := range got {
			if r, _ := utf8.DecodeRuneInString(l); l != "" && strings.ContainsRune("，。、；：！？）", r) {
				t.Errorf("line %q opens with a closing mark", l)
			}
		}
	}
}
