package result

import (
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/ui/render"
	"github.com/flowtui/flowtui/ui/theme"
)

// pager shows a document of styled lines in a window. It wraps only the
// lines it shows, so a resize costs nothing and a keypress costs the same
// with a 1 MiB document as with a small one: the bubbles viewport instead
// re-measures the whole document for every soft-wrapped scroll and on
// SetContent (47 ms for 1 MiB).
//
// A pager is a value; its slices are shared between copies and never
// modified, only replaced.
type pager struct {
	lines   []string       // styled, sanitised lines
	plain   []string       // the same lines without styles, for search; nil when lines are plain
	right   []string       // side by side: the right column (lines is the left one)
	cut     []bool         // lines cut at the width instead of wrapped; nil for none
	numbers bool           // a line-number gutter
	over    map[int]string // lines shown instead of lines[i]: search matches, the trace cursor

	query   string  // the search whose matches over shows
	matches []match // in document order
	cur     int     // the current match
	marks   *theme.Styles
	curLine int    // the line of the current match, shown as curText; -1: none
	curText string // that line, the current match marked apart from the others

	top, sub int // the first line shown, and its first row shown
}

// match is one search hit: a line and the cells [col, end) in it.
type match struct{ line, col, end int }

func textPager(lines ...string) pager { return pager{lines: lines} }

func (p *pager) len() int { return len(p.lines) }

func (p *pager) text(i int) string {
	if i == p.curLine && p.curText != "" {
		return p.curText
	}
	if s, ok := p.over[i]; ok {
		return s
	}
	return p.lines[i]
}

func (p *pager) plainText(i int) string {
	if p.plain != nil {
		return p.plain[i]
	}
	return p.lines[i]
}

// gutter is the width of the line-number gutter.
func (p *pager) gutter() int {
	if !p.numbers {
		return 0
	}
	return len(strconv.Itoa(len(p.lines))) + 3
}

// textWidth is the width lines wrap at.
func (p *pager) textWidth(w int) int { return max(1, w-p.gutter()) }

func (p *pager) nowrap(i int) bool {
	return p.right != nil || p.cut != nil && p.cut[i]
}

func (p *pager) rowCount(i, w int) int {
	if p.nowrap(i) {
		return 1
	}
	return render.WrapCount(p.text(i), p.textWidth(w))
}

// rows is line i as shown at width w: wrapped, with its gutter.
func (p *pager) rows(i, w int, gutter func(string) string) []string {
	if p.right != nil {
		half := (w - 3) / 2
		return []string{fit(p.text(i), half) + gutter(" │ ") + fit(p.right[i], w-3-half)}
	}
	var rows []string
	if p.nowrap(i) {
		rows = []string{p.text(i)}
	} else {
		rows = render.Wrap(p.text(i), p.textWidth(w))
	}
	if g := p.gutter(); g > 0 {
		blank := strings.Repeat(" ", g)
		for r := range rows {
			if r == 0 {
				n := strconv.Itoa(i + 1)
				rows[r] = gutter(strings.Repeat(" ", g-3-len(n))+n+" │ ") + rows[r]
			} else {
				rows[r] = blank + rows[r]
			}
		}
	}
	return rows
}

// fit cuts or pads a styled line to exactly w cells.
func fit(s string, w int) string {
	if w <= 0 {
		return ""
	}
	sw := ansi.StringWidth(s)
	if sw > w {
		s = ansi.Truncate(s, w, "…")
		sw = ansi.StringWidth(s)
	}
	return s + strings.Repeat(" ", max(0, w-sw))
}

// view is the h rows the window shows at width w.
func (p *pager) view(w, h int, gutter func(string) string) []string {
	out := make([]string, 0, h)
	for i := p.top; i < p.len() && len(out) < h; i++ {
		r := p.rows(i, w, gutter)
		if i == p.top {
			r = r[min(p.sub, len(r)-1):]
		}
		out = append(out, r...)
	}
	return out[:min(h, len(out))]
}

func (p *pager) down(n, w, h int) {
	if p.len() == 0 {
		return // nothing to scroll: an empty tab
	}
	for ; n > 0; n-- {
		if p.sub+1 < p.rowCount(p.top, w) {
			p.sub++
		} else if p.top+1 < p.len() {
			p.top, p.sub = p.top+1, 0
		} else {
			break
		}
	}
	p.clamp(w, h)
}

func (p *pager) up(n, w int) {
	for ; n > 0; n-- {
		if p.sub > 0 {
			p.sub--
		} else if p.top > 0 {
			p.top--
			p.sub = p.rowCount(p.top, w) - 1
		} else {
			break
		}
	}
}

func (p *pager) home() { p.top, p.sub = 0, 0 }

func (p *pager) end(w, h int) {
	p.top, p.sub = p.last(w, h)
}

// last is the position that shows the last h rows.
func (p *pager) last(w, h int) (int, int) {
	rows := 0
	for i := p.len() - 1; i >= 0; i-- {
		c := p.rowCount(i, w)
		if rows+c >= h {
			return i, c - (h - rows)
		}
		rows += c
	}
	return 0, 0
}

// clamp keeps the window on the document: never past the last full window.
func (p *pager) clamp(w, h int) {
	if p.len() == 0 {
		p.top, p.sub = 0, 0
		return
	}
	p.top = min(max(p.top, 0), p.len()-1)
	p.sub = min(max(p.sub, 0), p.rowCount(p.top, w)-1)
	lt, ls := p.last(w, h)
	if p.top > lt || p.top == lt && p.sub > ls {
		p.top, p.sub = lt, ls
	}
}

// show scrolls so that row sub of line i is in the window, with a little
// context above it when the window has to move.
func (p *pager) show(i, sub, w, h int) {
	if i < p.top || i == p.top && sub < p.sub || p.rowsBetween(i, sub, w, h) >= h {
		p.top, p.sub = i, sub
		p.up(min(2, h/3), w)
	}
	p.clamp(w, h)
}

// rowsBetween counts the rows from the top of the window to row sub of line
// i (which is at or below it), stopping at limit.
func (p *pager) rowsBetween(i, sub, w, limit int) int {
	n := -p.sub
	for j := p.top; j < i && n < limit; j++ {
		n += p.rowCount(j, w)
	}
	return n + sub
}

// setMatches installs a search's results and makes the first match at or
// below the top of the window the current one.
func (p *pager) setMatches(st *theme.Styles, query string, matches []match, over map[int]string) {
	p.query, p.matches, p.over, p.cur, p.marks = query, matches, over, 0, st
	for k, m := range matches {
		if m.line >= p.top {
			p.cur = k
			break
		}
	}
	p.markCurrent()
}

func (p *pager) clearSearch() {
	p.query, p.matches, p.over, p.cur = "", nil, nil, 0
	p.curLine, p.curText = -1, ""
}

// markCurrent styles the current match apart from the others on its line.
func (p *pager) markCurrent() {
	p.curLine, p.curText = -1, ""
	if len(p.matches) == 0 || p.marks == nil {
		return
	}
	cur := p.matches[p.cur]
	if _, ok := p.over[cur.line]; !ok {
		return // past the lines whose matches are highlighted
	}
	k := p.cur
	for k > 0 && p.matches[k-1].line == cur.line {
		k--
	}
	var ranges []lipgloss.Range
	for ; k < len(p.matches) && p.matches[k].line == cur.line; k++ {
		style := p.marks.Match
		if k == p.cur {
			style = p.marks.CurrentMatch
		}
		ranges = append(ranges, lipgloss.NewRange(p.matches[k].col, p.matches[k].end, style))
	}
	p.curLine, p.curText = cur.line, lipgloss.StyleRanges(p.lines[cur.line], ranges...)
}

// jump makes match k (modulo their number) the current one and shows it.
func (p *pager) jump(k, w, h int) {
	n := len(p.matches)
	if n == 0 {
		return
	}
	p.cur = (k%n + n) % n
	p.markCurrent()
	m := p.matches[p.cur]
	sub := 0
	if !p.nowrap(m.line) {
		sub = min(m.col/p.textWidth(w), p.rowCount(m.line, w)-1)
	}
	p.show(m.line, sub, w, h)
}

// position is "line/lines" for footers.
func (p *pager) position() string {
	if p.len() == 0 {
		return ""
	}
	return strconv.Itoa(p.top+1) + "/" + strconv.Itoa(p.len())
}
