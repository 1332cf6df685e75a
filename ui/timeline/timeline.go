// Package timeline turns a run's history into the rows of the Trace tab: one
// row per state visit (one per attempt when a state is retried), with
// Parallel branches and Map iterations nested under their state. It reads a
// Standard execution's events (GetExecutionHistory) as they arrive, or an
// Express run's steps, and knows nothing of the screen: the Result pane
// renders the rows, folds them and moves a cursor over them (View).
//
// Events name the state they belong to; which branch or iteration a nested
// state runs in is said by flowtui's engine (a StepEntered's
// ScheduleEventId names its BranchEntered or IterationEntered), not
// documented for the service's. Without it, a state entered while several
// branches or iterations are open is placed by the flow's definition when
// it is at hand (Scopes: which branch holds the state), else by a guess
// (place), which the end of a branch or an iteration sets right when its
// output says otherwise (settle).
package timeline

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// Outcome is how a visit ended, or that it has not.
type Outcome uint8

const (
	Running   Outcome = iota
	Succeeded         // exited
	Failed            // failed, and so did its scope
	Caught            // failed, and a Catch took over
	Retried           // this attempt failed; the next row is the next attempt
	Noted             // an event of a type not known here: it says nothing of an outcome
)

func (o Outcome) String() string {
	return [...]string{"running", "succeeded", "failed", "caught", "retried", ""}[o]
}

// Kind is what a row stands for.
type Kind uint8

const (
	State     Kind = iota // a state's visit, or one attempt of it
	Branch                // a Parallel branch
	Iteration             // a Map iteration
)

// Row is one line of the timeline.
type Row struct {
	Kind  Kind
	Name  string // the state's name, as recorded: untrusted
	Index int    // a branch's or an iteration's index
	Type  string // the state's type when known ("Task", "Parallel", "Map"…)

	Parent   int   // the row it is nested under; -1 at the top
	Depth    int   // how deep it is nested
	Children []int // the rows nested under it, in order

	Start    time.Duration // since the execution started
	Duration time.Duration // so far, until it ends
	Ended    bool
	Attempt  int // tries counted from 1
	Outcome  Outcome
	Error    string // the error code of a failure, when one says
	Failing  bool   // the visit whose failure ended the run

	Events []int // the indexes of its events (events only)
	Step   int   // the index of its step (steps only); -1 otherwise

	Ver int // bumps whenever the row changes, for render caches

	begin      int64 // the EventId of its beginning
	entered    int   // the index of its visit's StepEntered (a retry's first attempt's); -1: none
	lastFailed bool  // its last attempt or branch failed: an exit is a catch
	busy       int   // a branch's open state row; -1 when idle
	visits     int   // the states a branch has entered
	active     int64 // the EventId of its last activity, for placement
}

// Timeline is the rows of a run and what building them needs.
type Timeline struct {
	Rows   []Row
	Top    []int     // the rows at the top level, in order
	Origin time.Time // the execution's start
	// NameWidth is the widest Name at its depth plus two cells per level,
	// for the renderer's column.
	NameWidth int

	events  []fnf.Event
	scopes  Scopes
	steps   []fnf.Step
	n       int              // events read so far
	last    int64            // the EventId of the last event read
	begins  map[int64]int    // beginning EventId → row
	open    map[string][]int // state name → its open visit rows, innermost last
	branchs []int            // open branch and iteration rows
	seq     map[int][]string // a Map visit's row → the states its iterations run, in order
	changed map[int]bool
}

// FromEvents builds the timeline of a Standard execution's events; scopes
// (from its flow's definition, ScopesOf; may be nil) place the states of
// Parallel branches run at once.
func FromEvents(events []fnf.Event, scopes Scopes) *Timeline {
	t := newTimeline()
	t.scopes = scopes
	t.Add(events)
	return t
}

func newTimeline() *Timeline {
	return &Timeline{begins: map[int64]int{}, open: map[string][]int{}, seq: map[int][]string{}, changed: map[int]bool{}}
}

// Extends reports whether events are the events read so far and maybe more:
// Add can then read just the new ones.
func (t *Timeline) Extends(events []fnf.Event) bool {
	return len(events) >= t.n && (t.n == 0 || events[t.n-1].EventId == t.last)
}

// Add reads the events past those read so far (events are the execution's
// events so far, as a progress carries them) and returns the rows that
// changed, or nil and false when events do not extend what was read.
func (t *Timeline) Add(events []fnf.Event) (changed []int, ok bool) {
	if !t.Extends(events) {
		return nil, false
	}
	t.events = events
	for ; t.n < len(events); t.n++ {
		t.read(t.n)
		t.last = events[t.n].EventId
	}
	for r := range t.changed {
		t.Rows[r].Ver++
		changed = append(changed, r)
	}
	clear(t.changed)
	return changed, true
}

// at is the time of event i since the execution's start.
func (t *Timeline) at(i int) time.Duration {
	ts, ok := fnf.ParseTime(t.events[i].Time)
	if !ok || t.Origin.IsZero() {
		return 0
	}
	return ts.Sub(t.Origin)
}

func (t *Timeline) read(i int) {
	ev := &t.events[i]
	if t.Origin.IsZero() {
		t.Origin, _ = fnf.ParseTime(ev.Time)
	}
	switch ev.Type {
	case fnf.EventStepEntered:
		t.enterState(ev, i)
	case fnf.EventStepExited, fnf.EventStepSucceeded:
		if r, ok := t.visit(ev); ok {
			o := Succeeded
			if t.Rows[r].lastFailed {
				o = Caught
			}
			t.end(r, i, o, "")
			t.leave(r, i)
		}
	case fnf.EventStepFailed:
		if r, ok := t.visit(ev); ok {
			t.end(r, i, Failed, errorOf(ev.EventDetail))
			t.leave(r, i)
		}
	case fnf.EventTaskScheduled:
		if r, ok := t.openVisit(ev.StepName); ok {
			if t.Rows[r].lastFailed {
				r = t.retry(r, i) // the next attempt, begun by this event
			} else {
				t.touch(r, i)
			}
			t.Rows[r].Type = "Task"
		}
	case fnf.EventTaskStarted, fnf.EventTaskSubmitted, fnf.EventStepStarted:
		if r, ok := t.openVisit(ev.StepName); ok {
			t.touch(r, i)
		}
	case fnf.EventTaskSucceeded:
		if r, ok := t.openVisit(ev.StepName); ok {
			t.Rows[r].lastFailed = false
			t.touch(r, i)
		}
	case fnf.EventTaskFailed, fnf.EventTaskTimedOut, fnf.EventTaskSubmitFailed:
		if r, ok := t.openVisit(ev.StepName); ok {
			t.Rows[r].lastFailed = true
			t.Rows[r].Error = errorOf(ev.EventDetail)
			t.touch(r, i)
		}
	case fnf.EventBranchEntered, fnf.EventIterationEntered:
		t.enterBranch(ev, i)
	case fnf.EventBranchExited, fnf.EventIterationExited:
		t.exitBranch(ev, i)
	case fnf.EventExecutionSucceeded, fnf.EventExecutionFailed, fnf.EventExecutionTimedOut, fnf.EventExecutionStopped:
		t.finish(i, ev.Type != fnf.EventExecutionSucceeded, errorOf(ev.EventDetail))
	case fnf.EventExecutionStarted:
	default:
		t.other(ev, i)
	}
}

// other keeps an event of a type not known here (one the service adds
// later, the mark of a history cut short): in the open visit of its state,
// else in a row of its own, so that its detail can be read.
func (t *Timeline) other(ev *fnf.Event, i int) {
	if r, ok := t.openVisit(ev.StepName); ok {
		t.touch(r, i)
		return
	}
	name := ev.StepName
	if name == "" {
		name = ev.Type
	}
	r := t.newRow(Row{Kind: State, Name: name, Type: ev.Type, Attempt: 1, Outcome: Noted}, -1, i)
	t.Rows[r].Ended = true
}

// newRow adds a row under parent, begun by event i.
func (t *Timeline) newRow(r Row, parent, i int) int {
	id := len(t.Rows)
	r.Parent, r.Step, r.busy = parent, -1, -1
	if r.Attempt <= 1 {
		r.entered = -1
		if t.events[i].Type == fnf.EventStepEntered {
			r.entered = i
		}
	}
	r.Start = t.at(i)
	r.begin = t.events[i].EventId
	r.Events = []int{i}
	r.active = r.begin
	if parent >= 0 {
		p := &t.Rows[parent]
		r.Depth = p.Depth + 1
		p.Children = t.insert(p.Children, id, r)
		t.changed[parent] = true
	} else {
		t.Top = append(t.Top, id)
	}
	t.Rows = append(t.Rows, r)
	t.begins[r.begin] = id
	t.changed[id] = true
	t.NameWidth = max(t.NameWidth, 2*r.Depth+cells(t.label(id)))
	return id
}

// insert places row id (r) among children: a branch or an iteration in the
// order of their indexes, whichever started first, anything else last.
func (t *Timeline) insert(children []int, id int, r Row) []int {
	k := len(children)
	if r.Kind != State {
		for k > 0 {
			c := &t.Rows[children[k-1]]
			if c.Kind != r.Kind || c.Index < r.Index {
				break
			}
			k--
		}
	}
	return slices.Insert(children, k, id)
}

// label is the name a row shows before sanitising: its state's name, or
// its branch's or iteration's number.
func (t *Timeline) label(r int) string {
	row := &t.Rows[r]
	switch row.Kind {
	case Branch:
		return "branch " + itoa(row.Index)
	case Iteration:
		return "iteration " + itoa(row.Index)
	}
	return row.Name
}

// Label is what row r is called on screen, before sanitising.
func (t *Timeline) Label(r int) string { return t.label(r) }

func (t *Timeline) touch(r, i int) {
	row := &t.Rows[r]
	row.Events = append(row.Events, i)
	row.active = t.events[i].EventId
	t.changed[r] = true
}

func (t *Timeline) end(r, i int, o Outcome, code string) {
	t.touch(r, i)
	row := &t.Rows[r]
	row.Ended, row.Outcome = true, o
	row.Duration = t.at(i) - row.Start
	if code != "" {
		row.Error = code
	}
}

// visit is the visit an ending event closes: the one its ScheduleEventId
// names (after retries, the visit's last attempt), else the innermost open
// visit of its state.
func (t *Timeline) visit(ev *fnf.Event) (int, bool) {
	if r, ok := t.begins[ev.ScheduleEventId]; ok && t.Rows[r].Kind == State && !t.Rows[r].Ended {
		return r, true
	}
	return t.openVisit(ev.StepName)
}

func (t *Timeline) openVisit(name string) (int, bool) {
	s := t.open[name]
	if len(s) == 0 {
		return 0, false
	}
	return s[len(s)-1], true
}

// leave closes visit r at event i: its state is no longer open, its branch
// is idle.
func (t *Timeline) leave(r, i int) {
	row := &t.Rows[r]
	s := t.open[row.Name]
	for k := len(s) - 1; k >= 0; k-- {
		if s[k] == r {
			t.open[row.Name] = append(s[:k:k], s[k+1:]...)
			break
		}
	}
	if p := row.Parent; p >= 0 && t.Rows[p].busy == r {
		t.Rows[p].busy = -1
		t.Rows[p].active = t.events[i].EventId
	}
}

// retry ends attempt r as retried and opens the next attempt of the same
// visit beside it, begun by event i.
func (t *Timeline) retry(r, i int) int {
	t.end(r, i, Retried, "")
	t.Rows[r].Events = t.Rows[r].Events[:len(t.Rows[r].Events)-1] // event i opens the next attempt
	prev := t.Rows[r]
	n := t.newRow(Row{Kind: State, Name: prev.Name, Type: prev.Type, Attempt: prev.Attempt + 1, entered: prev.entered}, prev.Parent, i)
	t.begins[prev.begin] = n // the visit's end names its first event
	t.swapOpen(r, n)
	if p := prev.Parent; p >= 0 && t.Rows[p].busy == r {
		t.Rows[p].busy = n
	}
	return n
}

func (t *Timeline) swapOpen(from, to int) {
	s := t.open[t.Rows[from].Name]
	for k := range s {
		if s[k] == from {
			s[k] = to
		}
	}
}

func cells(s string) int { return len([]rune(s)) }

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
