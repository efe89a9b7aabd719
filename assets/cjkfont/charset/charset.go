// Package charset finds the characters Claude Medic's texts use, so that the
// embedded Chinese font (assets/cjkfont) carries each of them: the generator
// (scripts/gen-cjk-font.sh) subsets Noto Sans CJK SC to Scan's set, and a test
// fails when the subset lacks a character Needed says it must have.
//
// The texts are read where they are, not from a list: the string literals of
// every Go file (the finding catalogue, netcheck's summaries, the tray, the
// command line, the symptom list, test data the golden pages show) and every
// translation or message file (assets/lang/*.json, and .toml or .yaml ones
// should the translations move). Folders named testdata, vendor or
// node_modules and hidden ones are skipped.
package charset

import (
	"fmt"
	"go/scanner"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Set maps each character found to the first file (a slash path relative to
// the root scanned) that uses it.
type Set map[rune]string

// messageFiles are the extensions of translation and message files.
var messageFiles = map[string]bool{".json": true, ".toml": true, ".yaml": true, ".yml": true}

// Scan returns the characters of the texts under root, plus printable ASCII
// and Latin-1 (file "": the font should carry them whether or not a text
// uses them today, for text a user pastes).
func Scan(root string) (Set, error) {
	set := Set{}
	for r := rune(0x20); r <= 0xff; r++ {
		if unicode.IsGraphic(r) && (r < 0x7f || r >= 0xa0) {
			set[r] = ""
		}
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		ext := filepath.Ext(name)
		if ext != ".go" && !messageFiles[ext] {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if ext == ".go" {
			return addGoLiterals(set, rel, data)
		}
		add(set, rel, string(data))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("reading the texts under %s: %w", root, err)
	}
	return set, nil
}

// addGoLiterals adds the characters of a Go file's string and rune literals.
func addGoLiterals(set Set, file string, src []byte) error {
	var s scanner.Scanner
	var bad error
	fset := token.NewFileSet()
	s.Init(fset.AddFile(file, -1, len(src)), src, func(pos token.Position, msg string) {
		if bad == nil {
			bad = fmt.Errorf("%s: %s", pos, msg)
		}
	}, 0)
	for {
		_, tok, lit := s.Scan()
		if tok == token.EOF {
			break
		}
		if tok != token.STRING && tok != token.CHAR {
			continue
		}
		if text, err := strconv.Unquote(lit); err == nil {
			add(set, file, text)
		}
	}
	return bad
}

func add(set Set, file, text string) {
	for _, r := range text {
		if r == utf8.RuneError || !unicode.IsGraphic(r) {
			continue
		}
		if _, seen := set[r]; !seen {
			set[r] = file
		}
	}
}

// Needed reports whether the Chinese font must carry r when a text uses it:
// Chinese characters, CJK and full-width punctuation (、，。：；！？（）),
// the general punctuation and arrows Chinese and English texts share
// (“ ” … · — →), and ASCII and Latin-1. Other characters (✓, emoji,
// other scripts) are drawn from Fyne's own fonts or the system's.
func Needed(r rune) bool {
	switch {
	case !unicode.IsGraphic(r) || unicode.Is(unicode.Cf, r):
		return false
	case r <= 0xff, unicode.Is(unicode.Han, r):
		return true
	case r >= 0x2000 && r <= 0x206f: // General Punctuation
		return true
	case r >= 0x2190 && r <= 0x21ff: // Arrows
		return true
	case r >= 0x3000 && r <= 0x303f: // CJK Symbols and Punctuation
		return true
	case r >= 0xff00 && r <= 0xffef: // Halfwidth and Fullwidth Forms
		return true
	}
	return false
}

// Text is the set's characters in code point order, as a UTF-8 string (the
// generator's --text-file for pyftsubset).
func (s Set) Text() string {
	rs := make([]rune, 0, len(s))
	for r := range s {
		rs = append(rs, r)
	}
	slices.Sort(rs)
	return string(rs)
}
