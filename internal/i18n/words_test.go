package i18n

import (
	"testing"
	"time"
)

func TestDurationAndNumber(t *testing.T) {
	en, zh := For("en"), For("zh")
	for _, tc := range []struct {
		d      time.Duration
		en, zh string
	}{
		{5 * time.Minute, "5 minutes", "5 分钟"},
		{time.Minute, "1 minute", "1 分钟"},
		{90 * time.Minute, "1 hour 30 minutes", "1 小时 30 分钟"},
		{24 * time.Hour, "24 hours", "24 小时"},
		{61 * time.Second, "1 minute 1 second", "1 分钟 1 秒"},
		{400 * time.Millisecond, "0 seconds", "0 秒"},
	} {
		if got := en.Duration(tc.d); got != tc.en {
			t.Errorf("English %v = %q, want %q", tc.d, got, tc.en)
		}
		if got := zh.Duration(tc.d); got != tc.zh {
			t.Errorf("Chinese %v = %q, want %q", tc.d, got, tc.zh)
		}
	}
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 27360: "27,360", 1234567: "1,234,567", -4200: "-4,200"} {
		if got := en.Number(n); got != want {
			t.Errorf("Number(%d) = %q, want %q", n, got, want)
		}
	}
}
