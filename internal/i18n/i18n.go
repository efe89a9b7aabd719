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
	"strconv"
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
//
// A count worded for its number: when kv gives N (a number, or a number
// padded with spaces), the language's file may hold key+"#one" (for 1) and
// key+"#other" (for any other number), which win over the text itself:
// "1 file", "2 files", where the code's English says "{{.N}} files".
func (p Printer) X(key, fallback string, kv ...any) string {
	s := fallback
	if p.Chinese() {
		if t, ok := chinese()[key]; ok && t != "" {
			s = t
		}
	}
	if n, ok := count(kv); ok {
		form := key + "#other"
		if n == 1 {
			form = key + "#one"
		}
		m := chinese()
		if !p.Chinese() {
			m = englishPlurals()
		}
		if t, ok := m[form]; ok && t != "" {
			s = t
		}
	}
	return fill(s, kv)
}

// count is the value of N in kv, when it is a whole number.
func count(kv []any) (int64, bool) {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] != "N" {
			continue
		}
		n, err := strconv.ParseInt(strings.TrimSpace(fmt.Sprint(kv[i+1])), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// englishPlurals are en.json's "#one" and "#other" forms, read once, when
// an English count is first worded (the rest of English is the code's own text).
var englishPlurals = sync.OnceValue(func() map[string]string {
	m, _ := Read(Files[prefs.English])
	out := map[string]string{}
	for k, v := range m {
		if strings.HasSuffix(k, "#one") || strings.HasSuffix(k, "#other") {
			out[k] = v
		}
	}
	return out
})

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
