package bench

import (
	"context"
	"sync"
	"time"

	"github.com/flowtui/flowtui/internal/pause"
)

// Storm thresholds: the bench stops when more than StormThrottled of the
// last StormWindow calls were throttled. Past that point the service is
// refusing most starts: going on measures the throttling, not the flow,
// and eats the account's quota for everyone else.
const (
	StormWindow    = 50
	StormThrottled = StormWindow / 2
)

// CloudQuota is the Express StartSyncExecution quota, starts a second
// (CloudFlow limits, https://help.aliyun.com/en/document_detail/122093.html):
// the highest --rate the bench sends to the cloud.
const CloudQuota = 1000

// Config bounds and paces a bench. One of N and Duration must be set.
type Config struct {
	N           int           // calls to make in all; 0 with Duration for no count limit
	Duration    time.Duration // stop starting calls after this long; 0 for none
	Concurrency int           // calls at once; 1 when ≤ 0
	Rate        float64       // at most this many starts a second; 0 for no limit
	// Call makes one StartSyncExecution and says what it gave. A call cut
	// short by ctx is not counted: its caller returns ok=false.
	Call func(ctx context.Context) (s Sample, ok bool)
	// Progress, when set, is called after each completed call (from the
	// calling goroutine; keep it short).
	Progress func(done int)
}

// Run runs the bench until N calls are made, Duration has passed, a
// throttling storm is seen or ctx is cancelled, and reports what completed.
// Past Duration or a storm no call starts, and those under way end.
// Calls are never retried here: a failed call is a sample.
func Run(ctx context.Context, cfg Config) Report {
	c := max(cfg.Concurrency, 1)
	start := time.Now()
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var deadline <-chan time.Time
	if cfg.Duration > 0 {
		t := time.NewTimer(cfg.Duration)
		defer t.Stop()
		deadline = t.C
	}

	var (
		mu      sync.Mutex
		rep     Report
		issued  int
		storm   = newStormWindow()
		lim     = newLimiter(cfg.Rate, start)
		stopped Stop
	)
	// take reserves the next call, or says the bench is over.
	take := func() bool {
		mu.Lock()
		defer mu.Unlock()
		if stopped != "" || (cfg.N > 0 && issued >= cfg.N) {
			return false
		}
		issued++
		return true
	}
	end := func(why Stop) {
		mu.Lock()
		if stopped == "" {
			stopped = why
		}
		mu.Unlock()
		stop()
	}
	go func() {
		select {
		case <-deadline:
			end(StopDuration)
		case <-runCtx.Done():
		}
	}()

	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			for take() {
				if !lim.wait(runCtx) {
					return
				}
				// The call runs under ctx, not runCtx: the end of the
				// bench stops new starts, and lets the runs under way end
				// (counted); only the caller's cancel (Ctrl-C) cuts them.
				s, ok := cfg.Call(ctx)
				if !ok {
					return
				}
				mu.Lock()
				rep.Samples = append(rep.Samples, s)
				done, storming := len(rep.Samples), storm.add(s.Throttled)
				mu.Unlock()
				if cfg.Progress != nil {
					cfg.Progress(done)
				}
				if storming {
					end(StopThrottling)
				}
			}
		})
	}
	wg.Wait()
	rep.Elapsed = time.Since(start)
	rep.Stopped = stopped
	switch {
	case ctx.Err() != nil && stopped == "":
		rep.Stopped = StopInterrupted
	case stopped == "":
		rep.Stopped = StopCount
	}
	rep.summarize()
	return rep
}

// stormWindow remembers whether each of the last StormWindow calls was
// throttled.
type stormWindow struct {
	ring      [StormWindow]bool
	next, hot int
}

func newStormWindow() *stormWindow { return &stormWindow{} }

// add records one call and reports whether the window is now a storm.
func (w *stormWindow) add(throttled bool) bool {
	if w.ring[w.next] {
		w.hot--
	}
	w.ring[w.next] = throttled
	if throttled {
		w.hot++
	}
	w.next = (w.next + 1) % StormWindow
	return w.hot > StormThrottled
}

// limiter is a token bucket of depth one: starts are spaced 1/rate apart,
// so that any one-second window holds at most rate of them. A deeper
// bucket would let C workers start at once after a pause, which is the
// burst the quota counts against.
type limiter struct {
	mu       sync.Mutex
	interval time.Duration
	next     time.Time
}

func newLimiter(rate float64, start time.Time) *limiter {
	if rate <= 0 {
		return nil
	}
	return &limiter{interval: time.Duration(float64(time.Second) / rate), next: start}
}

// wait blocks until the caller may start, or returns false when ctx ends.
func (l *limiter) wait(ctx context.Context) bool {
	if l == nil {
		return ctx.Err() == nil
	}
	l.mu.Lock()
	at := time.Now()
	if l.next.After(at) {
		at = l.next
	}
	l.next = at.Add(l.interval)
	l.mu.Unlock()
	return pause.For(ctx, time.Until(at)) == nil
}
