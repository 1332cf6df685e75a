package runs

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/msgs"
)

// recordedRunning is a history row of a Standard execution of order-flow
// recorded Running on backend info (followed, then let go), started 18 s ago.
func recordedRunning(id int64, name string, info fnf.Info) msgs.RunView {
	start := now.Add(-18 * time.Second).UTC()
	return msgs.RunView{Origin: msgs.OriginHistory, Run: history.Run{ID: id, FlowName: "order-flow", Name: name,
		Mode: fnf.ModeStandard, Backend: info.Kind, Region: info.Region, Endpoint: info.Endpoint,
		Status: fnf.StatusRunning, ClientStart: start, StartedTime: start}}
}

// A history row recorded Running is described as the service's running
// rows are, and shows its end once the service says it ended; a row of
// another backend, which cannot be described, shows no time growing.
func TestARecordedRunningExecutionShowsItsEnd(t *testing.T) {
	local := fnf.Info{Kind: fnf.KindLocal, Endpoint: "/flows"}
	m := newTestModel(t, 60, 12)
	m.SetBackend(local)
	mine := recordedRunning(2, "wait-1", local)
	other := recordedRunning(1, "elsewhere", cloud)
	m, cmd := m.Update(msgs.FlowSelected{Flow: standardFlow})
	ask, _ := found[msgs.ListExecutions](cmd)
	m, _ = m.Update(msgs.ExecutionsListed{Gen: ask.Gen, Flow: "order-flow"}) // an engine that lost them
	m, cmd = m.Update(msgs.RunsLoaded{Flow: "order-flow", Runs: []msgs.RunView{mine, other}})
	tick, ok := found[refreshTick](cmd)
	if !ok {
		t.Fatal("no refresh while a recorded execution runs")
	}
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	if !strings.Contains(lines[2], "…      - elsewhere") {
		t.Errorf("another backend's running row shows a time that grows: %q", lines[2])
	}
	// Until then, it opens as the service has it now.
	if out, _ := m.Request(press(tea.KeyEnter)); out != (msgs.OpenExecution{Flow: "order-flow", Name: "wait-1"}) {
		t.Fatalf("enter on a recorded running execution asked %#v", out)
	}
	m, cmd = m.Update(tick)
	d, ok := found[msgs.DescribeExecutions](cmd)
	if !ok || len(d.Names) != 1 || d.Names[0] != "wait-1" {
		t.Fatalf("refresh asked %+v; want wait-1 alone (elsewhere is another backend's)", d)
	}
	ended := fnf.ExecutionDetail{FlowName: "order-flow", Name: "wait-1", Status: fnf.StatusSucceeded,
		StartedTime: fnf.FormatTime(mine.StartedTime), StoppedTime: fnf.FormatTime(mine.StartedTime.Add(time.Second))}
	m, cmd = m.Update(msgs.ExecutionsDescribed{Gen: d.Gen, Flow: d.Flow, Runs: []msgs.RunView{msgs.BackendView(local, ended, nil)}})
	if _, again := found[refreshTick](cmd); again {
		t.Error("refreshing goes on with nothing of this backend running")
	}
	lines = strings.Split(ansi.Strip(m.View()), "\n")
	if !strings.Contains(lines[1], "✓  1.0 s wait-1") {
		t.Fatalf("the ended execution still shows running:\n%s", strings.Join(lines, "\n"))
	}
	// It opens as the history now holds it.
	if out, _ := m.Request(press(tea.KeyEnter)); out != (msgs.OpenRun{HistoryID: 2}) {
		t.Fatalf("enter asked %#v", out)
	}
}
