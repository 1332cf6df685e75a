package fnf

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"
)

// SetupError is a problem of the local set-up: a configuration or credentials
// file that cannot be used, or credentials that cannot be obtained. Nothing was
// sent to the service, so it is no run. Its message names the file and the
// place, never the file's content: such files hold secrets.
type SetupError struct {
	File         string // the file at fault, if any
	Line, Column int    // 1-based; 0 when unknown
	Offset       int64  // byte offset; -1 when unknown
	Field        string // where in the document: a JSON path, a YAML key
	Msg          string // what is wrong and what to do
}

func (e *SetupError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Line, e.Column)
		if e.Offset >= 0 {
			fmt.Fprintf(&b, " (byte %d)", e.Offset)
		}
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// IsSetupError reports whether err is (or wraps) a *SetupError.
func IsSetupError(err error) bool {
	var se *SetupError
	return errors.As(err, &se)
}

// JSONSetupError describes why a JSON configuration file did not decode into
// v's type: the place, the field and the type expected, with no value of the
// file in it.
func JSONSetupError(file string, data []byte, err error) *SetupError {
	off, ok := errorOffset(data, err)
	se := &SetupError{File: file, Offset: off}
	if ok {
		se.Line, se.Column = LineColumn(data, off)
	}
	var te *json.UnmarshalTypeError
	var sx *json.SyntaxError
	switch {
	case errors.As(err, &te):
		// te.Value may hold the number itself ("number 1e400"): keep its kind only.
		got, _, _ := strings.Cut(te.Value, " ")
		se.Offset = valueStart(data, te.Offset, got)
		se.Line, se.Column = LineColumn(data, se.Offset)
		se.Field = te.Field
		se.Msg = fmt.Sprintf("must be %s, not %s", kindOfType(te.Type), article(got))
	case errors.As(err, &sx):
		// The message quotes the offending character; a secret may start with it.
		se.Msg = "not valid JSON: " + quotedChar.ReplaceAllString(sx.Error(), "unexpected character")
	default:
		se.Msg = "not valid JSON"
	}
	return se
}

// valueStart is the offset of the value that ends at end (where encoding/json
// reports a type error): after a scalar, after the bracket of an array or object.
func valueStart(data []byte, end int64, kind string) int64 {
	if end <= 0 || end > int64(len(data)) {
		return end
	}
	i := end - 1
	switch kind {
	case "object", "array":
		return i
	case "string":
		for i--; i >= 0; i-- {
			if data[i] == '"' && !escaped(data, i) {
				return i
			}
		}
		return end
	}
	for i >= 0 && strings.IndexByte("0123456789+-.eEtruefalsn", data[i]) >= 0 {
		i--
	}
	return i + 1
}

// escaped reports whether the byte at i follows an odd number of backslashes.
func escaped(data []byte, i int64) bool {
	n := 0
	for j := i - 1; j >= 0 && data[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

var quotedChar = regexp.MustCompile(`invalid character '(?:\\.|[^'])+'`)

// kindOfType names a Go type as JSON calls it.
func kindOfType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct, reflect.Pointer:
		return "an object"
	}
	return "a " + t.String()
}

func article(kind string) string {
	switch kind {
	case "array", "object":
		return "an " + kind
	case "bool":
		return "true or false"
	case "":
		return "this value"
	}
	return "a " + kind
}
