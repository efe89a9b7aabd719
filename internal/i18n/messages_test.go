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
		for k, v := range m {
			if base, ok := pluralBase(k); ok { // a count's form: its message is used, with the same {{.}} values
				if u, ok := used[base]; !ok {
					t.Errorf("%s: %q is the form of %q, which is used nowhere in the code", file, k, base)
				} else if placeholders(v) != placeholders(u.fallback) {
					t.Errorf("%s: %q has {{.}} values %q, the code's English %q", file, k, placeholders(v), placeholders(u.fallback))
				}
				continue
			}
			if _, ok := used[k]; !ok {
				t.Errorf("%s: %q is used nowhere in the code", file, k)
			}
		}
	}
}

// pluralBase is the message key of a count's form (key.one, key.other).
func pluralBase(k string) (string, bool) {
	for _, suffix := range []string{"#one", "#other"} {
		if base, ok := strings.CutSuffix(k, suffix); ok {
			return base, true
		}
	}
	return "", false
}

// TestCounts: a count is worded for its number in both languages.
func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		lang string
		n    any
		want string
	}{
		{"en", 1, "1 file"},
		{"en", "      1", "      1 file"},
		{"en", 2, "2 files"},
		{"en", 0, "0 files"},
		{"zh", 1, "1 个文件"},
	} {
		if got := For(tc.lang).X("cache.files", "{{.N}} files", "N", tc.n); got != tc.want {
			t.Errorf("For(%q).X(cache.files, N=%v) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
	if got := For("en").X("cache.moved", "Moved {{.N}} item(s), {{.Size}}, from {{.Dir}}:", "N", 1, "Size", "4 KB", "Dir", "~/.claude"); got != "Moved 1 item, 4 KB, from ~/.claude:" {
		t.Errorf("one item moved reads %q", got)
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
