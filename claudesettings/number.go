package claudesettings

import (
	"math"
	"strconv"
	"strings"
)

// How Claude Code 2.1.332 turns a variable's text into a number, read in its
// bundle (the function the minified code calls ug, used by its env schema's
// int() for API_TIMEOUT_MS, CLAUDE_CODE_MAX_RETRIES, MCP_TIMEOUT and
// MCP_TOOL_TIMEOUT, and directly for BASH_DEFAULT_TIMEOUT_MS and
// BASH_MAX_TIMEOUT_MS), and measured end to end with API_TIMEOUT_MS against
// a fake API on loopback that answers after 3 s (/work/coord/variable-rules.md):
//
//  1. JavaScript's String.prototype.trim: white space and line ends around
//     the text go, a byte order mark (U+FEFF) and a no-break space too
//     (" 2000 ", "\t2000\n", "\uFEFF2000" all timed out at 2 s).
//  2. A number in exponent form ("1e3") is read whole, when it is an integer
//     (1e3 timed out at 1 s); "1.5e0" is not a number.
//  3. Groups of three digits split by one separator, "_", ",", a no-break
//     space or a narrow no-break space or a space ("2,000"), are read whole
//     (timed out at 2 s).
//  4. Anything else goes to parseInt(text, 10): a sign, then the ASCII digits
//     0-9 at the start, the rest dropped: "+2000" is 2000, "2000ms" is 2000,
//     "2000.9" is 2000, "2s" is 2 (timed out at once, "set API_TIMEOUT_MS
//     above 2"). No digit at the start, a quote ("\"2000\"", "'2000'"),
//     full-width (２０００) or Arabic-Indic (٢٠٠٠) digits, or an empty
//     text: not a number, the variable is ignored (answered after 3 s, as
//     with none set).

// numberRead is a variable's text read as Claude Code reads a number.
type numberRead struct {
	n       float64 // the number (JavaScript's double); valid when ok
	ok      bool    // a number at all (not NaN)
	dropped string  // what parseInt left off the end ("ms" of "2000ms"); "" when it read the whole text
	quoted  bool    // the text is in quotes, which are part of the value
	foreign bool    // the text holds digits other than 0-9 (full-width, Arabic-Indic…)
}

// readNumber reads text as Claude Code 2.1.332 does (see above).
func readNumber(text string) numberRead {
	s := jsTrim(text)
	r := numberRead{}
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		r.quoted = true
	}
	for _, c := range s {
		if c > 0x7f && isUnicodeDigit(c) {
			r.foreign = true
		}
	}
	if len(s) <= 32 {
		if isExponent(s) {
			f, err := strconv.ParseFloat(s, 64)
			if err == nil && !math.IsInf(f, 0) && f == math.Trunc(f) {
				r.n, r.ok = f, true
			}
			return r
		}
		if digits, ok := groupedDigits(s); ok {
			f, _ := strconv.ParseFloat(digits, 64)
			r.n, r.ok = f, true
			return r
		}
	}
	// parseInt(s, 10)
	i := 0
	neg := false
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		neg = s[i] == '-'
		i++
	}
	j := i
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		j++
	}
	if j == i {
		return r
	}
	f, _ := strconv.ParseFloat(s[i:j], 64)
	if neg {
		f = -f
	}
	r.n, r.ok, r.dropped = f, true, s[j:]
	return r
}

// jsTrim is JavaScript's String.prototype.trim: WhiteSpace and
// LineTerminator (ECMA-262), which has U+FEFF and U+00A0 but not U+0085.
func jsTrim(s string) string {
	return strings.TrimFunc(s, func(c rune) bool {
		switch c {
		case '\t', '\n', '\v', '\f', '\r', ' ', 0xa0, 0x1680, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff:
			return true
		}
		return c >= 0x2000 && c <= 0x200a
	})
}

// isExponent matches /^[+-]?(\d+(\.\d*)?|\.\d+)[eE][+-]?\d+$/.
func isExponent(s string) bool {
	if s != "" && (s[0] == '+' || s[0] == '-') {
		s = s[1:]
	}
	i := strings.IndexAny(s, "eE")
	if i < 0 {
		return false
	}
	mant, exp := s[:i], s[i+1:]
	if exp != "" && (exp[0] == '+' || exp[0] == '-') {
		exp = exp[1:]
	}
	if exp == "" || !allDigits(exp) {
		return false
	}
	whole, frac, dot := strings.Cut(mant, ".")
	if !allDigits(whole) || !allDigits(frac) {
		return false
	}
	if whole == "" {
		return dot && frac != ""
	}
	return true
}

// groupedDigits matches /^[+-]?\d{1,3}([_,\u00A0\u202F ])\d{3}(?:\1\d{3})*$/
// and returns the number without its separators.
func groupedDigits(s string) (string, bool) {
	sign := ""
	if s != "" && (s[0] == '+' || s[0] == '-') {
		sign, s = s[:1], s[1:]
	}
	for _, sep := range []string{"_", ",", string(rune(0xa0)), string(rune(0x202f)), " "} {
		parts := strings.Split(s, sep)
		if len(parts) < 2 || len(parts[0]) < 1 || len(parts[0]) > 3 || !allDigits(parts[0]) {
			continue
		}
		ok := true
		for _, p := range parts[1:] {
			if len(p) != 3 || !allDigits(p) {
				ok = false
				break
			}
		}
		if ok {
			return sign + strings.Join(parts, ""), true
		}
	}
	return "", false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isUnicodeDigit reports a decimal digit of another script (Nd), the ones a
// person may type: full-width, Arabic-Indic, Extended Arabic-Indic, Devanagari.
func isUnicodeDigit(c rune) bool {
	for _, zero := range []rune{0xff10, 0x0660, 0x06f0, 0x0966, 0x09e6} {
		if c >= zero && c <= zero+9 {
			return true
		}
	}
	return false
}
