package client

import (
	"context"
	"errors"
	"github.com/flowtui/flowtui/fnf"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"
)

// RetryPolicy is capped exponential backoff with jitter.
type RetryPolicy struct {
	MaxAttempts int           // attempts in all, the first included; default 4
	Base        time.Duration // delay before the second attempt; default 200 ms
	Max         time.Duration // cap on one delay; default 5 s
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.Base <= 0 {
		p.Base = 200 * time.Millisecond
	}
	if p.Max <= 0 {
		p.Max = 5 * time.Second
	}
	return p
}

// Delay returns the wait after the given failed attempt (1-based): the capped
// exponential step, jittered into its upper half so that clients that failed
// together do not come back together. A server's Retry-After wins when longer,
// up to the cap.
func (p RetryPolicy) Delay(attempt int, retryAfter time.Duration) time.Duration {
	d := p.Base << (attempt - 1)
	if d > p.Max || d <= 0 {
		d = p.Max
	}
	d = d/2 + rand.N(d/2+1)
	if retryAfter > d {
		d = min(retryAfter, p.Max)
	}
	return d
}

// retryAfter reads a Retry-After header given in seconds.
func retryAfter(h http.Header) time.Duration {
	s, err := strconv.Atoi(h.Get("Retry-After"))
	if err != nil || s <= 0 {
		return 0
	}
	return time.Duration(s) * time.Second
}

// retryable decides whether a failed attempt is tried again. Reads are
// idempotent: throttling, server errors and dropped connections are retried.
// StartSyncExecution is not: only a throttled call (which started nothing) is.
func retryable(sync bool, err error) bool {
	var ae *fnf.APIError
	if errors.As(err, &ae) {
		if ae.Throttled() {
			return true
		}
		return !sync && ae.HTTPStatus >= 500
	}
	if sync {
		return false
	}
	var te *fnf.TransportError
	if !errors.As(err, &te) {
		return false
	}
	if te.HTTPStatus != 0 {
		return te.HTTPStatus == http.StatusTooManyRequests || te.HTTPStatus >= 500
	}
	// A refused connection fails the same way next time, and so does a deadline;
	// a reset or a cut-off answer may not.
	return !neverSent(err) && !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled)
}

// neverSent reports whether the request certainly did not reach the server: the
// connection could not be made at all.
func neverSent(err error) bool {
	if errors.Is(err, syscall.ECONNREFUSED) {
		return true
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
