package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// printBenchRow is `history show` of a bench summary row: what was run and
// the bench's figures as `flowtui bench` printed them. A bench row has no
// execution, server times or round trip of its own to show.
func printBenchRow(w io.Writer, r history.Run) {
	for _, row := range [][2]string{
		{"Run:", strconv.FormatInt(r.ID, 10)}, {"Flow:", r.FlowName}, {"Status:", "bench " + string(r.Status)},
		{"Started:", fmtTime(r.ClientStart)}, {"Backend:", r.Backend + " " + r.Endpoint}, {"Test case:", r.TestCase},
	} {
		if row[1] != "" {
			fmt.Fprintf(w, "%-10s %s\n", row[0], sanitize.Line(row[1]))
		}
	}
	fmt.Fprintf(w, "\nInput:\n%s\n", bodyText(r.Input))
	s, err := bench.ParseSummary(r.Output)
	if err != nil {
		fmt.Fprintf(w, "Summary: cannot be read (%s); as kept:\n%s", sanitize.Line(err.Error()), bodyText(r.Output))
		return
	}
	s.WriteText(w)
}
