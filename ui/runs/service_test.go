package runs

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/msgs"
)

var (
	standardFlow = fnf.Flow{Name: "order-flow", ExecutionMode: fnf.ModeStandard}
	cloud        = fnf.Info{Kind: fnf.KindCloud, Region: "cn-hangzhou", Endpoint: "cn-hangzhou.fnf.aliyuncs.com"}
)

// executions is n executions of order-flow on the service, newest first,
// one a minute from 90 seconds ago.
func executions(n int) []fnf.ExecutionDetail {
	out := make([]fnf.ExecutionDetail, n)
	for i := range out {
		start := now.Add(-90*time.Second - time.Duration(i)*time.Minute)
		out[i] = fnf.ExecutionDetail{FlowName: "order-flow", Name: fmt.Sprintf("exec-%05d", n-i), Status: fnf.StatusSucceeded,
			StartedTime: fnf.FormatTime(start), StoppedTime: fnf.FormatTime(start.Add(2 * time.Second))}
	}
	return out
}

// page answers a ListExecutions from all, as the service does: Limit
// executions after the position NextToken names.
func page(ask msgs.ListExecutions, all []fnf.ExecutionDetail, size int) msgs.ExecutionsListed {
	from, _ := strconv.Atoi(ask.Request.NextToken)
	out := msgs.ExecutionsListed{Gen: ask.Gen, Flow: ask.Request.FlowName, Token: ask.Request.NextToken}
	for _, d := range all[from:min(from+size, len(all))] {
		out.Runs = append(out.Runs, msgs.BackendView(cloud, d, nil))
	}
	if from+size < len(all) {
		out.Next = strconv.Itoa(from + size)
	}
	return out
}

// standardShown is the pane on order-flow (Standard) with its history
// loaded, and the ListExecutions it asked for.
func standardShown(t testing.TB, m Model, hist []msgs.RunView) (Model, msgs.ListExecutions) {
	t.Helper()
	m, cmd := m.Update(msgs.FlowSelected{Flow: standardFlow})
	ask, ok := found[msgs.ListExecutions](cmd)
	if !ok {
		t.Fatal("selecting a Standard flow did not list its executions")
	}
	m, _ = m.Update(msgs.RunsLoaded{Flow: "order-flow", Runs: hist})
	return m, ask
}

func TestScrollingLoadsMorePagesUntilTheEnd(t *testing.T) {
	all := executions(250)
	m, ask := standardShown(t, newTestModel(t, 40, 12), nil)
	if ask.Request.NextToken != "" || ask.Request.FlowName != "order-flow" || !ask.Request.MetadataOnly {
		t.Fatalf("first page asked as %+v", ask.Request)
	}
	m, cmd := m.Update(page(ask, all, 99))
	if _, more := found[msgs.ListExecutions](cmd); more {
		t.Fatal("a second page was asked for before any scrolling")
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "exec-00250") || !strings.Contains(v, "1/99+") {
		t.Fatalf("first page not shown:\n%s", v)
	}
	asked := 1
	for range 400 {
		var cmd tea.Cmd
		m, cmd = m.Update(press(tea.KeyDown))
		if next, ok := found[msgs.ListExecutions](cmd); ok {
			asked++
			m, cmd = m.Update(page(next, all, 99))
			if _, again := found[msgs.ListExecutions](cmd); again {
				t.Fatal("a page was asked for while the cursor was far from the end")
			}
		}
	}
	if asked != 3 || m.Len() != 250 || m.svc.next != "" {
		t.Fatalf("asked %d pages, listed %d rows (next %q); want 3 pages, 250 rows", asked, m.Len(), m.svc.next)
	}
	seen := map[string]bool{}
	for i := range m.Len() {
		if n := m.at(i).Name; seen[n] {
			t.Fatalf("%s listed twice", n)
		} else {
			seen[n] = true
		}
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "exec-00001") || !strings.Contains(v, "250/250 ") {
		t.Fatalf("the end not shown:\n%s", v)
	}
}

func TestAPageRepeatingAnExecutionAddsItOnce(t *testing.T) {
	all := executions(5)
	m, ask := standardShown(t, newTestModel(t, 40, 12), nil)
	m, cmd := m.Update(page(ask, all, 3))
	next, ok := found[msgs.ListExecutions](cmd)
	if !ok {
		t.Fatal("a page that does not fill the screen did not ask for the next")
	}
	p := page(next, all, 3)
	p.Runs = append([]msgs.RunView{msgs.BackendView(cloud, all[2], nil)}, p.Runs...) // started meanwhile
	m, _ = m.Update(p)
	if m.Len() != 5 {
		t.Fatalf("%d rows, want 5", m.Len())
	}
}

func TestPagesThatShowNothingStopAfterAFewUntilAKey(t *testing.T) {
	m, ask := standardShown(t, newTestModel(t, 40, 12), nil)
	asked := 0
	for { // a filter the service answers with empty pages, 100k executions deep
		var cmd tea.Cmd
		m, cmd = m.Update(msgs.ExecutionsListed{Gen: ask.Gen, Flow: "order-flow", Token: ask.Request.NextToken, Next: strconv.Itoa(asked + 1)})
		next, ok := found[msgs.ListExecutions](cmd)
		if !ok {
			break
		}
		if asked++; asked > 100 {
			t.Fatal("empty pages are read without end")
		}
		ask = next
	}
	if asked != autoPages {
		t.Fatalf("%d pages read by themselves, want %d", asked, autoPages)
	}
	if _, ok := found[msgs.ListExecutions](func() tea.Cmd { _, c := m.Update(press(tea.KeyDown)); return c }()); !ok {
		t.Fatal("a key did not go on reading")
	}
}

func TestAStalePageIsDropped(t *testing.T) {
	m, ask := standardShown(t, newTestModel(t, 40, 12), sampleRuns())
	m, _ = m.Update(msgs.FlowSelected{Flow: fnf.Flow{Name: "image-resize", ExecutionMode: fnf.ModeStandard}})
	m, _ = m.Update(page(ask, executions(3), 99)) // order-flow's, after image-resize was chosen
	if m.Len() != 0 || strings.Contains(ansi.Strip(m.View()), "exec-") {
		t.Fatalf("another flow's page was shown:\n%s", ansi.Strip(m.View()))
	}
	// The same flow, but a listing that a filter replaced since.
	m, ask = standardShown(t, newTestModel(t, 40, 12), sampleRuns())
	m, _ = send(m, typed("/"), typed("s"), typed("i"), typed("n"), typed("c"), typed("e"), typed(":"), typed("1"), typed("h"))
	m, _ = m.Update(press(tea.KeyEnter))
	m, _ = m.Update(page(ask, executions(3), 99))
	if strings.Contains(ansi.Strip(m.View()), "exec-") {
		t.Fatalf("the page of the listing before the filter was shown:\n%s", ansi.Strip(m.View()))
	}
}

func TestRunningExecutionsUpdateInPlace(t *testing.T) {
	all := executions(3)
	all[0].Status, all[0].StoppedTime = fnf.StatusRunning, ""
	m, ask := standardShown(t, newTestModel(t, 40, 12), nil)
	m, cmd := m.Update(page(ask, all, 99))
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "1m30s") {
		t.Fatalf("the running execution does not show as running, with its time so far:\n%s", v)
	}
	tick, ok := found[refreshTick](cmd)
	if !ok {
		t.Fatal("no refresh while an execution runs")
	}
	m, cmd = m.Update(tick)
	d, ok := found[msgs.DescribeExecutions](cmd)
	if !ok || len(d.Names) != 1 || d.Names[0] != "exec-00003" {
		t.Fatalf("refresh asked %+v", d)
	}
	done := all[0]
	done.Status, done.StoppedTime = fnf.StatusFailed, fnf.FormatTime(now)
	m, cmd = m.Update(msgs.ExecutionsDescribed{Gen: d.Gen, Flow: d.Flow, Runs: []msgs.RunView{msgs.BackendView(cloud, done, nil)}})
	if _, again := found[refreshTick](cmd); again {
		t.Fatal("refreshing goes on with nothing running")
	}
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	if m.Len() != 3 || !strings.Contains(lines[1], "✗") || !strings.Contains(lines[1], "exec-00003") {
		t.Fatalf("the ended execution did not change in place:\n%s", strings.Join(lines, "\n"))
	}
}

func TestFiltersGoToTheAPI(t *testing.T) {
	m, _ := standardShown(t, newTestModel(t, 60, 12), sampleRuns())
	m, _ = send(m, typed("/"))
	for _, r := range "status:running since:2h name:nightly-" {
		m, _ = send(m, typed(string(r)))
	}
	m, cmd := m.Update(press(tea.KeyEnter))
	ask, ok := found[msgs.ListExecutions](cmd)
	req := ask.Request
	if !ok || req.Status != fnf.StatusRunning || !req.StartedBegin.Equal(now.Add(-2*time.Hour)) || req.NamePrefix != "nightly-" || req.NextToken != "" {
		t.Fatalf("the filter was sent as %+v", req)
	}
	q, ok := found[Query](cmd)
	if !ok || q.Filter.Search != "" || q.Filter.Status != fnf.StatusRunning {
		t.Fatalf("the history was asked %+v", q)
	}
	// The history has no name index: its rows are cut to the prefix here.
	named := sampleRuns()[:1]
	named[0].Name = "nightly-3"
	other := sampleRuns()[1:2]
	m, _ = m.Update(Queried{Gen: q.Gen, Flow: "order-flow", Runs: append(named, other...)})
	if m.Len() != 1 {
		t.Fatalf("name:nightly- kept %d history rows, want 1", m.Len())
	}

	// Words search the history alone: the service is not asked, and the
	// footer says the rows are the history's only.
	m, _ = send(m, typed("/"), tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl})
	for _, r := range "card status:failed" {
		m, _ = send(m, typed(string(r)))
	}
	m, cmd = m.Update(press(tea.KeyEnter))
	if _, asked := found[msgs.ListExecutions](cmd); asked {
		t.Fatal("words were sent to ListExecutions, which cannot search")
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "history only (words)") {
		t.Fatalf("the footer does not say the service is not filtered:\n%s", v)
	}
}

func TestListErrorsShowBelowTheHistory(t *testing.T) {
	m, ask := standardShown(t, newTestModel(t, 60, 12), sampleRuns())
	m, cmd := m.Update(msgs.ExecutionsListed{Gen: ask.Gen, Flow: "order-flow",
		Err: errors.New("ListExecutions: Throttling.User: Request was denied due to user flow control\x1b[2J")})
	if st, ok := found[msgs.Status](cmd); !ok || !st.Err || !strings.Contains(st.Text, "user flow control") {
		t.Fatalf("the whole error did not go to the status bar: %#v", st)
	}
	v := m.View()
	plain := ansi.Strip(v)
	if !strings.Contains(plain, "smoke") || !strings.Contains(plain, "first") || !strings.Contains(plain, "service: ListExecutions: Throttling.User") {
		t.Fatalf("the error hid the history, or is not shown:\n%s", plain)
	}
	if strings.Contains(v, "\x1b[2J") {
		t.Fatal("the error's escape sequence reached the terminal")
	}
}

func TestAFailedPageIsAskedAgainByAKeyNotByItself(t *testing.T) {
	all := executions(150)
	m, ask := standardShown(t, newTestModel(t, 40, 12), nil)
	m, _ = m.Update(page(ask, all, 99))
	m, cmd := m.Update(press(tea.KeyEnd))
	next, ok := found[msgs.ListExecutions](cmd)
	if !ok {
		t.Fatal("the end did not ask for the next page")
	}
	m, cmd = m.Update(msgs.ExecutionsListed{Gen: next.Gen, Flow: "order-flow", Token: next.Request.NextToken, Err: errors.New("connection reset")})
	if _, again := found[msgs.ListExecutions](cmd); again {
		t.Fatal("a failed page was asked again at once")
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "exec-00052") || !strings.Contains(v, "service: connection reset") {
		t.Fatalf("the rows listed or the error are not shown:\n%s", v)
	}
	m, cmd = m.Update(press(tea.KeyUp))
	retry, ok := found[msgs.ListExecutions](cmd)
	if !ok || retry.Request.NextToken != next.Request.NextToken {
		t.Fatalf("a key near the end did not ask for the page again: %+v", retry)
	}
	m, _ = m.Update(page(retry, all, 99))
	if m.Len() != 150 || strings.Contains(ansi.Strip(m.View()), "connection reset") {
		t.Fatalf("%d rows after the retry, or the error stayed:\n%s", m.Len(), ansi.Strip(m.View()))
	}
}

func TestHostileExecutionNamesAreEscaped(t *testing.T) {
	m, ask := standardShown(t, newTestModel(t, 60, 12), nil)
	d := executions(1)
	d[0].Name = "run\x1b]0;pwned\x07\x1b[5m"
	m, _ = m.Update(page(ask, d, 99))
	if v := m.View(); strings.Contains(v, "\x1b]0;") || strings.Contains(v, "\x07") || strings.Contains(v, "\x1b[5m") {
		t.Fatalf("a hostile name reached the terminal: %q", v)
	}
}

func TestARunInBothShowsOnceMarkedBoth(t *testing.T) {
	all := executions(3)
	recorded := msgs.RunView{Origin: msgs.OriginHistory, Run: history.Run{ID: 7, FlowName: "order-flow", Name: all[1].Name,
		Mode: fnf.ModeStandard, Backend: cloud.Kind, Region: cloud.Region, Endpoint: cloud.Endpoint, Status: fnf.StatusSucceeded,
		ClientStart: now.Add(-151 * time.Second)}}
	elsewhere := recorded // the same name on another region is another execution
	elsewhere.ID, elsewhere.Region, elsewhere.ClientStart = 6, "cn-shanghai", now.Add(-3*time.Hour)
	m, ask := standardShown(t, newTestModel(t, 60, 12), []msgs.RunView{recorded, elsewhere})
	m, _ = m.Update(page(ask, all, 99))
	v := ansi.Strip(m.View())
	if m.Len() != 4 || strings.Count(v, all[1].Name) != 2 {
		t.Fatalf("%d rows; want 3 executions and the other region's run:\n%s", m.Len(), v)
	}
	lines := strings.Split(v, "\n")
	for i, want := range []string{" s ", "hs ", " s ", "h  "} {
		if !strings.Contains(lines[1+i], want) {
			t.Errorf("row %d has no mark %q: %q", i, want, lines[1+i])
		}
	}
	// The cursor stays on the newest row as the page comes above; the row
	// in both is the history's: it opens, diffs and pins as one.
	m, _ = send(m, press(tea.KeyDown))
	if out, ok := m.Request(press(tea.KeyEnter)); !ok || out != (msgs.OpenRun{HistoryID: 7}) {
		t.Fatalf("enter on a run in both asked %#v", out)
	}
}

func TestServiceRowsOpenAndLoadTheirInputFromTheService(t *testing.T) {
	m, ask := standardShown(t, newTestModel(t, 60, 12), nil)
	m, _ = m.Update(page(ask, executions(2), 99))
	if out, _ := m.Request(press(tea.KeyEnter)); out != (msgs.OpenExecution{Flow: "order-flow", Name: "exec-00002"}) {
		t.Fatalf("enter asked %#v", out)
	}
	if out, _ := m.Request(typed("i")); out != (msgs.LoadExecutionInput{Flow: "order-flow", Name: "exec-00002"}) {
		t.Fatalf("i asked %#v", out)
	}
	if out, ok := m.Request(typed("d")); ok {
		t.Fatalf("d asked %#v of a run the history does not hold", out)
	}
}

func TestExpressFlowsAndBackendsWithoutExecutionsShowTheHistoryAlone(t *testing.T) {
	m := newTestModel(t, 60, 12)
	m, cmd := m.Update(msgs.FlowSelected{Flow: fnf.Flow{Name: "order-flow", ExecutionMode: fnf.ModeExpress}})
	if _, asked := found[msgs.ListExecutions](cmd); asked {
		t.Fatal("an Express flow's executions were listed")
	}
	m, ask := standardShown(t, newTestModel(t, 60, 12), sampleRuns())
	m, _ = m.Update(msgs.ExecutionsListed{Gen: ask.Gen, Flow: "order-flow", Unsupported: true})
	want := ansi.Strip(shown(t, newTestModel(t, 60, 12), sampleRuns()).View())
	if got := ansi.Strip(m.View()); got != want {
		t.Fatalf("a backend without executions changed the pane:\n%s\nwant\n%s", got, want)
	}
}

// The pane with both origins, and with a list error below the history, at
// the pane's sizes in the 80×24 and 120×40 layouts.
func TestServiceViewGolden(t *testing.T) {
	hist := sampleRuns()
	hist[0].Mode, hist[0].Backend, hist[0].Region, hist[0].Endpoint = fnf.ModeStandard, cloud.Kind, cloud.Region, cloud.Endpoint
	hist[0].Name = "smoke"
	listed := executions(2)
	smoke := listed[0]
	smoke.Name, smoke.StartedTime = "smoke", fnf.FormatTime(hist[0].StartedTime)
	running := listed[1]
	running.Name, running.Status, running.StoppedTime = "nightly-run-with-a-long-name", fnf.StatusRunning, ""
	cases := []struct {
		name string
		prep func(Model) Model
	}{
		{"both", func(m Model) Model {
			m, ask := standardShown(t, m, hist)
			m, _ = m.Update(page(ask, []fnf.ExecutionDetail{running, smoke}, 99))
			return m
		}},
		{"error", func(m Model) Model {
			m, ask := standardShown(t, m, hist)
			m, _ = m.Update(msgs.ExecutionsListed{Gen: ask.Gen, Flow: "order-flow", Token: "", Err: errors.New("list the executions of order-flow: Throttling.User: Request was denied")})
			return m
		}},
	}
	for _, size := range [][2]int{{24, 10}, {36, 16}} {
		for _, c := range cases {
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], c.name), func(t *testing.T) {
				m := c.prep(newTestModel(t, size[0], size[1]))
				golden.RequireEqual(t, ansi.Strip(m.View()))
			})
		}
	}
}
