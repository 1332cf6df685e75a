package common

import (
	"testing"
	"time"
)

// A time shows its date when it is not today and its year when it is not
// this year, the same in the Result title and the Runs rows: a run of last
// New Year's Eve never reads as this year's.
func TestWhenShowsTheDateAndTheYearWhenNeeded(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		at          time.Time
		long, short string
	}{
		{time.Date(2026, 11, 25, 9, 30, 1, 0, time.UTC), "09:30:01", "09:30:01"},
		{time.Date(2026, 11, 24, 15, 30, 1, 0, time.UTC), "Nov 24 15:30", "Nov 24"},
		{time.Date(2025, 12, 31, 23, 59, 0, 0, time.UTC), "2025-12-31 23:59", "2025-12-31"},
		{time.Date(2026, 11, 25, 1, 0, 0, 0, time.FixedZone("+0930", 34200)), "Nov 24 15:30", "Nov 24"}, // in now's zone
	} {
		if got := When(tc.at, now); got != tc.long {
			t.Errorf("When(%v) = %q, want %q", tc.at, got, tc.long)
		}
		if got := WhenShort(tc.at, now); got != tc.short {
			t.Errorf("WhenShort(%v) = %q, want %q", tc.at, got, tc.short)
		}
	}
}
