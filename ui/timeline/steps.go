package timeline

import (
	"slices"
	"strconv"
	"strings"

	"github.com/flowtui/flowtui/fnf"
)

// FromSteps builds the timeline of a run's steps (a local Express run's
// trace): one row per step, nested by the step's path (P/Branch0/S,
// M[2]/S), the order of their starts. failed says the run failed, so that the
// failing visit is marked.
func FromSteps(steps []fnf.Step, failed bool) *Timeline {
	t := newTimeline()
	t.steps = steps
	order := make([]int, len(steps))
	for i := range order {
		order[i] = i
	}
	// A parent is recorded after its children but starts before them.
	slices.SortStableFunc(order, func(a, b int) int {
		if c := steps[a].Start.Compare(steps[b].Start); c != 0 {
			return c
		}
		return strings.Count(steps[a].State, "/") - strings.Count(steps[b].State, "/")
	})
	for _, i := range order {
		if !steps[i].Start.IsZero() {
			t.Origin = steps[i].Start
			break
		}
	}
	latest := map[string]int{} // a state's path → its latest row
	fans := map[[3]int]int{}   // (row, kind, index) → a branch's or an iteration's row
	for _, i := range order {
		s := steps[i]
		segs := strings.Split(s.State, "/")
		parent, prefix := t.parentOf(segs[:len(segs)-1], latest, fans, s)
		row := Row{Kind: State, Name: segs[len(segs)-1], Type: s.Type, Attempt: s.Try(), Ended: true, Duration: s.Duration}
		if !s.Start.IsZero() {
			row.Start = s.Start.Sub(t.Origin)
		}
		r := t.stepRow(row, parent, i)
		latest[prefix+row.Name] = r
	}
	t.stepOutcomes()
	if failed {
		t.markFailing()
	}
	for r := range t.Rows {
		t.Rows[r].Ver = 1
	}
	clear(t.changed)
	return t
}

// parentOf finds (or makes) the row a step whose path has the segments
// given is nested under, and returns it with the path of its scope.
func (t *Timeline) parentOf(segs []string, latest map[string]int, fans map[[3]int]int, s fnf.Step) (int, string) {
	parent, prefix := -1, ""
	for k := 0; k < len(segs); k++ {
		seg := segs[k]
		name, idx, isIter := iterationOf(seg)
		if isIter {
			parent = t.fanRow(fans, latest, prefix+name, Iteration, idx, s)
		} else if n, ok := branchOf(seg); ok && parent >= 0 && t.Rows[parent].Kind == State {
			parent = t.fanRow(fans, latest, strings.TrimSuffix(prefix, "/"), Branch, n, s)
		} else if r, ok := latest[prefix+seg]; ok {
			parent = r
		}
		prefix += seg + "/"
	}
	return parent, prefix
}

// fanRow is the branch or iteration idx of the latest visit of the state at
// path, made the first time a step in it is seen.
func (t *Timeline) fanRow(fans map[[3]int]int, latest map[string]int, path string, kind Kind, idx int, s fnf.Step) int {
	state, ok := latest[path]
	if !ok {
		return -1
	}
	key := [3]int{state, int(kind), idx}
	if r, ok := fans[key]; ok {
		t.stretch(r, s)
		return r
	}
	typ := "Parallel"
	if kind == Iteration {
		typ = "Map"
	}
	if t.Rows[state].Type == "" {
		t.Rows[state].Type = typ
	}
	row := Row{Kind: kind, Name: t.Rows[state].Name, Index: idx, Attempt: 1, Ended: true, Outcome: Succeeded}
	r := t.stepRow(row, state, -1)
	t.Rows[r].Start = t.Rows[state].Start
	if !s.Start.IsZero() {
		t.Rows[r].Start = s.Start.Sub(t.Origin)
	}
	t.stretch(r, s)
	fans[key] = r
	return r
}

// stretch makes a branch row last until step s ends.
func (t *Timeline) stretch(r int, s fnf.Step) {
	if s.Start.IsZero() {
		return
	}
	end := s.Start.Sub(t.Origin) + s.Duration
	t.Rows[r].Duration = max(t.Rows[r].Duration, end-t.Rows[r].Start)
}

func (t *Timeline) stepRow(r Row, parent, step int) int {
	id := len(t.Rows)
	r.Parent, r.Step, r.busy, r.entered = parent, step, -1, -1
	if parent >= 0 {
		r.Depth = t.Rows[parent].Depth + 1
		t.Rows[parent].Children = append(t.Rows[parent].Children, id)
	} else {
		t.Top = append(t.Top, id)
	}
	t.Rows = append(t.Rows, r)
	t.NameWidth = max(t.NameWidth, 2*r.Depth+cells(t.label(id)))
	return id
}

// stepOutcomes says how each step ended: an error retried when the next
// attempt of the same visit follows, caught when its scope went on after
// it, failed otherwise; a branch fails with its last state.
func (t *Timeline) stepOutcomes() {
	for r := len(t.Rows) - 1; r >= 0; r-- {
		row := &t.Rows[r]
		if row.Step < 0 {
			if k := len(row.Children); k > 0 && t.Rows[row.Children[k-1]].Outcome == Failed {
				row.Outcome = Failed
			}
			continue
		}
		s := t.steps[row.Step]
		if s.Error == "" {
			row.Outcome = Succeeded
			continue
		}
		row.Error = firstLine(s.Error)
		sibs := t.Top
		if row.Parent >= 0 {
			sibs = t.Rows[row.Parent].Children
		}
		k := slices.Index(sibs, r)
		switch {
		case k+1 < len(sibs) && t.Rows[sibs[k+1]].Name == row.Name && t.Rows[sibs[k+1]].Attempt == row.Attempt+1:
			row.Outcome = Retried
		case k+1 < len(sibs):
			row.Outcome = Caught
		default:
			row.Outcome = Failed
		}
	}
}

// iterationOf reads "Name[3]": the Map's name and the iteration.
func iterationOf(seg string) (string, int, bool) {
	open := strings.LastIndexByte(seg, '[')
	if open <= 0 || !strings.HasSuffix(seg, "]") {
		return "", 0, false
	}
	n, err := strconv.Atoi(seg[open+1 : len(seg)-1])
	return seg[:open], n, err == nil && n >= 0
}

// branchOf reads "Branch3".
func branchOf(seg string) (int, bool) {
	rest, ok := strings.CutPrefix(seg, "Branch")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// Steps is the steps the timeline was built from; nil for events.
func (t *Timeline) Steps() []fnf.Step { return t.steps }
