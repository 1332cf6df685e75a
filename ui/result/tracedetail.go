package result

import (
	"strconv"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/theme"
	"github.com/flowtui/flowtui/ui/timeline"
)

// openDetail shows the input, output and events of the row under the
// cursor, formatted in a command.
func (m *Model) openDetail() tea.Cmd {
	r := m.trace.view.Row()
	if r < 0 {
		return nil
	}
	m.trace.open, m.trace.page = true, pager{}
	m.find.typing, m.find.seq = false, 0
	return m.formatDetail(r, false)
}

// formatDetail formats row r's detail in a command, from a copy of what it
// needs; again (a live row that changed) keeps the page on screen until the
// new one comes, and its scroll position.
func (m *Model) formatDetail(r int, again bool) tea.Cmd {
	t := &m.trace
	visit := t.tl.Visit(r)
	t.row, t.header = r, summary(visit)
	m.seq++
	seq, gen, st := m.seq, t.gen, m.common.Styles
	t.busy = seq
	return func() tea.Msg { return detailReady{seq: seq, gen: gen, again: again, page: detailPage(st, visit)} }
}

func (m *Model) closeDetail() {
	t := &m.trace
	t.open, t.busy, t.page = false, 0, pager{}
	m.find.typing, m.find.seq = false, 0
}

// detailReady carries a row's formatted detail.
type detailReady struct {
	seq, gen int
	again    bool // the row was open already: keep where it was scrolled to
	page     pager
}

func (m *Model) detailReady(r detailReady) tea.Cmd {
	t := &m.trace
	if r.gen != t.gen || r.seq != t.busy || !t.open {
		return nil
	}
	if r.again {
		r.page.top, r.page.sub = t.page.top, t.page.sub
		if t.page.query != "" {
			m.find.seq = 0 // the search was of the old page
		}
	}
	t.busy, t.page = 0, r.page
	cw, ch := m.contentSize()
	t.page.clamp(cw, ch-1)
	return nil
}

// summary is the line above a row's detail: what it is and how it went.
func summary(v timeline.Visit) string {
	r := v.Row
	parts := []string{sanitize.Line(v.Label)}
	if r.Type != "" {
		parts = append(parts, sanitize.Line(r.Type))
	}
	parts = append(parts, "try "+strconv.Itoa(r.Attempt), r.Outcome.String(), "+"+common.Duration(r.Start))
	if r.Ended {
		parts = append(parts, common.Duration(r.Duration))
	}
	if r.Failing {
		parts = append(parts, "ended the run")
	}
	return strings.Join(parts, " · ")
}

// detailPage formats a row's detail as the Output tab formats an output:
// JSON pretty-printed and highlighted, any text sanitised; plain lines for
// search beside the styled ones.
func detailPage(st *theme.Styles, v timeline.Visit) pager {
	var lines, plain []string
	add := func(styled, raw string) { lines, plain = append(lines, styled), append(plain, raw) }
	for _, s := range v.Sections() {
		title := sanitize.Line(s.Title)
		if s.HasAt {
			title += " · +" + common.Duration(s.At)
		}
		if s.Body == "" {
			add(st.Accent.Render(title), title)
			continue
		}
		add(st.Muted.Render("  "+title), "  "+title)
		body := formatBody(st, s)
		for i := range body.lines {
			add("    "+body.lines[i], "    "+body.plainText(i))
		}
	}
	if len(lines) == 0 {
		return textPager(st.Muted.Render("no input or output recorded"))
	}
	return chunked(lines, plain)
}

// formatBody pretty-prints a section's body as the Output tab does.
func formatBody(st *theme.Styles, s timeline.Section) pager {
	if s.Error {
		text := sanitize.Text(s.Body)
		var styled []string
		for _, l := range strings.Split(text, "\n") {
			styled = append(styled, st.Failure.Render(l))
		}
		return pager{lines: styled, plain: strings.Split(text, "\n")}
	}
	if s.JSON {
		return outputPage(st, s.Body).page
	}
	return textPager(strings.Split(strings.ReplaceAll(sanitize.Text(s.Body), "\t", "    "), "\n")...)
}
