package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"github.com/flowtui/flowtui/bench"
	"github.com/flowtui/flowtui/internal/human"
)

// benchRedraw is how often the progress line is redrawn at most: enough to
// see it move, little enough not to cost the bench or flicker.
const benchRedraw = 250 * time.Millisecond

// benchMeter draws a bench's progress on one line of stderr, redrawn in place
// (carriage return, then erase to the end of the line), when stderr is a
// terminal; elsewhere (a pipe, a CI log) it draws nothing. Its notes are
// lines of their own, on a terminal or not. Safe for concurrent use.
type benchMeter struct {
	mu    sync.Mutex
	w     io.Writer
	on    bool       // w is a terminal that redraws a line in place
	width int        // the terminal's columns: a longer line would wrap and stay
	size  func() int // the columns now, 0 when unknown (nil: width holds)
	last  time.Time
	shown bool // a progress line is on screen
}

// newBenchMeter is the meter of w: on when w is a terminal (TERM=dumb is
// not: it may not know erase-line).
func newBenchMeter(w io.Writer) *benchMeter {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) || os.Getenv("TERM") == "dumb" {
		return &benchMeter{w: w}
	}
	size := func() int {
		cols, _, err := term.GetSize(f.Fd())
		if err != nil {
			return 0
		}
		return cols
	}
	return &benchMeter{w: w, on: true, width: 80, size: size}
}

// draw shows line at now, unless the last draw was less than benchRedraw
// before. The line is cut to the terminal's width, read at each draw: the
// window may have been narrowed since.
func (m *benchMeter) draw(now time.Time, line string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.on || m.shown && now.Sub(m.last) < benchRedraw {
		return
	}
	if m.size != nil {
		if cols := m.size(); cols > 0 {
			m.width = cols
		}
	}
	fmt.Fprintf(m.w, "\r%s\x1b[K", ansi.Truncate(line, m.width-1, "…"))
	m.last, m.shown = now, true
}

// note writes line (plain text, sanitised by the caller) on a line of its
// own, in place of the progress line; the next draw comes at once.
func (m *benchMeter) note(line string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.erase()
	fmt.Fprintln(m.w, line)
}

// clear erases the progress line, leaving the cursor where it began, for
// what is printed next.
func (m *benchMeter) clear() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.erase()
}

func (m *benchMeter) erase() {
	if m.shown {
		fmt.Fprint(m.w, "\r\x1b[K")
		m.shown = false
	}
}

// showBenchProgress draws the progress of the bench of flow that cfg
// describes on m until the returned stop is called (which erases it). At
// an interrupt it says that no run starts any more, and how long the calls
// under way get.
func showBenchProgress(ctx context.Context, m *benchMeter, flow string, cfg bench.Config) (stop func()) {
	start := time.Now()
	done, exited := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		tick := time.NewTicker(benchRedraw)
		defer tick.Stop()
		interrupted := ctx.Done()
		stopping := false
		for {
			now := time.Now()
			m.draw(now, bench.ProgressLine(flow, cfg, cfg.Live.Counts(), now.Sub(start), stopping))
			select {
			case <-done:
				return
			case <-interrupted:
				interrupted, stopping = nil, true
				if n := cfg.Live.Counts().UnderWay(); n > 0 {
					m.note(fmt.Sprintf("flowtui: interrupted: no more runs start; waiting up to %s for the %s; interrupt again to stop them now",
						cfg.Grace, human.Count(n, "run under way", "runs under way")))
				}
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		<-exited
		m.clear()
	}
}

// hurryOnSecondInterrupt returns a channel closed at a stop signal that
// comes once ctx has ended (the first one ends it), which ends the wait for
// the runs under way (bench.Config.Hurry), said on m; release stops
// listening. Caught rather than left to the default: the summary is still
// printed and recorded.
func hurryOnSecondInterrupt(ctx context.Context, m *benchMeter) (hurry <-chan struct{}, release func()) {
	again := make(chan os.Signal, 1)
	h, done, exited := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(exited)
		select {
		case <-ctx.Done():
		case <-done:
			return
		}
		signal.Notify(again, stopSignals...)
		select {
		case <-again:
			m.note("flowtui: interrupted again: stopping the runs under way now")
			close(h)
		case <-done:
		}
	}()
	return h, func() {
		close(done)
		<-exited // no Notify after this Stop
		signal.Stop(again)
	}
}
