//go:build ignore

// gen writes the characters the Chinese font must carry, scanned from the
// repository's texts (package charset), as one UTF-8 line for pyftsubset's
// --text-file, and says on stderr how many there are.
// scripts/gen-cjk-font.sh runs it: go run assets/cjkfont/gen.go ROOT OUT
package main

import (
	"fmt"
	"os"
	"unicode"

	"claudemedic/assets/cjkfont/charset"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go run assets/cjkfont/gen.go ROOT OUT")
		os.Exit(64)
	}
	set, err := charset.Scan(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	han := 0
	for r := range set {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	if err := os.WriteFile(os.Args[2], []byte(set.Text()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "%d characters, %d of them Chinese, from the texts under %s\n", len(set), han, os.Args[1])
}
