package human

import (
	"testing"
	"time"
)

// A duration reads with the unit and precision that suit its size, the
// same in a pane, a command's summary and a session's note.
func TestDurationPicksAUnitForItsSize(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{850 * time.Microsecond, "850 µs"},
		{1400 * time.Microsecond, "1.4 ms"},
		{132 * time.Millisecond, "132 ms"},
		{3200 * time.Millisecond, "3.2 s"},
		{125 * time.Second, "2m05s"},
		{-2500 * time.Millisecond, "−2.5 s"},
	} {
		if got := Duration(tc.d); got != tc.want {
			t.Errorf("Duration(%s) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestCount(t *testing.T) {
	for n, want := range map[int]string{0: "0 runs", 1: "1 run", 2: "2 runs"} {
		if got := Count(n, "run", "runs"); got != want {
			t.Errorf("Count(%d) = %q, want %q", n, got, want)
		}
	}
}
