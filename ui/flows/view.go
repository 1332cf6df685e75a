package flows

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/theme"
)

const (
	markWidth   = 3 // the mode mark at the end of a row
	maxErrLines = 2 // lines of a selected invalid flow's error under its row
	errIndent   = "    "
)

// View draws the pane at exactly the size given to SetSize. Only the rows on
// screen are rendered.
func (m Model) View() string {
	title := "Flows"
	if m.loaded && m.err == nil {
		title += " · " + strconv.Itoa(len(m.flows))
	}
	if m.loading && len(m.flows) > 0 && m.err == nil {
		title += " " + m.spin.View()
	}
	return common.Frame(m.common.Styles, title, m.footer(), m.body(), m.width, m.height, m.Focused())
}

func (m Model) inner() (w, h int) { return max(0, m.width-2), max(0, m.height-2) }

// showsFilter says whether the first body line is the filter.
func (m Model) showsFilter() bool { return m.filtering || m.filter != "" }

// listHeight is how many body lines the rows get.
func (m Model) listHeight() int {
	_, h := m.inner()
	if m.showsFilter() {
		h--
	}
	return max(0, h)
}

// errExtra is how many lines the selected flow's error takes under its row.
func (m Model) errExtra() int {
	if m.cursor >= len(m.visible) {
		return 0
	}
	e := m.rows[m.visible[m.cursor]].err
	if e == "" {
		return 0
	}
	w, _ := m.inner()
	return min(maxErrLines, strings.Count(ansi.Wrap(e, max(1, w-len(errIndent)), ""), "\n")+1)
}

// ensureVisible scrolls so the cursor's row (and its error lines) is on
// screen, and no further than needed.
func (m *Model) ensureVisible() {
	h := m.listHeight()
	if h <= 0 {
		m.offset = 0
		return
	}
	lo := m.cursor + 1 + m.errExtra() - h // the least offset showing the cursor
	m.offset = max(lo, min(m.offset, m.cursor))
	m.offset = max(0, min(m.offset, max(len(m.visible)-h, lo)))
}

// wrapErr wraps the load error to the width, once per error and size.
func (m *Model) wrapErr() {
	w, _ := m.inner()
	m.errLines = common.ErrorLines(m.err, w)
}

func (m Model) body() string {
	st := &m.common.Styles.Paint
	w, h := m.inner()
	if h <= 0 || w <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow((w + 32) * h)
	switch {
	case m.loading && (len(m.flows) == 0 || m.err != nil):
		b.WriteString(st.Accent.Render(m.spin.View()) + st.Muted.Render(" loading flows…"))
		return b.String()
	case m.err != nil:
		for i, l := range m.errLines {
			if i >= h-2 {
				break
			}
			b.WriteString(st.Failure.Render(l))
			b.WriteByte('\n')
		}
		b.WriteByte('\n')
		b.WriteString(st.Muted.Render(m.keys.Reload.Help().Key + " to retry"))
		return b.String()
	}
	if m.showsFilter() {
		m.writeFilter(&b, st)
		b.WriteByte('\n')
	}
	switch {
	case !m.loaded:
		return b.String()
	case len(m.flows) == 0:
		b.WriteString(st.Muted.Render("no flows"))
		return b.String()
	case m.q.bad != "":
		b.WriteString(st.Warning.Render(m.q.bad))
		return b.String()
	case len(m.visible) == 0:
		b.WriteString(st.Muted.Render("no flow matches"))
		return b.String()
	}
	lines := 0
	for i := m.offset; i < len(m.visible) && lines < m.listHeight(); i++ {
		if lines > 0 {
			b.WriteByte('\n')
		}
		r := m.rows[m.visible[i]]
		m.writeRow(&b, st, r, i == m.cursor, w)
		lines++
		if i == m.cursor && r.err != "" {
			errLines := strings.Split(ansi.Wrap(r.err, max(1, w-len(errIndent)), ""), "\n")
			for j := 0; j < m.errExtra() && lines < m.listHeight(); j++ {
				l := errLines[j]
				if j == maxErrLines-1 && len(errLines) > maxErrLines {
					l = ansi.Truncate(l, max(1, w-len(errIndent)-1), "") + "…"
				}
				b.WriteByte('\n')
				b.WriteString(errIndent + st.Failure.Render(l))
				lines++
			}
		}
	}
	return b.String()
}

// writeFilter writes the filter line: "/ text" with a cursor while typing.
func (m Model) writeFilter(b *strings.Builder, st *theme.Paints) {
	text := sanitize.Line(m.filter)
	if !m.filtering {
		b.WriteString(st.Muted.Render("/ " + text))
		return
	}
	b.WriteString(st.Accent.Render("/") + " " + text + st.Match.Render(" "))
	if m.filter == "" {
		b.WriteString(st.Subtle.Render(" fuzzy, or mode:std/exp"))
	}
}

// writeRow writes one flow: "> name description  std", exactly w cells wide.
// The mark says the mode: std (Standard, legacy FDL flows too; accented, as
// its runs go on after the call) or exp (Express), ✗ a flow that does not
// load.
func (m Model) writeRow(b *strings.Builder, st *theme.Paints, r row, selected bool, w int) {
	nameMax := max(1, w-3-markWidth)
	name, nw := common.Truncate(r.name, nameMax)
	rest := nameMax - nw
	desc := ""
	if r.desc != "" && rest >= 4 {
		var dw int
		desc, dw = common.Truncate(r.desc, rest-1)
		rest -= 1 + dw
	}
	pad := strings.Repeat(" ", max(0, rest+1))
	mark := modeMarks[r.mode]
	if r.err != "" {
		mark = "  ✗"
	}
	if selected {
		line := "> " + name
		if desc != "" {
			line += " " + desc
		}
		b.WriteString(st.Selected.Render(common.Fit(line+pad+mark, w)))
		return
	}
	b.WriteString("  ")
	m.writeName(b, st, name, r.name)
	if desc != "" {
		b.WriteString(" " + st.Muted.Render(desc))
	}
	b.WriteString(pad)
	switch {
	case r.err != "":
		b.WriteString(st.Failure.Render(mark))
	case r.mode == fnf.ModeStandard:
		b.WriteString(st.Accent.Render(mark))
	default:
		b.WriteString(st.Muted.Render(mark))
	}
}

// writeName writes name (full, cut to fit) with the runes the filter matched
// in full highlighted.
func (m Model) writeName(b *strings.Builder, st *theme.Paints, name, full string) {
	if len(m.q.pat) == 0 {
		b.WriteString(name)
		return
	}
	_, pos, _ := match(m.q.pat, full)
	if pos == 0 {
		b.WriteString(name)
		return
	}
	i, start, on := 0, 0, false
	flush := func(end int) {
		if on {
			b.WriteString(st.Match.Render(name[start:end]))
		} else {
			b.WriteString(name[start:end])
		}
		start = end
	}
	for bi := range name {
		hit := i < 64 && pos&(1<<i) != 0
		if hit != on {
			flush(bi)
			on = hit
		}
		i++
	}
	flush(len(name))
}

// footer shows the position in the list and the filter.
func (m Model) footer() string {
	if m.err != nil || !m.loaded || len(m.flows) == 0 {
		return ""
	}
	pos := "0"
	if len(m.visible) > 0 {
		pos = strconv.Itoa(m.cursor + 1)
	}
	f := pos + "/" + strconv.Itoa(len(m.visible))
	if m.filter != "" {
		f += " · /" + sanitize.Line(m.filter)
	}
	return f
}

// ShortHelp is the footer's help while the pane is focused.
func (m Model) ShortHelp() []key.Binding {
	k := m.keys
	if m.filtering {
		return []key.Binding{k.AcceptFilter, k.ClearFilter}
	}
	if m.err != nil {
		return []key.Binding{k.Reload}
	}
	if m.filter != "" {
		return []key.Binding{k.Choose, k.Filter, k.ClearFilter}
	}
	return []key.Binding{k.Choose, k.Filter, k.Reload}
}

// FullHelp is the pane's part of the ? help.
func (m Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Choose, k.Filter, k.ClearFilter, k.Reload},
		{k.AcceptFilter, k.DeleteChar, k.ClearText},
	}
}
