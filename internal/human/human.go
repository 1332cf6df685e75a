// Package human writes values as people read them, the same on every screen
// and in every message: the TUI's panes, the commands' output and the
// session's notes.
package human

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

// Count is a count with its noun: "1 run", "3 runs" (one and many are the
// noun, with any verb that agrees: "flow file does", "flow files do").
func Count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
