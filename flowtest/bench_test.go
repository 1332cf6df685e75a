package flowtest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/flowtui/flowtui/engine"
)

// chainFlow is an Express flow of n Pass states, each adding to a counter.
func chainFlow(n int) string {
	var b strings.Builder
	b.WriteString("Name: chain\nExecutionMode: Express\nDefinition: |\n  Type: StateMachine\n  Name: chain\n  SpecVersion: v1\n  StartAt: S0\n  States:\n")
	for i := range n {
		fmt.Fprintf(&b, "    - Type: Pass\n      Name: S%d\n      OutputConstructor:\n        id.$: $Input.id\n        n.$: $Input.n + 1\n", i)
		if i == n-1 {
			b.WriteString("      End: true\n")
		} else {
			fmt.Fprintf(&b, "      Next: S%d\n", i+1)
		}
	}
	return b.String()
}

// chainTests is a test file of cases of the chain flow, each checking the
// status, an exact output, an assertion and the 20 states visited.
func chainTests(cases, states int) string {
	names := make([]string, states)
	for i := range names {
		names[i] = fmt.Sprintf("S%d", i)
	}
	var b strings.Builder
	b.WriteString("flow: chain\ncases:\n")
	for i := range cases {
		fmt.Fprintf(&b, "  - name: case %d\n    input: {id: %d, n: 0}\n    expect:\n      status: Succeeded\n      output: {id: %d, n: %d}\n      assert: ['.n == %d']\n      states: [%s]\n",
			i, i, i, states, states, strings.Join(names, ", "))
	}
	return b.String()
}

// BenchmarkRun1000Cases20States runs 1,000 cases of a 20-state flow on the
// local engine, two at a time (the budget: 1 s on 2 cores).
func BenchmarkRun1000Cases20States(b *testing.B) {
	dir := b.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "chain.yaml"), []byte(chainFlow(20)), 0o600); err != nil {
		b.Fatal(err)
	}
	l, err := engine.NewLocal(engine.LocalOptions{FlowsDir: dir, FlowsDirMust: true})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close(context.Background(), "benchmark over")
	f, err := Parse("chain.test.yaml", []byte(chainTests(1000, 20)))
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for b.Loop() {
		rs := Run(context.Background(), l, []*File{f}, Options{Jobs: 2})
		if s := Summarize(rs); s.Passed != 1000 {
			b.Fatalf("%+v: %+v", s, rs[0])
		}
	}
}
