package fnf

import (
	"testing"
	"time"
)

func TestFormatTimeIsTheServiceLayout(t *testing.T) {
	for _, tm := range []time.Time{
		time.Date(2019, 1, 1, 1, 1, 1, 1_000_000, time.UTC),
		time.Date(2026, 12, 31, 23, 59, 59, 999_999_999, time.FixedZone("CST", 8*3600)),
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Now(),
	} {
		if got, want := FormatTime(tm), tm.UTC().Format("2006-01-02T15:04:05.000Z"); got != want {
			t.Errorf("FormatTime(%v) = %s, want %s", tm, got, want)
		}
	}
}
