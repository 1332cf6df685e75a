package common

import (
	"fmt"
	"time"
)

// Duration is a duration for people: "850 µs", "1.4 ms", "132 ms", "3.2 s",
// "2m05s".
func Duration(d time.Duration) string {
	neg := ""
	if d < 0 {
		neg, d = "−", -d
	}
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%s%d µs", neg, d.Microseconds())
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%s%.1f ms", neg, float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%s%d ms", neg, d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%s%.1f s", neg, d.Seconds())
	}
	return fmt.Sprintf("%s%dm%02ds", neg, int(d.Minutes()), int(d.Seconds())%60)
}

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
