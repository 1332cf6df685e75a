package fnf

import (
	"bytes"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNames(t *testing.T) {
	for _, ok := range []string{"a", "_", "order-flow_2", "A" + strings.Repeat("b", 127)} {
		if err := ValidateName("flow", ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for name, why := range map[string]string{
		"":                             "empty",
		"1abc":                         "starting with a letter",
		"-a":                           "starting with a letter",
		"has space":                    "letters, digits",
		"dot.ted":                      "letters, digits",
		"é":                            "letters, digits",
		"a" + strings.Repeat("b", 128): "129 characters",
	} {
		err := ValidateName("execution", name)
		if err == nil || !strings.Contains(err.Error(), why) || !strings.Contains(err.Error(), "execution name") {
			t.Errorf("%q: got %v, want a reason mentioning %q", name, err, why)
		}
	}
}

func TestCheckInputPositionsTheFirstError(t *testing.T) {
	tests := []struct {
		in         string
		line, col  int
		msgContain string
	}{
		{`{"a":}`, 1, 6, "invalid JSON"},
		{"{\n  \"a\": 1,\n  \"b\" 2\n}", 3, 7, "after object key"},
		{`{"a":1`, 1, 7, "unexpected end"},
		{`{"a":1} x`, 1, 9, "after top-level value"},
		{`{"é":tru}`, 1, 9, "in literal true"},
		{`[1,2]`, 1, 1, "JSON object"},
		{"\n  \"text\"", 2, 3, "not a string"},
		{"{\"name\": \"caf\xe9\"}", 1, 14, "invalid UTF-8 (byte 0xE9)"},
		{"{\n \"é\": \"\xff\xfe\"}", 2, 8, "invalid UTF-8 (byte 0xFF)"},
		{"\xEF\xBB\xBF{}", 1, 1, "byte order mark"},
		{"{\"a\":} \"\xff\"", 1, 6, "invalid JSON"}, // the first problem, whichever kind
		{"{\"\xff\": tru}", 1, 3, "invalid UTF-8"},
	}
	for _, tt := range tests {
		err := CheckInput([]byte(tt.in))
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Fatalf("%q: got %v", tt.in, err)
		}
		if ie.Line != tt.line || ie.Column != tt.col || !strings.Contains(ie.Msg, tt.msgContain) {
			t.Errorf("%q: got %d:%d %q, want %d:%d containing %q", tt.in, ie.Line, ie.Column, ie.Msg, tt.line, tt.col, tt.msgContain)
		}
	}
}

func TestCheckInputGivesTheByteOffsetOfInvalidUTF8(t *testing.T) {
	var ie *InputError
	if err := CheckInput([]byte("{\"a\": \"ok\", \"b\": \"\xc3\x28\"}")); !errors.As(err, &ie) || ie.Offset != 18 {
		t.Fatalf("got %v, want an InputError at byte 18", err)
	}
	if !strings.Contains(ie.Error(), "byte 18") {
		t.Fatalf("message %q does not give the offset", ie.Error())
	}
	// The replacement character itself is valid UTF-8.
	if err := CheckInput([]byte("{\"a\": \"\uFFFD \xef\xbf\xbd\"}")); err != nil {
		t.Fatalf("U+FFFD refused: %v", err)
	}
}

func TestTrimBOMDropsOnlyALeadingMark(t *testing.T) {
	if got := string(TrimBOM([]byte("\xEF\xBB\xBF{}"))); got != "{}" {
		t.Fatalf("TrimBOM = %q", got)
	}
	if got := string(TrimBOM([]byte("{}\xEF\xBB\xBF"))); got != "{}\xEF\xBB\xBF" {
		t.Fatalf("TrimBOM = %q", got)
	}
}

func TestCheckInputAcceptsObjectsAndNothing(t *testing.T) {
	for _, in := range []string{"", "  \n", `{}`, ` {"a":[1,{"b":null}]} `} {
		if err := CheckInput([]byte(in)); err != nil {
			t.Errorf("%q refused: %v", in, err)
		}
	}
}

func TestCheckInputRefusesMoreThanOneMiB(t *testing.T) {
	big := []byte(`{"x":"` + strings.Repeat("a", MaxInputBytes) + `"}`)
	err := CheckInput(big)
	if err == nil || !strings.Contains(err.Error(), "1 MiB") {
		t.Fatalf("got %v", err)
	}
	justRight := []byte(`{"x":"` + strings.Repeat("a", MaxInputBytes-8) + `"}`)
	if err := CheckInput(justRight); err != nil {
		t.Fatalf("exactly 1 MiB refused: %v", err)
	}
}

func FuzzCheckInput(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":`, "{\n\"é\":tru}", `[1]`, "\xff", ""} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		err := CheckInput(in)
		var ie *InputError
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("error of type %T", err)
		}
		if err == nil && len(bytes.TrimSpace(in)) > 0 && !json.Valid(in) {
			t.Fatalf("invalid JSON %q accepted", in)
		}
		if err == nil && !utf8.Valid(in) {
			t.Fatalf("invalid UTF-8 %q accepted", in)
		}
		if ie != nil && ie.Line > 0 && (ie.Column < 1 || ie.Offset < 0 || ie.Offset > int64(len(in))) {
			t.Fatalf("position %+v outside the input", ie)
		}
	})
}

// BenchmarkCheckInputParts shows what the UTF-8 check adds to the JSON check
// on a 1 MiB input.
func BenchmarkCheckInputParts(b *testing.B) {
	in := []byte(`{"x":"` + strings.Repeat("añb", (MaxInputBytes-16)/4) + `"}`)
	b.Run("utf8", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			utf8Error(in)
		}
	})
	b.Run("json", func(b *testing.B) {
		b.SetBytes(int64(len(in)))
		for b.Loop() {
			jsonError(in)
		}
	})
}

// ValidName, a loop for speed, says what the service's documented pattern
// says: 1–128 letters, digits, _ or -, starting with a letter or _.
func TestValidNameIsTheServicePattern(t *testing.T) {
	pattern := regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,127}$`)
	for _, name := range []string{"a", "_", "A-1_b", "1a", "-a", "a b", "ä", "", "a:b", "Z9", strings.Repeat("a", 128), strings.Repeat("a", 129)} {
		if got, want := ValidName(name), pattern.MatchString(name); got != want {
			t.Errorf("ValidName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestExecutionRefsTakeWhatTheServiceGenerates(t *testing.T) {
	for _, ok := range []string{"e1", "45b7c2d0-1f2a-4c3b-9d8e-7f6a5b4c3d2e", "try1:6c0b1f2a-1f2a-4c3b-9d8e-7f6a5b4c3d2e", "_x"} {
		if err := ValidateExecutionRef("ExecutionName", ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "a b", "a/b", "x\x1b[2J", string(make([]byte, MaxExecutionRefLen+1))} {
		if err := ValidateExecutionRef("ExecutionName", bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
