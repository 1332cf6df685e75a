package clock

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Virtual is a clock on which waits take no real time (see the package
// documentation). Its time is the wall clock plus the waits it skipped.
type Virtual struct {
	skipped atomic.Int64 // nanoseconds

	mu sync.Mutex
	// busy counts the goroutines of the execution that are not waiting on
	// this clock; time jumps only when it is 0.
	busy  int
	waits []*wake
	// timer wakes the first wait due while some goroutine works in real
	// time (an HTTP call): its due comes as the real time passes.
	timer *time.Timer
}

// wake is a goroutine waiting on the clock, or a timer.
type wake struct {
	at        time.Time       // when it is due; zero: never by itself (Receive with no limit)
	ch        chan struct{}   // closed when it wakes
	f         func()          // a timer's function, called instead
	ctx       context.Context // a wait's context: its end wakes it
	fired     bool
	cancelled bool // woken by its context
}

// NewVirtual returns a virtual clock that counts the calling goroutine, the
// one that runs the execution, as busy.
func NewVirtual() *Virtual { return &Virtual{busy: 1} }

func (c *Virtual) Now() time.Time { return time.Now().Add(time.Duration(c.skipped.Load())) }

func (c *Virtual) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	c.mu.Lock()
	if err := ctx.Err(); err != nil {
		c.mu.Unlock()
		return err
	}
	w := c.waitLocked(ctx, d)
	c.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { c.cancel(w) })
	<-w.ch
	stop()
	if w.cancelled {
		return ctx.Err()
	}
	return nil
}

func (c *Virtual) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	w := &wake{at: c.Now().Add(max(d, 0)), f: f}
	c.waits = append(c.waits, w)
	c.armLocked()
	c.mu.Unlock()
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if w.fired {
			return false
		}
		w.fired = true
		c.removeLocked(w)
		c.armLocked()
		return true
	}
}

func (c *Virtual) Group(limit int) Group { return &virtualGroup{c: c, limit: limit} }

// waitLocked adds a wait of d (none when d <= 0) for the calling goroutine,
// which stops counting as busy.
func (c *Virtual) waitLocked(ctx context.Context, d time.Duration) *wake {
	w := &wake{ch: make(chan struct{}), ctx: ctx}
	if d > 0 {
		w.at = c.Now().Add(d)
	}
	c.waits = append(c.waits, w)
	c.idleLocked()
	return w
}

// cancel wakes w because its context ended.
func (c *Virtual) cancel(w *wake) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.fireLocked(w, true)
}

// idleLocked counts one busy goroutine less, and moves time if that was the
// last.
func (c *Virtual) idleLocked() {
	c.busy--
	c.settleLocked()
}

// settleLocked wakes what is due, and moves time while every goroutine
// waits: a wait whose context has ended wakes first (a sibling's failure
// cancelled it and must not be overtaken by a later wake-up); else time
// jumps to the first due and wakes everything due then. While some
// goroutine works, the timer wakes the first due as real time reaches it.
func (c *Virtual) settleLocked() {
	defer c.armLocked()
	c.wakeDueLocked(c.Now())
	for c.busy == 0 {
		var first *wake
		for _, w := range c.waits {
			if w.ctx != nil && w.ctx.Err() != nil {
				c.fireLocked(w, true)
				return
			}
			if !w.at.IsZero() && (first == nil || w.at.Before(first.at)) {
				first = w
			}
		}
		if first == nil {
			return // everything waits on the outside world
		}
		if d := first.at.Sub(c.Now()); d > 0 {
			c.skipped.Add(int64(d))
		}
		c.wakeDueLocked(first.at)
	}
}

// wakeDueLocked wakes every wait due by t.
func (c *Virtual) wakeDueLocked(t time.Time) {
	for _, w := range slices.Clone(c.waits) {
		if !w.at.IsZero() && !w.at.After(t) {
			c.fireLocked(w, false)
		}
	}
}

// armLocked sets the timer for the first wait due, or stops it when none
// is: a stopped clock holds no timer.
func (c *Virtual) armLocked() {
	var first *wake
	for _, w := range c.waits {
		if !w.at.IsZero() && (first == nil || w.at.Before(first.at)) {
			first = w
		}
	}
	switch {
	case first == nil && c.timer != nil:
		c.timer.Stop()
	case first == nil:
	case c.timer == nil:
		c.timer = time.AfterFunc(first.at.Sub(c.Now()), c.tick)
	default:
		c.timer.Reset(first.at.Sub(c.Now()))
	}
}

// tick is the timer's: real time has reached a wait's due.
func (c *Virtual) tick() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.settleLocked()
}

// fireLocked wakes w once, counting it busy again: a wait returns, a
// timer's function runs in its own goroutine.
func (c *Virtual) fireLocked(w *wake, cancelled bool) {
	if w.fired {
		return
	}
	w.fired, w.cancelled = true, cancelled
	c.removeLocked(w)
	c.busy++
	if w.f == nil {
		close(w.ch)
		return
	}
	go func() {
		w.f()
		c.mu.Lock()
		defer c.mu.Unlock()
		c.idleLocked()
	}()
}

func (c *Virtual) removeLocked(w *wake) {
	if i := slices.Index(c.waits, w); i >= 0 {
		c.waits = slices.Delete(c.waits, i, i+1)
	}
}

func receiveVirtual[T any](c *Virtual, ctx context.Context, ch <-chan T, d time.Duration) (v T, timedOut bool, err error) {
	c.mu.Lock()
	if err := ctx.Err(); err != nil {
		c.mu.Unlock()
		return v, false, err
	}
	w := c.waitLocked(ctx, d)
	c.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { c.cancel(w) })
	defer stop()
	select {
	case v = <-ch:
		// Woken from outside: busy again by its own means, unless the clock
		// woke it at the same moment and counted it already.
		c.mu.Lock()
		if !w.fired {
			w.fired = true
			c.removeLocked(w)
			c.busy++
		}
		c.mu.Unlock()
		return v, false, nil
	case <-w.ch:
		if w.cancelled {
			return v, false, ctx.Err()
		}
		select {
		case v = <-ch: // it came at the same instant: the value wins
			return v, false, nil
		default:
			return v, true, nil
		}
	}
}

// virtualGroup hands its goroutines' count over to the goroutine that waits
// on them: the last to end wakes the waiter still counted busy, so that no
// instant passes in which everyone seems to wait and time jumps too early.
type virtualGroup struct {
	c              *Virtual
	limit, running int
	waiter         chan struct{}
	ready          func() bool // what the waiter waits for
}

func (g *virtualGroup) WaitSlot() {
	g.c.mu.Lock()
	defer g.c.mu.Unlock()
	g.waitSlotLocked()
}

func (g *virtualGroup) waitSlotLocked() {
	if g.limit > 0 {
		g.waitLocked(func() bool { return g.running < g.limit })
	}
}

func (g *virtualGroup) Go(f func()) {
	c := g.c
	c.mu.Lock()
	g.waitSlotLocked()
	g.running++
	c.busy++
	c.mu.Unlock()
	go func() {
		defer g.done()
		f()
	}()
}

func (g *virtualGroup) Wait() {
	g.c.mu.Lock()
	defer g.c.mu.Unlock()
	g.waitLocked(func() bool { return g.running == 0 })
}

func (g *virtualGroup) done() {
	c := g.c
	c.mu.Lock()
	defer c.mu.Unlock()
	g.running--
	if g.waiter != nil && g.ready() {
		close(g.waiter) // this goroutine's count passes to the waiter
		g.waiter = nil
		return
	}
	c.idleLocked()
}

// waitLocked waits, not counted busy, until ready holds.
func (g *virtualGroup) waitLocked(ready func() bool) {
	if ready() {
		return
	}
	w := make(chan struct{})
	g.waiter, g.ready = w, ready
	g.c.idleLocked()
	g.c.mu.Unlock()
	<-w
	g.c.mu.Lock()
}
