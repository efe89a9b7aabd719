package netcheck

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// SSEEvent is one server-sent event: its name (the "event:" field, or
// "message" when absent) and its data lines joined by "\n".
type SSEEvent struct {
	Name string
	Data string
	ID   string
}

// ErrSSELineTooLong is returned for a line longer than MaxSSELine.
var ErrSSELineTooLong = errors.New("server-sent event line too long")

// MaxSSELine bounds one line of an event stream.
const MaxSSELine = 1 << 20

// SSEReader parses a text/event-stream body event by event, as the WHATWG
// HTML standard defines it: lines end in CRLF, LF or CR; a line starting with
// ':' is a comment; "field: value" lines build the event; a blank line
// dispatches it; an event with no data is not dispatched.
type SSEReader struct {
	r     *bufio.Reader
	Bytes int64 // bytes read so far
}

// NewSSEReader reads events from r.
func NewSSEReader(r io.Reader) *SSEReader { return &SSEReader{r: bufio.NewReaderSize(r, 4096)} }

// Next returns the next event. At the end of the stream it returns io.EOF
// when the stream ended between events, and io.ErrUnexpectedEOF when it
// ended inside one; a read error is returned as is.
func (s *SSEReader) Next() (SSEEvent, error) {
	var ev SSEEvent
	var data strings.Builder
	hasData, partial := false, false
	for {
		line, err := s.line()
		if err != nil {
			if err == io.EOF && (partial || hasData) {
				return SSEEvent{}, io.ErrUnexpectedEOF
			}
			return SSEEvent{}, err
		}
		if line == "" {
			if hasData {
				ev.Data = data.String()
				if ev.Name == "" {
					ev.Name = "message"
				}
				return ev, nil
			}
			ev, partial = SSEEvent{}, false
			continue
		}
		partial = true
		if line[0] == ':' {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			ev.Name = value
		case "data":
			if hasData {
				data.WriteByte('\n')
			}
			data.WriteString(value)
			hasData = true
		case "id":
			if !strings.ContainsRune(value, 0) {
				ev.ID = value
			}
		}
	}
}

// line reads one line without its ending (CRLF, LF or CR).
func (s *SSEReader) line() (string, error) {
	var b strings.Builder
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			if err == io.EOF && b.Len() > 0 {
				return "", io.ErrUnexpectedEOF
			}
			return "", err
		}
		s.Bytes++
		switch c {
		case '\n':
			return b.String(), nil
		case '\r':
			if next, err := s.r.Peek(1); err == nil && next[0] == '\n' {
				s.r.ReadByte()
				s.Bytes++
			}
			return b.String(), nil
		}
		if b.Len() >= MaxSSELine {
			return "", ErrSSELineTooLong
		}
		b.WriteByte(c)
	}
}
