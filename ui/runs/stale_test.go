package runs

import (
	"strconv"
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

// With more executions running than a refresh describes, the refresh reads
// the first page again: every one of them shows its end at once, not four
// every few seconds.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-listexecutions
func TestManyRunningExecutionsAreRefreshedByOneList(t *testing.T) {
	all := executions(40)
	for i := range all {
		all[i].Status, all[i].StoppedTime = fnf.StatusRunning, ""
	}
	m, ask := standardShown(t, newTestModel(t, 60, 12), nil)
	m, cmd := m.Update(page(ask, all, 99))
	tick, ok := found[refreshTick](cmd)
	if !ok {
		t.Fatal("no refresh while executions run")
	}
	m, cmd = m.Update(tick)
	if d, described := found[msgs.DescribeExecutions](cmd); described {
		t.Fatalf("the refresh described %d of 40 running executions one by one", len(d.Names))
	}
	again, ok := found[msgs.ListExecutions](cmd)
	if !ok || again.Request.NextToken != "" {
		t.Fatalf("the refresh did not read the first page again: %+v", again)
	}
	for i := range all {
		all[i].Status, all[i].StoppedTime = fnf.StatusSucceeded, fnf.FormatTime(now)
	}
	m, cmd = m.Update(page(again, all, 99))
	if v := ansi.Strip(m.View()); strings.Contains(v, "…") {
		t.Fatalf("rows still show running after the list said they ended:\n%s", v)
	}
	if _, more := found[refreshTick](cmd); more {
		t.Error("refreshing goes on with nothing running")
	}
	if m.Len() != 40 {
		t.Errorf("%d rows after the refresh; want the 40 executions once", m.Len())
	}
}

// Executions running past the first page, which reading it again does not
// reach, are still described.
func TestRunningExecutionsPastTheFirstPageAreDescribed(t *testing.T) {
	all := executions(pageSize + 10)
	for i := range all {
		all[i].Status, all[i].StoppedTime = fnf.StatusRunning, ""
	}
	m, ask := standardShown(t, newTestModel(t, 60, 12), nil)
	m, cmd := m.Update(page(ask, all, pageSize))
	tick, _ := found[refreshTick](cmd)
	next := msgs.ListExecutions{Gen: ask.Gen, Request: ask.Request}
	next.Request.NextToken = strconv.Itoa(pageSize)
	m.svc.asked, m.svc.token = true, next.Request.NextToken // the page the cursor asked for
	m, _ = m.Update(page(next, all, pageSize))
	_, cmd = m.Update(tick)
	d, ok := found[msgs.DescribeExecutions](cmd)
	if !ok || len(d.Names) != refreshAtMost || d.Names[0] != all[pageSize].Name {
		t.Fatalf("the refresh described %+v; want the first past the first page", d.Names)
	}
	if _, ok := found[msgs.ListExecutions](cmd); !ok {
		t.Fatal("the first page was not read again")
	}
}
