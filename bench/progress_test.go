package bench

import (
	"strings"
	"testing"
	"time"
)

func TestProgressLineSaysRunsThroughputAndErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		cfg      Config
		c        Counts
		elapsed  time.Duration
		stopping bool
		want     string
	}{
		{"count", Config{N: 100}, Counts{Started: 38, Done: 37, Errors: 2}, 3700 * time.Millisecond, false,
			"orders: 37/100 runs, 2 errors, 10.0/s, 3s"},
		{"duration", Config{Duration: time.Minute}, Counts{Started: 4, Done: 3}, 90 * time.Second, false,
			"orders: 3 runs, 0 errors, 0.0/s, 1m30s of 1m0s"},
		{"at the start", Config{N: 5}, Counts{}, 0, false,
			"orders: 0/5 runs, 0 errors, 0.0/s, 0s"},
		{"interrupted", Config{N: 100, Concurrency: 4}, Counts{Started: 12, Done: 9, Errors: 1}, 2 * time.Second, true,
			"orders: stopping, 3 under way; 9/100 runs, 1 error, 4.5/s, 2s"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := ProgressLine("orders", tc.cfg, tc.c, tc.elapsed, tc.stopping); got != tc.want {
				t.Errorf("ProgressLine = %q\n                   want %q", got, tc.want)
			}
		})
	}
}

// A flow's name is the user's: sanitised, and cut so that the counts after
// it stay on one 80-column line.
func TestProgressLineSanitisesAndBoundsTheFlowName(t *testing.T) {
	flow := "evil\x1b]0;pwned\x07" + strings.Repeat("x", 100)
	got := ProgressLine(flow, Config{Duration: 2 * time.Hour}, Counts{Started: 99999, Done: 99999, Errors: 9999}, time.Hour+59*time.Minute, false)
	if strings.ContainsAny(got, "\x1b\x07\r\n") {
		t.Fatalf("control character in %q", got)
	}
	if !strings.HasPrefix(got, "evil^[]0;pwned^Gxxx…: 99999 runs, 9999 errors") {
		t.Errorf("flow name not sanitised and cut: %q", got)
	}
	if n := len([]rune(got)); n > 80 {
		t.Errorf("progress line of %d columns, want ≤ 80: %q", n, got)
	}
}
