package result

import (
	"strconv"
	"strings"

	"charm.land/bubbles/v2/key"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/common"
)

// View draws the pane at exactly the size given to SetSize: the title with
// the run's status and duration, the tab bar, the tab, and the input being
// typed. It lays out cached lines; only the lines shown are wrapped.
func (m Model) View() string {
	cw, ch := m.contentSize()
	body := make([]string, 0, ch+2)
	body = append(body, m.tabBar())
	body = append(body, m.content(cw, ch)...)
	if m.Capturing() {
		for len(body) < ch+1 {
			body = append(body, "")
		}
		if m.find.typing {
			body = append(body, m.find.input.view(m.common.Styles, cw))
		} else {
			body = append(body, m.jq.input.view(m.common.Styles, cw))
		}
	}
	return common.Frame(m.common.Styles, m.title(), m.footer(), strings.Join(body, "\n"), m.width, m.height, m.Focused())
}

func (m *Model) title() string { return m.runTitle() }

// tabBar names each tab after the key that selects it ("1 Output"); when
// the names do not fit, the other tabs show only their key.
func (m *Model) tabBar() string {
	st := m.common.Styles
	cw, _ := m.contentSize()
	tabs := m.tabs()
	label := func(t tabID, short bool) string {
		k := m.tabKey(t)
		switch {
		case k == "":
			return t.String()
		case short && t != m.tab:
			return k
		}
		return k + " " + t.String()
	}
	for _, short := range []bool{false, true} {
		var b strings.Builder
		width := 0
		for _, t := range tabs {
			s := label(t, short)
			width += ansi.StringWidth(s) + st.Tab.GetHorizontalFrameSize()
			if t == m.tab {
				b.WriteString(st.ActiveTab.Render(s))
			} else {
				b.WriteString(st.Tab.Render(s))
			}
		}
		if width <= cw || short {
			return b.String()
		}
	}
	return ""
}

// tabKey is the first key that selects tab t, as its help shows it.
func (m *Model) tabKey(t tabID) string {
	km := m.keys
	b := [...]key.Binding{tabOutput: km.Output, tabError: km.Error, tabTiming: km.Timing,
		tabTrace: km.Trace, tabDefinition: km.Definition, tabDiff: km.Diff}[t]
	if !b.Enabled() {
		return ""
	}
	return sanitize.Line(b.Help().Key)
}

// content is the rows of the current tab.
func (m *Model) content(cw, ch int) []string {
	st := m.common.Styles
	runTab := m.tab != tabDefinition && m.tab != tabDiff
	switch {
	case m.tab == tabTrace && m.trace.tl != nil:
		return m.traceContent(cw, ch)
	case runTab && m.inflight != 0:
		flow := ""
		if m.flow != "" {
			flow = " " + sanitize.Line(m.flow)
		}
		hint := ""
		if m.stopHint != "" {
			hint = " · " + sanitize.Line(m.stopHint)
		}
		return []string{m.spin.View() + st.Text.Render(" running"+flow) + st.Muted.Render(hint)}
	case runTab && m.notice != "":
		return []string{st.Warning.Render(m.notice)}
	case runTab && m.run == nil:
		return []string{
			st.Muted.Render("No run yet: " + m.common.Keys.Run.Help().Key + " runs the selected flow."),
			st.Muted.Render("Past runs open from the Runs pane."),
		}
	case m.tab == tabDefinition && m.def.name == "" && m.busy[tabDefinition] == 0:
		return []string{st.Muted.Render("No flow selected.")}
	case m.busy[m.tab] != 0 || m.tab == tabOutput && m.jq.seq != 0:
		return []string{st.Muted.Render("formatting…")}
	}
	p := m.pager()
	if m.tab == tabDefinition && m.defOther != "" && ch > 1 {
		// The run's flow is not at hand: say whose definition this is.
		note := st.Warning.Render("the definition of " + sanitize.Line(m.def.name) + ", the flow selected; the run shown is of " + sanitize.Line(m.defOther))
		return append([]string{note}, p.view(cw, ch-1, func(s string) string { return st.Subtle.Render(s) })...)
	}
	return p.view(cw, ch, func(s string) string { return st.Subtle.Render(s) })
}

// footer says what the tab holds and where the window is: the kind and size
// of the output, the jq filter, the search and its hits, the line shown.
func (m *Model) footer() string {
	p := m.pager()
	var parts []string
	if p.query != "" || m.find.typing && m.find.input.Value() != "" {
		q := "/" + sanitize.Line(p.query)
		switch {
		case m.find.typing && p.query != m.find.input.Value():
			q = "/" + sanitize.Line(m.find.input.Value()) + " …"
		case len(p.matches) == 0:
			q += " no match"
		case len(p.matches) >= maxMatches:
			q += " " + strconv.Itoa(p.cur+1) + "/" + strconv.Itoa(maxMatches) + "+"
		default:
			q += " " + strconv.Itoa(p.cur+1) + "/" + strconv.Itoa(len(p.matches))
		}
		parts = append(parts, q)
	}
	runTab := m.tab != tabDefinition && m.tab != tabDiff
	if m.tab == tabTrace && m.trace.tl != nil && !m.trace.open {
		v := &m.trace.view
		parts = append(parts, m.kind[tabTrace], "row "+strconv.Itoa(v.Cursor+1)+"/"+strconv.Itoa(len(v.Lines)))
		return strings.Join(parts, " · ")
	}
	if runTab && (m.run == nil || m.inflight != 0) && !(m.tab == tabTrace && m.trace.open) {
		return strings.Join(parts, " · ")
	}
	if m.tab == tabDefinition && m.def.name != "" {
		parts = append(parts, sanitize.Line(m.def.name)) // whose definition it is
	}
	if m.tab == tabOutput {
		switch {
		case m.jq.seq != 0:
			parts = append(parts, "jq running…")
		case m.jq.filter != "":
			parts = append(parts, "jq "+sanitize.Line(m.jq.filter)+" · esc clears")
		}
	}
	if k := m.kind[m.tab]; k != "" && !(m.tab == tabOutput && m.jq.filter != "") {
		parts = append(parts, k)
	}
	if _, ch := m.contentSize(); p.len() > ch {
		pos := p.position()
		parts = append(parts, "ln "+pos)
	}
	return strings.Join(parts, " · ")
}

// traceContent is the Trace tab with a timeline: its rows, or the detail of
// the row opened under a line naming it.
func (m *Model) traceContent(cw, ch int) []string {
	st := m.common.Styles
	if !m.trace.open {
		return m.traceRows(cw, ch)
	}
	out := []string{st.Accent.Render(fit(m.trace.header, cw))}
	if m.trace.busy != 0 && m.trace.page.len() == 0 {
		return append(out, st.Muted.Render("formatting…"))
	}
	return append(out, m.trace.page.view(cw, ch, func(s string) string { return st.Subtle.Render(s) })...)
}
