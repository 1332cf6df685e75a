package runs

import (
	"slices"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/msgs"
)

// The history's Standard rows still Running: those of the backend in use
// are refreshed with the service's executions (DescribeExecution) until
// they end; those of another backend cannot be, and show no time that grows.

// SetBackend tells the pane which backend is in use: the executions it can
// describe.
func (m *Model) SetBackend(info fnf.Info) { m.backend = info }

// ours says whether the history row v is an execution of the backend in use.
func (m Model) ours(v *msgs.RunView) bool {
	k, ok := msgs.KeyOf(&v.Run)
	return ok && k.On(m.backend)
}

// stale says whether v is a history row recorded Running that the backend
// in use can tell the end of.
func (m Model) stale(v *msgs.RunView) bool {
	return v.Origin != msgs.OriginBackend && !v.Status.Terminal() && m.ours(v)
}

// watched is the names of the running executions a refresh describes: the
// service's rows, then the history's rows of the backend in use.
func (m Model) watched() []string {
	names := slices.Clone(m.running)
	for _, list := range [][]msgs.RunView{m.fresh, m.loaded} {
		for i := range list {
			if v := &list[i]; m.stale(v) && !contains(names, v.Name) {
				names = append(names, v.Name)
			}
		}
	}
	return names
}

// refreshes says whether row v is one a refresh describes.
func (m Model) refreshes(v *msgs.RunView) bool {
	return !v.Status.Terminal() && (v.Origin == msgs.OriginBackend || m.stale(v))
}

// ended shows on the history's rows of d the end the service says they
// reached (the root has recorded it in the history: session's rule for an
// end seen later), so that they open as recorded.
func (m *Model) ended(runs []msgs.RunView) bool {
	changed := false
	for _, s := range runs {
		k, ok := msgs.KeyOf(&s.Run)
		if !ok || !s.Status.Terminal() {
			continue
		}
		for _, list := range []*[]msgs.RunView{&m.fresh, &m.loaded} {
			for i := range *list {
				h := &(*list)[i]
				if hk, _ := msgs.KeyOf(&h.Run); hk != k || h.Status.Terminal() || h.Origin == msgs.OriginBackend {
					continue
				}
				*list = slices.Clone(*list) // the slices may be shared with a message
				v := &(*list)[i]
				v.Status, v.StartedTime, v.StoppedTime = s.Status, s.StartedTime, s.StoppedTime
				v.ErrorCode, v.ErrorMessage = s.ErrorCode, s.ErrorMessage
				changed = true
			}
		}
	}
	return changed
}

// duration is a row's duration column: a running execution's time so far,
// except on a history row of another backend, whose end this pane cannot
// see: its time would grow past its end.
func (m Model) duration(v *msgs.RunView, now time.Time) string {
	if !v.Status.Terminal() && v.Origin != msgs.OriginBackend && !m.ours(v) && v.Mode == fnf.ModeStandard {
		return "-"
	}
	return duration(v, now)
}
