package flows

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/flowtui/flowtui/fnf"
)

// The fuzzy filter: a flow matches when the filter's characters appear in its
// name in order, case-insensitively (as in fzf or bubbles/list). Matches are
// ranked by score; ties keep the backend's order. A "mode:std" or "mode:exp"
// word (as Runs' "status:failed") keeps the flows of that execution mode.

// modePrefix starts the filter word that selects by mode.
const modePrefix = "mode:"

// modeMarks are the marks of the two execution modes: the rows show them,
// and mode: takes them (or any start of the mode's name).
var modeMarks = map[string]string{fnf.ModeStandard: "std", fnf.ModeExpress: "exp"}

// query is the filter as typed, read: the fuzzy pattern of the name and the
// mode asked for ("" any).
type query struct {
	pat  []rune
	mode string
	bad  string // a mode: word that names no mode: what to type instead
}

// parseQuery reads the filter: mode: words apart, the rest (trimmed) is the
// fuzzy pattern. "mode:" alone, as it is being typed, asks for nothing yet.
func parseQuery(filter string) query {
	var q query
	rest := filter
	for _, w := range strings.Fields(filter) {
		v, ok := strings.CutPrefix(strings.ToLower(w), modePrefix)
		if !ok {
			continue
		}
		rest = strings.Replace(rest, w, "", 1)
		if v == "" {
			continue
		}
		q.mode = modeNamed(v)
		if q.mode == "" {
			q.bad = "mode:" + v + "? use mode:std or mode:exp"
		}
	}
	q.pat = pattern(strings.TrimSpace(rest))
	return q
}

// modeNamed is the mode v names: its mark, or the start of its name.
func modeNamed(v string) string {
	for mode, mark := range modeMarks {
		if v == mark || strings.HasPrefix(strings.ToLower(mode), v) {
			return mode
		}
	}
	return ""
}

// nameBuf is how many runes of a name match looks at without allocating.
const nameBuf = 96

// pattern lower-cases the filter text into runes.
func pattern(filter string) []rune {
	p := make([]rune, 0, utf8.RuneCountInString(filter))
	for _, r := range filter {
		p = append(p, unicode.ToLower(r))
	}
	return p
}

// match scores how well the pattern p (lower-cased) matches name, and marks
// the matched runes among the first 64 in pos. ok is false when p is not a
// subsequence of name. Every start of the first pattern rune is tried and the
// best alignment wins: consecutive runs, word starts and an early start score.
func match(p []rune, name string) (score int, pos uint64, ok bool) {
	if len(p) == 0 {
		return 0, 0, true
	}
	var origBuf, lowBuf [nameBuf]rune
	orig, low := origBuf[:0], lowBuf[:0]
	for _, r := range name {
		orig = append(orig, r)
		low = append(low, unicode.ToLower(r))
	}
	best := 0
	for s := range low {
		if low[s] != p[0] {
			continue
		}
		sc, mask, n, last := 0, uint64(0), 0, -2
		for i := s; i < len(low) && n < len(p); i++ {
			if low[i] != p[n] {
				continue
			}
			sc++
			if i == last+1 {
				sc += 5
			}
			if boundary(orig, i) {
				sc += 8
			}
			if i < 64 {
				mask |= 1 << i
			}
			last = i
			n++
		}
		if n < len(p) {
			break // later starts match even less
		}
		sc -= min(s, 5)                // a late start
		sc -= min(last-s+1-len(p), 10) // gaps inside the match
		if !ok || sc > best {
			best, pos, ok = sc, mask, true
		}
	}
	return best, pos, ok
}

// boundary reports whether rune i of name starts a word: the first rune, one
// after a separator, or an upper-case letter after a lower-case one.
func boundary(name []rune, i int) bool {
	if i == 0 {
		return true
	}
	prev, cur := name[i-1], name[i]
	switch prev {
	case '-', '_', '.', ' ', '/', ':':
		return true
	}
	return unicode.IsLower(prev) && unicode.IsUpper(cur)
}

// filterRows returns the indexes of the rows of q's mode whose names match its
// pattern, best first. With an empty pattern the rows are kept in order.
func filterRows(rows []row, q query) []int {
	out := make([]int, 0, len(rows))
	if q.bad != "" {
		return out
	}
	p := q.pat
	if len(p) == 0 {
		for i := range rows {
			if q.mode == "" || rows[i].mode == q.mode {
				out = append(out, i)
			}
		}
		return out
	}
	type hit struct{ i, score int }
	hits := make([]hit, 0, 64)
	for i := range rows {
		if q.mode != "" && rows[i].mode != q.mode {
			continue
		}
		if sc, _, ok := match(p, rows[i].name); ok {
			hits = append(hits, hit{i, sc})
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int { return b.score - a.score })
	for _, h := range hits {
		out = append(out, h.i)
	}
	return out
}
