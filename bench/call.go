package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// SyncCall is the Call of a bench of req on b: one StartSyncExecution, sent
// as `run` sends it (the backend's own retries of throttled calls, nothing
// more), made into a sample. A call cut short by ctx (Ctrl-C, esc) is not
// one.
func SyncCall(b fnf.Backend, req fnf.SyncRequest) func(context.Context) (Sample, bool) {
	return func(ctx context.Context) (Sample, bool) {
		start := time.Now()
		res, err := b.StartSyncExecution(ctx, req)
		s := Sample{Latency: time.Since(start)}
		if ctx.Err() != nil {
			return s, false
		}
		if err != nil {
			s.Code, s.Throttled = errorCode(err)
			return s, true
		}
		s.Server, s.HasServer = res.Duration()
		if res.Status != fnf.StatusSucceeded {
			s.Code = res.ErrorCode
			if s.Code == "" {
				s.Code = string(res.Status)
			}
		}
		return s, true
	}
}

// errorCode names a call's error for the errors-by-code table, and says
// whether it was throttling (after the client's own retries).
func errorCode(err error) (code string, throttled bool) {
	var ae *fnf.APIError
	if errors.As(err, &ae) {
		return ae.Code, ae.Throttled()
	}
	var te *fnf.TransportError
	if errors.As(err, &te) {
		if te.HTTPStatus != 0 {
			return fmt.Sprintf("HTTP %d", te.HTTPStatus), te.HTTPStatus == http.StatusTooManyRequests
		}
		return "TransportError", false
	}
	return "Error", false
}

// CloudRate is the rate of a bench with --rate R (0: none) against a backend:
// the Express quota at most against the cloud itself (cloud is true), and
// that when none is asked; ok is false when R is above the quota there.
func CloudRate(r float64, cloud bool) (rate float64, ok bool) {
	switch {
	case !cloud:
		return r, true
	case r > CloudQuota:
		return r, false
	case r == 0:
		return CloudQuota, true
	}
	return r, true
}
