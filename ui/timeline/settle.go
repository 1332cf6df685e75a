package timeline

import (
	"bytes"
	"encoding/json"
)

// settle corrects a guess when branch or iteration r ends (event i). The one
// that ends has run its last state, whose output is its own; an iteration
// has run every state its siblings run. When another open one of the same
// state, idle, fits the end better than r (its last state's output is the
// one the end carries; it has run every state while r has not), their
// states were placed the wrong way round, and are swapped.
func (t *Timeline) settle(r, i int) {
	row := t.Rows[r]
	if row.busy >= 0 || row.Parent < 0 {
		return
	}
	out, ok := outputOf(t.events[i].EventDetail)
	fit := func(b int) int {
		f := 0
		if last, has := t.lastOutput(b); ok && has && bytes.Equal(last, out) {
			f += 2
		}
		if names := t.seq[row.Parent]; row.Kind == Iteration && len(names) > 0 && t.Rows[b].visits >= len(names) {
			f++
		}
		return f
	}
	best, bestFit := -1, fit(r)
	for _, b := range t.branchs {
		other := &t.Rows[b]
		if b == r || other.Parent != row.Parent || other.Kind != row.Kind || other.busy >= 0 {
			continue
		}
		if f := fit(b); f > bestFit {
			best, bestFit = b, f
		}
	}
	if best >= 0 {
		t.swap(r, best)
	}
}

// swap exchanges the states placed in branches a and b.
func (t *Timeline) swap(a, b int) {
	ra, rb := &t.Rows[a], &t.Rows[b]
	ra.Children, rb.Children = rb.Children, ra.Children
	ra.visits, rb.visits = rb.visits, ra.visits
	for _, p := range []int{a, b} {
		t.changed[p] = true
		for _, c := range t.Rows[p].Children {
			t.Rows[c].Parent = p
			t.changed[c] = true
		}
	}
}

// lastOutput is the output of the last state placed in branch b, as its
// StepExited carries it.
func (t *Timeline) lastOutput(b int) ([]byte, bool) {
	kids := t.Rows[b].Children
	if len(kids) == 0 {
		return nil, false
	}
	last := &t.Rows[kids[len(kids)-1]]
	if last.Kind != State || !last.Ended || len(last.Events) == 0 {
		return nil, false
	}
	return outputOf(t.events[last.Events[len(last.Events)-1]].EventDetail)
}

// outputOf is a detail's Output, compacted; none for a detail too big to
// decode on the event loop.
func outputOf(detail string) ([]byte, bool) {
	if len(detail) > bigDetail {
		return nil, false
	}
	var d struct{ Output json.RawMessage }
	if json.Unmarshal([]byte(detail), &d) != nil || len(d.Output) == 0 {
		return nil, false
	}
	var b bytes.Buffer
	if json.Compact(&b, d.Output) != nil {
		return nil, false
	}
	return b.Bytes(), true
}
