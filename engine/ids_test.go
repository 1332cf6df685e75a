package engine

import (
	"regexp"
	"testing"
	"time"

	"github.com/flowtui/flowtui/client"
)

func TestFormatTimeWritesWhatTheClientWrites(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2019, 1, 1, 1, 1, 1, 1_000_000, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 59, 999_999_999, time.FixedZone("CST", 8*3600)),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Now(),
	} {
		if got, want := FormatTime(tm), client.FormatTime(tm); got != want {
			t.Errorf("FormatTime(%v) = %s, want %s", tm, got, want)
		}
	}
}

func TestIDsAreVersion4UUIDs(t *testing.T) {
	upper := regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$`)
	lower := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 100 {
		r, id := NewRequestID(), NewID()
		if !upper.MatchString(r) || !lower.MatchString(id) || seen[r] || seen[id] {
			t.Fatalf("request id %s, id %s", r, id)
		}
		seen[r], seen[id] = true, true
	}
}
