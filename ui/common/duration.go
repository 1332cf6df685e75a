package common

import (
	"time"

	"github.com/flowtui/flowtui/internal/human"
)

// Duration is human.Duration, for the panes: "850 µs", "1.4 ms", "3.2 s".
func Duration(d time.Duration) string { return human.Duration(d) }

// When is a time for a title or a row, in now's zone: "15:04:05" on the
// day of now, "Nov 24 15:04" before that day, "2025-12-31 15:04" before its
// year. Every time the panes show goes through it (or WhenShort).
func When(t, now time.Time) string { return when(t, now, false) }

// WhenShort is When in less room: the day alone before today ("Nov 24",
// "2025-12-31").
func WhenShort(t, now time.Time) string { return when(t, now, true) }

func when(t, now time.Time, short bool) string {
	t = t.In(now.Location())
	y, mo, d := t.Date()
	switch {
	case y == now.Year() && mo == now.Month() && d == now.Day():
		return t.Format("15:04:05")
	case y == now.Year() && short:
		return t.Format("Jan 02")
	case y == now.Year():
		return t.Format("Jan 02 15:04")
	case short:
		return t.Format("2006-01-02")
	}
	return t.Format("2006-01-02 15:04")
}
