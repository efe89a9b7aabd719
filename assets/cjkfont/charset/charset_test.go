package charset

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScan reads Go literals (interpreted, raw, rune) and message files, and
// skips comments, testdata, hidden folders and other files.
func TestScan(t *testing.T) {
	root := t.TempDir()
	files := map[string]string{
		"netcheck/catalogue.go":    "package netcheck\n\n// 注释 is a comment\nvar a = \"检查代理\\u3002\"\nvar b = `原始 → 字符串`\nvar c = '码'\n",
		"assets/lang/zh-CN.json":   `{"status.title": "状态：正常！"}`,
		"internal/msg/zh.toml":     `title = "托盘"`,
		"app/testdata/golden.json": `{"x": "忽略"}`,
		".git/config.json":         `{"x": "隐藏"}`,
		"docs/notes.md":            "文档",
	}
	for name, text := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	set, err := Scan(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		chars string
		file  string // "" for the ASCII and Latin-1 every set has
	}{
		{"检查代理。", "netcheck/catalogue.go"},
		{"原始→字符串", "netcheck/catalogue.go"},
		{"码", "netcheck/catalogue.go"},
		{"状态：正常！", "assets/lang/zh-CN.json"},
		{"托盘", "internal/msg/zh.toml"},
		{"Az09 ~·é×ÿ", ""},
	} {
		for _, r := range tc.chars {
			if file, ok := set[r]; !ok || file != tc.file {
				t.Errorf("%q: found in %q (%v), want %q", r, file, ok, tc.file)
			}
		}
	}
	for _, r := range "注释忽略隐藏文档\n\t" {
		if file, ok := set[r]; ok {
			t.Errorf("%q found in %s: it is not a text of the window", r, file)
		}
	}
}

// TestScanBadGo: a Go file that does not scan is an error naming it.
func TestScanBadGo(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "bad.go"), []byte("package x\nvar s = \"unterminated\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Scan(root); err == nil || !strings.Contains(err.Error(), "bad.go") {
		t.Errorf("Scan = %v, want an error naming bad.go", err)
	}
}

func TestNeeded(t *testing.T) {
	for _, tc := range []struct {
		chars string
		want  bool
	}{
		{"中文检查", true},
		{"、，。：；！？（）「」", true},
		{"→←“”…·—–•", true},
		{"Az09 é×±µ", true},
		{"✓✗😀Ął", false},
		{"\u200b\u00ad\t\n", false},
	} {
		for _, r := range tc.chars {
			if got := Needed(r); got != tc.want {
				t.Errorf("Needed(%q U+%04X) = %v, want %v", r, r, got, tc.want)
			}
		}
	}
}
