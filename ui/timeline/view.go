package timeline

import "maps"

// View is what the Trace tab shows of a timeline: the rows not folded away,
// a cursor on one of them and the first one in the window. It survives a
// timeline that grows (Sync): the cursor stays on its row, the folds stay.
// A View is a value whose copies share their map and slices, which are
// replaced, never modified.
type View struct {
	folded map[int]bool
	Lines  []int // the rows shown, in order
	Cursor int   // the line under the cursor
	Top    int   // the first line in the window
}

// Row is the row under the cursor; -1 when there is none.
func (v *View) Row() int {
	if v.Cursor < 0 || v.Cursor >= len(v.Lines) {
		return -1
	}
	return v.Lines[v.Cursor]
}

// Folded reports whether row r's nested rows are hidden.
func (v *View) Folded(r int) bool { return v.folded[r] }

// Sync lays the lines out again after the timeline or the folds changed,
// keeping the cursor on its row and the window in place.
func (v *View) Sync(t *Timeline, h int) {
	row := v.Row()
	v.Lines = make([]int, 0, len(t.Rows))
	var walk func(rs []int)
	walk = func(rs []int) {
		for _, r := range rs {
			v.Lines = append(v.Lines, r)
			if !v.folded[r] {
				walk(t.Rows[r].Children)
			}
		}
	}
	walk(t.Top)
	if row >= 0 {
		v.Cursor = v.lineOf(t, row)
	}
	v.clamp(h)
}

// lineOf is the line of row r, or of the nearest row shown above it when it
// is folded away.
func (v *View) lineOf(t *Timeline, r int) int {
	for ; r >= 0; r = t.Rows[r].Parent {
		for k, x := range v.Lines {
			if x == r {
				return k
			}
		}
	}
	return 0
}

// Show puts the cursor on row r (or the nearest row shown above it).
func (v *View) Show(t *Timeline, r, h int) {
	v.Cursor = v.lineOf(t, r)
	v.clamp(h)
}

// Move moves the cursor by n lines (negative: up), the window following it
// in a window of h lines.
func (v *View) Move(n, h int) {
	v.Cursor += n
	v.clamp(h)
}

// Page moves the cursor and the window by n lines.
func (v *View) Page(n, h int) {
	v.Top += n
	v.Cursor += n
	v.clamp(h)
}

// Home and End put the cursor on the first and the last line.
func (v *View) Home(h int) { v.Cursor = 0; v.clamp(h) }
func (v *View) End(h int)  { v.Cursor = len(v.Lines) - 1; v.clamp(h) }

// clamp keeps the cursor on a line and in the window of h lines, and the
// window on the lines.
func (v *View) clamp(h int) {
	h = max(h, 1)
	v.Cursor = min(max(v.Cursor, 0), max(len(v.Lines)-1, 0))
	if v.Cursor < v.Top {
		v.Top = v.Cursor
	}
	if v.Cursor >= v.Top+h {
		v.Top = v.Cursor - h + 1
	}
	v.Top = min(max(v.Top, 0), max(len(v.Lines)-h, 0))
}

// Toggle folds or unfolds the row under the cursor; on a row with nothing
// nested, it folds the row's parent and moves the cursor there. It reports
// whether anything changed.
func (v *View) Toggle(t *Timeline, h int) bool {
	r := v.Row()
	if r < 0 {
		return false
	}
	if len(t.Rows[r].Children) == 0 {
		if r = t.Rows[r].Parent; r < 0 {
			return false
		}
	}
	v.setFold(r, !v.folded[r])
	v.Sync(t, h)
	v.Cursor = v.lineOf(t, r)
	v.clamp(h)
	return true
}

// ToggleAll folds every row with rows nested under it, or unfolds them all
// when they are all folded already.
func (v *View) ToggleAll(t *Timeline, h int) {
	fold := false
	for r := range t.Rows {
		if len(t.Rows[r].Children) > 0 && !v.folded[r] {
			fold = true
			break
		}
	}
	folded := map[int]bool{}
	for r := range t.Rows {
		if fold && len(t.Rows[r].Children) > 0 {
			folded[r] = true
		}
	}
	v.folded = folded
	v.Sync(t, h)
}

// setFold changes a copy of the folds.
func (v *View) setFold(r int, on bool) {
	v.folded = maps.Clone(v.folded)
	if v.folded == nil {
		v.folded = map[int]bool{}
	}
	if on {
		v.folded[r] = true
	} else {
		delete(v.folded, r)
	}
}
