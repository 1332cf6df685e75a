package client

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/flowtui/flowtui/internal/pause"
)

// Bucket is a client-side token bucket for one action: Burst calls at once,
// then Rate calls a second. A zero Rate means no limit.
type Bucket struct {
	Rate  float64 // calls per second
	Burst int
}

// DefaultBuckets are the service's documented API rate buckets for the
// Standard actions (CloudFlow limits,
// https://help.aliyun.com/en/document_detail/122093.html): a client that
// stays within them is never throttled by its own polling, and a follower
// that loops cannot send more than the service allows. The Express actions
// and the flow reads are left unlimited, as they were: their buckets are not
// documented, or are far above what flowtui sends.
func DefaultBuckets() map[string]Bucket {
	other := Bucket{Rate: 2, Burst: 10}
	return map[string]Bucket{
		"StartExecution":      {Rate: 100, Burst: 100},
		"DescribeExecution":   {Rate: 5, Burst: 50},
		"GetExecutionHistory": {Rate: 5, Burst: 50},
		"ListExecutions":      other,
		"StopExecution":       other,
		"ReportTaskSucceeded": other,
		"ReportTaskFailed":    other,
		"DescribeRegions":     other,
	}
}

// limiter holds one bucket per limited action; it is safe for concurrent use.
type limiter struct {
	now     func() time.Time
	buckets map[string]*bucket
}

func newLimiter(now func() time.Time, cfg map[string]Bucket) *limiter {
	l := &limiter{now: now, buckets: map[string]*bucket{}}
	for action, b := range cfg {
		if b.Rate > 0 {
			l.buckets[action] = &bucket{rate: b.Rate, burst: float64(max(b.Burst, 1))}
		}
	}
	return l
}

// wait blocks until action may be sent, or ctx ends. Its error means that
// nothing was sent.
func (l *limiter) wait(ctx context.Context, action string) error {
	b := l.buckets[action]
	if b == nil {
		return nil
	}
	d := b.reserve(l.now())
	if d <= 0 {
		return nil
	}
	if pause.For(ctx, d) != nil {
		b.cancel()
		return &notSentError{fmt.Errorf("%s: waiting %s for the API rate limit: %w", action, d.Round(time.Millisecond), context.Cause(ctx))}
	}
	return nil
}

// bucket is a token bucket whose tokens may go negative: a call that finds
// none reserves the next one and waits for it, so that waiting callers are
// served in order without a queue.
type bucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

// reserve takes a token and returns how long to wait until it is due.
func (b *bucket) reserve(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.last.IsZero() {
		b.tokens = b.burst
	} else if now.After(b.last) {
		b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	}
	if now.After(b.last) {
		b.last = now
	}
	b.tokens--
	if b.tokens >= 0 {
		return 0
	}
	return time.Duration(-b.tokens / b.rate * float64(time.Second))
}

// cancel gives back a reserved token that was not used.
func (b *bucket) cancel() {
	b.mu.Lock()
	b.tokens = min(b.burst, b.tokens+1)
	b.mu.Unlock()
}

// notSentError is a failure before the request left: nothing ran.
type notSentError struct{ err error }

func (e *notSentError) Error() string { return e.err.Error() }
func (e *notSentError) Unwrap() error { return e.err }
