package fnf

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"unicode/utf8"
)

// MaxInputBytes is the service's request size limit (1,024 KiB), which bounds
// the execution input.
const MaxInputBytes = 1 << 20

// ValidateName checks a flow or execution name against the service's rule:
// 1–128 letters, digits, _ or -, starting with a letter or _.
func ValidateName(kind, name string) error {
	if ValidName(name) {
		return nil
	}
	why := "use 1–128 letters, digits, _ or -, starting with a letter or _"
	switch {
	case name == "":
		why = "it is empty; " + why
	case len(name) > 128:
		why = fmt.Sprintf("it is %d characters long; %s", len(name), why)
	}
	return fmt.Errorf("%s name %q is not valid: %s", kind, name, why)
}

// ValidName is the service's name rule without its wording. It runs on
// every call of serve, so it is a loop, not a regular expression.
func ValidName(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		letter := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '-')) {
			return false
		}
	}
	return true
}

// MaxExecutionRefLen bounds the name of an existing execution: a chosen
// name of up to 128 characters, ":" and the UUID the service appends to a
// synchronous run's name.
const MaxExecutionRefLen = 128 + 1 + 36

// ValidateExecutionRef checks the name of an existing execution, as
// DescribeExecution, GetExecutionHistory and StopExecution take it. It is
// looser than the rule for a name one chooses (ValidateName): the service
// names an execution started without a name by a UUID, which may begin with
// a digit, and a synchronous run's name ends in ":<UUID>".
func ValidateExecutionRef(what, name string) error {
	switch {
	case name == "":
		return fmt.Errorf("%s is empty", what)
	case len(name) > MaxExecutionRefLen:
		return fmt.Errorf("%s is %d characters long: an execution's name has at most %d", what, len(name), MaxExecutionRefLen)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == ':') {
			return fmt.Errorf("%s %q is not an execution's name: letters, digits, _, - and : only", what, name)
		}
	}
	return nil
}

// InputError says what is wrong with an execution input, and where.
type InputError struct {
	Line, Column int   // 1-based; 0 when the error has no position
	Offset       int64 // byte offset of the error
	Msg          string
}

func (e *InputError) Error() string {
	if e.Line == 0 {
		return "input: " + e.Msg
	}
	return fmt.Sprintf("input: line %d, column %d (byte %d): %s", e.Line, e.Column, e.Offset, e.Msg)
}

// CheckInput verifies an execution input before anything is sent: at most
// 1 MiB, UTF-8 text, valid JSON, and a JSON object (the flow's $Input). Empty
// is allowed. A byte order mark is named: readers of files drop it (TrimBOM)
// before the check.
func CheckInput(input []byte) error {
	if len(input) > MaxInputBytes {
		return &InputError{Msg: fmt.Sprintf("larger than %d bytes (1 MiB), the service's limit", MaxInputBytes)}
	}
	if len(bytes.TrimSpace(input)) == 0 {
		return nil
	}
	if bytes.HasPrefix(input, bom) {
		return &InputError{Line: 1, Column: 1, Offset: 0,
			Msg: "the input starts with a UTF-8 byte order mark (EF BB BF); remove it"}
	}
	// The usual input, valid, costs one scan of each kind; only a bad one
	// is looked at again to find and place its first problem, whichever kind.
	if !utf8.Valid(input) || !json.Valid(input) {
		if err := firstError(utf8Error(input), jsonError(input)); err != nil {
			return err
		}
	}
	trimmed := bytes.TrimLeft(input, " \t\r\n")
	if trimmed[0] != '{' {
		off := int64(len(input) - len(trimmed))
		line, col := LineColumn(input, off)
		return &InputError{Line: line, Column: col, Offset: off,
			Msg: fmt.Sprintf("the input must be a JSON object ({…}), not %s", jsonKind(trimmed[0]))}
	}
	return nil
}

// bom is the UTF-8 byte order mark some editors put at the start of a file.
var bom = []byte{0xEF, 0xBB, 0xBF}

// TrimBOM drops a leading UTF-8 byte order mark: files of inputs, flows and
// mocks may carry one, and JSON does not allow it.
func TrimBOM(data []byte) []byte {
	return bytes.TrimPrefix(data, bom)
}

// firstError is the one of a and b (each nil or an *InputError) that comes
// first in the input.
func firstError(a, b *InputError) error {
	switch {
	case a == nil && b == nil:
		return nil
	case a == nil:
		return b
	case b == nil || a.Offset <= b.Offset:
		return a
	}
	return b
}

// utf8Error returns an *InputError at the first byte that is not UTF-8, or nil.
// JSON decoding would silently replace such bytes, so the service would get
// text other than the user's.
func utf8Error(data []byte) *InputError {
	if utf8.Valid(data) {
		return nil
	}
	off := 0
	for off < len(data) {
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		off += size
	}
	line, col := LineColumn(data, int64(off))
	return &InputError{Line: line, Column: col, Offset: int64(off),
		Msg: fmt.Sprintf("invalid UTF-8 (byte 0x%02X); the input must be UTF-8 text", data[off])}
}

func jsonKind(c byte) string {
	switch c {
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// jsonError returns an *InputError with the position of the first syntax error
// in data, or nil when data is valid JSON.
func jsonError(data []byte) *InputError {
	var raw json.RawMessage
	err := json.Unmarshal(data, &raw)
	if err == nil {
		return nil
	}
	off, _ := errorOffset(data, err)
	line, col := LineColumn(data, off)
	return &InputError{Line: line, Column: col, Offset: off, Msg: "invalid JSON: " + err.Error()}
}

// errorOffset is the byte offset of the character a JSON error is about.
func errorOffset(data []byte, err error) (int64, bool) {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		// Offset counts the bytes read, the offending one included.
		if se.Offset > 0 && se.Error() != "unexpected end of JSON input" {
			return se.Offset - 1, true
		}
		return se.Offset, true
	case errors.As(err, &te):
		return te.Offset, true
	}
	return int64(len(data)), false
}

// LineColumn turns a byte offset into a 1-based line and a 1-based column
// counted in characters, as editors show them.
func LineColumn(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	before := data[:off]
	line = bytes.Count(before, []byte{'\n'}) + 1
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, utf8.RuneCount(before) + 1
}
