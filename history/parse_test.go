package history

import (
	"testing"
	"time"
)

// ParseStatus moved to fnf with the Status type (fnf/status_test.go).
func TestParseSinceReadsWhatUsersType(t *testing.T) {
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"2h":         now.Add(-2 * time.Hour),
		"7d":         now.AddDate(0, 0, -7),
		"2026-11-20": time.Date(2026, 11, 20, 0, 0, 0, 0, time.Local),
	} {
		if got, err := ParseSince(in, now); err != nil || !got.Equal(want) {
			t.Errorf("ParseSince(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	if _, err := ParseSince("-5h", now); err == nil {
		t.Error("ParseSince(-5h) accepted")
	}
}
