// Package cjkfont holds the font the Chinese window draws its text with:
// Noto Sans CJK SC, Regular and Bold, cut down to the characters Claude
// Medic's texts use (about 800, some 215 KB each), under the SIL Open
// Font License (files/OFL.txt). Fyne's own font has no Chinese characters,
// and a machine may have no Chinese font at all (a minimal desktop, a
// container, Wine). scripts/gen-cjk-font.sh makes the files; the package's
// test fails when a text uses a character they lack.
package cjkfont

import (
	"embed"
	"fmt"
	"io/fs"
)

// files holds the fonts and their licence. A folder, not the font files by
// name, so that a build whose font is missing still builds and Font says so.
//
//go:embed files
var files embed.FS

// Weight is a weight of the font.
type Weight string

// The weights embedded.
const (
	Regular Weight = "Regular"
	Bold    Weight = "Bold"
)

// FileName is the embedded file of weight w.
func FileName(w Weight) string { return "NotoSansCJKsc-" + string(w) + "-subset.otf" }

// Font returns the OpenType data of weight w, or an error saying how to make
// it when the build lacks it.
func Font(w Weight) ([]byte, error) {
	data, err := fs.ReadFile(files, "files/"+FileName(w))
	if err != nil {
		return nil, fmt.Errorf("the Chinese font %s is not in this build (make it with scripts/gen-cjk-font.sh): %w", FileName(w), err)
	}
	return data, nil
}

// License is the font's licence, the SIL Open Font License 1.1, with its
// copyright notice.
func License() string {
	data, _ := fs.ReadFile(files, "files/OFL.txt")
	return string(data)
}
