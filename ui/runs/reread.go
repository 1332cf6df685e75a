package runs

import (
	"maps"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/ui/msgs"
)

// The first page is read again, its rows updated in place, when a run this
// TUI started is not listed yet (it started after the listing), and instead
// of describing them one by one when more executions run than a refresh
// describes: one ListExecutions gives every status of a page (its bucket is
// about 2 calls a second per account; one every refresh is far below).

// reread asks for the first page again, to update the rows listed; a page
// already on its way reads it when it lands.
func (m *Model) reread() tea.Cmd {
	s := &m.svc
	if !s.on {
		return nil
	}
	if s.asked {
		s.again = !s.top
		return nil
	}
	s.top = true
	return m.ask("")
}

// reread the first page once more if asked while another was on its way.
func (m *Model) rereadLater() tea.Cmd {
	if !m.svc.again {
		return nil
	}
	m.svc.again = false
	return m.reread()
}

// added asks for the first page again when v, a Standard run of the backend
// in use this TUI just recorded, is not among the service's rows: so that
// it shows once, marked as in both. Once per execution, so that a listing
// whose filter leaves it out is not asked for again and again.
func (m *Model) added(v *msgs.RunView) tea.Cmd {
	s := &m.svc
	if !s.on || m.applied != "" || v.FlowName != m.flow || !m.ours(v) || s.sought == v.Name {
		return nil
	}
	for i := range s.runs {
		if s.runs[i].Name == v.Name {
			return nil
		}
	}
	s.sought = v.Name
	return m.reread()
}

// merge updates the rows with the first page read again: the executions
// listed take the page's state (a refresh's older state of them is
// dropped), and those it lists first, started since, go on top.
func (m *Model) merge(page []msgs.RunView) {
	s := &m.svc
	at := make(map[string]int, len(page))
	for i := range page {
		at[page[i].Name] = i
	}
	s.live = maps.Clone(s.live)
	out := make([]msgs.RunView, 0, len(s.runs)+len(page))
	seen := make(map[string]bool, len(s.runs))
	for i := range s.runs {
		seen[s.runs[i].Name] = true
	}
	for i := range page {
		if !seen[page[i].Name] {
			out = append(out, page[i])
		}
	}
	for _, v := range s.runs {
		if i, ok := at[v.Name]; ok {
			v = page[i]
			delete(s.live, v.Name)
		}
		out = append(out, v)
	}
	s.runs = out
}

// beyond is the service's running rows past the first page, which reading
// it again does not reach: they are described, a few at a time.
func (m Model) beyond() []string {
	var names []string
	for i := pageSize; i < len(m.svc.runs); i++ {
		v := m.svc.runs[i]
		if lv, ok := m.svc.live[v.Name]; ok {
			v = lv
		}
		if !v.Status.Terminal() {
			names = append(names, v.Name)
		}
	}
	return names
}
