package timeline

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/flowtui/flowtui/fnf"
)

// enterState opens a visit of ev's state, begun by event i, in the branch
// or iteration its ScheduleEventId names (flowtui's engine names it), else
// in the one it most likely runs in.
func (t *Timeline) enterState(ev *fnf.Event, i int) {
	parent, ok := t.scope(ev)
	if !ok {
		parent = t.place(ev.StepName)
	}
	r := t.newRow(Row{Kind: State, Name: ev.StepName, Type: t.scopes.typeOf(ev.StepName), Attempt: 1}, parent, i)
	t.open[ev.StepName] = append(t.open[ev.StepName], r)
	if parent < 0 {
		return
	}
	b := &t.Rows[parent]
	b.busy = r
	if b.Kind == Iteration && b.Parent >= 0 {
		if names := t.seq[b.Parent]; b.visits == len(names) {
			t.seq[b.Parent] = append(names, ev.StepName)
		}
	}
	b.visits++
}

// place is the branch or iteration a state entered now runs in, among the
// open ones with no state running: iterations run the same states in the
// same order, so one whose siblings ran this state after as many states as
// it has run fits best, and one whose siblings ran another state there
// fits worst; between equals, the one whose last event is the latest, as
// a branch runs on while others wait to be scheduled (the engine's
// histories bear it out). A branch the definition's scopes name wins over
// all; one they rule out loses. -1 (the top level) when none is open and
// idle.
func (t *Timeline) place(name string) int {
	best, bestScore := -1, -1
	for _, b := range t.branchs {
		row := &t.Rows[b]
		if row.busy >= 0 {
			continue
		}
		score := 1
		if row.Kind == Branch && row.Parent >= 0 {
			score = t.scopes.fits(t.Rows[row.Parent].Name, row.Index, name)
		}
		if names := t.seq[row.Parent]; row.Kind == Iteration && row.visits < len(names) {
			score = 0
			if names[row.visits] == name {
				score = 2
			}
		}
		if best < 0 || score > bestScore || score == bestScore && row.active > t.Rows[best].active {
			best, bestScore = b, score
		}
	}
	return best
}

// enterBranch opens a branch or an iteration of the open visit of ev's
// state (a Parallel or a Map). Its index seen again after a failed round
// means the state is retried: the next attempt gets a row of its own.
func (t *Timeline) enterBranch(ev *fnf.Event, i int) {
	kind, typ := Branch, "Parallel"
	if ev.Type == fnf.EventIterationEntered {
		kind, typ = Iteration, "Map"
	}
	idx := indexOf(ev.EventDetail)
	parent, ok := t.openVisitIn(ev)
	if !ok {
		parent = -1
	} else {
		p := &t.Rows[parent]
		if p.lastFailed && t.hasChild(parent, kind, idx) {
			parent = t.retry(parent, i)
			t.Rows[parent].Events = nil // event i is the branch's
		}
		t.Rows[parent].Type = typ
	}
	r := t.newRow(Row{Kind: kind, Name: ev.StepName, Index: idx, Attempt: 1}, parent, i)
	t.branchs = append(t.branchs, r)
}

func (t *Timeline) hasChild(r int, kind Kind, idx int) bool {
	for _, c := range t.Rows[r].Children {
		if t.Rows[c].Kind == kind && t.Rows[c].Index == idx {
			return true
		}
	}
	return false
}

// exitBranch ends the branch or iteration ev's ScheduleEventId names (else
// the open one of its state with its index).
func (t *Timeline) exitBranch(ev *fnf.Event, i int) {
	r, ok := t.begins[ev.ScheduleEventId]
	if !ok || t.Rows[r].Kind == State || t.Rows[r].Ended {
		r = -1
		idx := indexOf(ev.EventDetail)
		for _, b := range t.branchs {
			if t.Rows[b].Name == ev.StepName && t.Rows[b].Index == idx {
				r = b
			}
		}
		if r < 0 {
			return
		}
	}
	t.settle(r, i)
	code, failed := failureOf(ev.EventDetail)
	o := Succeeded
	if failed {
		o = Failed
		if p := t.Rows[r].Parent; p >= 0 {
			t.Rows[p].lastFailed = true
			t.changed[p] = true
		}
	}
	t.end(r, i, o, code)
	for k, b := range t.branchs {
		if b == r {
			t.branchs = append(t.branchs[:k:k], t.branchs[k+1:]...)
			break
		}
	}
}

// finish ends, at the execution's end (event i), what is still open: failed
// with the execution's error when it did not succeed; then marks the visit
// that failed it.
func (t *Timeline) finish(i int, failed bool, code string) {
	for r := range t.Rows {
		if t.Rows[r].Ended {
			continue
		}
		o := Succeeded
		if failed {
			o = Failed
		}
		t.end(r, i, o, code)
	}
	clear(t.open)
	t.branchs = nil
	if failed {
		t.markFailing()
	}
}

// markFailing marks the deepest failed visit along the last failed rows
// from the top: the state whose failure ended the run.
func (t *Timeline) markFailing() {
	at := lastFailed(t.Rows, t.Top)
	if at < 0 {
		return
	}
	for {
		next := lastFailed(t.Rows, t.Rows[at].Children)
		if next < 0 {
			break
		}
		at = next
	}
	t.Rows[at].Failing = true
	t.changed[at] = true
}

// Failing is the visit whose failure ended the run; -1 when none did.
func (t *Timeline) Failing() int {
	for r := range t.Rows {
		if t.Rows[r].Failing {
			return r
		}
	}
	return -1
}

func lastFailed(rows []Row, among []int) int {
	for k := len(among) - 1; k >= 0; k-- {
		if rows[among[k]].Outcome == Failed {
			return among[k]
		}
	}
	return -1
}

// bigDetail is the size past which a detail is not decoded on the event loop:
// the few keys read from it are looked up in its text instead.
const bigDetail = 64 << 10

// errorOf is the error code an event's detail names, "" when none.
func errorOf(detail string) string {
	code, _ := failureOf(detail)
	return code
}

// failureOf reads the error of a detail: its code ("" when unnamed) and
// whether it names one at all (a Cause alone counts).
func failureOf(detail string) (string, bool) {
	if len(detail) > bigDetail {
		code := stringAfter(detail, `"Error":`)
		return code, code != "" || strings.Contains(detail, `"Cause":`)
	}
	var d struct{ Error, ErrorCode, Cause string }
	if json.Unmarshal([]byte(detail), &d) != nil {
		return "", false
	}
	if d.Error == "" {
		d.Error = d.ErrorCode
	}
	return d.Error, d.Error != "" || d.Cause != ""
}

// indexOf is a branch's or an iteration's Index; 0 when the detail has none.
func indexOf(detail string) int {
	if len(detail) > bigDetail {
		k := strings.LastIndex(detail, `"Index":`)
		if k < 0 {
			return 0
		}
		rest := strings.TrimLeft(detail[k+len(`"Index":`):], " ")
		end := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if end < 0 {
			end = len(rest)
		}
		n, _ := strconv.Atoi(rest[:end])
		return n
	}
	var d struct{ Index int }
	_ = json.Unmarshal([]byte(detail), &d)
	return d.Index
}

// stringAfter is the JSON string that follows the last key in text, "" when
// there is none.
func stringAfter(text, key string) string {
	k := strings.LastIndex(text, key)
	if k < 0 {
		return ""
	}
	var s string
	dec := json.NewDecoder(strings.NewReader(text[k+len(key):]))
	if dec.Decode(&s) != nil {
		return ""
	}
	return s
}

// scope is the open branch or iteration ev's ScheduleEventId names, when it
// names one: a StepEntered (or a nested BranchEntered/IterationEntered)
// pointing at the branch it runs in.
func (t *Timeline) scope(ev *fnf.Event) (int, bool) {
	r, ok := t.begins[ev.ScheduleEventId]
	if !ok || ev.ScheduleEventId == 0 {
		return 0, false
	}
	row := &t.Rows[r]
	if (row.Kind != Branch && row.Kind != Iteration) || row.Ended {
		return 0, false
	}
	return r, true
}

// openVisitIn is the open visit of ev's state that a branch or an
// iteration begins in: the one inside the scope ev names when it names one
// (a nested Map runs in several iterations at once), else the innermost.
func (t *Timeline) openVisitIn(ev *fnf.Event) (int, bool) {
	if sc, ok := t.scope(ev); ok {
		s := t.open[ev.StepName]
		for k := len(s) - 1; k >= 0; k-- {
			if t.Rows[s[k]].Parent == sc {
				return s[k], true
			}
		}
	}
	return t.openVisit(ev.StepName)
}
