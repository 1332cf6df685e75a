package main

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
)

// terminalLines is what a terminal shows after out, for the few controls
// the progress line uses: text overwrites from the cursor, \r goes to the
// line's start, ESC [K erases to the line's end, \n starts a line.
func terminalLines(out string) []string {
	var lines []string
	var cur []rune
	col := 0
	for rs := []rune(out); len(rs) > 0; rs = rs[1:] {
		switch r := rs[0]; {
		case strings.HasPrefix(string(rs[:min(3, len(rs))]), "\x1b[K"):
			cur, rs = cur[:min(col, len(cur))], rs[2:]
		case r == '\r':
			col = 0
		case r == '\n':
			lines, cur, col = append(lines, string(cur)), nil, 0
		default:
			for len(cur) <= col {
				cur = append(cur, ' ')
			}
			cur[col] = r
			col++
		}
	}
	return append(lines, string(cur))
}

func TestBenchMeterRedrawsAtMostFourTimesASecond(t *testing.T) {
	var out strings.Builder
	m := &benchMeter{w: &out, on: true, width: 80}
	t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	m.draw(t0, "f: 1/100 runs")
	for i := 1; i < 10; i++ { // every call of a fast bench asks
		m.draw(t0.Add(time.Duration(i)*20*time.Millisecond), "f: too soon")
	}
	m.draw(t0.Add(250*time.Millisecond), "f: 30/100 runs")
	if got, want := out.String(), "\rf: 1/100 runs\x1b[K\rf: 30/100 runs\x1b[K"; got != want {
		t.Fatalf("drawn %q, want %q", got, want)
	}
}

// The progress line is erased before what follows: the terminal shows the
// notes and the summary, and no trace of the line.
func TestBenchMeterLeavesNoGarbage(t *testing.T) {
	var out strings.Builder
	m := &benchMeter{w: &out, on: true, width: 80}
	t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	m.draw(t0, "orders: 10/100 runs, 0 errors, 10.0/s, 1s")
	out.WriteString("^C") // the terminal echoes the interrupt
	m.note("flowtui: interrupted: no more runs start; waiting up to 5s for 1 run under way")
	m.draw(t0.Add(10*time.Millisecond), "orders: stopping, 1 under way; 10/100 runs") // at once after a note
	m.clear()
	m.clear() // erases once
	out.WriteString("bench orders on local: 11 runs in 1.1s (10.0/s)\n")
	got := terminalLines(out.String())
	want := []string{"flowtui: interrupted: no more runs start; waiting up to 5s for 1 run under way", "bench orders on local: 11 runs in 1.1s (10.0/s)", ""}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("the terminal shows %q, want %q (raw %q)", got, want, out.String())
	}
	if strings.Count(out.String(), "stopping") != 1 {
		t.Errorf("the line after the note was not drawn at once: %q", out.String())
	}
}

// A line wider than the terminal would wrap, and \r would then erase only
// its last row: it is cut to the width, as it is when the line is drawn.
func TestBenchMeterCutsTheLineToTheTerminal(t *testing.T) {
	var out strings.Builder
	cols := 100
	m := &benchMeter{w: &out, on: true, width: 80, size: func() int { return cols }}
	t0 := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	long := "orders: stopping, 3 under way; 9/100 runs, 1 errors, 4.5/s, 2s of 1m0s; " + strings.Repeat("x", 20)
	m.draw(t0, long)
	cols = 30 // the window was narrowed
	m.draw(t0.Add(time.Second), long)
	draws := strings.Split(strings.TrimSuffix(strings.TrimPrefix(out.String(), "\r"), "\x1b[K"), "\x1b[K\r")
	if len(draws) != 2 || draws[0] != long {
		t.Fatalf("draws %q, want the whole line on 100 columns, then a cut one", draws)
	}
	if w := ansi.StringWidth(draws[1]); w >= 30 || !strings.HasPrefix(draws[1], "orders: stopping") {
		t.Fatalf("line %q of %d columns on a 30-column terminal", draws[1], w)
	}
}

// Off a terminal the meter draws nothing and erases nothing; its notes are
// still lines.
func TestBenchMeterOffATerminalWritesOnlyNotes(t *testing.T) {
	var out strings.Builder
	m := newBenchMeter(&out)
	m.draw(time.Now(), "f: 1/100 runs")
	m.note("flowtui: interrupted")
	m.draw(time.Now(), "f: 2/100 runs")
	m.clear()
	if got := out.String(); got != "flowtui: interrupted\n" {
		t.Fatalf("wrote %q off a terminal, want the note only", got)
	}
}
