package app

import (
	"context"
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/ui/msgs"
)

// executions does what the Runs pane asks about the backend's executions,
// in commands: list a page, refresh running ones, open one, load its input.
// A backend without a Standard side lists nothing and says so quietly.
func (m *Model) executions(ask msgs.ExecutionsAsk) tea.Cmd {
	std, ok := fnf.StandardOf(m.backend)
	info := m.backend.Info()
	switch a := ask.(type) {
	case msgs.ListExecutions:
		if !ok {
			return answer(msgs.ExecutionsListed{Gen: a.Gen, Flow: a.Request.FlowName, Token: a.Request.NextToken, Unsupported: true})
		}
		return listExecutions(std, info, a)
	case msgs.DescribeExecutions:
		if !ok {
			return answer(msgs.ExecutionsDescribed{Gen: a.Gen, Flow: a.Flow})
		}
		return describeExecutions(m.backend, std, m.observer(), a)
	case msgs.OpenExecution:
		m.openSeq++ // the newest open wins, as for a past run
		return openExecution(std, ok, info, a, m.openSeq)
	case msgs.LoadExecutionInput:
		return m.loadExecutionInput(std, ok, a)
	}
	return nil
}

func answer(msg tea.Msg) tea.Cmd { return func() tea.Msg { return msg } }

// listExecutions reads one page of a flow's executions.
func listExecutions(std fnf.Standard, info fnf.Info, a msgs.ListExecutions) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
		defer cancel()
		req := a.Request
		out := msgs.ExecutionsListed{Gen: a.Gen, Flow: req.FlowName, Token: req.NextToken}
		page, err := std.ListExecutions(ctx, req)
		if err != nil {
			out.Err = fmt.Errorf("list the executions of %s: %w", req.FlowName, err)
			return out
		}
		out.Next, out.Runs = page.NextToken, make([]msgs.RunView, 0, len(page.Executions))
		for _, d := range page.Executions {
			out.Runs = append(out.Runs, msgs.BackendView(info, d, nil))
		}
		return out
	}
}

// describeExecutions reads the state now of a few running executions, one
// call each, one after the other (the pane asks for a handful every few
// seconds: DescribeExecution's bucket is about 5 calls a second). An end
// seen is recorded in the history, as `executions show` records it.
func describeExecutions(b fnf.Backend, std fnf.Standard, obs observer, a msgs.DescribeExecutions) tea.Cmd {
	info := b.Info()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
		defer cancel()
		out := msgs.ExecutionsDescribed{Gen: a.Gen, Flow: a.Flow}
		for _, name := range a.Names {
			d, err := std.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: a.Flow, ExecutionName: name})
			if err != nil {
				out.Err = fmt.Errorf("describe execution %s of %s: %w", name, a.Flow, err)
				continue
			}
			if obs != nil && d.Status.Terminal() {
				if _, err := obs.Observed(ctx, b, std, d); err != nil {
					out.Err = fmt.Errorf("record the end of execution %s of %s: %w", name, a.Flow, err)
				}
			}
			out.Runs = append(out.Runs, msgs.BackendView(info, d, nil))
		}
		return out
	}
}

// observer records the end of an execution recorded Running, seen later
// (session.Session.Observed).
type observer interface {
	Observed(ctx context.Context, b fnf.Backend, std fnf.Standard, d fnf.ExecutionDetail) (int64, error)
}

// observer is the Runner's, when it records ends seen later (nil if not).
func (m *Model) observer() observer {
	o, _ := m.runner.(observer)
	return o
}

// openExecution shows a backend execution in Result: DescribeExecution
// (input, output, error) and its events; it is shown, never re-run.
func openExecution(std fnf.Standard, ok bool, info fnf.Info, a msgs.OpenExecution, seq int) tea.Cmd {
	return func() tea.Msg {
		if !ok {
			return runOpened{seq, msgs.RunOpened{Err: errNoStandard(info)}}
		}
		ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
		defer cancel()
		d, err := std.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: a.Flow, ExecutionName: a.Name})
		if err != nil {
			return runOpened{seq, msgs.RunOpened{Err: fmt.Errorf("open execution %s of %s: %w", a.Name, a.Flow, err)}}
		}
		events, everr := fnf.AllEvents(ctx, std, fnf.HistoryRequest{FlowName: a.Flow, ExecutionName: a.Name, Limit: fnf.MaxEventsLimit})
		v := msgs.BackendView(info, d, events)
		if everr != nil {
			v.EventsErr = fmt.Errorf("the events of execution %s: %w", a.Name, everr)
		}
		return runOpened{seq, msgs.RunOpened{View: v}}
	}
}

// loadExecutionInput puts a backend execution's input into the editor, as
// i does for a past run (applyInput drops it if the editor changed since).
func (m *Model) loadExecutionInput(std fnf.Standard, ok bool, a msgs.LoadExecutionInput) tea.Cmd {
	m.dropQueued("another input was asked for")
	m.loadSeq++
	m.loadFrom, m.loading = m.input.Value(), "execution "+a.Name
	seq, info := m.loadSeq, m.backend.Info()
	return func() tea.Msg {
		l := inputLoaded{seq: seq, msg: msgs.LoadInput{Source: "execution " + a.Name}}
		if !ok {
			l.err = errNoStandard(info)
			return l
		}
		ctx, cancel := context.WithTimeout(context.Background(), listTimeout)
		defer cancel()
		d, err := std.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: a.Flow, ExecutionName: a.Name})
		if err != nil {
			l.err = fmt.Errorf("load the input of execution %s: %w", a.Name, err)
			return l
		}
		l.msg.Text = d.Input
		return l
	}
}

func errNoStandard(info fnf.Info) error {
	return fmt.Errorf("the %s backend keeps no executions to open: choose a cloud profile, a local flows directory or a flowtui serve endpoint", info.Kind)
}
