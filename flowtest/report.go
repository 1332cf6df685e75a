package flowtest

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// Summary counts results by status.
type Summary struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Errored int `json:"errors"`
	Skipped int `json:"skipped"`
}

// Summarize counts results.
func Summarize(rs []*Result) Summary {
	var s Summary
	for _, r := range rs {
		switch r.Status {
		case Passed:
			s.Passed++
		case Failed:
			s.Failed++
		case Errored:
			s.Errored++
		case Skipped:
			s.Skipped++
		}
	}
	return s
}

// OK reports whether no case failed or errored.
func (s Summary) OK() bool { return s.Failed == 0 && s.Errored == 0 }

// maxTraceSteps bounds the trace a failure shows.
const maxTraceSteps = 30

// WriteText writes one line per case and, for a failure, what failed, the
// output diff and the trace up to the failing state. Everything from the
// run is sanitised: outputs and messages come from flows and mocks.
func WriteText(w io.Writer, rs []*Result, took time.Duration) {
	for _, r := range rs {
		name := sanitize.Line(r.Flow + "/" + r.Case)
		switch r.Status {
		case Passed:
			fmt.Fprintf(w, "ok    %s (%s)\n", name, short(r.Duration))
			writeNotes(w, r)
		case Skipped:
			fmt.Fprintf(w, "skip  %s: %s\n", name, sanitize.Line(r.Skip))
		case Errored:
			// A definition's problems come one per line: each on its own,
			// indented under the case.
			lines := strings.Split(r.Err, "\n")
			fmt.Fprintf(w, "ERROR %s (%s:%d): %s\n", name, sanitize.Line(r.File), r.Line, sanitize.Line(lines[0]))
			for _, l := range lines[1:] {
				fmt.Fprintf(w, "    %s\n", sanitize.Line(l))
			}
		case Failed:
			fmt.Fprintf(w, "FAIL  %s (%s:%d)\n", name, r.File, r.Line)
			writeFailures(w, r)
			writeNotes(w, r)
		}
	}
	s := Summarize(rs)
	verdict := "PASS"
	if !s.OK() {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "%s: %d passed, %d failed, %d errors, %d skipped in %s\n", verdict, s.Passed, s.Failed, s.Errored, s.Skipped, short(took))
}

func writeNotes(w io.Writer, r *Result) {
	for _, n := range r.Notes {
		fmt.Fprintf(w, "    note: %s\n", n)
	}
}

func writeFailures(w io.Writer, r *Result) {
	stop := ""
	for _, f := range r.Failures {
		fmt.Fprintf(w, "    %s: %s\n", f.Expect, sanitize.Line(f.Reason))
		for _, l := range f.Diff {
			fmt.Fprintf(w, "      %s\n", sanitize.Line(diffLine(l.Op, l.Path, l.Left, l.Right, l.Same)))
		}
		if stop == "" {
			stop = f.State
		}
	}
	if len(r.Trace) == 0 {
		return
	}
	fmt.Fprintln(w, "    trace:")
	for i, s := range traceUpTo(r.Trace, stop) {
		fmt.Fprintf(w, "      %2d %s\n", i+1, sanitize.Line(stepLine(s)))
	}
}

// short rounds a duration to three significant digits or so.
func short(d time.Duration) string {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond).String()
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond).String()
	default:
		return d.Round(time.Microsecond).String()
	}
}

func diffLine(op byte, path, left, right string, same int) string {
	switch op {
	case '=':
		return fmt.Sprintf("(%d unchanged)", same)
	case '~':
		return fmt.Sprintf("~ %s: - %s + %s", path, left, right)
	case '-':
		return fmt.Sprintf("- %s: %s", path, left)
	default:
		return fmt.Sprintf("+ %s: %s", path, right)
	}
}

// traceUpTo is the trace up to the state a failure points at, or to the
// first step that failed, or all of it; at most maxTraceSteps, the last ones.
func traceUpTo(tr []fnf.Step, state string) []fnf.Step {
	end := len(tr)
	for i, s := range tr {
		if state != "" && s.State == state || state == "" && s.Error != "" {
			end = i + 1
			break
		}
	}
	tr = tr[:end]
	if len(tr) > maxTraceSteps {
		tr = tr[len(tr)-maxTraceSteps:]
	}
	return tr
}

func stepLine(s fnf.Step) string {
	line := s.State
	if s.Type != "" {
		line += " (" + s.Type + ")"
	}
	if s.Attempt > 0 {
		line += fmt.Sprintf(" retry %d", s.Attempt)
	}
	if s.Error != "" {
		line += " ✗ " + s.Error
	}
	if s.Output != "" {
		out := s.Output
		if len(out) > 120 {
			out = out[:117] + "…"
		}
		line += " → " + out
	}
	return line
}

// WriteJSON writes the results and their summary as one JSON document.
func WriteJSON(w io.Writer, rs []*Result) error {
	if rs == nil {
		rs = []*Result{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Summary Summary   `json:"summary"`
		Results []*Result `json:"results"`
	}{Summarize(rs), rs})
}

// JUnit XML, in the shape GitHub Actions reporters, GitLab and Jenkins read:
// a suite per test file, a test case per case, failure, error and skipped
// children.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitProblem `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Body    string `xml:",chardata"`
}

// WriteJUnit writes the results as JUnit XML.
func WriteJUnit(w io.Writer, rs []*Result, total time.Duration) error {
	all := junitSuites{Time: seconds(total)}
	index := map[string]int{}
	var took []time.Duration // per suite
	for _, r := range rs {
		i, ok := index[r.File]
		if !ok {
			i = len(all.Suites)
			index[r.File] = i
			all.Suites = append(all.Suites, junitSuite{Name: r.File})
			took = append(took, 0)
		}
		s := &all.Suites[i]
		c := junitCase{Name: r.Case, Classname: r.Flow, File: r.File, Line: r.Line, Time: seconds(r.Duration)}
		switch r.Status {
		case Failed:
			var b strings.Builder
			writeFailures(&b, r)
			c.Failure = &junitProblem{Message: r.Failures[0].Expect + ": " + r.Failures[0].Reason, Type: r.Failures[0].Expect, Body: b.String()}
			s.Failures++
		case Errored:
			c.Error = &junitProblem{Message: r.Err}
			s.Errors++
		case Skipped:
			c.Skipped = &junitProblem{Message: r.Skip}
			s.Skipped++
		}
		s.Cases = append(s.Cases, c)
		s.Tests++
		took[i] += r.Duration
		all.Tests++
	}
	for i := range all.Suites {
		s := &all.Suites[i]
		s.Time = seconds(took[i])
		all.Failures += s.Failures
		all.Errors += s.Errors
		all.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
