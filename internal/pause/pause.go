// Package pause waits for a duration or for a context, whichever ends first:
// the retries of the client, the API rate limits and the engine's Waits and
// retry intervals all wait this way.
package pause

import (
	"context"
	"time"
)

// For waits d. It returns nil once d has passed, or ctx's error when ctx
// ends first; a d of zero or less returns at once with ctx's error, if any.
func For(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
