package gui

import (
	"bytes"
	"log"
	"os"
	"testing"

	"fyne.io/fyne/v2/lang"
)

func TestChooseLanguage(t *testing.T) {
	for _, tc := range []struct {
		lcAll, lang, language, override, want string
	}{
		// The rules are prefs.ChooseLanguage's (tested there); the window follows them.
		{"", "zh_CN.UTF-8", "", "", LangChinese},
		{"C.UTF-8", "zh_CN.UTF-8", "", "", LangEnglish},
		{"", "zh_CN.UTF-8", "", "en", LangEnglish},
	} {
		t.Setenv("LC_ALL", tc.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", tc.lang)
		t.Setenv("LANGUAGE", tc.language)
		if got := ChooseLanguage(tc.override); got != tc.want {
			t.Errorf("LC_ALL=%q LANG=%q LANGUAGE=%q override=%q: %s, want %s", tc.lcAll, tc.lang, tc.language, tc.override, got, tc.want)
		}
	}
}

// TestSetupLanguageCLocale loads the translations under C and POSIX locales:
// English, and not a word on the log (Fyne logs locale trouble there).
func TestSetupLanguageCLocale(t *testing.T) {
	for _, loc := range []string{"C", "POSIX", "C.UTF-8"} {
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANGUAGE", "")
		t.Setenv("LANG", loc)
		var logged bytes.Buffer
		log.SetOutput(&logged)
		SetupLanguage("")
		log.SetOutput(os.Stderr)
		if Language() != LangEnglish {
			t.Errorf("LANG=%s: language %s, want English", loc, Language())
		}
		if got := lang.X("tab.status", "?"); got != "Status" {
			t.Errorf("LANG=%s: tab.status is %q", loc, got)
		}
		if logged.Len() > 0 {
			t.Errorf("LANG=%s logged: %s", loc, logged.String())
		}
	}
	SetupLanguage("zh")
	if got := lang.X("tab.status", "?"); got != "状态" {
		t.Errorf("with the preference zh under LANG=C, tab.status is %q, want 状态", got)
	}
	SetupLanguage("en")
}
