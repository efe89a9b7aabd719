// Package i18n is Claude Medic's one translation system for the command
// line, the tray agent and the use cases: the messages of assets/lang (the
// same files the window loads into Fyne's lang), in the language
// prefs.ChooseLanguage picks. It links no toolkit, so the tray agent stays small.
//
//	tr := i18n.For(lang)
//	tr.X("cli.saved", "Saved {{.File}}:", "File", path)
//
// Every call names its message by a literal key and gives the English text as
// the fallback; a test checks that each key is in en.json (with that text) and
// zh-CN.json, with the same {{.Name}} values, and that no file holds a key no
// code uses.
package i18n

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	langfiles "claudemedic/assets/lang"
	"claudemedic/internal/prefs"
)

// Printer speaks one language: prefs.English or prefs.Chinese.
type Printer struct{ lang string }

// For returns the printer for lang, any spelling prefs.Normalise reads ("zh",
// "zh_CN.UTF-8", "en").
func For(lang string) Printer { return Printer{prefs.Normalise(lang)} }

// Chosen is the printer for the language every front end speaks:
// override (the preferences' language, or a --lang flag) when set, else the
// locale (prefs.ChooseLanguage).
func Chosen(override string) Printer {
	l, _ := prefs.ChooseLanguage(override)
	return For(l)
}

// Lang is the printer's language, as claudesettings.Text.In takes it.
func (p Printer) Lang() string {
	if p.lang == "" {
		return prefs.English
	}
	return p.lang
}

// Chinese reports whether the printer speaks Chinese.
func (p Printer) Chinese() bool { return p.lang == prefs.Chinese }

// X returns the message key in the printer's language, with each {{.Name}}
// replaced by the value after Name in kv (pairs of a name and a value). A key
// missing from the language's file gives fallback, the English text; English
// is the fallback itself (a test holds en.json to it), so an English printer
// reads no file at all.
func (p Printer) X(key, fallback string, kv ...any) string {
	s := fallback
	if p.Chinese() {
		if t, ok := chinese()[key]; ok && t != "" {
			s = t
		}
	}
	return fill(s, kv)
}

// fill replaces {{.Name}} in s with the values of kv, as go-i18n's templates
// print a plain value.
func fill(s string, kv []any) string {
	if len(kv) == 0 || !strings.Contains(s, "{{.") {
		return s
	}
	pairs := make([]string, 0, len(kv))
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, "{{."+fmt.Sprint(kv[i])+"}}", fmt.Sprint(kv[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Files are the message files by language.
var Files = map[string]string{prefs.English: "en.json", prefs.Chinese: "zh-CN.json"}

// chinese reads zh-CN.json once, when a Chinese text is first asked for. A
// file that does not parse leaves the English fallbacks (the test catches it
// first).
var chinese = sync.OnceValue(func() map[string]string {
	m, _ := Read(Files[prefs.Chinese])
	return m
})

// Read reads one message file of assets/lang.
func Read(name string) (map[string]string, error) {
	data, err := langfiles.Files.ReadFile(name)
	if err != nil {
		return nil, err
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, nil
}
