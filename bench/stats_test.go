package bench

import (
	"strings"
	"testing"
	"time"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestSummarizeNearestRankOnKnownData(t *testing.T) {
	// 1..100 ms, shuffled: the nearest-rank percentiles are the values themselves.
	var ds []time.Duration
	for i := 100; i >= 1; i-- {
		ds = append(ds, ms((i*37)%100+1))
	}
	p := Summarize(ds)
	want := Percentiles{Count: 100, Min: ms(1), P50: ms(50), P90: ms(90), P99: ms(99), Max: ms(100), Mean: 50500 * time.Microsecond}
	if p != want {
		t.Fatalf("Summarize(1..100ms) = %+v, want %+v", p, want)
	}
}

func TestSummarizeSmallSets(t *testing.T) {
	for _, tc := range []struct {
		in            []int
		p50, p90, p99 int
	}{
		{[]int{7}, 7, 7, 7},
		{[]int{1, 2}, 1, 2, 2},
		{[]int{3, 1, 2, 4}, 2, 4, 4},
		{[]int{10, 20, 30, 40, 50, 60, 70, 80, 90, 1000}, 50, 90, 1000},
	} {
		var ds []time.Duration
		for _, v := range tc.in {
			ds = append(ds, ms(v))
		}
		p := Summarize(ds)
		if p.P50 != ms(tc.p50) || p.P90 != ms(tc.p90) || p.P99 != ms(tc.p99) {
			t.Errorf("Summarize(%v ms): p50 %v p90 %v p99 %v, want %d %d %d ms", tc.in, p.P50, p.P90, p.P99, tc.p50, tc.p90, tc.p99)
		}
	}
	if p := Summarize(nil); p != (Percentiles{}) {
		t.Errorf("Summarize(nil) = %+v, want zero", p)
	}
}

func TestHistogramBucketsEveryValueOnce(t *testing.T) {
	ds := []time.Duration{ms(10), ms(10), ms(11), ms(15), ms(19), ms(20)}
	bs := Histogram(ds, 2)
	if len(bs) != 2 || bs[0].UpTo != ms(15) || bs[1].UpTo != ms(20) || bs[0].Count != 4 || bs[1].Count != 2 {
		t.Fatalf("Histogram = %+v, want ≤15ms:4 ≤20ms:2", bs)
	}
	if bs := Histogram([]time.Duration{ms(5), ms(5)}, 10); len(bs) != 1 || bs[0].Count != 2 {
		t.Fatalf("Histogram of equal values = %+v, want one bucket of 2", bs)
	}
}

func TestRenderFitsEightyColumnsInPlainASCII(t *testing.T) {
	ds := []time.Duration{ms(1), ms(2), ms(2), ms(3), ms(3), ms(3), 90 * time.Second}
	out := Render(Histogram(ds, 10))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != 10 {
		t.Fatalf("Render drew %d lines, want 10:\n%s", len(lines), out)
	}
	for _, l := range lines {
		if len(l) > 80 {
			t.Errorf("line of %d columns, want ≤ 80: %q", len(l), l)
		}
		for _, r := range l {
			if r < 0x20 || r > 0x7e {
				t.Errorf("line has %q, want printable ASCII only: %q", r, l)
			}
		}
	}
	// The largest bucket draws the full bar; a bucket of one still shows.
	// The count comes before the bar, so that a narrow pane cuts the bar only.
	if !strings.HasSuffix(lines[0], "       6 |"+strings.Repeat("#", RenderWidth-24)) {
		t.Errorf("first bucket should hold 6 with a full bar: %q", lines[0])
	}
	if !strings.Contains(lines[9], " 1 |#") {
		t.Errorf("last bucket should show one call with a bar: %q", lines[9])
	}
}

// Runs of about 3 s that differ by a millisecond spread over buckets a
// tenth of a millisecond wide: each bucket's label still says where it
// ends, rather than ten "<= 3001ms".
func TestHistogramLabelsTellNeighboursApart(t *testing.T) {
	var ds []time.Duration
	for i := range 10 {
		ds = append(ds, 3001*time.Millisecond+time.Duration(i)*100*time.Microsecond)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(Render(Histogram(ds, 10))), "\n") {
		label := strings.Fields(line)[1]
		if seen[label] {
			t.Fatalf("label %s twice:\n%s", label, Render(Histogram(ds, 10)))
		}
		seen[label] = true
	}
}

// Runs a few microseconds apart take as many buckets as microseconds, each
// with a label of its own.
func TestHistogramOfRunsMicrosecondsApart(t *testing.T) {
	bs := Histogram([]time.Duration{1000 * time.Microsecond, 1004 * time.Microsecond}, 10)
	if len(bs) != 4 {
		t.Fatalf("%d buckets for 4 µs: %+v", len(bs), bs)
	}
	seen := map[string]bool{}
	for _, l := range labels(bs) {
		if seen[l] {
			t.Fatalf("label %s twice: %v", l, labels(bs))
		}
		seen[l] = true
	}
}
