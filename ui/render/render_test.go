package render

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/ui/theme"
)

func styles() *theme.Styles { return theme.New(true, false) }

func TestPrettyJSONKeepsEscapesAndDigits(t *testing.T) {
	raw := []byte(` {"title":"\u001b]0;pwned\u0007","n":1.50,"big":12345678901234567890,"a":[]} `)
	got, err := PrettyJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"title\": \"\\u001b]0;pwned\\u0007\",\n  \"n\": 1.50,\n  \"big\": 12345678901234567890,\n  \"a\": []\n}"
	if string(got) != want {
		t.Fatalf("PrettyJSON =\n%s\nwant\n%s", got, want)
	}
	if _, err := PrettyJSON([]byte(`{"a":`)); err == nil {
		t.Fatal("PrettyJSON accepted truncated JSON")
	}
}

var jsonSamples = []string{
	`{}`,
	"{\n  \"a\": 1,\n  \"b\": [\n    true,\n    false,\n    null\n  ],\n  \"c\": \"x\\\"y: z\",\n  \"d\": -1.5e+10\n}",
	`"just a string"`,
	`[1, "two", {"three": 3}]`,
	"not json at all: {{ \"unterminated\n next line",
	"{\"ключ\": \"значение 日本語 🎉\", \"tab\": \"\\t\"}",
}

func TestHighlightJSONPreservesText(t *testing.T) {
	st := styles()
	for _, in := range jsonSamples {
		out := HighlightJSON(st, []byte(in))
		if got := ansi.Strip(out); got != in {
			t.Errorf("Strip(HighlightJSON(%q)) = %q", in, got)
		}
		if strings.Count(out, "\n") != strings.Count(in, "\n") {
			t.Errorf("HighlightJSON(%q) changed the line count", in)
		}
	}
}

func TestHighlightJSONColoursEachKind(t *testing.T) {
	st := styles()
	out := HighlightJSON(st, []byte(`{"key": "value", "n": 42, "ok": true}`))
	for name, want := range map[string]string{
		"key":     st.JSONKey.Render(`"key"`),
		"string":  st.JSONString.Render(`"value"`),
		"number":  st.JSONNumber.Render(`42`),
		"literal": st.JSONLiteral.Render(`true`),
		"punct":   st.JSONPunct.Render(`{`),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("%s not coloured as %q in %q", name, want, out)
		}
	}
	if plain := HighlightJSON(theme.New(true, true), []byte(`{"a": 1}`)); plain != `{"a": 1}` {
		t.Errorf("NO_COLOR highlight added sequences: %q", plain)
	}
}

func TestHighlightYAML(t *testing.T) {
	st := styles()
	in := strings.Join([]string{
		"# a flow",
		"Type: StateMachine",
		"SpecVersion: v1",
		"StartAt: Hello # first state",
		"States:",
		"  - Type: Pass",
		"    Name: \"Hello # not a comment\"",
		"    Result: {a: 1, b: [x, 'y'], c: true}",
		"    Retry: 3",
		"    Script: |",
		"      echo hi # inside the block",
		"      key: not a key",
		"    End: true",
		"---",
		"url: http://example.com:8080/x",
		"empty:",
		"- - nested",
	}, "\n")
	out := HighlightYAML(st, in)
	if got := ansi.Strip(out); got != in {
		t.Fatalf("Strip(HighlightYAML) changed the text:\n%s", got)
	}
	for name, want := range map[string]string{
		"comment":       st.Subtle.Render("# a flow"),
		"trail comment": st.Subtle.Render("# first state"),
		"key":           st.JSONKey.Render("StartAt"),
		"quoted":        st.JSONString.Render(`"Hello # not a comment"`),
		"number":        st.JSONNumber.Render("3"),
		"literal":       st.JSONLiteral.Render("true"),
		"block":         st.JSONString.Render("      key: not a key"),
		"flow key":      st.JSONKey.Render("b"),
		"url":           st.JSONString.Render("http://example.com:8080/x"),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("%s: %q not in\n%q", name, want, out)
		}
	}
}

func TestWrapWidths(t *testing.T) {
	st := styles()
	long := HighlightJSON(st, []byte(`{"description": "the quick brown fox jumps over the lazy dog", "id": "`+strings.Repeat("x", 50)+`"}`))
	cases := []struct {
		name, text string
		width      int
	}{
		{"short", "hello", 10},
		{"words", "the quick brown fox jumps over the lazy dog", 10},
		{"hard", strings.Repeat("abcdefghij", 7), 8},
		{"wide", "日本語のテキストを折り返す", 5},
		{"emoji", "ok 🎉🎉🎉 done", 4},
		{"styled", long, 17},
		{"width 1", "ab 日c", 1},
		{"lines", "one two three\nfour five", 6},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lines := Wrap(c.text, c.width)
			for i, l := range lines {
				if w := ansi.StringWidth(l); w > c.width && !(c.width == 1 && w == 2) {
					t.Errorf("line %d %q is %d cells wide, limit %d", i, l, w, c.width)
				}
				if WrapCount(ansi.Strip(l), c.width) != 1 {
					t.Errorf("line %d %q wraps again", i, l)
				}
			}
			want := strings.ReplaceAll(ansi.Strip(c.text), "\n", "")
			if got := ansi.Strip(strings.Join(lines, "")); got != want {
				t.Errorf("text changed:\n got %q\nwant %q", got, want)
			}
			if !strings.Contains(c.text, "\n") && WrapCount(c.text, c.width) != len(lines) {
				t.Errorf("WrapCount = %d, Wrap gave %d lines", WrapCount(c.text, c.width), len(lines))
			}
		})
	}
}

func TestWrapBreaksAfterSpacesAndCarriesStyles(t *testing.T) {
	if got := Wrap("the quick brown fox", 10); strings.Join(got, "|") != "the quick |brown fox" {
		t.Errorf("Wrap = %q", got)
	}
	if got := Wrap("    "+strings.Repeat("x", 8), 6); strings.Join(got, "|") != "    xx|xxxxxx" {
		t.Errorf("indentation alone must not make a line: %q", got)
	}
	red := "\x1b[31m"
	got := Wrap(red+"abcdef"+sgrReset+"gh", 4)
	want := []string{red + "abcd" + sgrReset, red + "ef" + sgrReset + "gh"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("Wrap styled = %q, want %q", got, want)
	}
}

func FuzzWrap(f *testing.F) {
	for _, s := range jsonSamples {
		f.Add(s, 7)
	}
	f.Add("a b  c\x1b[1mdd dd\x1b[m e", 3)
	f.Fuzz(func(t *testing.T, s string, w int) {
		w = w%50 + 1
		if w < 1 {
			w = -w + 1
		}
		s = ansi.Strip(strings.ToValidUTF8(s, "\uFFFD"))
		lines := Wrap(s, w)
		want := strings.ReplaceAll(s, "\n", "")
		if got := ansi.Strip(strings.Join(lines, "")); got != want {
			t.Fatalf("Wrap(%q, %d) lost text: %q", s, w, lines)
		}
	})
}

// sampleJSON is a compact JSON document of about size bytes: an object with
// an array of records of strings, numbers, literals and nested objects.
func sampleJSON(size int) []byte {
	var b strings.Builder
	b.WriteString(`{"orderId":"A-1","items":[`)
	for i := 0; b.Len() < size-200; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":%d,"sku":"SKU-%06d","name":"item number %d with a longer description","price":%d.%02d,"inStock":%t,"tags":["a","b"],"meta":{"w":null,"h":%d}}`,
			i, i, i, i%500, i%100, i%3 == 0, i%17)
	}
	b.WriteString(`],"status":"paid"}`)
	return []byte(b.String())
}

func BenchmarkPrettyHighlight1MiB(b *testing.B) {
	st := styles()
	raw := sampleJSON(1 << 20)
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		p, err := PrettyJSON(raw)
		if err != nil {
			b.Fatal(err)
		}
		_ = HighlightJSON(st, p)
	}
}

func BenchmarkWrapStyledLine(b *testing.B) {
	st := styles()
	line := HighlightJSON(st, []byte(`{"description": "`+strings.Repeat("lorem ipsum dolor ", 20)+`", "n": 1}`))
	for b.Loop() {
		_ = Wrap(line, 80)
	}
}

func FuzzHighlight(f *testing.F) {
	for _, s := range jsonSamples {
		f.Add(s)
	}
	f.Add("a: |\n  x\n- {k: 'v''', n: [1, \"2\"]} # c\n\"q\": x")
	st := styles()
	f.Fuzz(func(t *testing.T, s string) {
		s = ansi.Strip(strings.ToValidUTF8(s, "\uFFFD")) // callers sanitise first
		if got := ansi.Strip(HighlightJSON(st, []byte(s))); got != s {
			t.Fatalf("HighlightJSON(%q) lost text: %q", s, got)
		}
		if got := ansi.Strip(HighlightYAML(st, s)); got != s {
			t.Fatalf("HighlightYAML(%q) lost text: %q", s, got)
		}
	})
}
