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

// repeatRule says what sending a call a second time may do, which decides
// when a failed attempt is tried again.
type repeatRule int

const (
	// repeatSafe: a repeat changes nothing. Reads; and ReportTaskSucceeded and
	// ReportTaskFailed, since the service refuses a second report of a task
	// (TaskTokenNotExists) instead of applying it twice.
	repeatSafe repeatRule = iota
	// repeatStarts: a repeat may start a second execution (StartSyncExecution,
	// StartExecution). A failure that may have reached the service is an
	// unknown outcome, never retried blindly.
	repeatStarts
	// repeatOnce: a repeat of a call that took effect fails (StopExecution of
	// a stopped execution); its caller resolves an unknown outcome instead.
	repeatOnce
)

// retryable decides whether a failed attempt is tried again. Throttling and
// a request that never left are retried for every call: nothing ran. Only
// calls that are safe to repeat also retry server errors and dropped
// connections, after which the first attempt may have been carried out.
func retryable(rule repeatRule, err error) bool {
	var ae *fnf.APIError
	if errors.As(err, &ae) {
		if ae.Throttled() {
			return true
		}
		return rule == repeatSafe && ae.HTTPStatus >= 500
	}
	if neverSent(err) {
		// A name that does not resolve will not resolve in a second either.
		var dns *net.DNSError
		return !errors.As(err, &dns) || !dns.IsNotFound
	}
	var te *fnf.TransportError
	if !errors.As(err, &te) {
		return false
	}
	if te.HTTPStatus == http.StatusTooManyRequests {
		return true
	}
	if rule != repeatSafe {
		return false
	}
	if te.HTTPStatus != 0 {
		return te.HTTPStatus >= 500
	}
	// A deadline would be met again by the next attempt; a reset or a
	// cut-off answer may not.
	return !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled)
}

// neverSent reports whether the request certainly did not reach the server:
// it was held back before sending (the rate limit), or the connection could
// not be made at all.
func neverSent(err error) bool {
	var ns *notSentError
	if errors.As(err, &ns) {
		return true
	}
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
