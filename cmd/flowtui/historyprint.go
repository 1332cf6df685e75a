// How the history commands show times and bodies, and pass export lines
// through the sanitiser.

package main

import (
	"bytes"
	"io"
	"time"

	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// unknown marks a time that was not measured: never shown as 0.
const unknown = "—"

// statusCell is the run's status; a bench summary row says it is one
// (its round trip is the bench's p50, its message the summary).
func statusCell(r history.Run) string {
	if r.IsBench() {
		return "bench " + string(r.Status)
	}
	return string(r.Status)
}

// serverCell is the run's server-side duration (the engine's for a local
// run), or unknown: a failed or stopped cloud call has none.
func serverCell(r history.Run) string {
	if d, ok := r.ServerDuration(); ok {
		return fmtMs(d)
	}
	return unknown
}

func latencyCell(d time.Duration) string {
	if d <= 0 {
		return unknown
	}
	return fmtMs(d)
}

// serverLine is serverCell for `history show`, saying why it is unknown.
func serverLine(r history.Run) string {
	if d, ok := r.ServerDuration(); ok {
		return fmtMs(d)
	}
	return unknown + " (no start and stop times came back; see the round trip)"
}

func latencyLine(d time.Duration) string {
	if d <= 0 {
		return unknown
	}
	return fmtMs(d) + " (as the client measured it, to the answer or the stop)"
}

// bodyText shows a recorded body pretty-printed, or says there was none.
func bodyText(s string) string {
	if s == "" {
		return "(none)\n"
	}
	return string(prettyJSON(s))
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04:05.000 MST")
}

// jsonLines passes JSON Lines through the sanitiser one line at a time, so
// that an export read on a terminal shows C1 and bidi controls escaped while
// every line still decodes to the same value.
type jsonLines struct {
	w    io.Writer
	line []byte
}

func (j *jsonLines) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			j.line = append(j.line, p...)
			break
		}
		j.line = append(j.line, p[:i+1]...)
		p = p[i+1:]
		if _, err := j.w.Write(sanitize.JSON(j.line)); err != nil {
			return 0, err
		}
		j.line = j.line[:0]
	}
	return n, nil
}
