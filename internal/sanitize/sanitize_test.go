package sanitize

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"plain ASCII", "hello, world", "hello, world"},
		{"multi-byte UTF-8 untouched", "日本語 ✓ 🚀 é", "日本語 ✓ 🚀 é"},
		{"literal U+FFFD untouched", "a\uFFFDb", "a\uFFFDb"},
		{"tab and newline kept", "a\tb\nc", "a\tb\nc"},
		{"OSC window title", "\x1b]0;pwned\x07", "^[]0;pwned^G"},
		{"OSC 52 clipboard", "\x1b]52;c;cm0gLXJmIH4=\x07", "^[]52;c;cm0gLXJmIH4=^G"},
		{"CSI clear screen", "\x1b[2J\x1b[H", "^[[2J^[[H"},
		{"DCS query", "\x1bP+q544e\x1b\\", "^[P+q544e^[\\"},
		{"C1 CSI U+009B", "a\u009b2Jb", `a\u009b2Jb`},
		{"C1 range ends", "\u0080\u009f", `\u0080\u009f`},
		{"U+00A0 is not C1", "a\u00a0b", "a\u00a0b"},
		{"DEL", "a\x7fb", "a^?b"},
		{"CR", "ok\rfake", "ok^Mfake"},
		{"NUL", "\x00", "^@"},
		{"unit separator", "\x1f", "^_"},
		{"invalid byte", "a\xffb", "a\uFFFDb"},
		{"truncated sequence", "a\xe6\x97", "a\uFFFD\uFFFD"},
		{"lone continuation", "\x80x", "\uFFFDx"},
		{"overlong encoding", "\xc0\xaf", "\uFFFD\uFFFD"},
		{"UTF-16 surrogate", "\xed\xa0\x80", "\uFFFD\uFFFD\uFFFD"},
		{"above U+10FFFF", "\xf4\x90\x80\x80", "\uFFFD\uFFFD\uFFFD\uFFFD"},
		{"bidi shown by Text", "a\u202eb\nc\u2066d", `a\u202eb` + "\n" + `c\u2066d`},
		{"zero-width shown", "or\u200bder\u200c\u200d\u2060\ufeff\u180e", `or\u200bder\u200c\u200d\u2060\ufeff\u180e`},
		{"separators shown", "a\u2028b\u2029", `a\u2028b\u2029`},
		{"long clean then dirty", strings.Repeat("x", 37) + "\x1b" + strings.Repeat("y", 20), strings.Repeat("x", 37) + "^[" + strings.Repeat("y", 20)},
		{"mixed", "日本\x1b[31m語\u0085\x7f\n", "日本^[[31m語\\u0085^?\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := Bytes([]byte(tt.in)); string(got) != tt.want {
				t.Errorf("Bytes(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got, want := Clean(tt.in), tt.in == tt.want; got != want {
				t.Errorf("Clean(%q) = %v, want %v", tt.in, got, want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "my-flow_01", "my-flow_01"},
		{"multi-byte UTF-8 untouched", "日本語 ✓", "日本語 ✓"},
		{"newline shown", "a\nb", "a^Jb"},
		{"tab shown", "a\tb", "a^Ib"},
		{"ESC shown", "\x1b]0;pwned\x07", "^[]0;pwned^G"},
		{"C1 shown", "\u009b", `\u009b`},
		{"RLO", "abc\u202edcba", `abc\u202edcba`},
		{"LRE..RLO", "\u202a\u202b\u202c\u202d\u202e", `\u202a\u202b\u202c\u202d\u202e`},
		{"isolates", "\u2066\u2067\u2068\u2069", `\u2066\u2067\u2068\u2069`},
		{"marks", "\u200e\u200f\u061c", `\u200e\u200f\u061c`},
		{"neighbours untouched", "\u200a\u2027\u202f\u2065\u2070\ufefe\u180d", "\u200a\u2027\u202f\u2065\u2070\ufefe\u180d"},
		{"invalid UTF-8", "\xff", "\uFFFD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Line(tt.in); got != tt.want {
				t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestNoAllocWhenClean(t *testing.T) {
	s := strings.Repeat("clean text 日本語 ✓\n", 100)
	b := []byte(s)
	j := []byte(`{"a": ["日本語", 1, true, null], "b": "x\u0085"}`)
	allocs := testing.AllocsPerRun(100, func() {
		if Text(s) != s || Line("name") != "name" || !Clean(s) {
			t.Fatal("changed")
		}
		if &Bytes(b)[0] != &b[0] || &JSON(j)[0] != &j[0] || &JSON(b)[0] != &b[0] {
			t.Fatal("not the same slice")
		}
	})
	if allocs != 0 {
		t.Errorf("clean input allocates %v times", allocs)
	}
}

func TestJSON(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"clean", `{"a": 1}`, `{"a": 1}`},
		{"clean with escapes", `{"a": "\u001b\"\\"}`, `{"a": "\u001b\"\\"}`},
		{"CR outside strings untouched", "{\r\n\t\"a\": 1}", "{\r\n\t\"a\": 1}"},
		{"raw U+0085 in string", "{\"a\": \"x\u0085y\"}", `{"a": "x\u0085y"}`},
		{"raw C1 in key", "{\"\u009b\": 1}", `{"\u009b": 1}`},
		{"raw DEL in string", "[\"a\x7fb\"]", `["a\u007fb"]`},
		{"bidi in string", "[\"a\u202eb\", \"\u2066\"]", `["a\u202eb", "\u2066"]`},
		{"invalid UTF-8 in string", "[\"a\xffb\"]", "[\"a\uFFFDb\"]"},
		{"escaped quote before C1", "[\"\\\"\u0085\"]", `["\"\u0085"]`},
		{"UTF-8 untouched", `["日本語 ✓"]`, `["日本語 ✓"]`},
		{"invalid JSON falls back to Bytes", "not json \x1b[2J\u0085\u202e", `not json ^[[2J\u0085\u202e`},
		{"raw ESC in string is invalid JSON", "[\"\x1b]0;x\x07\"]", `["^[]0;x^G"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := JSON([]byte(tt.in))
			if string(got) != tt.want {
				t.Errorf("JSON(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if json.Valid([]byte(tt.in)) {
				if !json.Valid(got) {
					t.Fatalf("JSON(%q) = %q is not valid JSON", tt.in, got)
				}
				if a, b := decode(t, []byte(tt.in)), decode(t, got); !reflect.DeepEqual(a, b) {
					t.Errorf("decoded value changed: %#v → %#v", a, b)
				}
			}
		})
	}
}

func TestJSONFromMarshal(t *testing.T) {
	v := map[string]any{"out": "x\u0085\u009b\x7f\u202e y", "n": []any{1.5, "日本"}}
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	got := JSON(b)
	if bytes.ContainsRune(got, 0x85) || bytes.ContainsRune(got, 0x9b) || bytes.ContainsRune(got, 0x202e) || bytes.IndexByte(got, 0x7f) >= 0 {
		t.Errorf("JSON left controls: %q", got)
	}
	var back map[string]any
	if err := json.Unmarshal(got, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, v) {
		t.Errorf("round trip: got %#v, want %#v", back, v)
	}
}

func decode(t testing.TB, b []byte) any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber() // exact numbers, and no range errors for 1e999
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
	return v
}

// checkTerminalSafe fails if out contains a byte < 0x20 not in allowed, DEL,
// a C1 rune, or invalid UTF-8.
func checkTerminalSafe(t *testing.T, what string, out []byte, allowed string) {
	t.Helper()
	if !utf8.Valid(out) {
		t.Fatalf("%s: invalid UTF-8: %q", what, out)
	}
	for _, r := range string(out) {
		if r < 0x20 && !strings.ContainsRune(allowed, r) || r >= 0x7f && r < 0xa0 {
			t.Fatalf("%s: contains %U: %q", what, r, out)
		}
	}
}

func TestDecodeRuneMatchesUTF8(t *testing.T) {
	var buf [4]byte
	for c0 := 0x80; c0 < 0x100; c0++ {
		for c1 := 0; c1 < 0x100; c1++ {
			for _, c2 := range []byte{0x00, 0x7f, 0x80, 0x9f, 0xa0, 0xbf, 0xc0, 0xff} {
				for _, c3 := range []byte{0x41, 0x80, 0xbf, 0xc0} {
					buf = [4]byte{byte(c0), byte(c1), c2, c3}
					for n := 1; n <= 4; n++ {
						r, size := decodeRune(buf[:n], 0)
						wr, wsize := utf8.DecodeRune(buf[:n])
						if size != wsize || size > 1 && r != wr {
							t.Fatalf("decodeRune(%q) = %U, %d; utf8 says %U, %d", buf[:n], r, size, wr, wsize)
						}
						if got, want := scan(buf[:n], modeText) == n, size > 1 && r >= 0xa0 && !invisible(r); size == n && got != want {
							t.Fatalf("scan(%q) clean = %v, want %v", buf[:n], got, want)
						}
					}
				}
			}
		}
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]0;pwned\x07", "\u009b2J", "a\xffb", "日本語 ✓", "\u202e\t\n\r"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		checkTerminalSafe(t, "Text", []byte(out), "\n\t")
		if got := string(Bytes([]byte(s))); got != out {
			t.Fatalf("Bytes(%q) = %q, Text = %q", s, got, out)
		}
		if Clean(s) != (out == s) {
			t.Fatalf("Clean(%q) = %v but Text = %q", s, Clean(s), out)
		}
		if !Clean(out) {
			t.Fatalf("Text(%q) = %q is not Clean", s, out)
		}
		if strings.ContainsFunc(out, invisible) {
			t.Fatalf("Text(%q) = %q contains an invisible character", s, out)
		}
		if utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
			return r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r < 0xa0 || invisible(r)
		}) && out != s {
			t.Fatalf("Text(%q) = %q changed clean input", s, out)
		}
		for i := 0; i < len(s); i++ {
			if s[i] < 0x80 {
				continue
			}
			r, size := decodeRune(s, i)
			wr, wsize := utf8.DecodeRuneInString(s[i:])
			if size != wsize || size > 1 && r != wr {
				t.Fatalf("decodeRune(%q) = %U, %d; utf8 says %U, %d", s[i:], r, size, wr, wsize)
			}
		}
		line := Line(s)
		checkTerminalSafe(t, "Line", []byte(line), "")
		if strings.ContainsFunc(line, invisible) {
			t.Fatalf("Line(%q) = %q contains a bidi control", s, line)
		}
	})
}

func FuzzJSON(f *testing.F) {
	for _, s := range []string{`{"a": 1}`, "[\"x\u0085\"]", "{\"\u202e\": \"\x7f\"}", "[\"\xff\"]", "not json \x1b", `"\\\""`, "1e999"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		in := bytes.Clone(b)
		out := JSON(b)
		if !bytes.Equal(b, in) {
			t.Fatalf("JSON modified its input")
		}
		if !json.Valid(in) {
			if !bytes.Equal(out, Bytes(in)) {
				t.Fatalf("JSON(%q) = %q, want Bytes = %q", in, out, Bytes(in))
			}
			checkTerminalSafe(t, "JSON", out, "\n\t")
			return
		}
		checkTerminalSafe(t, "JSON", out, "\n\t\r")
		if strings.ContainsFunc(string(out), invisible) {
			t.Fatalf("JSON(%q) = %q contains a bidi control", in, out)
		}
		if !json.Valid(out) {
			t.Fatalf("JSON(%q) = %q is not valid JSON", in, out)
		}
		if a, b := decode(t, in), decode(t, out); !reflect.DeepEqual(a, b) {
			t.Fatalf("JSON(%q) = %q decodes to %#v, want %#v", in, out, b, a)
		}
		var a, c any
		errA, errC := json.Unmarshal(in, &a), json.Unmarshal(out, &c)
		if (errA == nil) != (errC == nil) || errA == nil && !reflect.DeepEqual(a, c) {
			t.Fatalf("Unmarshal: %#v (%v) vs %#v (%v)", a, errA, c, errC)
		}
	})
}

func dirty64K() string {
	var sb strings.Builder
	for sb.Len() < 64<<10 {
		sb.WriteString("step \x1b[31mfailed\x1b[0m: 日本語\u0085\r\n")
	}
	return sb.String()[:64<<10]
}

func clean64K() string {
	var sb strings.Builder
	for sb.Len() < 64<<10 {
		sb.WriteString(`{"executionName": "exec-42", "status": "Succeeded", "output": "ok"}` + "\n")
	}
	return sb.String()[:64<<10]
}

func BenchmarkTextClean64K(b *testing.B) {
	s := clean64K()
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Text(s)
	}
}

func BenchmarkTextDirty64K(b *testing.B) {
	s := dirty64K()
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Text(s)
	}
}

func BenchmarkTextCleanUTF8_64K(b *testing.B) {
	s := strings.Repeat("日本語のテキスト ✓ ", 64<<10/30)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Text(s)
	}
}

func BenchmarkBytesClean64K(b *testing.B) {
	s := []byte(clean64K())
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Bytes(s)
	}
}

func BenchmarkJSONDirty64K(b *testing.B) {
	s := []byte("[" + strings.Repeat(`"x\u0085y", `, 64<<10/12) + "0]")
	s = bytes.ReplaceAll(s, []byte(`\u0085`), []byte("\u0085"))
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		JSON(s)
	}
}

// TestScanAgreesWithInvisibleForEveryRune checks the inline fast paths of
// scan against the definition, rune by rune.
func TestScanAgreesWithInvisibleForEveryRune(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		s := string(r) + "x"
		want := r < 0x20 && r != '\n' && r != '\t' || r >= 0x7f && r < 0xa0 || invisible(r)
		if got := scan(s, modeText) == 0; got != want {
			t.Fatalf("scan(%U) unsafe = %v, want %v", r, got, want)
		}
	}
}
