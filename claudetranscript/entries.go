package claudetranscript

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// flexInt takes a JSON number, a numeric string or anything else (0): a field of
// another type in another version of Claude Code never fails the whole line.
type flexInt int64

func (f *flexInt) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 1 && b[0] == '"' {
		b = b[1 : len(b)-1]
	}
	if v, err := strconv.ParseFloat(string(b), 64); err == nil && v > -1e15 && v < 1e15 {
		*f = flexInt(v)
	} else {
		*f = 0
	}
	return nil
}

// flexStr takes a JSON string; anything else is "".
type flexStr string

func (f *flexStr) UnmarshalJSON(b []byte) error {
	if len(b) >= 2 && b[0] == '"' && b[len(b)-1] == '"' && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
		*f = flexStr(b[1 : len(b)-1])
		return nil
	}
	var s string
	if json.Unmarshal(b, &s) == nil {
		*f = flexStr(s)
	} else {
		*f = ""
	}
	return nil
}

// flexBool takes true (or "true"); anything else is false.
type flexBool bool

func (f *flexBool) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(bytes.TrimSpace(b), `"`))
	*f = flexBool(s == "true")
	return nil
}

// head is what every entry this package reads has. Unknown fields are ignored.
type head struct {
	Type      flexStr `json:"type"`
	Subtype   flexStr `json:"subtype"`
	Timestamp flexStr `json:"timestamp"`
	SessionID flexStr `json:"sessionId"`
	Version   flexStr `json:"version"`
	Cwd       flexStr `json:"cwd"`
	UUID      flexStr `json:"uuid"`
}

// apiErrorEntry is "type":"system","subtype":"api_error".
type apiErrorEntry struct {
	head
	Error        json.RawMessage `json:"error"`
	RetryInMs    flexInt         `json:"retryInMs"`
	RetryAttempt flexInt         `json:"retryAttempt"`
	MaxRetries   flexInt         `json:"maxRetries"`
}

// apiError is the error of an api_error entry, read leniently.
type apiError struct {
	Message       flexStr         `json:"message"`
	Formatted     flexStr         `json:"formatted"`
	Status        flexInt         `json:"status"`
	RequestID     flexStr         `json:"requestId"`
	Connection    json.RawMessage `json:"connection"`
	IsNetworkDown flexBool        `json:"isNetworkDown"`
}

type connection struct {
	Code       flexStr  `json:"code"`
	IsSSLError flexBool `json:"isSSLError"`
}

// assistantEntry is "type":"assistant"; its content is only decoded for the
// synthetic error entries, whose text is Claude Code's own words.
type assistantEntry struct {
	head
	Message struct {
		Model flexStr `json:"model"`
		Role  flexStr `json:"role"`
	} `json:"message"`
	IsAPIErrorMessage flexBool `json:"isApiErrorMessage"`
	RequestID         flexStr  `json:"requestId"`
	APIErrorStatus    flexInt  `json:"apiErrorStatus"`
	APIError          flexStr  `json:"apiError"`
	RequestRef        flexStr  `json:"requestRef"`
}

type syntheticContent struct {
	Message struct {
		Content json.RawMessage `json:"content"`
	} `json:"message"`
}

const syntheticModel = "<synthetic>"

var (
	markAPIError  = []byte(`"api_error"`)
	markSynthetic = []byte(`"<synthetic>"`)
	markAssistant = []byte(`"assistant"`)
	markUser      = []byte(`"type":"user"`)
	statusInText  = regexp.MustCompile(`^API Error: ([1-5][0-9][0-9])\b`)
	connInText    = regexp.MustCompile(`\((E[A-Z_]{3,}|ERR_[A-Z_]+|UND_ERR_[A-Z_]+)\)`)
)

func parseTime(s flexStr) time.Time {
	t, err := time.Parse(time.RFC3339Nano, string(s))
	if err != nil {
		return time.Time{}
	}
	return t
}

// syntheticText is the first text of a synthetic entry's content (a string or blocks).
func syntheticText(line []byte) string {
	var c syntheticContent
	if json.Unmarshal(line, &c) != nil {
		return ""
	}
	var s string
	if json.Unmarshal(c.Message.Content, &s) == nil {
		return s
	}
	var blocks []struct {
		Type flexStr `json:"type"`
		Text flexStr `json:"text"`
	}
	if json.Unmarshal(c.Message.Content, &blocks) == nil {
		for _, b := range blocks {
			if b.Type == "text" && b.Text != "" {
				return string(b.Text)
			}
		}
	}
	return ""
}

// looksAPIError tells a synthetic entry that is an API error: the flag of 2.x, or
// the "API Error" words older versions wrote without it.
func looksAPIError(a *assistantEntry, text string) bool {
	if a.IsAPIErrorMessage || a.APIErrorStatus != 0 || a.APIError != "" {
		return true
	}
	return strings.HasPrefix(text, "API Error") || strings.Contains(text, "API Error:")
}
