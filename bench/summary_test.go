package bench

import (
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

func TestSummaryTextFromWhatTheHistoryKept(t *testing.T) {
	rep := Report{Stopped: StopCount, Elapsed: time.Second}
	for i := range 10 {
		s := Sample{Latency: ms(10 * (i + 1)), Server: ms(5), HasServer: true}
		if i == 9 {
			s.Code = "Evil\x1b]0;pwned\x07Code"
		}
		rep.Samples = append(rep.Samples, s)
	}
	rep.summarize()
	sum := rep.Summarize("orders", fnf.Info{Kind: fnf.KindLocal, Endpoint: "/flows"}, Config{N: 10, Concurrency: 2})
	if sum.Endpoint != "" {
		t.Errorf("a local bench's endpoint %q, want none", sum.Endpoint)
	}
	kept, err := ParseSummary(sum.Compact())
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	kept.WriteText(&b)
	out := b.String()
	for _, want := range []string{"bench orders on local: 10 runs in 1s (10.0/s)\n2 at once, stopped by count; succeeded 9, errors 1\n",
		"round trip    10  50.0ms  90.0ms  100.0ms  100.0ms", "server    10  5.00ms", "1  Evil^[]0;pwned^GCode", "<=      19.0ms       1 |#"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary text lacks %q:\n%s", want, out)
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if len([]rune(l)) > 80 || strings.ContainsAny(l, "\x1b\x07") {
			t.Errorf("line wider than 80 columns or with a control character: %q", l)
		}
	}
}

// The runs cut short at the end are said, not counted.
func TestSummaryTextSaysTheRunsCutShort(t *testing.T) {
	rep := Report{Stopped: StopInterrupted, Elapsed: time.Second, Samples: []Sample{{Latency: ms(10)}}, Unfinished: 2}
	rep.summarize()
	sum := rep.Summarize("orders", fnf.Info{Kind: fnf.KindLocal}, Config{N: 10})
	var b strings.Builder
	sum.WriteText(&b)
	if want := "1 at once, stopped by interrupted; succeeded 1, errors 0\n2 under way at the end, cut short: not counted\n\n"; !strings.Contains(b.String(), want) {
		t.Fatalf("summary text lacks %q:\n%s", want, b.String())
	}
	if sum.Unfinished != 2 || sum.Runs != 1 {
		t.Fatalf("summary %+v, want 1 run and 2 unfinished", sum)
	}
}
