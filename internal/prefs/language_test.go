package prefs

import "testing"

func TestChooseLanguage(t *testing.T) {
	for _, tc := range []struct {
		lcAll, lang, language, override, want string
		fromEnv                               bool
	}{
		{"", "zh_CN.UTF-8", "", "", Chinese, true},
		{"", "en_US.UTF-8", "", "", English, true},
		{"", "C", "", "", English, true},
		{"", "POSIX", "", "", English, true},
		{"C.UTF-8", "zh_CN.UTF-8", "", "", English, true},
		{"", "C", "zh_CN", "", English, true}, // gettext ignores LANGUAGE under C
		{"", "de_DE.UTF-8", "", "", English, true},
		{"", "zh_TW.UTF-8", "", "", Chinese, true},
		{"", "en_GB.UTF-8", "zh_CN:en", "", Chinese, true},
		{"", "en_US.UTF-8", "", "zh", Chinese, true},
		{"", "zh_CN.UTF-8", "", "en", English, true},
		{"", "", "", "", English, false},
	} {
		t.Setenv("LC_ALL", tc.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", tc.lang)
		t.Setenv("LANGUAGE", tc.language)
		got, fromEnv := ChooseLanguage(tc.override)
		if got != tc.want || fromEnv != tc.fromEnv {
			t.Errorf("LC_ALL=%q LANG=%q LANGUAGE=%q override=%q: %s, %v; want %s, %v",
				tc.lcAll, tc.lang, tc.language, tc.override, got, fromEnv, tc.want, tc.fromEnv)
		}
	}
}
