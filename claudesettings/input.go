package claudesettings

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// InputError is a value a person typed that cannot be saved; Text says why.
type InputError struct {
	Text
	Err error // ErrNotDuration, ErrNotWholeMillis or ErrOutOfRange
}

func (e *InputError) Error() string { return e.EN }
func (e *InputError) Unwrap() error { return e.Err }

// The reasons ParseInput refuses a value.
var (
	ErrNotDuration    = errors.New("neither milliseconds nor a duration")
	ErrNotWholeMillis = errors.New("not a whole number of milliseconds")
)

// ParseInput reads a value a person typed for one of the table's numeric
// variables, in the CLI (`config set-timeout`) and the window alike, and
// returns the text to save: for milliseconds, a whole number of
// milliseconds ("600000") or a Go duration ("10m", "600s", "1h30m",
// "1500ms"); for a count, a whole number; "default" or "" (after trimming)
// gives "", which removes the setting. It refuses a value Claude Code would
// not read as given (the table's Read finds a Problem: 0, out of range…);
// the error is an *InputError whose Text says why.
func ParseInput(name, s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "default" {
		return "", nil
	}
	v, _ := Lookup(name)
	text := s
	if _, err := strconv.ParseInt(s, 10, 64); err != nil && v.Kind == ValueMillis {
		d, err := time.ParseDuration(s)
		if err != nil {
			return "", &InputError{Err: ErrNotDuration, Text: Text{
				EN: fmt.Sprintf("%s: %q is neither milliseconds (120000) nor a duration (2m, 90s)", name, s),
				ZH: fmt.Sprintf("%s：%q 既不是毫秒数（120000），也不是时长（2m、90s）", name, s)}}
		}
		if d%time.Millisecond != 0 {
			return "", &InputError{Err: ErrNotWholeMillis, Text: Text{
				EN: fmt.Sprintf("%s: %s is not a whole number of milliseconds", name, d),
				ZH: fmt.Sprintf("%s：%s 不是整数毫秒", name, d)}}
		}
		text = strconv.FormatInt(d.Milliseconds(), 10)
	}
	r := v.Read(text)
	if v.Name == "" {
		r = Read(name, text)
	}
	if !r.Problem.None() {
		t := r.Problem.Text
		if v.Max > 0 {
			t.EN += fmt.Sprintf(" Give a whole number from %d to %d.", v.Min, v.Max)
			t.ZH += fmt.Sprintf("请填写 %d 到 %d 之间的整数。", v.Min, v.Max)
		}
		return "", &InputError{Err: ErrOutOfRange, Text: t}
	}
	if (v.Kind == ValueMillis || v.Kind == ValueCount) && r.Effective != text {
		return "", &InputError{Err: ErrOutOfRange, Text: Text{
			EN: fmt.Sprintf("%s: write a whole number, not %q", name, s), ZH: fmt.Sprintf("%s：请写整数，而不是 %q", name, s)}}
	}
	return text, nil
}
