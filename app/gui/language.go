package gui

import (
	"os"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	langfiles "claudemedic/assets/lang"
	"claudemedic/internal/i18n"
	"claudemedic/internal/prefs"
)

// The window's two languages, as claudesettings.Text.In takes them.
const (
	LangEnglish = prefs.English
	LangChinese = prefs.Chinese
)

// current is the language SetupLanguage chose; finding texts use it too.
var current = LangEnglish

// Language returns the language the window speaks.
func Language() string { return current }

// tr is the printer of the window's language, for the texts doctor words
// (symptoms, fixes, errors) from the same message files.
func tr() i18n.Printer { return i18n.For(current) }

// ChooseLanguage picks the window's language as every front end does
// (prefs.ChooseLanguage); where no locale variable decides (macOS, Windows),
// the system's locale does.
func ChooseLanguage(override string) string {
	if l, fromEnv := prefs.ChooseLanguage(override); fromEnv {
		return l
	}
	l, _ := prefs.ChooseLanguage(string(lang.SystemLocale()))
	return l
}

// SetupLanguage loads Claude Medic's messages (assets/lang, the files the
// command line and the tray read through internal/i18n) and makes Fyne's lang speak the
// language ChooseLanguage picks for override. A C or POSIX locale gives
// English without an error message.
func SetupLanguage(override string) {
	setLanguage(override)
	loadMessages()
}

// setLanguage chooses the language and says it in the environment, for Fyne.
func setLanguage(override string) {
	current = ChooseLanguage(override)
	// Fyne's lang reads the locale from the environment; say the choice there
	// so both our strings and Fyne's own dialogs use it. Chinese rides on Fyne's
	// zh-Hans bundle so its built-in strings are Chinese too.
	envLang := "en_US"
	if current == LangChinese {
		envLang = "zh_CN"
	}
	os.Setenv("LANGUAGE", envLang)
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if l := os.Getenv(v); l != "" {
			if current == LangChinese && (l == "C" || l == "POSIX" || strings.HasPrefix(l, "C.")) {
				os.Setenv(v, envLang+".UTF-8") // a C locale would hide LANGUAGE from Fyne
			}
			break
		}
	}
}

// loadMessages gives Fyne's lang the chosen language's messages: those of
// the other language are not read (each file costs the start a few
// milliseconds; SetupLanguage reads the other when it is chosen).
func loadMessages() {
	type file struct {
		file   string
		locale fyne.Locale
	}
	chosen := file{"en.json", "en"}
	if current == LangChinese {
		chosen = file{"zh-CN.json", "zh-Hans"}
	}
	// Where Fyne reads the locale from the system rather than the environment
	// (Windows, macOS), it would pick the system's language whatever was
	// chosen: give the system's locale the chosen language's messages too.
	files := []file{chosen, {chosen.file, lang.SystemLocale()}}
	for _, f := range files {
		data, err := langfiles.Files.ReadFile(f.file)
		if err != nil {
			fyne.LogError("reading translations", err)
			continue
		}
		if err := lang.AddTranslationsForLocale(data, f.locale); err != nil {
			fyne.LogError("loading translations "+f.file, err)
		}
	}
}

// wrapping is how a plain widget.Label wraps: at spaces. The window's own
// texts use wrapLabel, which also breaks between Chinese characters and
// never inside a Latin word.
func wrapping() fyne.TextWrap { return fyne.TextWrapWord }
