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
	// Grace is how long the calls under way when ctx ends (Ctrl-C) get to
	// end and be counted; past it they are cut short. 0 cuts them at once.
	Grace time.Duration
	// Hurry, when set, ends the grace early once closed (a second Ctrl-C).
	Hurry <-chan struct{}
	// Call makes one StartSyncExecution and says what it gave. A call cut
	// short by ctx is not counted: its caller returns ok=false.
	Call func(ctx context.Context) (s Sample, ok bool)
	// Live, when set, is kept up to date as calls start and end, for a
	// progress display to read from another goroutine.
	Live *Live
}

// AbandonAfter bounds the wait for a call cut short that does not heed its
// context: Run returns without it, so that an interrupted bench always
// reports, however the backend behaves.
const AbandonAfter = time.Second

// Run runs the bench until N calls are made, Duration has passed, a
// throttling storm is seen or ctx is cancelled, and reports what completed.
// Past Duration or a storm no call starts, and those under way end. Once
// ctx is cancelled no call starts either, and those under way get
// cfg.Grace to end (counted) before they are cut (not counted).
// Calls are never retried here: a failed call is a sample.
func Run(ctx context.Context, cfg Config) Report {
	start := time.Now()
	// Starts end with runCtx; calls run under callCtx, which outlives ctx
	// by the grace.
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	callCtx, cut := context.WithCancel(context.WithoutCancel(ctx))
	defer cut()
	r := &runner{cfg: cfg, storm: newStormWindow(), lim: newLimiter(cfg.Rate, start), stop: stop}
	if cfg.Duration > 0 {
		t := time.AfterFunc(cfg.Duration, func() { r.end(StopDuration) })
		defer t.Stop()
	}

	var wg sync.WaitGroup
	for range max(cfg.Concurrency, 1) {
		wg.Go(func() { r.work(runCtx, callCtx) })
	}
	all := make(chan struct{})
	go func() {
		wg.Wait()
		close(all)
	}()
	drain(ctx, all, cfg.Grace, cfg.Hurry, cut)

	rep := r.close()
	rep.Elapsed = time.Since(start)
	switch {
	case ctx.Err() != nil && rep.Stopped == "":
		rep.Stopped = StopInterrupted
	case rep.Stopped == "":
		rep.Stopped = StopCount
	}
	rep.summarize()
	return rep
}

// drain waits for the workers (all closed) to end. Once ctx ends, the calls
// under way get grace to end (or until hurry is closed); then they are cut,
// and a call that still does not return within AbandonAfter is left behind.
func drain(ctx context.Context, all <-chan struct{}, grace time.Duration, hurry <-chan struct{}, cut context.CancelFunc) {
	select {
	case <-all:
		return
	case <-ctx.Done():
	}
	t := time.NewTimer(grace)
	defer t.Stop()
	select {
	case <-all:
		return
	case <-t.C:
	case <-hurry:
	}
	cut()
	t.Reset(AbandonAfter)
	select {
	case <-all:
	case <-t.C:
	}
}

// runner is the state the workers of one Run share.
type runner struct {
	cfg   Config
	storm *stormWindow
	lim   *limiter
	stop  context.CancelFunc // ends the starts

	mu      sync.Mutex
	samples []Sample
	issued  int  // calls taken, started or about to
	started int  // calls made
	stopped Stop // why starts ended, "" while they go on
	closed  bool // Run has reported: a late call is not counted
}

// work makes calls until the bench is over.
func (r *runner) work(runCtx, callCtx context.Context) {
	for r.take() {
		if !r.lim.wait(runCtx) {
			return
		}
		r.mu.Lock()
		r.started++
		r.mu.Unlock()
		r.cfg.Live.start()
		s, ok := r.cfg.Call(callCtx)
		if !ok || !r.add(s) {
			return
		}
	}
}

// take reserves the next call, or says the bench is over.
func (r *runner) take() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.stopped != "" || r.closed || (r.cfg.N > 0 && r.issued >= r.cfg.N) {
		return false
	}
	r.issued++
	return true
}

// add counts a completed call, and ends the bench at a throttling storm;
// false when Run has already reported.
func (r *runner) add(s Sample) bool {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return false
	}
	r.samples = append(r.samples, s)
	storming := r.storm.add(s.Throttled)
	r.mu.Unlock()
	r.cfg.Live.end(s)
	if storming {
		r.end(StopThrottling)
	}
	return true
}

// end stops the starts for why, unless they were stopped before.
func (r *runner) end(why Stop) {
	r.mu.Lock()
	if r.stopped == "" {
		r.stopped = why
	}
	r.mu.Unlock()
	r.stop()
}

// close ends the counting and reports what was counted.
func (r *runner) close() Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	return Report{Samples: r.samples, Stopped: r.stopped, Unfinished: r.started - len(r.samples)}
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
