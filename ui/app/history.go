package app

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/common"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/render"
	"github.com/flowtui/flowtui/ui/runs"
)

// runsPerFlow bounds the rows loaded into the Runs pane.
const runsPerFlow = 10000

// listTimeout bounds a ListFlows or DescribeFlow from the TUI; the cloud client
// has its own read timeout too.
const listTimeout = 45 * time.Second

var errNoHistory = errors.New("the history is off (--no-history)")

// loadFlows lists the flows; the answer carries its generation so that a
// slower, older load cannot overwrite a newer one.
func (m *Model) loadFlows() tea.Cmd {
	m.flowsGen++
	return listFlows(m.backend, m.flowsGen)
}

// loadingFlows says a load started; it may arrive after the answer, so the
// root passes it on only while that load is unanswered.
type loadingFlows struct{ gen int }

func listFlows(b fnf.Backend, gen int) tea.Cmd {
	return tea.Batch(
		func() tea.Msg { return loadingFlows{gen} },
		func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
			defer cancel()
			fl, err := b.ListFlows(ctx)
			return msgs.FlowsLoaded{Gen: gen, Flows: fl, Err: err}
		})
}

// flowState is what selecting a flow loads: its runs and the input to offer.
type flowState struct {
	flow  string
	runs  []msgs.RunView
	input string
	from  string
	err   error
}

// selectFlow keeps the draft of the flow left, and loads the new flow's runs,
// definition and input: the draft if any, else its last input in the history,
// else its sample input, else {}.
func (m *Model) selectFlow(f fnf.Flow) tea.Cmd {
	// Only an input the user changed is kept as a draft; one left as it was
	// loaded is loaded afresh next time (a newer run may have come since).
	if v := m.input.Value(); m.flow.Name != "" && v != m.shownInput {
		m.drafts[m.flow.Name] = v
	}
	m.flow = f
	m.input.SetFlow(f.Name)
	m.input.SetTestCase(m.testCases[f.Name])
	draft, hasDraft := m.drafts[f.Name]
	switch {
	case hasDraft:
		m.input.SetValue(draft, "draft")
	case f.SampleInput != "":
		// At once, so that a run started before the history answers never
		// takes the previous flow's input.
		m.input.SetValue(f.SampleInput, "sample input")
	default:
		m.input.SetValue("{}", "empty")
	}
	m.shownInput, m.inputRan = m.input.Value(), false
	m.dropQueued("another flow was chosen")
	m.loadSeq++ // an input asked for another flow is not this one's
	h, now := m.opts.History, m.opts.Now()
	cmds := []tea.Cmd{func() tea.Msg {
		st := flowState{flow: f.Name, input: f.SampleInput, from: "sample input"}
		if st.input == "" {
			st.input, st.from = "{}", "empty"
		}
		if h == nil {
			return st
		}
		rs, err := h.List(context.Background(), history.Filter{Flow: f.Name, Limit: runsPerFlow})
		st.err = err
		for _, r := range rs {
			st.runs = append(st.runs, viewFromHistory(r))
		}
		if !hasDraft && len(rs) > 0 {
			if last, err := h.Get(context.Background(), rs[0].ID); err == nil && last.Input != "" {
				st.input, st.from = last.Input, "last run ("+common.When(rs[0].ClientStart, now)+")"
			}
		}
		return st
	}}
	b := m.backend
	if f.Definition != "" || f.Error != "" {
		cmds = append(cmds, func() tea.Msg { return msgs.FlowDescribed{Flow: f} })
	} else {
		cmds = append(cmds, func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
			defer cancel()
			d, err := b.DescribeFlow(ctx, f.Name)
			if err != nil {
				d.Name = f.Name // whose describe failed
			}
			return msgs.FlowDescribed{Flow: d, Err: err}
		})
	}
	return tea.Batch(cmds...)
}

// applyFlowState shows what selectFlow loaded, if that flow is still chosen.
func (m Model) applyFlowState(st flowState) (tea.Model, tea.Cmd) {
	if st.flow != m.flow.Name {
		return m, nil
	}
	// The last run's input replaces what selectFlow showed, unless the user
	// has edited it or run it meanwhile: the editor keeps showing what ran.
	if _, hasDraft := m.drafts[st.flow]; !hasDraft && !m.inputRan && m.input.Value() == m.shownInput && st.input != m.shownInput {
		m.input.SetValue(st.input, st.from)
		m.shownInput = m.input.Value()
	}
	return m.broadcast(msgs.RunsLoaded{Flow: st.flow, Runs: st.runs, Err: st.err})
}

// queryRuns lists the runs the Runs pane's filter selects, through the
// history's own query (as `flowtui history` does).
func (m *Model) queryRuns(q runs.Query) tea.Cmd {
	h := m.opts.History
	return func() tea.Msg {
		if h == nil {
			return runs.Queried{Gen: q.Gen, Flow: q.Flow, Err: errNoHistory}
		}
		f := q.Filter
		f.Flow, f.Limit = q.Flow, runsPerFlow
		rs, err := h.List(context.Background(), f)
		out := runs.Queried{Gen: q.Gen, Flow: q.Flow, Err: err}
		for _, r := range rs {
			out.Runs = append(out.Runs, viewFromHistory(r))
		}
		return out
	}
}

// openRun loads a past run with its bodies; it is shown, never re-run. The
// answer is tagged: only the newest request is shown, and none asked for
// before a run started since (a late answer would hide that run).
func (m *Model) openRun(id int64) tea.Cmd {
	m.openSeq++
	seq, h := m.openSeq, m.opts.History
	return func() tea.Msg {
		if h == nil {
			return runOpened{seq, msgs.RunOpened{Err: errNoHistory}}
		}
		r, err := h.Get(context.Background(), id)
		if err != nil {
			return runOpened{seq, msgs.RunOpened{Err: fmt.Errorf("open run %d: %w", id, err)}}
		}
		return runOpened{seq, msgs.RunOpened{View: viewFromHistory(r)}}
	}
}

// viewFromHistory shows a recorded run: the row itself, its trace decoded
// (or why it could not be), and the call's error rebuilt so that the Error
// tab can explain it.
func viewFromHistory(r history.Run) msgs.RunView {
	v := msgs.RunView{Run: r, Err: r.CallErr(), Origin: msgs.OriginHistory}
	v.Steps, v.TraceErr = r.Steps()
	v.Events, v.EventsErr = r.EventList()
	return v
}

// runOpened is the answer of openRun number seq.
type runOpened struct {
	seq int
	msg msgs.RunOpened
}

// loadInputOf puts a past run's input into the editor. The answer is tagged:
// it is dropped when the editor changed since the key (typed text is kept),
// or a run or another flow took over meanwhile.
func (m *Model) loadInputOf(id int64) tea.Cmd {
	m.dropQueued("another input was asked for")
	m.loadSeq++
	m.loadFrom, m.loading = m.input.Value(), "run "+strconv.FormatInt(id, 10)
	seq, h := m.loadSeq, m.opts.History
	return func() tea.Msg {
		l := inputLoaded{seq: seq, id: id}
		if h == nil {
			l.err = errNoHistory
			return l
		}
		r, err := h.Get(context.Background(), id)
		if err != nil {
			l.err = fmt.Errorf("load the input of run %d: %w", id, err)
			return l
		}
		l.msg = msgs.LoadInput{Text: r.Input, Source: fmt.Sprintf("run %d", id)}
		return l
	}
}

// inputLoaded is the answer of loadInputOf number seq, for run id.
type inputLoaded struct {
	seq int
	id  int64
	msg msgs.LoadInput
	err error
}

// applyInput puts a loaded input into the editor if nothing took over since
// it was asked for, and starts the run that ctrl+r asked for meanwhile.
func (m Model) applyInput(l inputLoaded) (tea.Model, tea.Cmd) {
	if l.seq != m.loadSeq {
		return m, nil // a newer request, a run or another flow since
	}
	queued := m.queued
	m.loading, m.queued = "", false
	switch {
	case l.err != nil:
		m.status.SetMessage(l.err.Error()+notStarted(queued), true)
		return m, nil
	case m.input.Value() != m.loadFrom:
		m.status.SetMessage("the input of "+l.msg.Source+" was not loaded: the editor changed meanwhile; i loads it again"+notStarted(queued), false)
		return m, nil
	}
	model, cmd := m.broadcast(l.msg)
	if queued {
		m = model.(Model)
		var run tea.Cmd
		model, run = m.startRun()
		cmd = tea.Batch(cmd, run)
	}
	return model, cmd
}

func notStarted(queued bool) string {
	if queued {
		return "; the run asked for was not started"
	}
	return ""
}

// dropQueued forgets a run waiting for a past input, saying why.
func (m *Model) dropQueued(why string) {
	if m.queued {
		m.queued = false
		m.status.SetMessage("the run waiting for the input of "+m.loading+" was not started: "+why, true)
	}
}

// diff compares a run's output with its baseline: the flow's pinned run, else
// the run before it.
func (m *Model) diff(id int64) tea.Cmd {
	h := m.opts.History
	return func() tea.Msg {
		if h == nil {
			return msgs.DiffReady{Err: errNoHistory}
		}
		ctx := context.Background()
		r, err := h.Get(ctx, id)
		if err != nil {
			return msgs.DiffReady{Err: fmt.Errorf("diff run %d: %w", id, err)}
		}
		base, label, err := baseline(ctx, h, r)
		if err != nil {
			return msgs.DiffReady{Err: err}
		}
		d, err := render.DiffOutputs([]byte(base.Output), []byte(r.Output))
		if err != nil {
			return msgs.DiffReady{Err: fmt.Errorf("diff run %d with run %d: %w", base.ID, r.ID, err)}
		}
		d.Title = fmt.Sprintf("run %d (%s) ↔ run %d", base.ID, label, r.ID)
		return d
	}
}

func baseline(ctx context.Context, h *history.Store, r history.Run) (history.Run, string, error) {
	pinned, err := h.List(ctx, history.Filter{Flow: r.FlowName, Limit: runsPerFlow})
	if err != nil {
		return history.Run{}, "", err
	}
	for _, p := range pinned {
		if p.Pinned && p.ID != r.ID {
			b, err := h.Get(ctx, p.ID)
			return b, "pinned", err
		}
	}
	prev, err := h.Previous(ctx, r.ID)
	if errors.Is(err, history.ErrNotFound) {
		return history.Run{}, "", fmt.Errorf("run %d is the first of %s: nothing to compare with (p pins a baseline)", r.ID, r.FlowName)
	}
	return prev, "previous", err
}

// pin marks or unmarks a run as the flow's baseline.
func (m *Model) pin(p msgs.PinRequested) tea.Cmd {
	h := m.opts.History
	return func() tea.Msg {
		if h == nil {
			return msgs.Status{Text: errNoHistory.Error(), Err: true}
		}
		if err := h.Pin(context.Background(), p.HistoryID, p.Pinned); err != nil {
			return msgs.Status{Text: fmt.Sprintf("pin run %d: %v", p.HistoryID, err), Err: true}
		}
		return runs.Pinned{HistoryID: p.HistoryID, Pinned: p.Pinned}
	}
}
