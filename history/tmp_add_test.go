package history

import (
	"context"
	"testing"
)

func BenchmarkTmpAdd(b *testing.B) {
	for _, c := range []struct{ name, setup string }{
		{"base", ""},
		{"optimize", `INSERT INTO runs_fts(runs_fts) VALUES ('optimize')`},
		{"automerge8", `INSERT INTO runs_fts(runs_fts, rank) VALUES ('automerge', 8)`},
		{"automerge16-crisis64", `INSERT INTO runs_fts(runs_fts, rank) VALUES ('automerge', 16); INSERT INTO runs_fts(runs_fts, rank) VALUES ('crisismerge', 64)`},
		{"nofts", `DROP TRIGGER run_bodies_ai`},
	} {
		s := benchStore(b, benchRuns, Options{})
		if c.setup != "" {
			if _, err := s.db.Exec(c.setup); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			i := benchRuns
			cpu := cpuTime(b)
			for b.Loop() {
				i++
				if _, err := s.Add(ctx, benchRun(i)); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, cpu)
		})
	}
}
