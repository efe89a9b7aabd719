package gui

import (
	"bytes"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"claudemedic/assets"
)

// usedKeys returns every lang.X key in the package's code, with its English fallback.
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	fs := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fs, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "lang" {
				return true
			}
			switch sel.Sel.Name {
			case "X":
			case "L", "N", "XN", "Localize", "LocalizeKey", "LocalizePlural", "LocalizePluralKey":
				t.Errorf("%s: use lang.X(key, English) so every string has a key", fs.Position(call.Pos()))
				return true
			default: // not a translation (lang.SystemLocale, lang.AddTranslations…)
				return true
			}
			k, ok1 := call.Args[0].(*ast.BasicLit)
			v, ok2 := call.Args[1].(*ast.BasicLit)
			if !ok1 || !ok2 {
				t.Errorf("%s: lang.X needs literal key and fallback", fs.Position(call.Pos()))
				return true
			}
			ks, _ := strconv.Unquote(k.Value)
			vs, _ := strconv.Unquote(v.Value)
			keys[ks] = vs
			return true
		})
	}
	return keys
}

func readLang(t *testing.T, name string) map[string]string {
	t.Helper()
	data, err := assets.Lang.ReadFile("lang/" + name)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return m
}

var placeholder = regexp.MustCompile(`\{\{\.[A-Za-z]+\}\}`)

// TestTranslationsComplete fails when a key the code uses is missing from
// en.json or zh-CN.json, when a file holds a key no code uses, when en.json
// differs from the code's fallback, or when a translation drops a placeholder.
func TestTranslationsComplete(t *testing.T) {
	used := usedKeys(t)
	if len(used) < 50 {
		t.Fatalf("found only %d lang.X keys: the scan is broken", len(used))
	}
	for _, file := range []string{"en.json", "zh-CN.json"} {
		tr := readLang(t, file)
		for k, en := range used {
			v, ok := tr[k]
			switch {
			case !ok:
				t.Errorf("%s lacks %q (%q)", file, k, en)
			case strings.TrimSpace(v) == "":
				t.Errorf("%s: %q is empty", file, k)
			case file == "en.json" && v != en:
				t.Errorf("en.json: %q is %q, the code's fallback is %q", k, v, en)
			}
			want, got := placeholder.FindAllString(en, -1), placeholder.FindAllString(v, -1)
			sort.Strings(want)
			sort.Strings(got)
			if ok && strings.Join(want, ",") != strings.Join(got, ",") {
				t.Errorf("%s: %q has placeholders %v, want %v", file, k, got, want)
			}
		}
		for k := range tr {
			if _, ok := used[k]; !ok {
				t.Errorf("%s: %q is used nowhere in the code", file, k)
			}
		}
	}
}

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
