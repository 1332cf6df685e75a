package runs

import (
	"github.com/flowtui/flowtui/ui/msgs"
)

// rebuild merges the history as loaded with the service's executions into
// one list, newest first: an execution this machine started and recorded
// shows once, as the history's row marked as both; while the history has
// not seen it end, it shows the service's status and opens from the service.
// The runs finished since the load (fresh) stay above, apart. Without
// service rows the list is the history itself and nothing is built.
func (m *Model) rebuild() {
	m.rows, m.both, m.running, m.lastSvc = nil, nil, nil, -1
	if len(m.svc.runs) == 0 {
		return
	}
	byKey := func(vs []msgs.RunView) map[msgs.ExecutionKey]int {
		idx := map[msgs.ExecutionKey]int{}
		for i := range vs {
			if k, ok := msgs.KeyOf(&vs[i].Run); ok {
				idx[k] = i
			}
		}
		return idx
	}
	loadedIdx, freshIdx := byKey(m.loaded), byKey(m.fresh)
	both := map[int64]bool{}
	matched := map[int]*msgs.RunView{} // loaded index → the service's view of it
	svc := make([]*msgs.RunView, 0, len(m.svc.runs))
	for i := range m.svc.runs {
		s := &m.svc.runs[i]
		if v, ok := m.svc.live[s.Name]; ok {
			s = &v
		}
		k, _ := msgs.KeyOf(&s.Run)
		if j, ok := freshIdx[k]; ok {
			both[m.fresh[j].ID] = true
			continue
		}
		if j, ok := loadedIdx[k]; ok {
			both[m.loaded[j].ID] = true
			if !m.loaded[j].Status.Terminal() {
				matched[j] = mergedView(&m.loaded[j], s)
			}
			continue
		}
		svc = append(svc, s)
		if !s.Status.Terminal() {
			m.running = append(m.running, s.Name)
		}
	}
	for _, v := range matched {
		if !v.Status.Terminal() {
			m.running = append(m.running, v.Name)
		}
	}
	rows := make([]*msgs.RunView, 0, len(m.loaded)+len(svc))
	i, j := 0, 0
	for i < len(m.loaded) || j < len(svc) {
		if j < len(svc) && (i == len(m.loaded) || svc[j].At().After(m.loaded[i].At())) {
			rows = append(rows, svc[j])
			j++
			continue
		}
		v := &m.loaded[i]
		if mv, ok := matched[i]; ok {
			v = mv
		}
		rows = append(rows, v)
		i++
	}
	for k := len(rows) - 1; k >= 0; k-- {
		if rows[k].Origin == msgs.OriginBackend {
			m.lastSvc = k
			break
		}
	}
	m.rows, m.both = rows, both
}

// mergedView is a recorded run whose end the history has not seen, as the
// service now says it is: its status and times, opened from the service.
func mergedView(h, s *msgs.RunView) *msgs.RunView {
	v := *h
	v.Status, v.StartedTime, v.StoppedTime = s.Status, s.StartedTime, s.StoppedTime
	v.ErrorCode, v.ErrorMessage = s.ErrorCode, s.ErrorMessage
	v.Origin = msgs.OriginBackend
	return &v
}

// lastService is the row of the oldest service execution listed (-1: none).
func (m Model) lastService() int {
	if m.lastSvc < 0 {
		return -1
	}
	return len(m.fresh) + m.lastSvc
}

// Origin marks: which of this machine's history (h) and the service (s)
// hold a row.
const (
	markHistory = "h "
	markService = " s"
	markBoth    = "hs"
)

// mark is the origin mark of row v.
func (m Model) mark(v *msgs.RunView) string {
	switch {
	case v.Origin == msgs.OriginBackend && v.ID != 0, v.ID != 0 && m.both[v.ID]:
		return markBoth
	case v.Origin == msgs.OriginBackend:
		return markService
	}
	return markHistory
}

// marked says whether rows carry origin marks: when the service lists any.
func (m Model) marked() bool { return len(m.svc.runs) > 0 }

// runKey names a row across a rebuild: the history's ID, else the
// execution's name.
type runKey struct {
	id   int64
	name string
}

func (m Model) keep() runKey {
	if m.cursor >= m.Len() || m.Len() == 0 {
		return runKey{}
	}
	v := m.at(m.cursor)
	if v.ID != 0 {
		return runKey{id: v.ID}
	}
	return runKey{name: v.Name}
}

// restore puts the cursor back on the run k after rows moved, unless it
// was on the top row, which it keeps: the newest run is there.
func (m *Model) restore(k runKey) {
	if k == (runKey{}) || m.cursor == 0 {
		m.moveTo(m.cursor)
		return
	}
	for i := range m.Len() {
		v := m.at(i)
		if k.id != 0 && v.ID == k.id || k.id == 0 && v.ID == 0 && v.Name == k.name {
			if d := i - m.cursor; d != 0 && m.offset > 0 {
				m.offset = max(0, m.offset+d)
			}
			m.cursor = i
			m.ensureVisible()
			return
		}
	}
	m.moveTo(m.cursor)
}
