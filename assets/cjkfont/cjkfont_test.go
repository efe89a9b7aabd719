package cjkfont

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/go-text/typesetting/font"

	"claudemedic/assets/cjkfont/charset"
)

// TestSubsetCarriesEveryText: every character a text of the repository uses
// that the font must carry (charset.Needed: Chinese, CJK punctuation, →, “”,
// ASCII, ...) is in both embedded weights' cmap, read as Fyne reads it
// (go-text's NominalGlyph, by which Fyne picks the font for a character).
func TestSubsetCarriesEveryText(t *testing.T) {
	set, err := charset.Scan("../..")
	if err != nil {
		t.Fatal(err)
	}
	han := 0
	for r := range set {
		if r >= 0x4e00 && r <= 0x9fff {
			han++
		}
	}
	if han < 100 {
		t.Fatalf("only %d Chinese characters found in the texts: is the scan reading the translations and the catalogue?", han)
	}
	for _, w := range []Weight{Regular, Bold} {
		t.Run(string(w), func(t *testing.T) {
			data, err := Font(w)
			if err != nil {
				t.Fatal(err)
			}
			f, err := font.ParseTTF(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s does not parse: %v", FileName(w), err)
			}
			var missing []string
			for r, file := range set {
				if !charset.Needed(r) {
					continue
				}
				if _, ok := f.NominalGlyph(r); !ok {
					where := file
					if where == "" {
						where = "ASCII or Latin-1"
					}
					missing = append(missing, fmt.Sprintf("%q (U+%04X, %s)", r, r, where))
				}
			}
			slices.Sort(missing)
			if len(missing) > 0 {
				t.Errorf("%s lacks %d character(s) the texts use: %s\nRun scripts/gen-cjk-font.sh to rebuild it from the texts (a character still missing then is one Noto Sans CJK SC does not have).",
					FileName(w), len(missing), strings.Join(missing, ", "))
			}
		})
	}
}

// TestFontMissing: a weight the build lacks is an error that says how to make it.
func TestFontMissing(t *testing.T) {
	_, err := Font("Thin")
	if err == nil || !strings.Contains(err.Error(), "scripts/gen-cjk-font.sh") {
		t.Errorf("Font(Thin) = %v, want an error naming the generator", err)
	}
}

// TestLicenseShipped: the OFL's text and the copyright notice travel with the fonts.
func TestLicenseShipped(t *testing.T) {
	l := License()
	for _, want := range []string{"Adobe", "SIL OPEN FONT LICENSE Version 1.1", "PERMISSION & CONDITIONS", "DISCLAIMER"} {
		if !strings.Contains(l, want) {
			t.Errorf("files/OFL.txt lacks %q", want)
		}
	}
}
