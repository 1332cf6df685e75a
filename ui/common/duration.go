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

// When is a time for a title or a row: "15:04:05" on the day of now, else
// with its date, "Nov 24 15:04".
func When(t, now time.Time) string {
	t = t.In(now.Location())
	if y, mo, d := t.Date(); y == now.Year() && mo == now.Month() && d == now.Day() {
		return t.Format("15:04:05")
	}
	return t.Format("Jan 02 15:04")
}
