package jsondiff

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func ops(lines []Line) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteByte(l.Op)
		switch l.Op {
		case '+':
			b.WriteString(l.Right)
		default:
			b.WriteString(l.Left)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// changes lists a diff's entries one a line: "~ $.a: 1 → 2", "+ $.b: 3",
// "- $.c: 4", "= 5".
func changes(d Diff) string {
	var b strings.Builder
	for _, l := range d.Lines {
		switch l.Op {
		case '~':
			fmt.Fprintf(&b, "~ %s: %s → %s\n", l.Path, l.Left, l.Right)
		case '+':
			fmt.Fprintf(&b, "+ %s: %s\n", l.Path, l.Right)
		case '-':
			fmt.Fprintf(&b, "- %s: %s\n", l.Path, l.Left)
		case '=':
			fmt.Fprintf(&b, "= %d\n", l.Same)
		}
	}
	return b.String()
}

func diffOf(t *testing.T, a, b string) Diff {
	t.Helper()
	d, err := Outputs([]byte(a), []byte(b))
	if err != nil {
		t.Fatal(err)
	}
	if d.Text {
		t.Fatalf("%s vs %s compared as text", a, b)
	}
	return d
}

func TestOutputsIgnoresKeyOrderAndFormatting(t *testing.T) {
	// A member added at the end moves the comma after "orderId": a text
	// diff shows that line as removed and added.
	d := diffOf(t, "{\n  \"orderId\": \"A-1001\"\n}", "{\n  \"orderId\": \"A-1001\",\n  \"total\": 5\n}")
	if got, want := changes(d), "= 1\n+ $.total: 5\n"; got != want {
		t.Errorf("trailing comma moved:\n%s\nwant\n%s", got, want)
	}
	d = diffOf(t, `{"b":2,"a":{"y":[1,2],"x":"<&>"}}`, "{\n \"a\": {\"x\": \"\\u003c&>\", \"y\": [1, 2]},\n \"b\": 2\n}")
	if got, want := changes(d), "= 4\n"; got != want {
		t.Errorf("reordered keys, other spacing and escapes:\n%s\nwant\n%s", got, want)
	}
}

func TestOutputsReportsChangesByPath(t *testing.T) {
	a := `{"orderId":"A-1001","items":[{"sku":"A","price":1.50},{"sku":"B","price":2},{"sku":"C","price":7.07}],"note":"x","tags":[]}`
	b := `{"items":[{"sku":"A","price":1.5},{"sku":"B","price":2},{"sku":"C","price":7.08},{"sku":"D","price":1}],"orderId":"A-1001","tags":[],"vip":true,"a b":{"c":null}}`
	want := strings.Join([]string{
		`+ $["a b"]: {"c":null}`,
		`= 4`,
		`~ $.items[2].price: 7.07 → 7.08`,
		`= 1`,
		`+ $.items[3]: {"price":1,"sku":"D"}`,
		`- $.note: "x"`,
		`= 2`,
		`+ $.vip: true`,
	}, "\n") + "\n"
	if got := changes(diffOf(t, a, b)); got != want {
		t.Errorf("diff =\n%s\nwant\n%s", got, want)
	}
	if got, want := changes(diffOf(t, `{"a":{"b":1}}`, `{"a":[1]}`)), "~ $.a: {\"b\":1} → [1]\n"; got != want {
		t.Errorf("a type change: %s, want %s", got, want)
	}
}

func TestOutputsComparesNumbersExactly(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		same bool
	}{
		{"1", "1.0", true},
		{"100", "1e2", true},
		{"0.5", "5E-1", true},
		{"-0", "0.0", true},
		{"12345678901234567890", "12345678901234567891", false}, // equal as float64
		{"0.1", "0.10000000000000001", false},                   // equal as float64
		{"1", "-1", false},
		{"1e999999999999999999999", "1e999999999999999999999", true},
		{"1e999999999999999999999", "10e999999999999999999998", false}, // beyond int: the text decides
	} {
		d := diffOf(t, "["+tc.a+"]", "["+tc.b+"]")
		if got := len(d.Lines) == 1 && d.Lines[0].Op == '='; got != tc.same {
			t.Errorf("%s vs %s: same = %v, want %v (%s)", tc.a, tc.b, got, tc.same, changes(d))
		}
	}
}

func TestOutputsComparesTextThatIsNotJSON(t *testing.T) {
	d, err := Outputs([]byte("a\nb\nc"), []byte(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if !d.Text || ops(d.Lines) != "-a\n-b\n-c\n+{\"a\":1}\n" {
		t.Errorf("text %v, diff =\n%s", d.Text, ops(d.Lines))
	}
	if d, _ := Outputs(nil, nil); len(d.Lines) != 0 || !d.Text {
		t.Errorf("two empty outputs: %+v", d)
	}
}

func TestByLineRefusesHugeDifferences(t *testing.T) {
	a, b := make([]string, 12000), make([]string, 12000)
	for i := range a {
		a[i], b[i] = "a"+strings.Repeat("x", i%7), "b"+strings.Repeat("y", i%5)
	}
	_, err := ByLine([]byte(strings.Join(a, "\n")), []byte(strings.Join(b, "\n")))
	var tl *TooLargeError
	if !errors.As(err, &tl) || tl.A != 12000 || tl.B != 12000 {
		t.Fatalf("err = %v, want a TooLargeError 12000 vs 12000", err)
	}
	if !strings.Contains(err.Error(), "outputs differ, 12000 lines vs 12000") {
		t.Errorf("message %q", err)
	}
	// Large but alike: the common head and tail are set aside.
	c := append([]string(nil), a...)
	c[6000] = "changed"
	lines, err := ByLine([]byte(strings.Join(a, "\n")), []byte(strings.Join(c, "\n")))
	if err != nil || len(lines) != 12001 {
		t.Fatalf("one changed line in 12000: %d lines, %v", len(lines), err)
	}
}

// TestLineDiffIsMinimal checks the edit script on random inputs: it rebuilds
// both sides and has as many unchanged lines as the longest common subsequence.
func TestLineDiffIsMinimal(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	gen := func() []string {
		out := make([]string, r.IntN(12))
		for i := range out {
			out[i] = string(rune('a' + r.IntN(4)))
		}
		return out
	}
	for range 2000 {
		a, b := gen(), gen()
		var ra, rb []string
		same := 0
		for _, e := range lineDiff(a, b) {
			switch e.op {
			case ' ':
				if a[e.a] != b[e.b] {
					t.Fatalf("%v vs %v: unequal lines kept", a, b)
				}
				ra, rb = append(ra, a[e.a]), append(rb, b[e.b])
				same++
			case '-':
				ra = append(ra, a[e.a])
			case '+':
				rb = append(rb, b[e.b])
			}
		}
		if strings.Join(ra, "") != strings.Join(a, "") || strings.Join(rb, "") != strings.Join(b, "") {
			t.Fatalf("%v vs %v: script rebuilds %v and %v", a, b, ra, rb)
		}
		if l := lcs(a, b); same != l {
			t.Fatalf("%v vs %v: %d lines kept, LCS is %d", a, b, same, l)
		}
	}
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

func BenchmarkOutputs64KiB(b *testing.B) {
	x := sampleJSON(64 << 10)
	y := []byte(strings.Replace(string(x), `"price":7.07`, `"price":7.08`, 1))
	for b.Loop() {
		if _, err := Outputs(x, y); err != nil {
			b.Fatal(err)
		}
	}
}

// sampleJSON is an order of about size bytes with many items, the shape of
// the Result pane's benchmarks.
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
