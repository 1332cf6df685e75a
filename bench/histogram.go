package bench

import (
	"fmt"
	"strings"
	"time"
)

// Bucket is one bar of a histogram: the values in (previous UpTo, UpTo].
type Bucket struct {
	UpTo  time.Duration
	Count int
}

// Histogram splits ds into n buckets of equal width between their minimum
// and maximum; the first bucket also holds the minimum. One value, or all
// equal, make one bucket.
func Histogram(ds []time.Duration, n int) []Bucket {
	if len(ds) == 0 || n <= 0 {
		return nil
	}
	lo, hi := ds[0], ds[0]
	for _, d := range ds {
		lo, hi = min(lo, d), max(hi, d)
	}
	if lo == hi {
		return []Bucket{{UpTo: hi, Count: len(ds)}}
	}
	// No bucket narrower than a microsecond, the finest a label shows:
	// runs within a few microseconds of each other take fewer buckets.
	n = max(1, min(n, int((hi-lo)/time.Microsecond)))
	width := (hi - lo + time.Duration(n) - 1) / time.Duration(n)
	bs := make([]Bucket, n)
	for i := range bs {
		bs[i].UpTo = lo + width*time.Duration(i+1)
	}
	bs[n-1].UpTo = hi
	for _, d := range ds {
		i := int((d - lo - 1) / width)
		if d == lo {
			i = 0
		}
		bs[min(i, n-1)].Count++
	}
	return bs
}

// RenderWidth is the widest line Render draws: it fits an 80-column terminal.
const RenderWidth = 78

// Render draws buckets as lines of plain ASCII: the bucket's upper bound,
// a bar of '#' scaled to the largest bucket, and the count. Everything in
// it is a number the bench measured, so it needs no sanitising; widths
// are bytes, which for ASCII are columns.
func Render(bs []Bucket) string {
	if len(bs) == 0 {
		return ""
	}
	most := 0
	for _, b := range bs {
		most = max(most, b.Count)
	}
	const labelW, countW = 12, 8
	barW := RenderWidth - labelW - countW - 4 // "<= " label, " " count, " |", bar
	ls := labels(bs)
	var sb strings.Builder
	for i, b := range bs {
		n := 0
		if most > 0 {
			n = (b.Count*barW + most - 1) / most // any non-empty bucket shows
		}
		// The count before the bar: a narrow pane cuts the bar, never it.
		fmt.Fprintf(&sb, "<= %*s %*d |%s\n", labelW-1, ls[i], countW-1, b.Count, strings.Repeat("#", n))
	}
	return sb.String()
}

// labels are the buckets' upper bounds as Ms writes them, with more
// decimals when that is what tells neighbours apart (3.0–3.9 s in ten
// buckets would all read "3001ms"), down to the microsecond.
func labels(bs []Bucket) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = Ms(b.UpTo)
	}
	for decimals := 1; decimals <= 3 && !distinct(out); decimals++ {
		for i, b := range bs {
			out[i] = fmt.Sprintf("%.*fms", decimals, float64(b.UpTo)/float64(time.Millisecond))
		}
	}
	return out
}

func distinct(ss []string) bool {
	for i := 1; i < len(ss); i++ {
		if ss[i] == ss[i-1] {
			return false
		}
	}
	return true
}

// Ms writes d in milliseconds with enough digits to tell short calls
// apart, and under a millisecond in microseconds (ASCII "us").
func Ms(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case d < time.Millisecond:
		return fmt.Sprintf("%dus", d.Microseconds())
	case ms < 10:
		return fmt.Sprintf("%.2fms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.1fms", ms)
	}
	return fmt.Sprintf("%.0fms", ms)
}
