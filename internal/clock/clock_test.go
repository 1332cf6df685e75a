package clock

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

// took runs f on a new virtual clock and returns the time the clock says it
// took.
func took(t *testing.T, f func(c *Virtual)) time.Duration {
	t.Helper()
	c := NewVirtual()
	start := c.Now()
	f(c)
	return c.Now().Sub(start)
}

// near checks a virtual duration: exactly want, plus the real time the test
// itself took (well under a second).
func near(t *testing.T, what string, got, want time.Duration) {
	t.Helper()
	if got < want || got > want+time.Second {
		t.Errorf("%s took %s on the virtual clock, want %s", what, got, want)
	}
}

func TestVirtualSleepTakesNoRealTime(t *testing.T) {
	began := time.Now()
	d := took(t, func(c *Virtual) {
		if err := c.Sleep(t.Context(), time.Hour); err != nil {
			t.Fatal(err)
		}
	})
	near(t, "a 1 h sleep", d, time.Hour)
	if real := time.Since(began); real > 5*time.Second {
		t.Errorf("a virtual 1 h sleep took %s of real time", real)
	}
}

func TestVirtualBranchesWaitAtOnce(t *testing.T) {
	d := took(t, func(c *Virtual) {
		g := c.Group(0)
		for _, s := range []time.Duration{10 * time.Second, 20 * time.Second, 5 * time.Second} {
			g.Go(func() { _ = c.Sleep(t.Context(), s) })
		}
		g.Wait()
	})
	near(t, "branches of 10, 20 and 5 s at once", d, 20*time.Second)
}

func TestVirtualLimitQueuesIterations(t *testing.T) {
	one := took(t, func(c *Virtual) {
		g := c.Group(1)
		for range 10 {
			g.Go(func() { _ = c.Sleep(t.Context(), 5*time.Second) })
		}
		g.Wait()
	})
	near(t, "ten 5 s iterations one at a time", one, 50*time.Second)
	// Two slots: the 10 s item holds one; the short ones pass through the other.
	two := took(t, func(c *Virtual) {
		g := c.Group(2)
		for _, s := range []time.Duration{10, 1, 1, 1} {
			g.Go(func() { _ = c.Sleep(t.Context(), s*time.Second) })
		}
		g.Wait()
	})
	near(t, "10, 1, 1, 1 s on two slots", two, 10*time.Second)
}

// A join must hand its goroutines' count to the one that waits: if, for an
// instant, everyone seemed to wait, time would jump to the 10 s sleeper
// before the branch that goes on after its inner join sleeps 1 s.
func TestVirtualJoinDoesNotLetTimeJumpEarly(t *testing.T) {
	for range 20 {
		d := took(t, func(c *Virtual) {
			g := c.Group(0)
			g.Go(func() { _ = c.Sleep(t.Context(), 10*time.Second) })
			g.Go(func() {
				inner := c.Group(0)
				// Its end comes while the branch waits on it.
				inner.Go(func() { _ = c.Sleep(t.Context(), time.Nanosecond) })
				inner.Wait()
				_ = c.Sleep(t.Context(), time.Second)
				_ = c.Sleep(t.Context(), time.Second)
			})
			g.Wait()
		})
		near(t, "10 s beside a join then 2 s", d, 10*time.Second)
	}
}

func TestVirtualCancelledSleepDoesNotMoveTime(t *testing.T) {
	d := took(t, func(c *Virtual) {
		ctx, cancel := context.WithCancel(t.Context())
		g := c.Group(0)
		var err atomic.Value
		g.Go(func() {
			if e := c.Sleep(ctx, time.Hour); e != nil {
				err.Store(e)
			}
		})
		g.Go(func() {
			_ = c.Sleep(t.Context(), 3*time.Second)
			cancel() // a sibling failed
		})
		g.Wait()
		if e, _ := err.Load().(error); !errors.Is(e, context.Canceled) {
			t.Errorf("the cancelled sleep returned %v", e)
		}
	})
	near(t, "a 1 h sleep cancelled after 3 s", d, 3*time.Second)
}

func TestVirtualTimeoutEndsTheContextOnTime(t *testing.T) {
	cause := errors.New("past the limit")
	d := took(t, func(c *Virtual) {
		ctx, cancel := WithTimeoutCause(c, t.Context(), 5*time.Minute, cause)
		defer cancel()
		if err := c.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) || context.Cause(ctx) != cause {
			t.Errorf("sleep = %v, cause %v", err, context.Cause(ctx))
		}
	})
	near(t, "a 1 h sleep under a 5 min limit", d, 5*time.Minute)

	d = took(t, func(c *Virtual) {
		ctx, cancel := WithTimeoutCause(c, t.Context(), 5*time.Minute, cause)
		_ = c.Sleep(ctx, time.Minute)
		cancel()
		if context.Cause(ctx) == cause {
			t.Error("a stopped timeout still fired")
		}
		_ = c.Sleep(t.Context(), 10*time.Minute)
	})
	near(t, "1 min then 10 min with the limit stopped", d, 11*time.Minute)
}

func TestVirtualReceive(t *testing.T) {
	ch := make(chan string, 1)
	d := took(t, func(c *Virtual) {
		_, timedOut, err := Receive(c, t.Context(), ch, 24*time.Hour)
		if !timedOut || err != nil {
			t.Errorf("with nothing sent: timedOut %v, err %v", timedOut, err)
		}
	})
	near(t, "a receive nobody answers, limited to a day", d, 24*time.Hour)

	d = took(t, func(c *Virtual) {
		go func() { ch <- "ok" }() // from outside the execution
		v, timedOut, err := Receive(c, t.Context(), ch, 0)
		if v != "ok" || timedOut || err != nil {
			t.Errorf("Receive = %q, %v, %v", v, timedOut, err)
		}
		_ = c.Sleep(t.Context(), time.Minute)
	})
	near(t, "a value from outside, then 1 min", d, time.Minute)

	ctx, cancel := context.WithCancel(t.Context())
	go func() { time.Sleep(10 * time.Millisecond); cancel() }()
	if _, _, err := Receive(NewVirtual(), ctx, make(chan int), 0); !errors.Is(err, context.Canceled) {
		t.Errorf("a receive stopped from outside = %v", err)
	}
}

func TestRealClock(t *testing.T) {
	var c Clock = Real{}
	g := c.Group(2)
	var n atomic.Int32
	for range 5 {
		g.Go(func() { n.Add(1) })
	}
	g.Wait()
	if n.Load() != 5 {
		t.Fatalf("ran %d of 5", n.Load())
	}
	ch := make(chan int)
	if _, timedOut, _ := Receive(c, t.Context(), ch, time.Millisecond); !timedOut {
		t.Error("Receive on the real clock did not time out")
	}
	ctx, cancel := WithTimeoutCause(c, t.Context(), time.Millisecond, errors.New("late"))
	defer cancel()
	<-ctx.Done()
	if context.Cause(ctx).Error() != "late" {
		t.Errorf("cause %v", context.Cause(ctx))
	}
}

func BenchmarkVirtualGroupSleep(b *testing.B) {
	for b.Loop() {
		c := NewVirtual()
		g := c.Group(4)
		for range 20 {
			g.Go(func() { _ = c.Sleep(context.Background(), time.Second) })
		}
		g.Wait()
	}
}

// While a goroutine works in real time (an HTTP call), time does not jump,
// but a wait falls due as real time reaches it: a 50 ms Wait beside a
// 2 s call ends after 50 ms, as it would on the real clock; so does a
// timeout.
func TestVirtualWaitsFallDueDuringRealWork(t *testing.T) {
	c := NewVirtual()
	start := c.Now()
	g := c.Group(0)
	work := make(chan struct{})
	var slept time.Duration
	g.Go(func() { // the call: busy, in real time
		select {
		case <-work:
		case <-time.After(2 * time.Second):
		}
	})
	g.Go(func() {
		_ = c.Sleep(t.Context(), 50*time.Millisecond)
		slept = c.Now().Sub(start)
		close(work)
	})
	g.Wait()
	if slept < 50*time.Millisecond || slept > time.Second {
		t.Errorf("a 50 ms wait beside real work woke after %s", slept)
	}

	c = NewVirtual()
	ctx, cancel := WithTimeoutCause(c, t.Context(), 50*time.Millisecond, errors.New("limit"))
	defer cancel()
	select { // real work that heeds its context
	case <-ctx.Done():
	case <-time.After(2 * time.Second):
		t.Error("a 50 ms limit did not end real work within 2 s")
	}
}
