package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"claudemedic/internal/prefs"
)

// use is one message a program asks for: its key and English fallback, and where.
type use struct {
	fallback string
	at       string
}

// usedMessages finds every X(key, fallback, ...) call in the module's code
// (i18n's and Fyne's lang.X alike, which read the same files). A call with a
// key or fallback that is not a literal is an error: the files could not be
// checked against it.
func usedMessages(t *testing.T) map[string]use {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]use{}
	fset := token.NewFileSet()
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		file, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
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
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "lang" && slices.Contains([]string{"L", "N", "XN", "Localize", "LocalizeKey", "LocalizePlural", "LocalizePluralKey"}, sel.Sel.Name) {
				t.Errorf("%s: use lang.X(key, English) so every message has a key", fset.Position(call.Pos()))
				return true
			}
			if sel.Sel.Name != "X" || len(call.Args) < 2 {
				return true
			}
			k, ok1 := call.Args[0].(*ast.BasicLit)
			v, ok2 := call.Args[1].(*ast.BasicLit)
			if !ok1 || !ok2 || k.Kind != token.STRING || v.Kind != token.STRING {
				t.Errorf("%s: X needs a literal key and English text", fset.Position(call.Pos()))
				return true
			}
			ks, _ := strconv.Unquote(k.Value)
			vs, _ := strconv.Unquote(v.Value)
			at := fset.Position(call.Pos()).String()
			if prev, ok := used[ks]; ok && prev.fallback != vs {
				t.Errorf("%s: %q says %q, but %s says %q", at, ks, vs, prev.at, prev.fallback)
			}
			used[ks] = use{vs, at}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return used
}

var placeholder = regexp.MustCompile(`\{\{\.[A-Za-z]+\}\}`)

func placeholders(s string) string {
	p := placeholder.FindAllString(s, -1)
	slices.Sort(p)
	return strings.Join(slices.Compact(p), ",")
}

// TestMessagesComplete fails when a message the code uses is missing from
// en.json or zh-CN.json or empty there, when en.json differs from the code's
// English text, when a translation drops or adds a {{.Name}}, and when a file
// holds a message no code uses.
func TestMessagesComplete(t *testing.T) {
	used := usedMessages(t)
	if len(used) < 100 {
		t.Fatalf("found only %d messages in the code: the scan is broken", len(used))
	}
	for _, l := range []string{prefs.English, prefs.Chinese} {
		file := Files[l]
		m, err := Read(file)
		if err != nil {
			t.Fatal(err)
		}
		for k, u := range used {
			v, ok := m[k]
			switch {
			case !ok:
				t.Errorf("%s lacks %q (%q, %s)", file, k, u.fallback, u.at)
				continue
			case strings.TrimSpace(v) == "":
				t.Errorf("%s: %q is empty", file, k)
			case l == prefs.English && v != u.fallback:
				t.Errorf("en.json: %q is %q, the code (%s) says %q", k, v, u.at, u.fallback)
			}
			if placeholders(v) != placeholders(u.fallback) {
				t.Errorf("%s: %q has {{.}} values %q, the code's English %q", file, k, placeholders(v), placeholders(u.fallback))
			}
		}
		for k := range m {
			if _, ok := used[k]; !ok {
				t.Errorf("%s: %q is used nowhere in the code", file, k)
			}
		}
	}
}

func TestPrinter(t *testing.T) {
	for _, tc := range []struct {
		lang, key, fallback string
		kv                  []any
		want                string
	}{
		{"en", "tray.quit", "Quit", nil, "Quit"},
		{"zh", "tray.quit", "Quit", nil, "退出"},
		{"zh_CN.UTF-8", "tray.latency", "latency {{.Latency}}", []any{"Latency", "5 ms"}, "延迟 5 ms"},
		{"en", "tray.latency", "latency {{.Latency}}", []any{"Latency", "5 ms"}, "latency 5 ms"},
		{"zh", "no.such.key", "Fallback {{.N}}", []any{"N", 3}, "Fallback 3"},
		{"", "tray.quit", "Quit", nil, "Quit"},
	} {
		if got := For(tc.lang).X(tc.key, tc.fallback, tc.kv...); got != tc.want {
			t.Errorf("For(%q).X(%q) = %q, want %q", tc.lang, tc.key, got, tc.want)
		}
	}
	if !For("zh-Hans").Chinese() || For("en_GB").Chinese() || For("").Lang() != prefs.English {
		t.Error("For does not follow prefs.Normalise")
	}
}
