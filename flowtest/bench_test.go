package flowtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/engine"
)

// chainFlow is an Express flow of n Pass states, each adding to a counter;
// with waitEvery > 0, every waitEvery-th state is a Wait of 20 s instead.
func chainFlow(n, waitEvery int) string {
	var b strings.Builder
	b.WriteString("Name: chain\nExecutionMode: Express\nDefinition: |\n  Type: StateMachine\n  Name: chain\n  SpecVersion: v1\n  StartAt: S0\n  States:\n")
	for i := range n {
		if waitEvery > 0 && (i+1)%waitEvery == 0 {
			fmt.Fprintf(&b, "    - Type: Wait\n      Name: S%d\n      Seconds: 20\n", i)
		} else {
			fmt.Fprintf(&b, "    - Type: Pass\n      Name: S%d\n      OutputConstructor:\n        id.$: $Input.id\n        n.$: $Input.n + 1\n", i)
		}
		if i == n-1 {
			b.WriteString("      End: true\n")
		} else {
			fmt.Fprintf(&b, "      Next: S%d\n", i+1)
		}
	}
	return b.String()
}

// chainTests is a test file of cases of the chain flow, each checking the
// status, an exact output (passes: the Pass states), an assertion and the
// states visited.
func chainTests(cases, states, passes int) string {
	names := make([]string, states)
	for i := range names {
		names[i] = fmt.Sprintf("S%d", i)
	}
	var b strings.Builder
	b.WriteString("flow: chain\ncases:\n")
	for i := range cases {
		fmt.Fprintf(&b, "  - name: case %d\n    input: {id: %d, n: 0}\n    expect:\n      status: Succeeded\n      output: {id: %d, n: %d}\n      assert: ['.n == %d']\n      states: [%s]\n",
			i, i, i, passes, passes, strings.Join(names, ", "))
	}
	return b.String()
}

// BenchmarkRun1000Cases20States runs 1,000 cases of a 20-state flow on the
// local engine, two at a time (the budget: 1 s on 2 cores).
func BenchmarkRun1000Cases20States(b *testing.B) {
	benchCases(b, chainFlow(20, 0), chainTests(1000, 20, 20), false)
}

// BenchmarkRun1000Cases20StatesFastWait is the same with four of the states
// Waits of 20 s, skipped by the virtual clock (--fast-wait): 80 s of flow
// time per case, 22 hours in all, within the same budget.
func BenchmarkRun1000Cases20StatesFastWait(b *testing.B) {
	benchCases(b, chainFlow(20, 5), chainTests(1000, 20, 16), true)
}

func benchCases(b *testing.B, flow, tests string, fastWait bool) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "chain.yaml"), []byte(flow), 0o600); err != nil {
		b.Fatal(err)
	}
	l, err := engine.NewLocal(engine.LocalOptions{FlowsDir: dir, FlowsDirMust: true, FastWait: fastWait})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close(context.Background(), "benchmark over")
	f, err := Parse("chain.test.yaml", []byte(tests))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rs := Run(context.Background(), l, []*File{f}, Options{Jobs: 2})
		if s := Summarize(rs); s.Passed != 1000 {
			b.Fatalf("%+v: %+v", s, rs[0])
		}
		if fastWait && rs[0].Duration < 80*time.Second {
			b.Fatalf("a case took %s; the flow takes 80 s", rs[0].Duration)
		}
	}
}
