package runs

import (
	"maps"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/msgs"
)

// The backend's executions (ListExecutions) are listed beside the history,
// a page at a time, as the cursor nears the oldest one listed.
const (
	// pageSize is one ListExecutions page: the API's most (1–99), so that a
	// page fills any screen.
	pageSize = fnf.MaxExecutionsLimit
	// refreshAtMost bounds the executions described per refresh.
	refreshAtMost = 4
	// autoPages bounds the pages loaded in a row without a key (pages a
	// filter leaves nearly empty); the next key goes on.
	autoPages = 5
)

// refreshEvery spaces out the refresh of running executions: their
// DescribeExecution shares a bucket of about 5 calls a second per account
// with every other client of it. (A variable for the tests' clock.)
var refreshEvery = 5 * time.Second

// service is what the pane knows of the backend's executions of the flow.
type service struct {
	on      bool                      // listing: a Standard flow, a filter the API can apply
	off     string                    // why the service's executions are not listed ("" when on or unsupported)
	gen     int                       // the listing awaited; answers of others are dropped
	runs    []msgs.RunView            // as listed, newest first; appended to, never changed
	live    map[string]msgs.RunView   // refreshed executions by name; copied on write
	next    string                    // NextToken of the page after the last; "" at the end
	asked   bool                      // a page is on its way
	token   string                    // the token it was asked with
	first   bool                      // the page on its way replaces the rows (a new listing)
	err     error                     // the last ListExecutions error
	auto    int                       // pages loaded in a row without a key
	ticking bool                      // a refresh tick is on its way
	polling bool                      // a refresh is on its way
	top     bool                      // the page on its way is the first read again (reread)
	again   bool                      // read the first page again when the one on its way lands
	sought  string                    // the run a reread was last asked for (added)
	req     fnf.ListExecutionsRequest // the filters of the listing
}

// refreshTick is the pane's own timer for refreshing running executions.
type refreshTick struct{ gen int }

func (refreshTick) Pane() string { return Name }

// relist starts a new listing of the flow's executions with the applied
// filter: the first page replaces the service's rows when it lands. A flow
// the service keeps no executions of (Express) or a filter the API cannot
// apply lists nothing.
func (m *Model) relist(mode string) tea.Cmd {
	s := &m.svc
	s.gen++
	s.asked, s.ticking, s.polling, s.err, s.auto = false, false, false, nil, 0
	s.top, s.again = false, false
	req, why := m.apiRequest()
	s.on, s.off, s.req = mode == fnf.ModeStandard && why == "", why, req
	if mode != fnf.ModeStandard {
		s.off = ""
	}
	if !s.on {
		m.setService(nil)
		return nil
	}
	s.first = true
	return m.ask("")
}

// ask asks for the page after token.
func (m *Model) ask(token string) tea.Cmd {
	s := &m.svc
	s.asked, s.token = true, token
	req := s.req
	req.FlowName, req.NextToken, req.Limit, req.MetadataOnly = m.flow, token, pageSize, true
	out := msgs.ListExecutions{Gen: s.gen, Request: req}
	return func() tea.Msg { return out }
}

// setService replaces the service's rows (nil: none).
func (m *Model) setService(runs []msgs.RunView) {
	m.svc.runs, m.svc.live, m.svc.next = runs, nil, ""
	m.rebuild()
}

// listed takes a page of the listing awaited: the first replaces the rows,
// the next ones are appended without the executions already listed.
func (m *Model) listed(p msgs.ExecutionsListed) tea.Cmd {
	s := &m.svc
	if p.Gen != s.gen || p.Flow != m.flow || !s.asked || p.Token != s.token {
		return nil
	}
	s.asked = false
	keep := m.keep()
	if s.top {
		s.top = false
		if p.Err == nil && !p.Unsupported {
			m.merge(p.Runs)
			m.rebuild()
			m.restore(keep)
		}
		return tea.Batch(m.rereadLater(), m.tick())
	}
	switch {
	case p.Unsupported:
		s.on, s.err = false, nil
		m.setService(nil)
	case p.Err != nil:
		s.err = p.Err
		if s.first {
			m.setService(nil)
		}
		// The pane's line is short; the status bar and the message log
		// keep the whole error.
		s.first = false
		m.restore(keep)
		st := msgs.Status{Text: "Runs: " + p.Err.Error(), Err: true}
		return func() tea.Msg { return st }
	default:
		s.err = nil
		if s.first {
			m.svc.runs, m.svc.live = nil, nil
		}
		m.svc.runs = appendNew(m.svc.runs, p.Runs)
		m.svc.next = p.Next
		if p.Next == p.Token {
			m.svc.next = "" // a token that does not move on ends the listing
		}
		m.rebuild()
	}
	s.first = false
	m.restore(keep)
	return tea.Batch(m.more(true), m.rereadLater(), m.tick())
}

// appendNew appends the executions of page that runs does not hold yet
// (a page may repeat one that started while the previous was read).
func appendNew(runs, page []msgs.RunView) []msgs.RunView {
	seen := make(map[string]bool, len(runs))
	for i := range runs {
		seen[runs[i].Name] = true
	}
	out := runs[:len(runs):len(runs)] // never write into an array an older pane shares
	for _, v := range page {
		if !seen[v.Name] {
			seen[v.Name] = true
			out = append(out, v)
		}
	}
	return out
}

// more asks for the next page when the oldest service row listed is
// within two screens of the cursor. auto counts pages loaded without a key;
// a page that failed is asked again by a key, never by itself.
func (m *Model) more(auto bool) tea.Cmd {
	s := &m.svc
	if !s.on || s.asked || s.next == "" || auto && s.err != nil {
		return nil
	}
	if auto && s.auto >= autoPages {
		return nil
	}
	last := m.lastService()
	if last >= 0 && m.cursor+2*max(1, m.listHeight()) < last {
		return nil
	}
	if auto {
		s.auto++
	} else {
		s.auto = 0
	}
	return m.ask(s.next)
}

// tick starts the refresh timer while a listed execution runs.
func (m *Model) tick() tea.Cmd {
	s := &m.svc
	if s.ticking || s.polling || m.width <= 0 || m.height <= 0 || len(m.watched()) == 0 {
		return nil
	}
	s.ticking = true
	gen := s.gen
	return tea.Tick(refreshEvery, func(time.Time) tea.Msg { return refreshTick{gen} })
}

// ticked asks for the running executions' state: those on screen first.
func (m *Model) ticked(t refreshTick) tea.Cmd {
	s := &m.svc
	if t.gen != s.gen || !s.ticking {
		return nil
	}
	s.ticking = false
	watched := m.watched()
	if len(watched) == 0 || m.width <= 0 || m.height <= 0 {
		return nil
	}
	// More running than a refresh describes: the first page read again
	// updates the service's rows; the history's, and those past the first
	// page, are described.
	var list tea.Cmd
	if s.on && len(watched) > refreshAtMost && len(m.running) > 0 {
		list, watched = m.reread(), append(m.beyond(), watched[len(m.running):]...)
	}
	var names []string
	for i := m.offset; i < min(m.offset+m.listHeight(), m.Len()) && len(names) < refreshAtMost; i++ {
		if v := m.at(i); m.refreshes(v) && contains(watched, v.Name) && !contains(names, v.Name) {
			names = append(names, v.Name)
		}
	}
	for _, n := range watched {
		if len(names) >= refreshAtMost {
			break
		}
		if !contains(names, n) {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return list
	}
	s.polling = true
	out := msgs.DescribeExecutions{Gen: s.gen, Flow: m.flow, Names: names}
	return tea.Batch(list, func() tea.Msg { return out })
}

// described shows the state now of running executions, in place.
func (m *Model) described(d msgs.ExecutionsDescribed) tea.Cmd {
	s := &m.svc
	if d.Gen != s.gen || d.Flow != m.flow {
		return nil
	}
	s.polling = false
	if len(d.Runs) > 0 {
		keep := m.keep()
		m.ended(d.Runs)
		s.live = maps.Clone(s.live)
		if s.live == nil {
			s.live = make(map[string]msgs.RunView, len(d.Runs))
		}
		for _, v := range d.Runs {
			s.live[v.Name] = v
		}
		m.rebuild()
		m.restore(keep)
	}
	return m.tick()
}

func contains(names []string, n string) bool {
	for _, x := range names {
		if x == n {
			return true
		}
	}
	return false
}
