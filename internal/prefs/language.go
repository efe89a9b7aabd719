package prefs

import (
	"os"
	"strings"
)

// The two languages Claude Medic speaks, as claudesettings.Text.In takes them.
const (
	English = "en"
	Chinese = "zh-CN"
)

// ChooseLanguage picks the language every front end speaks: override (the
// preferences' Language) when set, else the locale the way gettext reads it
// (LC_ALL, LC_MESSAGES, LANG, then LANGUAGE, which a C or POSIX locale
// ignores). Any zh locale is Chinese, everything else English, C and POSIX
// included. fromEnv is false when no variable decided (a desktop app on macOS
// or Windows), so a front end may ask the system instead.
func ChooseLanguage(override string) (language string, fromEnv bool) {
	if override != "" {
		return Normalise(override), true
	}
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			if l == "C" || l == "POSIX" || strings.HasPrefix(l, "C.") {
				return English, true
			}
			if lg := os.Getenv("LANGUAGE"); lg != "" {
				return Normalise(strings.Split(lg, ":")[0]), true
			}
			return Normalise(l), true
		}
	}
	if lg := os.Getenv("LANGUAGE"); lg != "" {
		return Normalise(strings.Split(lg, ":")[0]), true
	}
	return English, false
}

// Normalise maps a language or locale name (zh, zh_CN.UTF-8, zh-Hans, en_GB)
// to English or Chinese: the one rule for "is this Chinese" (claudesettings.Text.In,
// which cannot import this package, keeps the same test on its own).
func Normalise(l string) string {
	if strings.HasPrefix(strings.ToLower(l), "zh") {
		return Chinese
	}
	return English
}
