package timeline

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

var t0 = time.Date(2026, 3, 14, 2, 0, 0, 0, time.UTC)

// history builds events the way GetExecutionHistory lists them: EventId from
// 1, a millisecond apart; sched is the EventId of the beginning an ending
// event closes.
type history []fnf.Event

func (h *history) add(typ, step string, sched int64, detail string) int64 {
	id := int64(len(*h)) + 1
	*h = append(*h, fnf.Event{EventId: id, ScheduleEventId: sched, StepName: step, Type: typ,
		Time: fnf.FormatTime(t0.Add(time.Duration(id) * time.Millisecond)), EventDetail: detail})
	return id
}

// orderHistory is a failed execution: a state, a Task retried once, a
// Parallel of two branches run at once, a Map whose second iteration fails.
func orderHistory() []fnf.Event {
	var h history
	h.add(fnf.EventExecutionStarted, "", 0, `{"Input":{"orderId":"A-1"}}`)
	v := h.add(fnf.EventStepEntered, "Validate", 0, `{"Input":{"orderId":"A-1"}}`)
	h.add(fnf.EventStepExited, "Validate", v, `{"Output":{"ok":true}}`)
	c := h.add(fnf.EventStepEntered, "Charge", 0, `{"Input":{"amount":42.5}}`)
	s := h.add(fnf.EventTaskScheduled, "Charge", 0, `{"Resource":"FC:InvokeFunction","TaskMode":"RequestComplete","Input":{"amount":42.5}}`)
	h.add(fnf.EventTaskStarted, "Charge", s, `{}`)
	h.add(fnf.EventTaskFailed, "Charge", s, `{"Error":"Payment.Declined","Cause":"card declined"}`)
	s = h.add(fnf.EventTaskScheduled, "Charge", 0, `{"Resource":"FC:InvokeFunction","Input":{"amount":42.5}}`)
	h.add(fnf.EventTaskStarted, "Charge", s, `{}`)
	h.add(fnf.EventTaskSucceeded, "Charge", s, `{"Output":{"receipt":"R-77"}}`)
	h.add(fnf.EventStepExited, "Charge", c, `{"Output":{"receipt":"R-77"}}`)
	p := h.add(fnf.EventStepEntered, "Ship", 0, `{"Input":{}}`)
	b0 := h.add(fnf.EventBranchEntered, "Ship", 0, `{"Index":0}`)
	b1 := h.add(fnf.EventBranchEntered, "Ship", 0, `{"Index":1}`)
	n := h.add(fnf.EventStepEntered, "Notify", 0, `{"Input":{}}`) // branch 1 runs on
	l := h.add(fnf.EventStepEntered, "Label", 0, `{"Input":{}}`)
	h.add(fnf.EventStepExited, "Label", l, `{"Output":{}}`)
	h.add(fnf.EventStepExited, "Notify", n, `{"Output":{}}`)
	h.add(fnf.EventBranchExited, "Ship", b0, `{"Index":0,"Output":{}}`)
	h.add(fnf.EventBranchExited, "Ship", b1, `{"Index":1,"Output":{}}`)
	h.add(fnf.EventStepExited, "Ship", p, `{"Output":{}}`)
	m := h.add(fnf.EventStepEntered, "Items", 0, `{"Input":{"items":[1,2]}}`)
	i0 := h.add(fnf.EventIterationEntered, "Items", 0, `{"Index":0}`)
	k := h.add(fnf.EventStepEntered, "Pack", 0, `{"Input":1}`)
	h.add(fnf.EventStepExited, "Pack", k, `{"Output":1}`)
	h.add(fnf.EventIterationExited, "Items", i0, `{"Index":0,"Output":1}`)
	i1 := h.add(fnf.EventIterationEntered, "Items", 0, `{"Index":1}`)
	k = h.add(fnf.EventStepEntered, "Pack", 0, `{"Input":2}`)
	h.add(fnf.EventStepFailed, "Pack", k, `{"Error":"Pack.Broken","Cause":"no box"}`)
	h.add(fnf.EventIterationExited, "Items", i1, `{"Index":1,"Error":"Pack.Broken","Cause":"no box"}`)
	h.add(fnf.EventStepFailed, "Items", m, `{"Error":"Pack.Broken","Cause":"no box"}`)
	h.add(fnf.EventExecutionFailed, "", 0, `{"Error":"Pack.Broken","Cause":"no box"}`)
	return h
}

// dump is the rows shown, one a line: indent, label, type, try, outcome,
// error, and a mark on the visit that failed the run.
func dump(t *Timeline, v *View) string {
	var b strings.Builder
	for _, r := range v.Lines {
		row := t.Rows[r]
		fmt.Fprintf(&b, "%s%s %s #%d %s", strings.Repeat("  ", row.Depth), t.Label(r), row.Type, row.Attempt, row.Outcome)
		if row.Error != "" {
			b.WriteString(" " + row.Error)
		}
		if row.Failing {
			b.WriteString(" ✗")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

const orderDump = `Validate  #1 succeeded
Charge Task #1 retried Payment.Declined
Charge Task #2 succeeded
Ship Parallel #1 succeeded
  branch 0  #1 succeeded
    Label  #1 succeeded
  branch 1  #1 succeeded
    Notify  #1 succeeded
Items Map #1 failed Pack.Broken
  iteration 0  #1 succeeded
    Pack  #1 succeeded
  iteration 1  #1 failed Pack.Broken
    Pack  #1 failed Pack.Broken ✗
`

func TestEventsNestBranchesAndIterationsAndSplitRetries(t *testing.T) {
	tl := FromEvents(orderHistory(), Scopes{})
	var v View
	v.Sync(tl, 10)
	if got := dump(tl, &v); got != orderDump {
		t.Fatalf("rows:\n%s\nwant:\n%s", got, orderDump)
	}
	charge := tl.Rows[v.Lines[2]]
	if got := len(charge.Events); got != 4 {
		t.Errorf("the second attempt has %d events, want its 3 and the visit's end", got)
	}
	if charge.Start != 7*time.Millisecond || charge.Duration != 3*time.Millisecond {
		t.Errorf("second attempt starts at %v for %v, want 7ms (after the execution's start) for 3ms", charge.Start, charge.Duration)
	}
}

func TestALiveExecutionGrowsToTheSameRows(t *testing.T) {
	all := orderHistory()
	tl := FromEvents(nil, Scopes{})
	var v View
	for i := 1; i <= len(all); i++ {
		changed, ok := tl.Add(all[:i])
		if !ok {
			t.Fatalf("event %d does not extend the timeline", i)
		}
		if len(changed) > 3 {
			t.Errorf("event %d (%s) changed %d rows: only those it touches should", i, all[i-1].Type, len(changed))
		}
		v.Sync(tl, 5)
	}
	if got := dump(tl, &v); got != orderDump {
		t.Fatalf("grown rows:\n%s\nwant:\n%s", got, orderDump)
	}
	if v.Cursor != 0 {
		t.Errorf("the cursor moved from the first row as the run grew: %d", v.Cursor)
	}
	if _, ok := tl.Add(orderHistory()[:3]); ok {
		t.Error("fewer events than read were taken as a continuation")
	}
	part := FromEvents(all[:14], Scopes{})
	if r := part.Rows[len(part.Rows)-1]; r.Outcome != Running || r.Ended {
		t.Errorf("an open branch reads %v", r.Outcome)
	}
}

func TestACaughtFailureAndAStopEndOpenVisits(t *testing.T) {
	var h history
	h.add(fnf.EventExecutionStarted, "", 0, `{}`)
	e := h.add(fnf.EventStepEntered, "Call", 0, `{}`)
	s := h.add(fnf.EventTaskScheduled, "Call", 0, `{}`)
	h.add(fnf.EventTaskFailed, "Call", s, `{"Error":"HTTP.500"}`)
	h.add(fnf.EventStepExited, "Call", e, `{"Output":{}}`)
	h.add(fnf.EventStepEntered, "Wait", 0, `{}`)
	h.add(fnf.EventExecutionStopped, "", 0, `{"Error":"Stopped.ByUser","Cause":"enough"}`)
	tl := FromEvents(h, Scopes{})
	var v View
	v.Sync(tl, 10)
	want := "Call Task #1 caught HTTP.500\nWait  #1 failed Stopped.ByUser ✗\n"
	if got := dump(tl, &v); got != want {
		t.Fatalf("rows:\n%s\nwant:\n%s", got, want)
	}
}

func TestConcurrentIterationsArePlacedWhereTheirStateFits(t *testing.T) {
	var h history
	m := h.add(fnf.EventStepEntered, "M", 0, `{}`)
	i0 := h.add(fnf.EventIterationEntered, "M", 0, `{"Index":0}`)
	i1 := h.add(fnf.EventIterationEntered, "M", 0, `{"Index":1}`)
	a1 := h.add(fnf.EventStepEntered, "A", 0, `{}`) // iteration 1, entered last, runs on
	h.add(fnf.EventStepExited, "A", a1, `{}`)
	b1 := h.add(fnf.EventStepEntered, "B", 0, `{}`) // B follows A: iteration 1 again
	a0 := h.add(fnf.EventStepEntered, "A", 0, `{}`) // A comes first: iteration 0
	h.add(fnf.EventStepExited, "B", b1, `{}`)
	h.add(fnf.EventIterationExited, "M", i1, `{"Index":1}`)
	h.add(fnf.EventStepExited, "A", a0, `{}`)
	b0 := h.add(fnf.EventStepEntered, "B", 0, `{}`)
	h.add(fnf.EventStepExited, "B", b0, `{}`)
	h.add(fnf.EventIterationExited, "M", i0, `{"Index":0}`)
	h.add(fnf.EventStepExited, "M", m, `{}`)
	tl := FromEvents(h, Scopes{})
	var v View
	v.Sync(tl, 10)
	want := "M Map #1 succeeded\n  iteration 0  #1 succeeded\n    A  #1 succeeded\n    B  #1 succeeded\n  iteration 1  #1 succeeded\n    A  #1 succeeded\n    B  #1 succeeded\n"
	if got := dump(tl, &v); got != want {
		t.Fatalf("rows:\n%s\nwant:\n%s", got, want)
	}
}

// An iteration that ends says, by its output, which states were its own: a
// guess that put them in another iteration is undone.
func TestAnIterationsEndSettlesWhereItsStatesWent(t *testing.T) {
	var h history
	m := h.add(fnf.EventStepEntered, "M", 0, `{}`)
	i0 := h.add(fnf.EventIterationEntered, "M", 0, `{"Index":0}`)
	i1 := h.add(fnf.EventIterationEntered, "M", 0, `{"Index":1}`)
	p := h.add(fnf.EventStepEntered, "P", 0, `{"Input":"first"}`) // guessed: iteration 1
	h.add(fnf.EventStepExited, "P", p, `{"Output":"first"}`)
	h.add(fnf.EventIterationExited, "M", i0, `{"Index":0,"Output":"first"}`) // no: iteration 0
	p = h.add(fnf.EventStepEntered, "P", 0, `{"Input":"second"}`)
	h.add(fnf.EventStepExited, "P", p, `{"Output":"second"}`)
	h.add(fnf.EventIterationExited, "M", i1, `{"Index":1,"Output":"second"}`)
	h.add(fnf.EventStepExited, "M", m, `{}`)
	tl := FromEvents(h, Scopes{})
	for _, c := range tl.Rows[0].Children {
		it := tl.Rows[c]
		if len(it.Children) != 1 {
			t.Fatalf("iteration %d holds %d states", it.Index, len(it.Children))
		}
		in := tl.Visit(it.Children[0]).Sections()[1].Body
		if want := map[int]string{0: `"first"`, 1: `"second"`}[it.Index]; in != want {
			t.Errorf("iteration %d holds the state whose input is %s, want %s", it.Index, in, want)
		}
	}
}

func TestUnknownEventsAndDetailsAreShownNotFatal(t *testing.T) {
	var h history
	e := h.add(fnf.EventStepEntered, "S", 0, `not json`)
	h.add("StepPaused", "S", e, `{"Why":"maintenance","Input":"{\"a\":1}"}`)
	h.add(fnf.EventStepExited, "S", 99, `{"Output":"plain text","Extra":[1,2]}`)
	h.add(fnf.EventStepExited, "Nobody", 0, `{}`)
	h.add("Truncated", "", 0, `{"Cause":"4,000 events left out"}`)
	tl := FromEvents(h, Scopes{})
	if len(tl.Rows) != 2 || tl.Rows[0].Outcome != Succeeded || tl.Label(1) != "Truncated" || tl.Rows[1].Outcome.String() != "" {
		t.Fatalf("rows: %+v", tl.Rows)
	}
	if s := tl.Visit(1).Sections(); len(s) != 2 || s[1].Body != "4,000 events left out" {
		t.Errorf("an event of its own shows %+v", s)
	}
	var titles []string
	for _, s := range tl.Visit(0).Sections() {
		titles = append(titles, s.Title)
	}
	got := strings.Join(titles, "|")
	for _, want := range []string{"EventDetail", "StepExited · event 3", "Output", "Extra"} {
		if !strings.Contains(got, want) {
			t.Errorf("sections %q lack %q", got, want)
		}
	}
	if out := tl.Visit(0).Output(); out != "plain text" {
		t.Errorf("output %q", out)
	}
}

func TestStepsNestByTheirPath(t *testing.T) {
	at := func(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }
	steps := []fnf.Step{
		{State: "First", Type: "Task", Start: at(0), Duration: time.Millisecond, Error: "Boom"},
		{State: "First", Type: "Task", Attempt: 1, Start: at(2), Duration: time.Millisecond},
		{State: "P/Branch0/A", Type: "Pass", Start: at(5)},
		{State: "P/Branch1/B", Type: "Pass", Start: at(5)},
		{State: "P", Type: "Parallel", Start: at(4), Duration: 3 * time.Millisecond},
		{State: "M[1]/C", Type: "Fail", Start: at(9), Error: "Bad: no"},
		{State: "M[0]/C", Type: "Pass", Start: at(9)},
		{State: "M", Type: "Map", Start: at(8), Error: "Bad: no"},
	}
	tl := FromSteps(steps, true)
	var v View
	v.Sync(tl, 10)
	want := `First Task #1 retried Boom
First Task #2 succeeded
P Parallel #1 succeeded
  branch 0  #1 succeeded
    A Pass #1 succeeded
  branch 1  #1 succeeded
    B Pass #1 succeeded
M Map #1 failed Bad: no
  iteration 1  #1 failed
    C Fail #1 failed Bad: no ✗
  iteration 0  #1 succeeded
    C Pass #1 succeeded
`
	if got := dump(tl, &v); got != want {
		t.Fatalf("rows:\n%s\nwant:\n%s", got, want)
	}
}

func TestFoldingOneAndAll(t *testing.T) {
	tl := FromEvents(orderHistory(), Scopes{})
	var v View
	v.Sync(tl, 5)
	v.Move(3, 5) // Ship
	if !v.Toggle(tl, 5) || len(v.Lines) != 9 || v.Row() != v.Lines[3] || !v.Folded(v.Row()) {
		t.Fatalf("fold Ship: %d lines, cursor %d", len(v.Lines), v.Cursor)
	}
	v.Toggle(tl, 5)
	v.Move(1, 5) // branch 0
	v.Move(1, 5) // Label: nothing nested, folds its branch
	v.Toggle(tl, 5)
	if tl.Label(v.Row()) != "branch 0" || len(v.Lines) != 12 {
		t.Fatalf("fold from a leaf: on %q, %d lines", tl.Label(v.Row()), len(v.Lines))
	}
	v.ToggleAll(tl, 5)
	if len(v.Lines) != 5 {
		t.Fatalf("fold all: %d lines\n%s", len(v.Lines), dump(tl, &v))
	}
	v.ToggleAll(tl, 5)
	if len(v.Lines) != 13 {
		t.Fatalf("unfold all: %d lines", len(v.Lines))
	}
}

func TestTheDefinitionPlacesStatesOfBranchesRunAtOnce(t *testing.T) {
	var h history
	p := h.add(fnf.EventStepEntered, "Fan", 0, `{}`)
	b0 := h.add(fnf.EventBranchEntered, "Fan", 0, `{"Index":0}`)
	b1 := h.add(fnf.EventBranchEntered, "Fan", 0, `{"Index":1}`)
	a := h.add(fnf.EventStepEntered, "A", 0, `{}`) // branch 0's, though branch 1 ran last
	h.add(fnf.EventStepExited, "A", a, `{"Output":1}`)
	h.add(fnf.EventBranchExited, "Fan", b0, `{"Index":0}`) // no output to settle it by
	b := h.add(fnf.EventStepEntered, "B", 0, `{}`)
	h.add(fnf.EventStepExited, "B", b, `{"Output":1}`)
	h.add(fnf.EventBranchExited, "Fan", b1, `{"Index":1}`)
	h.add(fnf.EventStepExited, "Fan", p, `{}`)
	def := "States:\n  - Name: Fan\n    Type: Parallel\n    Unknown: kept\n    Branches:\n      - States: [{Name: A, Type: Pass}]\n      - States: [{Name: B, Type: Pass}]\n"
	tl := FromEvents(h, ScopesOf(def))
	var v View
	v.Sync(tl, 10)
	want := "Fan Parallel #1 succeeded\n  branch 0  #1 succeeded\n    A Pass #1 succeeded\n  branch 1  #1 succeeded\n    B Pass #1 succeeded\n" // types from the definition too
	if got := dump(tl, &v); got != want {
		t.Fatalf("rows:\n%s\nwant:\n%s", got, want)
	}
	if guess := FromEvents(h, Scopes{}); len(guess.Rows[guess.Rows[0].Children[0]].Children) != 0 {
		t.Log("without the definition, the guess happens to be right: the test shows nothing")
	}
	if s := ScopesOf("not: [yaml"); len(s.branches) != 0 || len(s.types) != 0 {
		t.Error("a definition that does not read gave scopes")
	}
	if s := ScopesOf(`{"States":[{"Name":"P","Type":"Pass"}]}`); len(s.branches) != 0 || s.typeOf("P") != "Pass" {
		t.Errorf("a definition without Parallel states: %+v", s)
	}
}
