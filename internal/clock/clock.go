// Package clock is the time an execution runs on: the real one, or a
// virtual one that skips every wait (flowtui test --fast-wait).
//
// The virtual clock is a discrete-event clock, as in a simulation: time
// moves forward only when every goroutine of the execution it counts is
// waiting on it, and then jumps to the first wake-up due. A Wait of an hour
// then takes no real time, yet every time the run reports (its start, its
// end, a step's duration, an event's time) is the time the flow would take:
// two branches waiting 10 s and 20 s at once end after 20 s, a Map of ten
// iterations waiting 5 s each, one at a time, after 50 s. Work itself (an
// expression, an HTTP call) takes its real time.
//
// For the count to hold, the execution starts goroutines only through a
// Group and waits on other goroutines only through Group.Wait and
// Group.Go's wait for a slot; every other wait is Sleep, a timer
// (AfterFunc, WithTimeoutCause) or Receive.
package clock

import (
	"context"
	"sync"
	"time"

	"github.com/flowtui/flowtui/internal/pause"
)

// Clock tells the time and waits.
type Clock interface {
	Now() time.Time
	// Sleep waits d, or until ctx ends (then its error). A d of zero or
	// less returns at once with ctx's error, if any.
	Sleep(ctx context.Context, d time.Duration) error
	// AfterFunc calls f in its own goroutine once d has passed; stop
	// reports whether it stopped the call before it happened.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
	// Group runs goroutines, at most limit at once; 0 or less: no limit.
	Group(limit int) Group
}

// Group runs goroutines and waits for them. One goroutine calls its methods.
type Group interface {
	// WaitSlot waits until fewer than the limit are running, so that the
	// next Go starts at once: a caller looks at its context in between.
	WaitSlot()
	// Go runs f in a goroutine, once fewer than the limit are running.
	Go(f func())
	// Wait waits until every goroutine Go started has returned.
	Wait()
}

// WithTimeoutCause is context.WithTimeoutCause on clock c: ctx ends with
// cause once d has passed on c.
func WithTimeoutCause(c Clock, ctx context.Context, d time.Duration, cause error) (context.Context, context.CancelFunc) {
	if _, ok := c.(Real); ok {
		return context.WithTimeoutCause(ctx, d, cause)
	}
	ctx, cancel := context.WithCancelCause(ctx)
	stop := c.AfterFunc(d, func() { cancel(cause) })
	return ctx, func() {
		stop()
		cancel(context.Canceled)
	}
}

// Receive waits for a value from ch, for d (0 or less: no limit) or for
// ctx, whichever comes first; timedOut is true when d passed first. A value
// sent from outside the execution (a callback) arrives in real time.
func Receive[T any](c Clock, ctx context.Context, ch <-chan T, d time.Duration) (v T, timedOut bool, err error) {
	if v, ok := c.(*Virtual); ok {
		return receiveVirtual(v, ctx, ch, d)
	}
	var timeout <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case v = <-ch:
		return v, false, nil
	case <-timeout:
		return v, true, nil
	case <-ctx.Done():
		return v, false, ctx.Err()
	}
}

// Real is the wall clock.
type Real struct{}

func (Real) Now() time.Time { return time.Now() }

func (Real) Sleep(ctx context.Context, d time.Duration) error { return pause.For(ctx, d) }

func (Real) AfterFunc(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

func (Real) Group(limit int) Group {
	g := &realGroup{}
	if limit > 0 {
		g.sem = make(chan struct{}, limit)
	}
	return g
}

type realGroup struct {
	wg       sync.WaitGroup
	sem      chan struct{} // nil: no limit
	reserved bool          // WaitSlot took a slot for the next Go
}

func (g *realGroup) WaitSlot() {
	if g.sem != nil && !g.reserved {
		g.sem <- struct{}{}
		g.reserved = true
	}
}

func (g *realGroup) Go(f func()) {
	g.WaitSlot()
	g.reserved = false
	g.wg.Go(func() {
		defer func() {
			if g.sem != nil {
				<-g.sem
			}
		}()
		f()
	})
}

func (g *realGroup) Wait() { g.wg.Wait() }
