package runs

import (
	"strconv"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/theme"
)

const (
	pinMark  = "📌"
	pinWidth = 2
)

// View draws the pane at exactly the size given to SetSize. Only the rows on
// screen are rendered.
func (m Model) View() string {
	title := "Runs"
	if m.flow != "" {
		title += " · " + sanitize.Line(m.flow)
	}
	return common.Frame(m.common.Styles, title, m.footer(), m.body(), m.width, m.height, m.Focused())
}

func (m Model) inner() (w, h int) { return max(0, m.width-2), max(0, m.height-2) }

func (m Model) listHeight() int { _, h := m.inner(); return h }

// wrapErr wraps the load error to the width, once per error and size.
func (m *Model) wrapErr() {
	w, _ := m.inner()
	m.errLines = common.ErrorLines(m.err, w)
}

// footer is the filter applied (or why the one typed is refused) and the
// cursor's row.
func (m Model) footer() string {
	var parts []string
	switch {
	case m.filtering && m.filterErr != "":
		parts = append(parts, m.common.Styles.Failure.Render(sanitize.Line(m.filterErr)))
	case m.querying:
		parts = append(parts, "filtering…")
	case m.applied != "":
		parts = append(parts, "/"+sanitize.Line(m.applied)) // the key hints say how to clear it
	}
	if !m.loading && m.err == nil && m.Len() > 0 {
		more := ""
		if m.svc.on && m.svc.next != "" {
			more = "+" // the service has more pages
		}
		parts = append(parts, strconv.Itoa(m.cursor+1)+"/"+strconv.Itoa(m.Len())+more)
	}
	if m.svc.off != "" && !m.filtering {
		parts = append(parts, "history only ("+m.svc.off+")")
	}
	return strings.Join(parts, " · ")
}

// filterLine is the filter being typed, with its cursor.
func (m Model) filterLine(st *theme.Paints, w int) string {
	text := sanitize.Line(m.filterText)
	if text == "" {
		return st.Accent.Render("/") + st.Match.Render(" ") + st.Muted.Render(common.Fit(" status:failed since:2h words", max(0, w-2)))
	}
	room := max(1, w-2)
	if tw := ansi.StringWidth(text); tw > room {
		text = ansi.TruncateLeft(text, tw-room, "")
	}
	return st.Accent.Render("/") + st.Text.Render(text) + st.Match.Render(" ")
}

// message is a muted note wrapped to the width.
func (m Model) message(st *theme.Paints, text string, w int) string {
	lines := strings.Split(ansi.Wrap(text, max(1, w), ""), "\n")
	for i, l := range lines {
		lines[i] = st.Muted.Render(l)
	}
	return strings.Join(lines, "\n")
}

func (m Model) body() string {
	st := &m.common.Styles.Paint
	w, h := m.inner()
	if last := m.lastLine(st, w); last != "" && h > 1 {
		// The last row is the filter line, or why the service's list failed;
		// the rows above keep the cursor.
		list := m
		list.filtering, list.svc.err = false, nil
		list.height--
		list.ensureVisible()
		rows := list.body()
		n := strings.Count(rows, "\n") + 1
		return rows + strings.Repeat("\n", max(0, h-1-n)) + "\n" + last
	}
	switch {
	case w <= 0 || h <= 0:
		return ""
	case m.flow == "":
		return m.message(st, "select a flow", w)
	case m.loading:
		return m.message(st, "loading runs…", w)
	case m.err != nil:
		lines := make([]string, 0, h)
		for _, l := range m.errLines[:min(len(m.errLines), h)] {
			lines = append(lines, st.Failure.Render(l))
		}
		return strings.Join(lines, "\n")
	case m.Len() == 0 && m.applied != "":
		return m.message(st, "no run matches /"+sanitize.Line(m.applied)+" — "+m.keys.ClearFilter.Help().Key+" clears the filter", w)
	case m.Len() == 0:
		return m.message(st, "no runs yet — "+m.common.Keys.Run.Help().Key+" runs the flow", w)
	}

	// Column widths hold still while scrolling: the time column is as wide
	// as the oldest run needs (the last row), the duration column as the
	// longest duration the format writes. A narrow pane shows only the day
	// of runs before today, and a one-cell gutter if need be.
	end := min(m.offset+h, m.Len())
	now := m.common.Now()
	durW, anyPin, pinW := maxDurationWidth, false, 0
	for i := m.offset; i < end; i++ {
		v := m.at(i)
		durW = max(durW, len(m.duration(v, now)))
		anyPin = anyPin || m.pinned(v)
	}
	if anyPin {
		pinW = 1 + pinWidth
	}
	if m.marked() {
		pinW += 1 + len(markBoth)
	}
	oldest := m.at(m.Len() - 1)
	// With origin marks, the time shortens before the names do.
	nameMin := 0
	if m.marked() {
		nameMin = 1 + 12
	}
	compact := 2+len(stamp(oldest, now, false))+3+durW+pinW+nameMin > w
	timeW := len(stamp(oldest, now, compact))
	times := make([]string, 0, end-m.offset)
	for i := m.offset; i < end; i++ {
		t := stamp(m.at(i), now, compact)
		times = append(times, t)
		timeW = max(timeW, len(t))
	}
	gutter := 2
	if 2+timeW+3+durW+pinW > w {
		gutter = 1
	}
	var b strings.Builder
	b.Grow((w + 64) * (end - m.offset))
	for i := m.offset; i < end; i++ {
		if i > m.offset {
			b.WriteByte('\n')
		}
		v := m.at(i)
		mark := ""
		if m.marked() {
			mark = m.mark(v)
		}
		m.writeRow(&b, st, v, rowCols{at: times[i-m.offset], mark: mark, dur: m.duration(v, now)}, i == m.cursor, w, gutter, timeW, durW, anyPin)
	}
	return b.String()
}

// rowCols is the text of a row's columns: its time, origin mark ("" when
// the list has no marks) and duration.
type rowCols struct{ at, mark, dur string }

// writeRow writes one run: "> 15:04:05 hs ✓ 132 ms 📌 name".
func (m Model) writeRow(b *strings.Builder, st *theme.Paints, v *msgs.RunView, c rowCols, selected bool, w, gutter, timeW, durW int, anyPin bool) {
	icon := theme.StatusIcon(v.Status)
	at, dur := c.at, c.dur
	pin := ""
	if anyPin {
		pin = "  "
		if m.pinned(v) {
			pin = pinMark
		}
	}
	used := gutter + timeW + 3 + durW
	if anyPin {
		used += 1 + pinWidth
	}
	mark := ""
	if c.mark != "" {
		used += 1 + len(c.mark)
		mark = " " + c.mark
	}
	name := ""
	if room := w - used - 1; room >= 3 {
		name, _ = common.Truncate(sanitize.Line(shortName(v)), room)
	}
	lead := "  "[:gutter]
	if selected {
		lead = "> "[:gutter]
	}
	pad := func(s string, n int) string { return s + strings.Repeat(" ", max(0, n-len(s))) }
	if selected {
		line := lead + pad(at, timeW) + mark + " " + icon + " " + strings.Repeat(" ", durW-len(dur)) + dur
		if anyPin {
			line += " " + pin
		}
		if name != "" {
			line += " " + name
		}
		b.WriteString(st.Selected.Render(common.Fit(line, w)))
		return
	}
	b.WriteString(lead)
	b.WriteString(st.Muted.Render(pad(at, timeW) + mark))
	b.WriteString(" " + st.Status(v.Status).Render(icon) + " ")
	b.WriteString(strings.Repeat(" ", durW-len(dur)) + dur)
	if anyPin && pin == pinMark {
		b.WriteString(" " + st.Accent.Render(pin))
	} else if anyPin {
		b.WriteString(" " + pin)
	}
	if name != "" {
		b.WriteString(" " + name)
	}
}

// lastLine is the line below the rows: the filter being typed, else why
// the service's executions could not be listed (the history's rows stay).
func (m Model) lastLine(st *theme.Paints, w int) string {
	switch {
	case m.filtering:
		return m.filterLine(st, w)
	case m.svc.err != nil && m.flow != "" && !m.loading && m.err == nil:
		line, _ := common.Truncate("service: "+sanitize.Line(m.svc.err.Error()), w)
		return st.Failure.Render(line)
	}
	return ""
}

// duration is formatDuration, with a running execution's time so far.
func duration(v *msgs.RunView, now time.Time) string {
	if v.Status.Terminal() || v.StartedTime.IsZero() || !v.StoppedTime.IsZero() {
		return formatDuration(v)
	}
	w := *v
	w.StoppedTime = now.UTC()
	return formatDuration(&w)
}

// maxDurationWidth is the width of the longest duration formatDuration
// writes below 100 hours ("999 ms", "59m59s").
const maxDurationWidth = 6

// stamp is when the run started, as every pane shows a time (common.When;
// the day alone when compact).
func stamp(v *msgs.RunView, now time.Time, compact bool) string {
	t := v.At()
	switch {
	case t.IsZero():
		return "--:--:--"
	case compact:
		return common.WhenShort(t, now)
	}
	return common.When(t, now)
}

// formatDuration is the server's duration when known, else the client's
// latency: "132 ms", "2.4 s", "42 s", "3m05s", "1h02m".
func formatDuration(v *msgs.RunView) string {
	d, ok := v.ServerDuration()
	if !ok {
		d = v.Latency
	}
	switch {
	case ok && d == 0:
		return "<1 ms" // the service's times have millisecond precision
	case d <= 0:
		return "-"
	case d < time.Millisecond:
		return "<1 ms"
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	case d < 10*time.Second:
		return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
	case d < time.Minute:
		return strconv.FormatInt(int64(d/time.Second), 10) + " s"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "m" + two(int(d%time.Minute/time.Second)) + "s"
	}
	return strconv.Itoa(int(d/time.Hour)) + "h" + two(int(d%time.Hour/time.Minute)) + "m"
}

func two(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// shortName is the run's name without the ":<UUID>" the service appends.
func shortName(v *msgs.RunView) string { return v.ShortName() }

// ShortHelp is the footer's help while the pane is focused.
func (m Model) ShortHelp() []key.Binding {
	k := m.keys
	switch {
	case m.filtering:
		return []key.Binding{k.AcceptFilter, k.ClearFilter}
	case m.applied != "":
		return []key.Binding{k.Open, k.Filter, k.ClearFilter, k.Diff, k.Pin}
	}
	return []key.Binding{k.Open, k.Filter, k.LoadInput, k.Diff, k.Pin}
}

// FullHelp is the pane's part of the ? help.
func (m Model) FullHelp() [][]key.Binding {
	k := m.keys
	return [][]key.Binding{
		{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
		{k.Open, k.LoadInput, k.Diff, k.Pin},
		{k.Filter, k.ClearFilter},
	}
}
