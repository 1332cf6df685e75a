package result

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/render"
	"github.com/flowtui/flowtui/ui/sanitize"
	"github.com/flowtui/flowtui/ui/theme"
)

const noTrace = "no trace: the cloud does not report per-state steps for Express runs"

// traceState is the Trace tab: one row per step, a cursor, and the steps
// opened to show their input and output.
type traceState struct {
	gen    int // bumps with every run shown; step details of older runs are dropped
	header string
	rows   []traceRow
	open   []bool
	detail [][]string // formatted input and output of the steps opened so far
	cursor int
	lineOf []int // the pager line of each step's row
}

// traceRow is a step's row, plain and as the cursor shows it.
type traceRow struct{ text, sel string }

const maxStateCells = 28

// tracePage formats the table of steps: state · type · attempt · duration ·
// error or the start of the output.
func tracePage(st *theme.Styles, steps []fnf.Step) pageReady {
	names := make([]string, len(steps))
	stateW, typeW := len("state"), len("type")
	for i, s := range steps {
		names[i] = ansi.Truncate(sanitize.Line(s.State), maxStateCells, "…")
		stateW = max(stateW, ansi.StringWidth(names[i]))
		typeW = max(typeW, ansi.StringWidth(sanitize.Line(s.Type)))
	}
	numW := len(strconv.Itoa(len(steps)))
	pad := func(s string, w int) string { return s + strings.Repeat(" ", max(0, w-ansi.StringWidth(s))) }
	header := fmt.Sprintf("%*s  %s  %s  %s  %8s  %s", numW, "#", pad("state", stateW), pad("type", typeW), "try", "duration", "error / output")
	rows := make([]traceRow, len(steps))
	for i, s := range steps {
		cols := []string{
			fmt.Sprintf("%*d", numW, i+1), pad(names[i], stateW), pad(sanitize.Line(s.Type), typeW),
			fmt.Sprintf("%3d", s.Try()), fmt.Sprintf("%8s", common.Duration(s.Duration)),
		}
		summary, summaryStyle := summarize(s.Output), st.Muted
		if s.Error != "" {
			summary, summaryStyle = ansi.Truncate(sanitize.Line(s.Error), 120, "…"), st.Failure
		}
		styled := st.Subtle.Render(cols[0]) + "  " + st.Text.Render(cols[1]) + "  " + st.Muted.Render(cols[2]) +
			"  " + st.Text.Render(cols[3]+"  "+cols[4]) + "  " + summaryStyle.Render(summary)
		rows[i] = traceRow{text: styled, sel: st.Selected.Render(strings.Join(append(cols, summary), "  "))}
	}
	return pageReady{page: pager{lines: []string{st.Muted.Render(header)}}, trace: rows, kind: fmt.Sprintf("%d steps", len(steps))}
}

// summarize is the start of a step's output on one line.
func summarize(raw string) string {
	var b bytes.Buffer
	if json.Compact(&b, []byte(raw)) == nil {
		raw = b.String()
	}
	return ansi.Truncate(sanitize.Line(raw), 120, "…")
}

// assembleTrace lays out the rows, the opened steps' details under them and
// the cursor, keeping the scroll position.
func (m *Model) assembleTrace() {
	t := &m.trace
	old := m.pages[tabTrace]
	lines := []string{"   " + t.header}
	cut := []bool{true}
	t.lineOf = make([]int, len(t.rows))
	for i := range t.rows {
		t.lineOf[i] = len(lines)
		lines = append(lines, t.row(i, false))
		cut = append(cut, true)
		if t.isOpen(i) {
			d := t.detailOf(i)
			if d == nil {
				d = []string{"      " + m.common.Styles.Muted.Render("formatting…")}
			}
			lines = append(lines, d...)
			cut = append(cut, make([]bool, len(d))...)
		}
	}
	m.pages[tabTrace] = pager{lines: lines, cut: cut, top: old.top, sub: old.sub}
	m.pages[tabTrace].over = t.cursorOver()
	cw, ch := m.contentSize()
	m.pages[tabTrace].clamp(cw, ch)
}

// row is step i's line: the cursor and open marks, then the row.
func (t *traceState) row(i int, selected bool) string {
	mark := " ▸ "
	if t.isOpen(i) {
		mark = " ▾ "
	}
	if i == t.cursor {
		mark = "›" + mark[1:]
	}
	if selected {
		return mark + t.rows[i].sel
	}
	return mark + t.rows[i].text
}

func (t *traceState) cursorOver() map[int]string {
	return map[int]string{t.lineOf[t.cursor]: t.row(t.cursor, true)}
}

// moveCursor puts the cursor on step to, rewriting only the two rows
// concerned.
func (m *Model) moveCursor(to int) {
	t := &m.trace
	to = min(max(to, 0), len(t.rows)-1)
	if to == t.cursor || len(t.lineOf) != len(t.rows) {
		return
	}
	p := &m.pages[tabTrace]
	lines := slices.Clone(p.lines)
	from := t.cursor
	t.cursor = to
	lines[t.lineOf[from]] = t.row(from, false)
	lines[t.lineOf[to]] = t.row(to, false)
	p.lines, p.over = lines, t.cursorOver()
}

func (t *traceState) isOpen(i int) bool { return i < len(t.open) && t.open[i] }

func (t *traceState) detailOf(i int) []string {
	if i < len(t.detail) {
		return t.detail[i]
	}
	return nil
}

// traceKey moves the cursor (up/down by step, home/end) or scrolls (pages),
// and opens or closes the step under the cursor (enter).
func (m Model) traceKey(k tea.KeyPressMsg) (Model, tea.Cmd) {
	km := m.keys
	cw, ch := m.contentSize()
	p := &m.pages[tabTrace]
	cursor := m.trace.cursor
	switch {
	case key.Matches(k, km.Down):
		cursor++
	case key.Matches(k, km.Up):
		cursor--
	case key.Matches(k, km.Top):
		cursor = 0
	case key.Matches(k, km.Bottom):
		cursor = len(m.trace.rows) - 1
	case key.Matches(k, km.PageDown):
		p.down(ch, cw, ch)
		return m, nil
	case key.Matches(k, km.PageUp):
		p.up(ch, cw)
		return m, nil
	case key.Matches(k, km.HalfDown):
		p.down(max(1, ch/2), cw, ch)
		return m, nil
	case key.Matches(k, km.HalfUp):
		p.up(max(1, ch/2), cw)
		return m, nil
	case key.Matches(k, km.Expand):
		return m, m.toggleStep()
	}
	m.moveCursor(cursor)
	p.show(m.trace.lineOf[m.trace.cursor], 0, cw, ch)
	return m, nil
}

// toggleStep opens or closes the step under the cursor; opening it the first
// time formats its input and output in a command.
func (m *Model) toggleStep() tea.Cmd {
	t := &m.trace
	i := t.cursor
	open := slices.Clone(t.open)
	for len(open) < len(t.rows) {
		open = append(open, false)
	}
	open[i] = !open[i]
	t.open = open
	m.assembleTrace()
	if !open[i] || t.detailOf(i) != nil || m.run == nil || i >= len(m.run.Steps) {
		return nil
	}
	gen, step, st := t.gen, m.run.Steps[i], m.common.Styles
	return func() tea.Msg { return stepReady{gen: gen, step: i, lines: stepDetail(st, step)} }
}

// stepReady carries a step's formatted input and output.
type stepReady struct {
	gen, step int
	lines     []string
}

func (m *Model) stepReady(r stepReady) {
	t := &m.trace
	if r.gen != t.gen || r.step >= len(t.rows) {
		return
	}
	detail := slices.Clone(t.detail)
	for len(detail) < len(t.rows) {
		detail = append(detail, nil)
	}
	detail[r.step] = r.lines
	t.detail = detail
	m.assembleTrace()
}

// stepDetail formats a step's input, output and error, indented under its row.
func stepDetail(st *theme.Styles, s fnf.Step) []string {
	var out []string
	section := func(title, raw string) {
		if strings.TrimSpace(raw) == "" {
			return
		}
		out = append(out, "    "+st.Muted.Render(title))
		var lines []string
		if pretty, err := render.PrettyJSON([]byte(raw)); err == nil {
			lines = strings.Split(render.HighlightJSON(st, sanitize.JSON(pretty)), "\n")
		} else {
			lines = strings.Split(strings.ReplaceAll(sanitize.Text(raw), "\t", "    "), "\n")
		}
		for _, l := range chunked(lines, nil).lines {
			out = append(out, "      "+l)
		}
	}
	section("input", s.Input)
	section("output", s.Output)
	if s.Error != "" {
		out = append(out, "    "+st.Muted.Render("error"))
		for _, l := range strings.Split(sanitize.Text(s.Error), "\n") {
			out = append(out, "      "+st.Failure.Render(l))
		}
	}
	if len(out) == 0 {
		out = append(out, "    "+st.Muted.Render("no input or output recorded"))
	}
	return out
}
