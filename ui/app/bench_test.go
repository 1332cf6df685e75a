package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/msgs"
)

// manyFlows is a backend with n flows and nothing else.
type manyFlows struct{ n int }

func (b manyFlows) ListFlows(context.Context) ([]fnf.Flow, error) {
	flows := make([]fnf.Flow, b.n)
	for i := range flows {
		flows[i] = fnf.Flow{Name: fmt.Sprintf("flow-%05d", i), ExecutionMode: fnf.ModeExpress,
			Description: "a flow among many", Definition: "Type: StateMachine"}
	}
	return flows, nil
}
func (b manyFlows) DescribeFlow(_ context.Context, name string) (fnf.Flow, error) {
	return fnf.Flow{Name: name}, nil
}
func (b manyFlows) StartSyncExecution(context.Context, fnf.SyncRequest) (*fnf.SyncResult, error) {
	return nil, fmt.Errorf("not in a benchmark")
}
func (b manyFlows) Info() fnf.Info { return fnf.Info{Kind: fnf.KindLocal, Endpoint: "bench"} }

// bigOutput is about 1 MiB of JSON.
func bigOutput() string {
	var sb strings.Builder
	sb.WriteString(`{"items":[`)
	for i := 0; sb.Len() < 1<<20; i++ {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"sku":"SKU-%06d","qty":%d,"price":%d.99,"note":"deliver to dock %d"}`, i, i%7, i%300, i%40)
	}
	sb.WriteString(`]}`)
	return sb.String()
}

// loadedModel is the root at 200×60 with 10,000 flows, 100,000 runs of the
// selected flow in Runs and a 1 MiB output in Result (the frame budget in BENCHMARKS.md).
func loadedModel(b *testing.B) *harness {
	b.Helper()
	t := &testing.T{}
	h := &harness{t: t}
	m, err := New(Options{Backend: manyFlows{10000}, Theme: "dark", Now: func() time.Time { return time.Unix(1764064800, 0) }})
	if err != nil {
		b.Fatal(err)
	}
	h.m = m
	h.send(tea.WindowSizeMsg{Width: 200, Height: 60})
	h.run(m.Init())
	flow := h.model().flow.Name
	runs := make([]msgs.RunView, 100000)
	start := time.Unix(1764000000, 0)
	for i := range runs {
		runs[i] = msgs.RunView{Run: history.Run{ID: int64(100000 - i), FlowName: flow, Name: fmt.Sprintf("run-%d:6c0b6a2e", i),
			Status: fnf.StatusSucceeded, ClientStart: start.Add(-time.Duration(i) * time.Minute), Latency: 132 * time.Millisecond}}
	}
	h.send(msgs.RunsLoaded{Flow: flow, Runs: runs})
	h.send(msgs.RunOpened{View: msgs.RunView{Run: history.Run{ID: 1, FlowName: flow, Status: fnf.StatusSucceeded, Output: bigOutput()}}})
	if !strings.Contains(h.screen(), "SKU-000000") {
		b.Fatalf("the output is not shown:\n%s", h.screen())
	}
	return h
}

// BenchmarkFrame is a key press and a frame in each pane at 200×60, with
// 10,000 flows, 100,000 runs and a 1 MiB output loaded (budget ≤ 2 ms).
func BenchmarkFrame(b *testing.B) {
	for _, tc := range []struct {
		name string
		p    pane
		key  string
	}{{"flows", paneFlows, "down"}, {"runs", paneRuns, "down"}, {"input", paneInput, "a"}, {"result", paneResult, "down"}} {
		b.Run(tc.name, func(b *testing.B) {
			h := loadedModel(b)
			h.model().c.Log.Debug("bench")
			mm := h.model()
			mm.setFocus(tc.p)
			var model tea.Model = mm
			k := keyPress(tc.key)
			up := keyPress("up")
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				press := k
				if tc.key == "down" && i%2 == 1 {
					press = up // stay near the top: measure moves, not the end of the list
				}
				model, _ = model.Update(press)
				_ = model.View()
			}
		})
	}
}

// BenchmarkFirstFrame is from New to the first drawn frame with 10,000 flows
// listed (the history's part is BenchmarkOpen and BenchmarkListFlowNewest100
// in ./history).
func BenchmarkFirstFrame(b *testing.B) {
	for b.Loop() {
		h := &harness{t: &testing.T{}}
		m, err := New(Options{Backend: manyFlows{10000}, Theme: "dark"})
		if err != nil {
			b.Fatal(err)
		}
		h.m = m
		h.send(tea.WindowSizeMsg{Width: 200, Height: 60})
		h.run(m.Init())
		_ = h.m.View()
	}
}
