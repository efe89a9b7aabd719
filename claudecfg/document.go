package claudecfg

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"

	"claudemedic/claudesettings"

	"github.com/tailscale/hujson"
)

// MaxSettingsSize is the largest settings file read or edited. Claude Code's
// settings files are a few kilobytes; a bigger one is not a settings file.
const MaxSettingsSize = 1 << 20

var utf8BOM = []byte("\xef\xbb\xbf")

// Errors a settings file can give, compared with errors.Is.
var (
	ErrTooLarge    = errors.New("too large for a settings file")
	ErrNotObject   = errors.New("the file does not hold a JSON object ({ ... })")
	ErrIsDirectory = errors.New("is a folder, not a settings file")
	ErrNotUTF8     = errors.New("not valid UTF-8 text")
)

// FileError is a settings file Claude Medic will not read or edit, with the
// facts a front end words (doctor.Explain): Err is why, one of ErrReadOnly,
// ErrNotUTF8, ErrNotObject, ErrTooLarge, ErrIsDirectory, ErrNotRegular and
// ErrStateFile, which errors.Is finds through it.
type FileError struct {
	File         string
	Err          error
	Link         string // ErrReadOnly: the file File links to, when it is a link
	Line, Column int    // ErrNotUTF8: where the first byte that is not UTF-8 is
	Size         int64  // ErrTooLarge: the file's size, when known
	text         string // the English sentence
}

func (e *FileError) Error() string { return e.text }

// Unwrap makes errors.Is(err, e.Err) true.
func (e *FileError) Unwrap() error { return e.Err }

// tooLarge is ErrTooLarge for file, size bytes (0: unknown).
func tooLarge(file string, size int64) *FileError {
	if size == 0 {
		return &FileError{File: file, Err: ErrTooLarge, text: fmt.Sprintf("%s %v (at most %s)", file, ErrTooLarge, HumanSize(MaxSettingsSize))}
	}
	return &FileError{File: file, Err: ErrTooLarge, Size: size, text: fmt.Sprintf("%s is %s, %v (at most %s)", file, HumanSize(size), ErrTooLarge, HumanSize(MaxSettingsSize))}
}

// notFile is ErrIsDirectory or ErrNotRegular for file.
func notFile(file string, why error) *FileError {
	return &FileError{File: file, Err: why, text: file + " " + why.Error()}
}

// SyntaxError is a settings file that is not valid JSON, with the place of
// the first fault (1-based line and column, columns counted in characters).
type SyntaxError struct {
	File         string
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s: invalid JSON at line %d, column %d: %s", e.File, e.Line, e.Column, e.Msg)
}

// File is one settings file as read from disk.
type File struct {
	Path   string         // the path as given (a symlink stays the link)
	Exists bool           // false when there is no such file (not an error)
	Data   []byte         // the bytes read, a byte-order mark included
	Values map[string]any // the top-level object; numbers are json.Number
}

// ReadFile reads and checks a settings file the way Claude Code parses it:
// strict JSON (no comments, no trailing commas) holding an object. A missing
// file is not an error (Exists is false); an empty one is an empty object.
// A file that does not parse gives a *SyntaxError with its line and column.
func ReadFile(path string) (*File, error) {
	f := &File{Path: path, Values: map[string]any{}}
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return f, nil
	case err != nil:
		return nil, fmt.Errorf("reading %s: %w", path, err)
	case fi.IsDir():
		return nil, notFile(path, ErrIsDirectory)
	case fi.Size() > MaxSettingsSize:
		return nil, tooLarge(path, fi.Size())
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	defer fh.Close()
	data, err := io.ReadAll(io.LimitReader(fh, MaxSettingsSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(data) > MaxSettingsSize {
		return nil, tooLarge(path, 0)
	}
	f.Exists, f.Data = true, data
	f.Values, err = decodeSettings(path, data)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// decodeSettings checks data as strict JSON holding an object and decodes it.
func decodeSettings(path string, data []byte) (map[string]any, error) {
	body := bytes.TrimPrefix(data, utf8BOM)
	if len(trimJSONSpace(body)) == 0 {
		return map[string]any{}, nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	if err == nil {
		// Only whitespace may follow the value.
		if off := int(dec.InputOffset()); len(trimJSONSpace(body[off:])) != 0 {
			off += len(body[off:]) - len(bytes.TrimLeft(body[off:], jsonSpace))
			return nil, syntaxErrorAt(path, data, len(data)-len(body)+off, "unexpected text after the end of the JSON value")
		}
	}
	if err != nil {
		var se *json.SyntaxError
		switch {
		case errors.As(err, &se):
			off := int(se.Offset) - 1
			if errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(se.Error(), "unexpected end") {
				off = len(body)
			}
			return nil, syntaxErrorAt(path, data, len(data)-len(body)+max(off, 0), se.Error())
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, syntaxErrorAt(path, data, len(data), "the file ends in the middle of a value")
		}
		return nil, syntaxErrorAt(path, data, len(data)-len(body), err.Error())
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &FileError{File: path, Err: ErrNotObject, text: path + ": " + ErrNotObject.Error()}
	}
	return m, nil
}

// jsonSpace is the white space JSON allows between values: Claude Code's
// JSON.parse refuses any other (a vertical tab, a no-break space).
const jsonSpace = " \t\r\n"

func trimJSONSpace(b []byte) []byte { return bytes.Trim(b, jsonSpace) }

func syntaxErrorAt(path string, data []byte, off int, msg string) *SyntaxError {
	line, col := lineColumn(data, off)
	return &SyntaxError{File: path, Line: line, Column: col, Msg: msg}
}

// lineColumn is the 1-based line and character column of byte offset off.
func lineColumn(data []byte, off int) (line, col int) {
	off = min(max(off, 0), len(data))
	prefix := data[:off]
	line = 1 + bytes.Count(prefix, []byte("\n"))
	lineStart := bytes.LastIndexByte(prefix, '\n') + 1
	rest := bytes.TrimPrefix(prefix[lineStart:], utf8BOM)
	return line, 1 + utf8.RuneCount(rest)
}

// checkUTF8 refuses bytes that are not UTF-8: an edit would have to guess
// what they mean.
func checkUTF8(path string, data []byte) error {
	if utf8.Valid(data) {
		return nil
	}
	off := 0
	for off < len(data) {
		r, n := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && n == 1 {
			break
		}
		off += n
	}
	line, col := lineColumn(data, off)
	return &FileError{File: path, Err: ErrNotUTF8, Line: line, Column: col,
		text: fmt.Sprintf("%s: %v: byte 0x%02x at line %d, column %d (save the file as UTF-8 first)", path, ErrNotUTF8, data[off], line, col)}
}

// Edit is one change to a settings file: set or remove the key at a path of
// object member names, e.g. Set("120000", "env", "API_TIMEOUT_MS").
type Edit struct {
	Path  []string
	Value any // what Set writes, marshalled as JSON
	Unset bool
}

// Set sets the key at path to value, creating the objects on the way.
func Set(value any, path ...string) Edit { return Edit{Path: path, Value: value} }

// Unset removes the key at path (every copy of it, if the file repeats it).
func Unset(path ...string) Edit { return Edit{Path: path, Unset: true} }

// EnvEdit sets (or, with value "", removes) one variable in a settings env object.
func EnvEdit(name, value string) Edit {
	if value == "" {
		return Unset(claudesettings.EnvKey, name)
	}
	return Set(value, claudesettings.EnvKey, name)
}

// Key is the edit's path written with dots, e.g. "env.API_TIMEOUT_MS".
func (e Edit) Key() string { return strings.Join(e.Path, ".") }

// applyEdit returns data with e applied. data must be valid JSON holding an
// object (or only whitespace). Every byte outside the edited member stays.
func applyEdit(data []byte, e Edit) ([]byte, error) {
	if len(e.Path) == 0 {
		return nil, errors.New("an edit needs a key")
	}
	for _, name := range e.Path {
		if !utf8.ValidString(name) {
			return nil, fmt.Errorf("the key name is %w", ErrNotUTF8)
		}
	}
	if s, ok := e.Value.(string); ok && !utf8.ValidString(s) {
		return nil, fmt.Errorf("%s: the value is %w", e.Key(), ErrNotUTF8)
	}
	var lit []byte
	if !e.Unset {
		var err error
		if lit, err = marshalValue(e.Value); err != nil {
			return nil, fmt.Errorf("%s: %w", e.Key(), err)
		}
	}
	prefixLen := len(data) - len(bytes.TrimPrefix(data, utf8BOM))
	body := data[prefixLen:]
	if len(bytes.TrimSpace(body)) == 0 {
		if e.Unset {
			return data, nil
		}
		body = []byte("{}\n")
	}
	for {
		root, err := hujson.Parse(body)
		if err != nil {
			return nil, fmt.Errorf("parsing the settings: %w", err)
		}
		if root.Value.Kind() != '{' {
			return nil, ErrNotObject
		}
		out, again, err := editOnce(body, &root, e, lit)
		if err != nil {
			return nil, err
		}
		if !again {
			return append(append([]byte{}, data[:prefixLen]...), out...), nil
		}
		body = out
	}
}

// editOnce applies e once; again is true when an Unset must run again (the
// key was repeated).
func editOnce(body []byte, root *hujson.Value, e Edit, lit []byte) (out []byte, again bool, err error) {
	st := styleOf(body, root)
	cur := root
	depth := 0
	for i, name := range e.Path {
		obj := cur.Value.(*hujson.Object)
		idx := memberIndexes(obj, name)
		last := i == len(e.Path)-1
		if len(idx) == 0 {
			if e.Unset {
				return body, false, nil
			}
			return insertMember(body, cur, st, depth, e.Path[i:], lit), false, nil
		}
		if last {
			if e.Unset {
				return removeMember(body, cur, idx[len(idx)-1]), len(idx) > 1, nil
			}
			out := body
			for j := len(idx) - 1; j >= 0; j-- { // from the end, so offsets stay true
				v := obj.Members[idx[j]].Value
				out = splice(out, v.StartOffset, v.EndOffset, indentValue(lit, st, lineIndent(body, v.StartOffset)))
			}
			return out, false, nil
		}
		next := &obj.Members[idx[len(idx)-1]].Value // JSON's last copy wins
		if next.Value.Kind() != '{' {
			return nil, false, fmt.Errorf("%s is %s, not an object: fix or remove it first", strings.Join(e.Path[:i+1], "."), kindName(next.Value.Kind()))
		}
		cur = next
		depth++
	}
	return body, false, nil
}

// memberIndexes returns the indexes of the members named name.
func memberIndexes(obj *hujson.Object, name string) []int {
	var idx []int
	for i, m := range obj.Members {
		if lit, ok := m.Name.Value.(hujson.Literal); ok && lit.String() == name {
			idx = append(idx, i)
		}
	}
	return idx
}

// style is how a file lays out its objects, copied for the members an edit adds.
type style struct {
	multiline bool
	unit      string // one level of indentation
	colon     string // between a name and its value, e.g. ": "
	nl        string // "\n", or "\r\n" in a file written on Windows
}

func styleOf(body []byte, root *hujson.Value) style {
	st := style{multiline: true, unit: "  ", colon: ": ", nl: "\n"}
	if bytes.Contains(body, []byte("\r\n")) {
		st.nl = "\r\n"
	}
	obj := root.Value.(*hujson.Object)
	if len(obj.Members) == 0 {
		return st
	}
	m := obj.Members[0]
	st.colon = string(body[m.Name.EndOffset:m.Value.StartOffset])
	sep := m.Name.BeforeExtra
	if i := bytes.LastIndexByte(sep, '\n'); i >= 0 {
		if u := string(sep[i+1:]); u != "" {
			st.unit = u
		}
	} else {
		st.multiline = false
	}
	return st
}

// lineIndent is the leading whitespace of the line holding offset off.
func lineIndent(body []byte, off int) string {
	start := bytes.LastIndexByte(body[:off], '\n') + 1
	line := body[start:off]
	return string(line[:len(line)-len(bytes.TrimLeft(line, " \t"))])
}

// insertMember adds path[0] (with path[1:] as nested objects holding lit) to
// the object cur, after its last member, in the file's own layout.
func insertMember(body []byte, cur *hujson.Value, st style, depth int, path []string, lit []byte) []byte {
	obj := cur.Value.(*hujson.Object)
	if n := len(obj.Members); n > 0 {
		last := obj.Members[n-1]
		sep := string(last.Name.BeforeExtra)
		colon := string(body[last.Name.EndOffset:last.Value.StartOffset])
		if n == 1 && !strings.Contains(sep, "\n") { // after "{", not after ",": space as the colon does
			sep = ""
			if strings.Contains(colon, " ") {
				sep = " "
			}
		}
		indent := lineIndent(body, last.Name.StartOffset)
		member := quote(path[0]) + colon + renderPath(path[1:], lit, st, indent)
		return splice(body, last.Value.EndOffset, last.Value.EndOffset, []byte(","+sep+member))
	}
	open, closing := cur.StartOffset, cur.EndOffset-1 // the braces of an empty object
	if !st.multiline {
		return splice(body, open+1, closing, []byte(quote(path[0])+st.colon+renderPath(path[1:], lit, st, "")))
	}
	outer := lineIndent(body, open)
	if depth == 0 {
		outer = ""
	}
	inner := outer + st.unit
	member := quote(path[0]) + st.colon + renderPath(path[1:], lit, st, inner)
	return splice(body, open+1, closing, []byte(st.nl+inner+member+st.nl+outer))
}

// renderPath writes lit nested in objects named by path, for a member whose
// line is indented by indent.
func renderPath(path []string, lit []byte, st style, indent string) string {
	if len(path) == 0 {
		return string(indentValue(lit, st, indent))
	}
	if !st.multiline {
		return "{" + quote(path[0]) + st.colon + renderPath(path[1:], lit, st, indent) + "}"
	}
	inner := indent + st.unit
	return "{" + st.nl + inner + quote(path[0]) + st.colon + renderPath(path[1:], lit, st, inner) + st.nl + indent + "}"
}

// indentValue lays out a composite value in the file's style; scalars stay.
func indentValue(lit []byte, st style, indent string) []byte {
	if len(lit) == 0 || (lit[0] != '{' && lit[0] != '[') || !st.multiline {
		return lit
	}
	var b bytes.Buffer
	if json.Indent(&b, lit, indent, st.unit) != nil {
		return lit
	}
	return b.Bytes()
}

// removeMember deletes member i of the object cur with the comma and space
// that belong to it.
func removeMember(body []byte, cur *hujson.Value, i int) []byte {
	m := cur.Value.(*hujson.Object).Members
	switch {
	case i > 0: // from the end of the previous value: `, "k": v`
		return splice(body, m[i-1].Value.EndOffset, m[i].Value.EndOffset, nil)
	case len(m) > 1: // the first of several: `"k": v, `
		return splice(body, m[0].Name.StartOffset, m[1].Name.StartOffset, nil)
	default: // the only member: the object becomes {}
		return splice(body, cur.StartOffset+1, cur.EndOffset-1, nil)
	}
}

func splice(b []byte, from, to int, with []byte) []byte {
	out := make([]byte, 0, len(b)-(to-from)+len(with))
	out = append(out, b[:from]...)
	out = append(out, with...)
	return append(out, b[to:]...)
}

// marshalValue writes v as compact JSON without HTML escaping.
func marshalValue(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("the value cannot be written as JSON: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

func quote(s string) string {
	b, _ := marshalValue(s)
	return string(b)
}

func kindName(k hujson.Kind) string {
	switch k {
	case '"':
		return "a string"
	case '0':
		return "a number"
	case '[':
		return "a list"
	case 't', 'f':
		return "true or false"
	case 'n':
		return "null"
	}
	return "not an object"
}

// HumanSize writes a byte count the way a person reads it.
func HumanSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTPE"[exp])
}
