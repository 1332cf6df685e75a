package app

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/session/sessiontest"
	"github.com/flowtui/flowtui/ui/msgs"
)

// pagedBackend is a backend whose Standard flows have n executions each,
// made page by page as ListExecutions asks (a flow with 100k executions on
// the service, of which a client reads only what it shows).
type pagedBackend struct {
	*sessiontest.Fake
	n int
}

var benchStart = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

func (b pagedBackend) ListExecutions(_ context.Context, req fnf.ListExecutionsRequest) (fnf.ExecutionPage, error) {
	from, _ := strconv.Atoi(req.NextToken)
	limit := cmpOr(req.Limit, fnf.DefaultListLimit)
	var p fnf.ExecutionPage
	for i := from; i < min(from+limit, b.n); i++ {
		start := benchStart.Add(-time.Duration(i) * 30 * time.Second)
		d := fnf.ExecutionDetail{FlowName: req.FlowName, Name: fmt.Sprintf("exec-%06d", b.n-i), Status: fnf.StatusSucceeded,
			StartedTime: fnf.FormatTime(start), StoppedTime: fnf.FormatTime(start.Add(1200 * time.Millisecond))}
		if i%50 == 0 {
			d.Status, d.StoppedTime = fnf.StatusRunning, ""
		}
		p.Executions = append(p.Executions, d)
	}
	if from+limit < b.n {
		p.NextToken = strconv.Itoa(from + limit)
	}
	return p, nil
}

func cmpOr(a, b int) int {
	if a > 0 {
		return a
	}
	return b
}

// benchRoot is the root at 200×60 on a backend with two Standard flows of
// 100k executions each, the first selected, Runs focused.
func benchRoot(b *testing.B) Model {
	b.Helper()
	fake := &sessiontest.Fake{BackendInfo: fakeCloud, Flows: []fnf.Flow{
		{Name: "refund-a", ExecutionMode: fnf.ModeStandard, Definition: "Type: StateMachine"},
		{Name: "refund-b", ExecutionMode: fnf.ModeStandard, Definition: "Type: StateMachine"},
	}}
	h := &harness{t: &testing.T{}}
	m, err := New(Options{Backend: pagedBackend{fake, 100_000}, Theme: "dark", Now: func() time.Time { return benchStart }})
	if err != nil {
		b.Fatal(err)
	}
	h.m = m
	h.send(tea.WindowSizeMsg{Width: 200, Height: 60})
	h.run(m.Init())
	return h.model()
}

// historyOf is n recorded runs of flow, one a minute, newest first.
func historyOf(flow string, n int) []msgs.RunView {
	runs := make([]msgs.RunView, n)
	for i := range runs {
		runs[i] = msgs.RunView{Origin: msgs.OriginHistory, Run: history.Run{ID: int64(n - i), FlowName: flow,
			Name: fmt.Sprintf("run-%d:6c0b6a2e", i), Status: fnf.StatusSucceeded,
			ClientStart: benchStart.Add(-time.Duration(i)*time.Minute - 15*time.Second), Latency: 132 * time.Millisecond}}
	}
	return runs
}

// firstPage selects the second flow, delivers its 10,000-run history, and
// returns the model awaiting the first page of its executions, and that page.
func firstPage(b *testing.B) (Model, tea.Msg) {
	b.Helper()
	m := benchRoot(b)
	m.setFocus(paneFlows)
	model, cmd := m.Update(keyPress("down"))
	var ask tea.Msg
	for _, msg := range collect(cmd) {
		if a, ok := msg.(msgs.ListExecutions); ok {
			ask = a
		}
	}
	if ask == nil {
		b.Fatal("selecting a Standard flow asked for no executions")
	}
	model, _ = model.Update(msgs.RunsLoaded{Flow: "refund-b", Runs: historyOf("refund-b", 10_000)})
	model, cmd = model.Update(ask)
	var page tea.Msg
	for _, msg := range collect(cmd) {
		if p, ok := msg.(msgs.ExecutionsListed); ok {
			page = p
		}
	}
	if page == nil {
		b.Fatal("no page came back")
	}
	mm := model.(Model)
	mm.setFocus(paneRuns)
	return mm, page
}

// BenchmarkRunsFirstPage is the first page of a flow with 100k executions
// on the service, from its arrival to the frame that shows it, merged with a
// 10,000-run history (budget ≤ 150 ms).
func BenchmarkRunsFirstPage(b *testing.B) {
	base, page := firstPage(b)
	if v, _ := base.Update(page); !strings.Contains(v.View().Content, "exec-100000") {
		b.Fatalf("the page is not on screen:\n%s", v.View().Content)
	}
	b.ReportAllocs()
	for b.Loop() {
		m, _ := base.Update(page)
		_ = m.View()
	}
}

// BenchmarkRunsFrameServiceRows is a key press and a frame at 200×60 with
// 10,000 executions of the service listed beside 10,000 history runs, one
// in fifty running (budget ≤ 2 ms).
func BenchmarkRunsFrameServiceRows(b *testing.B) {
	base, first := firstPage(b)
	var model tea.Model = base
	model, _ = model.Update(first)
	for range 100 { // 100 more pages of 99: the cursor at the end asks for each
		model = answerAll(model, keyPress("end"))
	}
	if n := model.(Model).runs.Len(); n < 19_000 {
		b.Fatalf("%d rows loaded", n)
	}
	down, up := keyPress("down"), keyPress("up")
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		k := down
		if i%2 == 1 {
			k = up
		}
		model, _ = model.Update(k)
		_ = model.View()
	}
}

// answerAll sends msg and the messages of its commands back into the
// model until none is left (timers excepted), as the runtime would.
func answerAll(model tea.Model, msg tea.Msg) tea.Model {
	queue := []tea.Msg{msg}
	for len(queue) > 0 {
		var cmd tea.Cmd
		model, cmd = model.Update(queue[0])
		queue = queue[1:]
		if cmd != nil {
			for _, m := range collect(cmd) {
				if m != nil && !isTimerMsg(m) {
					queue = append(queue, m)
				}
			}
		}
	}
	return model
}
