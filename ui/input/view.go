package input

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/theme"
)

// View draws the pane at exactly the size given to SetSize. It draws only
// the visible lines, and every character of the text goes through unit, which
// shows control characters, bidi controls and invalid UTF-8 escaped: a past
// run's input never reaches the terminal raw.
func (m Model) View() string {
	iw, ih := m.width-2, m.height-2
	return common.Frame(m.common.Styles, m.title(), m.footer(iw), m.body(iw, ih), m.width, m.height, m.Focused())
}

func (m Model) title() string {
	t := "Input"
	if m.flow != "" {
		t += " · " + sanitize.Line(m.flow)
	}
	if m.testCase != "" {
		t += " · test case " + sanitize.Line(m.testCase)
	}
	if m.note != "" && m.common.Now().Before(m.noteUntil) {
		t += " · " + sanitize.Line(m.note)
	}
	return t
}

// footer is "valid · 23 B / 1 MiB", or the first error with its position
// cut so that the size stays in view; the size turns to the warning style
// above the service's limit.
func (m Model) footer(iw int) string {
	st := &m.common.Styles.Paint // split styles: a Render costs a concatenation
	size := formatSize(m.buf.size) + " / " + formatSize(fnf.MaxInputBytes)
	// Frame sets iw-3 cells of text into the border; keep one rule cell after
	// it, and 3 for " · ".
	room := iw - 4 - 3 - ansi.StringWidth(size)
	sizeStyle := st.Muted
	if m.buf.size > fnf.MaxInputBytes {
		sizeStyle = st.Warning
	}
	// While typing, the last verdict stays, faint, until the pause's check:
	// a footer flipping on every key would be noise. A large text, whose
	// check may take a while, says it is being checked.
	valid, invalid := st.Success, st.Failure
	if m.pending {
		valid, invalid = st.Muted, st.Muted
	}
	var status string
	switch {
	case m.pending && m.buf.size > syncBytes:
		status = st.Muted.Render("checking…")
	case m.err == nil:
		status = valid.Render("valid")
	default:
		status = invalid.Render(ansi.Truncate("✗ "+sanitize.Line(describe(m.err)), max(room, 2), "…"))
	}
	return status + st.Muted.Render(" · ") + sizeStyle.Render(size)
}

func (m Model) body(iw, ih int) string {
	if iw < 1 || ih < 1 {
		return ""
	}
	errLine, errCol, hasErr := -1, 0, false
	if !m.pending {
		errLine, errCol, hasErr = errorPos(m.err)
	}
	paints := m.spanPaints()
	var out strings.Builder
	out.Grow(ih * (iw + 32))
	end := min(len(m.buf.lines), m.yoff+ih)
	for r := m.yoff; r < end; r++ {
		if r > m.yoff {
			out.WriteByte('\n')
		}
		line := m.buf.lines[r]
		cur, errOff := -1, -1
		if m.Focused() && r == m.buf.row {
			cur = m.buf.col
		}
		if hasErr && r == errLine {
			errOff = runeOffset(line, errCol)
		}
		m.renderLine(&out, &paints, line, iw, cur, errOff)
	}
	return out.String()
}

// span kinds of a rendered line.
const (
	spanText = iota
	spanEscape
	spanCursor
	spanError
)

// spanPaints are the styles of the text, escapes, cursor and error spans,
// split once per theme (theme.Paint): a Style.Render per span, or even per
// View, was a fifth of a keystroke's cost.
func (m Model) spanPaints() [4]theme.Paint {
	p := &m.common.Styles.Paint
	return [4]theme.Paint{p.Text, p.Warning, p.Match, p.Failure}
}

// renderLine writes the cells [xoff, xoff+iw) of line: cur is the cursor's
// byte offset (-1: none), errOff that of the first JSON error (-1: none).
func (m Model) renderLine(out *strings.Builder, paints *[4]theme.Paint, line string, iw, cur, errOff int) {
	kind := -1
	var span []byte
	flush := func() {
		if kind >= 0 && len(span) > 0 {
			paints[kind].Write(out, span)
		}
		span = span[:0]
	}
	put := func(k int, s string) {
		if k != kind {
			flush()
			kind = k
		}
		span = append(span, s...)
	}
	left, right := m.xoff, m.xoff+iw
	col := 0
	i := 0
	if left > 0 { // skip what is left of the window, plain ASCII in bulk
		for i < len(line) && col < left {
			if k := asciiRun(line, i, i+left-col); k > i {
				i, col = k, col+k-i
				continue
			}
			n, w, _, _ := unit(line, i, col)
			if col+w > left {
				break
			}
			i, col = i+n, col+w
		}
	}
	for i < len(line) && col < right {
		n, w, shown, esc := unit(line, i, col)
		if col+w <= left {
			i, col = i+n, col+w
			continue
		}
		k := spanText
		switch {
		case cur >= i && cur < i+n:
			k = spanCursor
		case errOff >= i && errOff < i+n:
			k = spanError
		case esc:
			k = spanEscape
		}
		text := line[i : i+n]
		if shown != "" {
			text = shown
		}
		if col < left || col+w > right { // cut by an edge of the window
			from, to := max(left-col, 0), min(right-col, w)
			if shown != "" && len(shown) == w {
				text = shown[from:to]
			} else {
				text = blanks[:to-from]
			}
		}
		put(k, text)
		i, col = i+n, col+w
	}
	if cur == len(line) && col >= left && col < right {
		put(spanCursor, " ")
	}
	flush()
}

// runeOffset is the byte offset of rune k of line (invalid bytes count as one
// rune each, as fnf.LineColumn counts them).
func runeOffset(line string, k int) int {
	i := 0
	for ; k > 0 && i < len(line); k-- {
		_, n := utf8.DecodeRuneInString(line[i:])
		i += n
	}
	return i
}
