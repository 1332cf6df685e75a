package bench

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/internal/human"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// Live is a bench's counts as it runs: Run keeps it up to date, a progress
// display reads it from another goroutine. A nil Live counts nothing.
type Live struct {
	started, done, errors atomic.Int64
}

// Counts is what a bench has done so far.
type Counts struct {
	Started int // calls made, under way or ended
	Done    int // calls completed (counted)
	Errors  int // completed calls that did not succeed
}

// UnderWay is the calls started and not yet completed.
func (c Counts) UnderWay() int { return c.Started - c.Done }

func (l *Live) start() {
	if l != nil {
		l.started.Add(1)
	}
}

func (l *Live) end(s Sample) {
	if l == nil {
		return
	}
	if s.Code != "" {
		l.errors.Add(1)
	}
	l.done.Add(1)
}

// Counts reads the counts now.
func (l *Live) Counts() Counts {
	if l == nil {
		return Counts{}
	}
	// Done before Started: a call that starts and ends between the reads is
	// then seen started, never done and not started (UnderWay < 0).
	d, e := l.done.Load(), l.errors.Load()
	return Counts{Started: int(l.started.Load()), Done: int(d), Errors: int(e)}
}

// progressFlowWidth bounds the flow's name in a progress line, so that the
// counts after it stay on an 80-column line.
const progressFlowWidth = 20

// ProgressLine is one line of a bench of flow, bounded as cfg says, that has
// done c in elapsed: the runs done of the count, the errors, the throughput
// so far and the time (of the duration). Stopping (after an interrupt) puts
// the calls still under way first, where a narrow terminal still shows them.
// Plain text: the flow's name goes through the sanitiser.
func ProgressLine(flow string, cfg Config, c Counts, elapsed time.Duration, stopping bool) string {
	var b strings.Builder
	b.WriteString(ansi.Truncate(sanitize.Line(flow), progressFlowWidth, "…") + ": ")
	if stopping {
		fmt.Fprintf(&b, "stopping, %d under way; ", c.UnderWay())
	}
	if cfg.N > 0 {
		fmt.Fprintf(&b, "%d/%d runs", c.Done, cfg.N)
	} else {
		b.WriteString(human.Count(c.Done, "run", "runs"))
	}
	rate := 0.0
	if elapsed > 0 {
		rate = float64(c.Done) / elapsed.Seconds()
	}
	fmt.Fprintf(&b, ", %s, %.1f/s, %s", human.Count(c.Errors, "error", "errors"), rate, elapsed.Truncate(time.Second))
	if cfg.Duration > 0 {
		fmt.Fprintf(&b, " of %s", cfg.Duration)
	}
	return b.String()
}
