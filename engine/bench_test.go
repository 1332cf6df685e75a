package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// passChain is n Pass states S0 → S1 → …; each has the constructor lines
// given, if any.
func passChain(n int, constructor string) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "- Type: Pass\n  Name: S%d\n%s", i, constructor)
		if i == n-1 {
			b.WriteString("  End: true\n")
		} else {
			fmt.Fprintf(&b, "  Next: S%d\n", i+1)
		}
	}
	return flow("S0", b.String())
}

func benchRun(b *testing.B, src, input string) {
	def := mustParse(b, src)
	r := &Runner{}
	req := RunRequest{Flow: "t", ExecutionName: "bench:1", Input: input}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		res, err := r.Run(ctx, def, req)
		if err != nil || res.Status != "Succeeded" {
			b.Fatalf("%v %+v", err, res)
		}
	}
}

// BenchmarkPassChain20 is the engine's budget in BENCHMARKS.md: ≤ 50 µs per
// execution.
func BenchmarkPassChain20(b *testing.B) {
	benchRun(b, passChain(20, ""), `{"orderId":"A-1001","amount":240,"tags":["a","b"]}`)
}

func BenchmarkPassChain20Constructors(b *testing.B) {
	benchRun(b, passChain(20, "  OutputConstructor:\n    orderId.$: $Input.orderId\n    amount.$: $Input.amount + 1\n"),
		`{"orderId":"A-1001","amount":240}`)
}

func BenchmarkMap1000(b *testing.B) {
	items := make([]string, 1000)
	for i := range items {
		items[i] = fmt.Sprintf(`{"sku":"S-%d","qty":%d}`, i, i%7)
	}
	src := flow("Each", `
- Type: Map
  Name: Each
  ItemsPath: $Input.items
  Processor:
    StartAt: Line
    States:
      - Type: Pass
        Name: Line
        End: true
  End: true`)
	benchRun(b, src, `{"items":[`+strings.Join(items, ",")+`]}`)
}
