package app

import (
	"strings"
	"testing"

	"github.com/flowtui/flowtui/fnf"
)

func TestPaletteRunsTheFlowNTimesAndShowsTheStatistics(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("parallel-lookup")
	h.key("ctrl+p")
	h.typeText("N times")
	h.key("enter")
	h.wantScreen("how many times")
	h.typeText("7")
	h.key("enter")
	// The Timing tab comes forward with the bench's figures.
	h.wantScreen("bench parallel-lookup on local: 7 runs", "succeeded 7, errors 0", "round trip", "p99", "histogram")
	runs, row := h.runsOf("parallel-lookup", 1)
	if !runs[0].IsBench() || row.Status != fnf.StatusSucceeded || !strings.HasPrefix(row.ErrorMessage, "bench: 7 runs, 0 errors") {
		t.Fatalf("history: %+v; want one bench summary row of 7 runs", runs[0])
	}
}

func TestPaletteBenchRefusesABadCount(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("parallel-lookup")
	h.key("ctrl+p")
	h.typeText("N times")
	h.key("enter")
	h.typeText("lots")
	h.key("enter")
	h.wantScreen(`"lots" is not a count`)
	h.runsOf("parallel-lookup", 0)
}
