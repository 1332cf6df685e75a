package render

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/ui/msgs"
)

func ops(lines []msgs.DiffLine) string {
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

func TestDiffJSONIgnoresKeyOrderAndFormatting(t *testing.T) {
	lines, err := DiffJSON([]byte(`{"b":2,"a":{"y":[1,2],"x":"<&>"}}`), []byte("{\n \"a\": {\"x\": \"<&>\", \"y\": [1, 2]},\n \"b\": 2\n}"))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range lines {
		if l.Op != ' ' || l.Left != l.Right {
			t.Fatalf("equal values differ:\n%s", ops(lines))
		}
	}
	if got := lines[2].Left; got != `    "x": "<&>",` {
		t.Errorf("line 2 = %q (keys sorted, HTML not escaped)", got)
	}
}

func TestDiffJSONShowsChangedLines(t *testing.T) {
	lines, err := DiffJSON([]byte(`{"status":"paid","total":1.50,"items":[1,2,3]}`), []byte(`{"items":[1,3,4],"status":"shipped","total":1.50}`))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		` {`,
		`   "items": [`,
		`     1,`,
		`-    2,`,
		`-    3`,
		`+    3,`,
		`+    4`,
		`   ],`,
		`-  "status": "paid",`,
		`+  "status": "shipped",`,
		`   "total": 1.50`,
		` }`,
	}, "\n") + "\n"
	if got := ops(lines); got != want {
		t.Errorf("diff =\n%s\nwant\n%s", got, want)
	}
}

func TestDiffJSONComparesTextThatIsNotJSON(t *testing.T) {
	lines, err := DiffJSON([]byte("a\nb\nc"), []byte(`{"a":1}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := ops(lines); got != "-a\n-b\n-c\n+{\n+  \"a\": 1\n+}\n" {
		t.Errorf("diff =\n%s", got)
	}
	if lines, _ := DiffJSON(nil, nil); len(lines) != 0 {
		t.Errorf("two empty outputs differ: %v", lines)
	}
}

func TestDiffJSONRefusesHugeDifferences(t *testing.T) {
	a, b := make([]string, 12000), make([]string, 12000)
	for i := range a {
		a[i], b[i] = "a"+strings.Repeat("x", i%7), "b"+strings.Repeat("y", i%5)
	}
	_, err := DiffJSON([]byte(strings.Join(a, "\n")), []byte(strings.Join(b, "\n")))
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
	lines, err := DiffJSON([]byte(strings.Join(a, "\n")), []byte(strings.Join(c, "\n")))
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

func BenchmarkDiffJSON64KiB(b *testing.B) {
	x := sampleJSON(64 << 10)
	y := []byte(strings.Replace(string(x), `"price":7.07`, `"price":7.08`, 1))
	for b.Loop() {
		if _, err := DiffJSON(x, y); err != nil {
			b.Fatal(err)
		}
	}
}
