// What `flowtui bench` prints: the bench package's summary, as text or as
// one JSON object (README "bench" documents its fields).

package main

import (
	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/fnf"
)

// benchSummary is the summary of rep, with what the bench was asked to do.
func benchSummary(flow string, info fnf.Info, cfg bench.Config, rep bench.Report) bench.Summary {
	s := rep.Summarize(cfg)
	s.FlowName, s.Backend = flow, info.Kind
	if info.Kind != fnf.KindLocal {
		s.Endpoint = info.Endpoint // a local directory says nothing about the measure
	}
	return s
}
