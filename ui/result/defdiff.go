package result

import (
	"fmt"
	"maps"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/render"
	"github.com/flowtui/flowtui/ui/theme"
)

// defState is the flow whose definition the Definition tab shows.
type defState struct {
	name string
	raw  string
}

// knowFlows keeps the flows listed or described, so that the Definition tab
// can show the flow of the run shown while another flow is selected. A new
// list replaces the flows known (a flow gone is no longer at hand).
func (m *Model) knowFlows(fl []fnf.Flow, list bool) {
	known := make(map[string]fnf.Flow, max(len(fl), len(m.known))) // earlier copies of the model share the old map
	if !list {
		maps.Copy(known, m.known)
	}
	for _, f := range fl {
		if old, ok := m.known[f.Name]; ok && f.Definition == "" && f.Error == "" && old.Definition != "" {
			f = old // a list entry without the definition a describe brought
		}
		known[f.Name] = f
	}
	m.known = known
}

// subject is the flow the pane's run is of: the run in flight, stopped or
// shown; "" when the pane shows no run.
func (m *Model) subject() string {
	switch {
	case m.inflight != 0 || m.stopped || m.notSent:
		return m.flow
	case m.run != nil:
		return m.run.FlowName
	}
	return ""
}

// followDef shows in the Definition tab the definition of the flow the
// Result is about: the run's flow when a run is shown and its definition is
// at hand (listed or described), else the selected flow's; defOther then
// names the run's flow, so the tab says plainly it shows another one.
func (m *Model) followDef() tea.Cmd {
	f, err := m.sel, m.selErr
	m.defOther = ""
	if s := m.subject(); s != "" && s != m.sel.Name {
		if k, ok := m.known[s]; ok && (k.Definition != "" || k.Error != "") {
			f, err = k, nil
		} else {
			m.defOther = s
		}
	}
	if f.Name == "" && err == nil {
		return nil
	}
	return m.setFlow(f, err)
}

// setFlow shows a flow's definition: from the selected flow when the list
// carries it, else from DescribeFlow's answer.
func (m *Model) setFlow(f fnf.Flow, err error) tea.Cmd {
	st := m.common.Styles
	name := sanitize.Line(f.Name)
	switch {
	case err != nil:
		m.def = defState{name: f.Name}
		m.busy[tabDefinition] = 0
		m.pages[tabDefinition] = pager{lines: splitLines([]string{
			st.Failure.Render("could not describe flow "+name) + st.Muted.Render(": ") + sanitize.Text(err.Error()),
		})}
		return nil
	case f.Definition == "" && f.Error != "":
		// A flow file that does not parse: its problem is the definition's story.
		m.def = defState{name: f.Name}
		m.busy[tabDefinition] = 0
		m.pages[tabDefinition] = pager{lines: splitLines([]string{
			st.Failure.Render(name+" does not load") + st.Muted.Render(":"), sanitize.Text(f.Error),
		})}
		return nil
	case f.Definition == "":
		if f.Name == m.def.name {
			return nil // a list entry without the definition already shown
		}
		m.def = defState{name: f.Name}
		m.busy[tabDefinition] = 0
		m.pages[tabDefinition] = textPager(st.Muted.Render("no definition loaded for " + name))
		return nil
	case f.Name == m.def.name && f.Definition == m.def.raw:
		return nil
	}
	m.def = defState{name: f.Name, raw: f.Definition}
	raw, flowErr := f.Definition, f.Error
	return m.prepare(tabDefinition, func() pageReady { return definitionPage(st, raw, flowErr) })
}

// definitionPage highlights a definition (JSON pretty-printed, else YAML) with
// line numbers; a flow file that did not load shows its error first.
func definitionPage(st *theme.Styles, raw, flowErr string) pageReady {
	var lines []string
	kind := "YAML"
	if t := strings.TrimSpace(raw); strings.HasPrefix(t, "{") {
		if pretty, err := render.PrettyJSON([]byte(t)); err == nil {
			lines, kind = strings.Split(render.HighlightJSON(st, sanitize.JSON(pretty)), "\n"), "JSON"
		}
	}
	if lines == nil {
		text := strings.ReplaceAll(sanitize.Text(strings.TrimRight(raw, "\n")), "\t", "    ")
		lines = strings.Split(render.HighlightYAML(st, text), "\n")
	}
	p := chunked(lines, nil)
	p.numbers = true
	kind = fmt.Sprintf("%s · %d lines", kind, len(lines))
	if flowErr != "" {
		head := splitLines([]string{st.Failure.Render("this flow did not load: ") + sanitize.Text(flowErr), ""})
		p.lines, p.numbers = append(head, p.lines...), false
	}
	return pageReady{page: p, kind: kind}
}

// diffState is the diff of two runs' outputs, once one has arrived.
type diffState struct {
	shown bool
	d     msgs.DiffReady
	split pager // side by side; pages[tabDiff] is the unified diff
}

func (m *Model) setDiff(d msgs.DiffReady) tea.Cmd {
	m.diff = diffState{shown: true, d: d}
	m.tab = tabDiff
	st := m.common.Styles
	return m.prepare(tabDiff, func() pageReady { return diffPage(st, d) })
}

// text is the diff as unified text, for copying.
func (d *diffState) text() string {
	if !d.shown {
		return ""
	}
	if d.d.Err != nil {
		return d.d.Err.Error()
	}
	var b strings.Builder
	for _, l := range d.d.Lines {
		b.WriteString(diffEntry(l, l.Op != '+'))
		if l.Op == '~' {
			b.WriteString(" → " + l.Right)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// diffEntry is one entry as text: its mark, then the path and the value of
// one side for a JSON diff, or the line of one side for a text diff.
func diffEntry(l msgs.DiffLine, left bool) string {
	v := l.Right
	if left {
		v = l.Left
	}
	switch {
	case l.Op == '=':
		return fmt.Sprintf("  … %d unchanged", l.Same)
	case l.Path != "":
		return string(l.Op) + " " + l.Path + ": " + v
	}
	return string(l.Op) + " " + v
}

// diffContext is how many unchanged lines of a text diff are kept around
// each change.
const diffContext = 3

// diffPage lays the diff out twice: unified, and side by side (old values
// on the left, new on the right).
func diffPage(st *theme.Styles, d msgs.DiffReady) pageReady {
	head := st.Accent.Render(sanitize.Line(d.Title))
	if d.Err != nil {
		p := pager{lines: splitLines([]string{head, "", st.Failure.Render(sanitize.Text(d.Err.Error()))})}
		return pageReady{page: p, alt: p}
	}
	if d.Text {
		return textDiffPage(st, head, d.Lines)
	}
	counts := map[byte]int{}
	for _, l := range d.Lines {
		counts[l.Op]++
	}
	summary := fmt.Sprintf("~%d +%d −%d", counts['~'], counts['+'], counts['-'])
	top := head + "  " + st.DiffDel.Render(fmt.Sprintf("~%d", counts['~'])) + " " +
		st.DiffAdd.Render(fmt.Sprintf("+%d", counts['+'])) + " " + st.DiffDel.Render(fmt.Sprintf("−%d", counts['-']))
	uni, left, right := []string{top, ""}, []string{top, ""}, []string{"", ""}
	if counts['~']+counts['+']+counts['-'] == 0 {
		same := 0
		for _, l := range d.Lines {
			same += l.Same
		}
		msg := st.Muted.Render(fmt.Sprintf("no differences · %d values compared by JSON path", same))
		uni, left, right = append(uni, msg), append(left, msg), append(right, "")
	}
	clean := func(l msgs.DiffLine, left bool) string { return sanitize.Line(diffEntry(l, left)) }
	for _, l := range d.Lines {
		switch l.Op {
		case '=':
			s := st.Subtle.Render(clean(l, true))
			uni, left, right = append(uni, s), append(left, s), append(right, "")
		case '~':
			uni = append(uni, st.DiffDel.Render(clean(l, true))+st.Muted.Render(" → ")+st.DiffAdd.Render(sanitize.Line(l.Right)))
			left, right = append(left, st.DiffDel.Render(clean(l, true))), append(right, st.DiffAdd.Render(clean(l, false)))
		case '-':
			s := st.DiffDel.Render(clean(l, true))
			uni, left, right = append(uni, s), append(left, s), append(right, "")
		case '+':
			s := st.DiffAdd.Render(clean(l, false))
			uni, left, right = append(uni, s), append(left, ""), append(right, s)
		}
	}
	return pageReady{page: chunked(uni, nil), alt: pager{lines: left, right: right}, kind: "by JSON path · " + summary}
}

// textDiffPage lays out a line diff, with long runs of unchanged lines
// folded and changed lines paired up side by side.
func textDiffPage(st *theme.Styles, head string, lines []msgs.DiffLine) pageReady {
	adds, dels := 0, 0
	for _, l := range lines {
		switch l.Op {
		case '+':
			adds++
		case '-':
			dels++
		}
	}
	counts := st.DiffAdd.Render(fmt.Sprintf("+%d", adds)) + " " + st.DiffDel.Render(fmt.Sprintf("−%d", dels))
	note := st.Warning.Render("not JSON: compared as text, line by line")
	uni, left, right := []string{head + "  " + counts, note, ""}, []string{head + "  " + counts, note, ""}, []string{"", "", ""}
	if adds+dels == 0 {
		msg := st.Muted.Render(fmt.Sprintf("no differences · %d lines", len(lines)))
		uni, left, right = append(uni, msg), append(left, msg), append(right, "")
	}
	keep := diffKeep(lines)
	clean := func(s string) string { return sanitize.Line(strings.ReplaceAll(s, "\t", "    ")) }
	for i := 0; i < len(lines); {
		if !keep[i] {
			j := i
			for j < len(lines) && !keep[j] {
				j++
			}
			fold := st.Subtle.Render(fmt.Sprintf("  … %d unchanged lines", j-i))
			uni, left, right = append(uni, fold), append(left, fold), append(right, "")
			i = j
			continue
		}
		if lines[i].Op == ' ' {
			s := st.DiffSame.Render("  " + clean(lines[i].Left))
			uni, left, right = append(uni, s), append(left, s), append(right, st.DiffSame.Render("  "+clean(lines[i].Right)))
			i++
			continue
		}
		j := i
		for j < len(lines) && lines[j].Op == '-' {
			j++
		}
		k := j
		for k < len(lines) && lines[k].Op == '+' {
			k++
		}
		for _, l := range lines[i:j] {
			uni = append(uni, st.DiffDel.Render("- "+clean(l.Left)))
		}
		for _, l := range lines[j:k] {
			uni = append(uni, st.DiffAdd.Render("+ "+clean(l.Right)))
		}
		for r := 0; r < max(j-i, k-j); r++ {
			l, rt := "", ""
			if i+r < j {
				l = st.DiffDel.Render("- " + clean(lines[i+r].Left))
			}
			if j+r < k {
				rt = st.DiffAdd.Render("+ " + clean(lines[j+r].Right))
			}
			left, right = append(left, l), append(right, rt)
		}
		i = max(k, i+1)
	}
	return pageReady{page: chunked(uni, nil), alt: pager{lines: left, right: right}, kind: fmt.Sprintf("text · +%d −%d", adds, dels)}
}

// diffKeep marks the lines of a text diff that are shown: changes, and
// unchanged lines near them; gaps too short to be worth folding are kept too.
func diffKeep(lines []msgs.DiffLine) []bool {
	keep := make([]bool, len(lines))
	for i, l := range lines {
		if l.Op != ' ' {
			for j := max(0, i-diffContext); j <= min(len(lines)-1, i+diffContext); j++ {
				keep[j] = true
			}
		}
	}
	for i := 0; i < len(lines); {
		if keep[i] {
			i++
			continue
		}
		j := i
		for j < len(lines) && !keep[j] {
			j++
		}
		if j-i <= 2 {
			for ; i < j; i++ {
				keep[i] = true
			}
		}
		i = j
	}
	return keep
}
