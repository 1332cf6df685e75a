package result

import (
	"strconv"
	"strings"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
)

// runTitle names what the pane shows, so that an output never sits under
// another flow's Input unexplained: the run's state and duration, its flow,
// whether it is live or from the history (and when it ran), its backend and
// its execution name. The most telling parts come first: a narrow pane cuts
// the end.
func (m *Model) runTitle() string {
	parts := []string{"Result"}
	add := func(s ...string) {
		for _, p := range s {
			if p != "" {
				parts = append(parts, p)
			}
		}
	}
	switch {
	case m.inflight != 0 && m.progressed != nil && m.progressed.Status != "":
		// A live Standard run: its status as last seen, and the time so far.
		add(sanitize.Line(string(m.progressed.Status)), common.Duration(m.common.Now().Sub(m.started)), sanitize.Line(m.flow), "live", sanitize.Line(m.backend))
	case m.inflight != 0:
		add("running", common.Duration(m.common.Now().Sub(m.started)), sanitize.Line(m.flow), "live", sanitize.Line(m.backend))
	case m.stopped && m.progressed != nil:
		add(sanitize.Line(string(m.progressed.Status)), "not followed", sanitize.Line(m.flow), sanitize.Line(m.backend))
	case m.stopped && m.goesOn:
		add("not followed", sanitize.Line(m.flow), sanitize.Line(m.backend))
	case m.stopped:
		add(string(fnf.StatusCancelled), common.Duration(m.waited), sanitize.Line(m.flow), "live", sanitize.Line(m.backend))
	case m.notSent:
		add("not run", sanitize.Line(m.flow), sanitize.Line(m.backend))
	case m.run != nil:
		v := m.run
		status := sanitize.Line(string(v.Status))
		if status == "" {
			status = string(fnf.StatusError)
		}
		add(status, runDuration(v), sanitize.Line(v.FlowName), m.origin(v), sanitize.Line(v.Backend), sanitize.Line(v.ShortName()))
	}
	return strings.Join(parts, " · ")
}

// runDuration is the server's duration when known, else the round trip.
func runDuration(v *msgs.RunView) string {
	// The service's times have millisecond precision: no decimals below a
	// second, and "<1 ms" for none.
	if d, ok := v.ServerDuration(); ok && d == 0 {
		return "<1 ms"
	} else if ok && d < time.Second {
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	} else if ok {
		return common.Duration(d)
	}
	if v.Latency > 0 {
		return common.Duration(v.Latency)
	}
	return ""
}

// origin says where the run shown comes from: "live 10:00:01" for the run
// just made, "run 12 of Nov 24 15:30" for one opened from the history.
func (m *Model) origin(v *msgs.RunView) string {
	at := v.At()
	when := ""
	if !at.IsZero() {
		when = common.When(at, m.common.Now().In(m.loc))
	}
	if m.live {
		return strings.TrimSpace("live " + when)
	}
	s := "history"
	switch {
	case v.Origin == msgs.OriginBackend:
		s = "the service's execution" // listed by the backend, not recorded here
	case v.ID != 0:
		s = "run " + strconv.FormatInt(v.ID, 10)
	}
	if when != "" {
		s += " of " + when
	}
	return s
}
