package cli

import (
	"strings"
	"testing"
)

// TestTableAlignsByTerminalColumns: Chinese cells count two columns each, a
// note goes under its row without widening a column, the last column is
// never padded.
func TestTableAlignsByTerminalColumns(t *testing.T) {
	tb := table{indent: "  "}
	tb.row("变量", "值", "来源")
	tb.row("API_TIMEOUT_MS", "（未设置）", "-")
	tb.note(strings.Repeat("a long sentence that must not widen the first column ", 3))
	tb.row("X", "600000", "Claude Code 的默认值")
	var b strings.Builder
	if err := tb.write(&b); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"  变量            值          来源\n" +
		"  API_TIMEOUT_MS  （未设置）  -\n" +
		"    ! " + strings.Repeat("a long sentence that must not widen the first column ", 3) + "\n" +
		"  X               600000      Claude Code 的默认值\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
