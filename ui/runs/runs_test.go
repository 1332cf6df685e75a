package runs

import (
	"errors"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/uitest"
)

func TestSelectingAFlowShowsLoadingUntilItsRuns(t *testing.T) {
	m := newTestModel(t, 36, 16)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "select a flow") {
		t.Fatalf("no flow yet:\n%s", v)
	}
	m, _ = m.Update(msgs.FlowSelected{Flow: fnf.Flow{Name: "order-flow"}})
	v := ansi.Strip(m.View())
	if !strings.Contains(v, "Runs · order-flow") || !strings.Contains(v, "loading runs") {
		t.Fatalf("title or loading state missing:\n%s", v)
	}
	m, _ = m.Update(msgs.RunsLoaded{Flow: "image-resize", Runs: sampleRuns()})
	if !strings.Contains(ansi.Strip(m.View()), "loading runs") {
		t.Fatal("runs of another flow were shown")
	}
	m, _ = m.Update(msgs.RunsLoaded{Flow: "order-flow", Runs: sampleRuns()})
	v = ansi.Strip(m.View())
	if strings.Contains(v, "loading") || !strings.Contains(v, "smoke") || !strings.Contains(v, "1/6") {
		t.Fatalf("runs not shown:\n%s", v)
	}
	m, _ = m.Update(msgs.FlowSelected{Flow: fnf.Flow{Name: "image-resize"}})
	v = ansi.Strip(m.View())
	if strings.Contains(v, "smoke") || !strings.Contains(v, "Runs · image-resize") {
		t.Fatalf("rows of the previous flow kept:\n%s", v)
	}
}

func TestSelectingTheSameFlowAgainKeepsRows(t *testing.T) {
	m := shown(t, newTestModel(t, 36, 16), sampleRuns())
	m, _ = send(m, press(tea.KeyDown))
	m, _ = m.Update(msgs.FlowSelected{Flow: fnf.Flow{Name: "order-flow"}})
	if m.loading || selectedID(t, m) != 5 {
		t.Fatal("re-selecting the shown flow cleared it")
	}
}

func TestRowsShowTimeStatusDurationNameAndPin(t *testing.T) {
	m := shown(t, newTestModel(t, 60, 12), sampleRuns())
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	// Times are local to the clock's zone; the column is as wide as the
	// widest time on screen.
	for i, w := range []string{
		"> 15:25:00     ✓ 132 ms    smoke",
		"  14:30:00     ✗  2.4 s    9b7c6d5e",
		"  13:30:00     ⏱   42 s 📌 retry-run",
		"  12:30:00     ■  3m05s    cancelled",
		"  Mar 13 13:30 ✗  <1 ms    net",
		"  Feb 12 15:30 ✓  18 ms    first",
	} {
		if !strings.Contains(lines[i+1], w) {
			t.Errorf("row %d = %q, want it to contain %q", i, lines[i+1], w)
		}
	}
	if !strings.Contains(lines[1], "smoke") || strings.Contains(lines[1], "3f2a8c1e") {
		t.Errorf("name not shortened: %q", lines[1])
	}
}

func TestKeysMoveTheCursor(t *testing.T) {
	m := shown(t, newTestModel(t, 36, 6), manyRuns(50)) // 4 rows on screen
	steps := []struct {
		key  tea.KeyPressMsg
		want int64
	}{
		{press(tea.KeyDown), 49}, {typed("j"), 48}, {typed("k"), 49}, {press(tea.KeyUp), 50}, {press(tea.KeyUp), 50},
		{press(tea.KeyPgDown), 47}, {press(tea.KeyPgUp), 50}, {press(tea.KeyEnd), 1}, {press(tea.KeyDown), 1},
		{press(tea.KeyHome), 50}, {typed("G"), 1}, {typed("g"), 50},
	}
	for i, s := range steps {
		var out tea.Msg
		m, out = send(m, s.key)
		if got := selectedID(t, m); got != s.want {
			t.Fatalf("step %d (%s): on run %d, want %d", i, s.key, got, s.want)
		}
		if out != nil {
			t.Fatalf("moving emitted %#v", out)
		}
		if !strings.Contains(ansi.Strip(m.View()), "> ") {
			t.Fatalf("step %d: cursor off screen:\n%s", i, ansi.Strip(m.View()))
		}
	}
}

func TestActionKeysAskTheRoot(t *testing.T) {
	m := shown(t, newTestModel(t, 36, 16), sampleRuns())
	m, _ = send(m, press(tea.KeyDown), press(tea.KeyDown)) // run 4, pinned
	cases := []struct {
		key  tea.KeyPressMsg
		want tea.Msg
	}{
		{press(tea.KeyEnter), msgs.OpenRun{HistoryID: 4}},
		{typed("i"), LoadInputOf{HistoryID: 4}},
		{typed("d"), msgs.DiffRequested{HistoryID: 4}},
		{typed("p"), msgs.PinRequested{HistoryID: 4, Pinned: false}},
	}
	for _, c := range cases {
		if _, got := send(m, c.key); got != c.want {
			t.Errorf("%s emitted %#v, want %#v", c.key, got, c.want)
		}
	}
	m, _ = send(m, press(tea.KeyUp))
	if _, got := send(m, typed("p")); got != (msgs.PinRequested{HistoryID: 5, Pinned: true}) {
		t.Errorf("p on an unpinned run emitted %#v", got)
	}
}

func TestActionKeysDoNothingWithoutRuns(t *testing.T) {
	m := newTestModel(t, 36, 16)
	m, _ = m.Update(msgs.FlowSelected{Flow: fnf.Flow{Name: "order-flow"}})
	for _, k := range []tea.KeyPressMsg{press(tea.KeyEnter), typed("i"), typed("d"), typed("p"), press(tea.KeyDown)} {
		if _, got := send(m, k); got != nil {
			t.Errorf("%s emitted %#v with no runs", k, got)
		}
	}
}

func TestPinnedUpdatesTheMark(t *testing.T) {
	m := shown(t, newTestModel(t, 36, 16), sampleRuns())
	before := m
	m, _ = m.Update(Pinned{HistoryID: 6, Pinned: true})
	m, _ = m.Update(Pinned{HistoryID: 4, Pinned: false})
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	if !strings.Contains(lines[1], "📌") || strings.Contains(lines[3], "📌") {
		t.Fatalf("pins not moved:\n%s", strings.Join(lines, "\n"))
	}
	if v, _ := m.Selected(); !v.Pinned {
		t.Fatal("Selected does not report the new pin")
	}
	if _, got := send(m, typed("p")); got != (msgs.PinRequested{HistoryID: 6, Pinned: false}) {
		t.Fatalf("p after pinning emitted %#v", got)
	}
	if strings.Contains(strings.Split(ansi.Strip(before.View()), "\n")[1], "📌") {
		t.Fatal("an earlier copy of the model changed")
	}
}

func TestFinishedRunGoesOnTop(t *testing.T) {
	m := shown(t, newTestModel(t, 48, 16), sampleRuns())
	run := msgs.RunView{Run: history.Run{ID: 7, FlowName: "order-flow", Name: "fresh-run", Status: "Succeeded",
		ClientStart: now.Add(-time.Minute), Latency: 90 * time.Millisecond}}
	m, _ = m.Update(msgs.RunFinished{ID: 1, View: run})
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	if !strings.Contains(lines[1], "fresh-run") || m.Len() != 7 {
		t.Fatalf("finished run not on top:\n%s", strings.Join(lines, "\n"))
	}
	m, _ = send(m, press(tea.KeyDown)) // on run 6
	run.ID, run.Name = 8, "another"
	m, _ = m.Update(msgs.RunFinished{ID: 2, View: run})
	if selectedID(t, m) != 6 {
		t.Fatalf("the cursor left its run for %d", selectedID(t, m))
	}
	for _, drop := range []msgs.RunView{
		{Run: history.Run{ID: 8, FlowName: "order-flow", Name: "again"}}, // a duplicate
		{Run: history.Run{ID: 0, FlowName: "order-flow", Name: "unrecorded"}},
		{Run: history.Run{ID: 9, FlowName: "image-resize", Name: "other-flow"}},
	} {
		m, _ = m.Update(msgs.RunFinished{View: drop})
	}
	if m.Len() != 8 {
		t.Fatalf("%d runs, want 8: duplicates, unrecorded runs or other flows were added", m.Len())
	}
	// A reload that already holds run 7 keeps only run 8 apart.
	reloaded := append([]msgs.RunView{{Run: history.Run{ID: 7, FlowName: "order-flow", Name: "fresh-run"}}}, sampleRuns()...)
	m, _ = m.Update(msgs.RunsLoaded{Flow: "order-flow", Runs: reloaded})
	if m.Len() != 8 || selectedID(t, m) != 6 {
		t.Fatalf("after reload: %d runs, on run %d", m.Len(), selectedID(t, m))
	}
}

func TestFinishedRunWhileLoadingSurvivesTheLoad(t *testing.T) {
	m := newTestModel(t, 36, 16)
	m, _ = m.Update(msgs.FlowSelected{Flow: fnf.Flow{Name: "order-flow"}})
	m, _ = m.Update(msgs.RunFinished{View: msgs.RunView{Run: history.Run{ID: 7, FlowName: "order-flow", Name: "early", Status: "Succeeded"}}})
	m, _ = m.Update(msgs.RunsLoaded{Flow: "order-flow", Runs: sampleRuns()})
	if m.Len() != 7 || selectedID(t, m) != 7 {
		t.Fatalf("%d runs, first %d", m.Len(), selectedID(t, m))
	}
}

func TestEmptyHistoryAndErrors(t *testing.T) {
	m := shown(t, newTestModel(t, 24, 10), nil)
	if v := ansi.Strip(m.View()); !strings.Contains(v, "no runs yet") || !strings.Contains(v, "ctrl+r") {
		t.Fatalf("empty state:\n%s", v)
	}
	m, _ = m.Update(msgs.RunsLoaded{Flow: "order-flow", Err: errors.New("history: database is locked\x1b[2J")})
	v := m.View()
	if !strings.Contains(ansi.Strip(v), "database is") || strings.Contains(v, "\x1b[2J") {
		t.Fatalf("error not shown sanitised:\n%q", v)
	}
}

func TestHostileNamesAreShownEscaped(t *testing.T) {
	runs := []msgs.RunView{{Run: history.Run{ID: 1, FlowName: "evil\x1b]0;pwned\x07", Name: "run\x1b]0;pwned\x07", Status: "Succeeded\x1b[5m"}}}
	m := newTestModel(t, 60, 8)
	m, _ = m.Update(msgs.FlowSelected{Flow: fnf.Flow{Name: "evil\x1b]0;pwned\x07"}})
	m, _ = m.Update(msgs.RunsLoaded{Flow: "evil\x1b]0;pwned\x07", Runs: runs})
	v := m.View()
	if strings.Contains(v, "\x1b]") || strings.Contains(v, "\x07") || strings.Contains(v, "\x1b[5m") {
		t.Fatalf("control sequences reached the view: %q", v)
	}
	if p := ansi.Strip(v); !strings.Contains(p, "evil^[]0;pwned^G") || !strings.Contains(p, "run^[]0;pwned^G") {
		t.Fatalf("names not shown escaped:\n%s", p)
	}
}

func TestViewIsExactlyTheGivenSize(t *testing.T) {
	for _, size := range [][2]int{{24, 10}, {36, 16}, {60, 25}, {12, 4}, {4, 2}} {
		m := shown(t, newTestModel(t, size[0], size[1]), sampleRuns())
		m, _ = m.Update(Pinned{HistoryID: 5, Pinned: true})
		m, _ = send(m, press(tea.KeyEnd), press(tea.KeyUp))
		lines := strings.Split(m.View(), "\n")
		if len(lines) != size[1] {
			t.Fatalf("%v: %d lines", size, len(lines))
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w != size[0] {
				t.Fatalf("%v: line %d is %d wide: %q", size, i, w, ansi.Strip(l))
			}
		}
	}
}

func TestDurations(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		v    msgs.RunView
		want string
	}{
		{msgs.RunView{}, "-"},
		{msgs.RunView{Run: history.Run{Latency: 500 * time.Microsecond}}, "<1 ms"},
		{msgs.RunView{Run: history.Run{Latency: 999 * time.Millisecond}}, "999 ms"},
		{msgs.RunView{Run: history.Run{Latency: 2449 * time.Millisecond}}, "2.4 s"},
		{msgs.RunView{Run: history.Run{Latency: 59 * time.Second}}, "59 s"},
		{msgs.RunView{Run: history.Run{Latency: 61 * time.Minute}}, "1h01m"},
		{msgs.RunView{Run: history.Run{Latency: time.Second, StartedTime: at, StoppedTime: at.Add(132 * time.Millisecond)}}, "132 ms"},
	}
	for _, c := range cases {
		if got := formatDuration(&c.v); got != c.want {
			t.Errorf("formatDuration(%v) = %q, want %q", c.v.Latency, got, c.want)
		}
	}
}

func TestFilterQueriesTheHistoryAndShowsItself(t *testing.T) {
	m := shown(t, newTestModel(t, 60, 12), sampleRuns())
	m, _ = send(m, typed("/"))
	if !m.Capturing() {
		t.Fatal("/ does not open the filter")
	}
	for _, r := range "status:failed since:2h card" {
		m, _ = send(m, typed(string(r)))
	}
	if v := ansi.Strip(m.View()); !strings.Contains(v, "/status:failed since:2h card") {
		t.Fatalf("the filter typed is not shown:\n%s", v)
	}
	m, out := send(m, press(tea.KeyEnter))
	q, ok := out.(Query)
	if !ok || q.Flow != "order-flow" || q.Filter.Status != "Failed" || q.Filter.Search != "card" ||
		!q.Filter.Since.Equal(now.Add(-2*time.Hour)) {
		t.Fatalf("enter asked %#v", out)
	}
	if m.Capturing() {
		t.Fatal("still typing after enter")
	}
	m, _ = m.Update(Queried{Gen: q.Gen - 1, Flow: "order-flow", Runs: sampleRuns()[:3]}) // an older query
	m, _ = m.Update(Queried{Gen: q.Gen, Flow: "order-flow", Runs: sampleRuns()[1:2]})
	v := ansi.Strip(m.View())
	if m.Len() != 1 || selectedID(t, m) != 5 || !strings.Contains(v, "/status:failed since:2h card · 1/1") {
		t.Fatalf("filtered rows (%d):\n%s", m.Len(), v)
	}
	// A run of the flow that finishes is the history's to match: ask again.
	m, cmd := m.Update(msgs.RunFinished{ID: 9, View: msgs.RunView{Run: history.Run{ID: 9, FlowName: "order-flow", Status: "Succeeded"}}})
	if q2, ok := cmdMsg(cmd).(Query); !ok || q2.Filter.Status != "Failed" || q2.Gen <= q.Gen {
		t.Fatalf("a finished run did not query again: %#v", cmdMsg(cmd))
	}
	m, cmd = m.Update(press(tea.KeyEscape))
	if q3, ok := found[Query](cmd); !ok || q3.Filter != (history.Filter{}) {
		t.Fatalf("esc asked %#v", cmdMsg(cmd))
	}
	if strings.Contains(ansi.Strip(m.View()), "/status") {
		t.Fatal("the cleared filter is still shown")
	}
}

func TestFilterRefusesWhatHistoryRefuses(t *testing.T) {
	for text, reason := range map[string]string{"status:bogus": "status:bogus: use one of Succeeded", "%": "no word to search for"} {
		m := shown(t, newTestModel(t, 60, 12), sampleRuns())
		m, _ = send(m, typed("/"))
		for _, r := range text {
			m, _ = send(m, typed(string(r)))
		}
		m, out := send(m, press(tea.KeyEnter))
		if out != nil || !m.Capturing() {
			t.Fatalf("%s was queried: %#v", text, out)
		}
		if v := ansi.Strip(m.View()); !strings.Contains(v, reason) {
			t.Fatalf("%s: no reason shown:\n%s", text, v)
		}
	}
	m := shown(t, newTestModel(t, 60, 12), sampleRuns())
	m, _ = send(m, typed("/"))
	for _, r := range "status:bogus" {
		m, _ = send(m, typed(string(r)))
	}
	m, _ = send(m, press(tea.KeyEnter))
	m, _ = send(m, press(tea.KeyEscape))
	if m.Capturing() || m.Filter() != "" || m.Len() != 6 {
		t.Fatal("esc while typing should leave the rows as they were")
	}
}

func TestRowsShowTheDateOfOlderRunsInAStableColumn(t *testing.T) {
	runs := manyRuns(30) // today, a minute apart
	runs = append(runs, msgs.RunView{Run: history.Run{ID: -1, FlowName: "order-flow", Name: "last-year", Status: "Succeeded",
		ClientStart: time.Date(2025, 12, 31, 9, 15, 0, 0, time.UTC), Latency: time.Millisecond}})
	m := shown(t, newTestModel(t, 60, 8), runs)
	top := strings.Split(ansi.Strip(m.View()), "\n")[1]
	if !strings.Contains(top, "> 15:30:00         ✓ 132 ms") {
		t.Fatalf("a run of today: %q (time only, in a column as wide as the oldest run's)", top)
	}
	m, _ = send(m, press(tea.KeyEnd))
	lines := strings.Split(ansi.Strip(m.View()), "\n")
	last := lines[len(lines)-2]
	if !strings.Contains(last, "> 2025-12-31 17:15 ✓   1 ms") {
		t.Fatalf("a run of last year: %q", last)
	}
	if i, j := strings.Index(top, "✓"), strings.Index(last, "✓"); i != j {
		t.Fatalf("the columns moved while scrolling:\n%q\n%q", top, last)
	}
}

func TestRowsEscapeHostileText(t *testing.T) {
	runs := sampleRuns()
	runs[0].Name, runs[0].RequestedName, runs[0].Status = uitest.Hostile, uitest.Hostile, uitest.Hostile
	m, _ := newTestModel(t, 60, 12).Update(msgs.FlowSelected{Flow: fnf.Flow{Name: uitest.Hostile}})
	m, _ = m.Update(msgs.RunsLoaded{Flow: uitest.Hostile, Runs: runs})
	uitest.CheckTerminalSafe(t, "rows", m.View())
	m, _ = send(m, typed("/"))
	m, _ = m.Update(tea.PasteMsg{Content: uitest.Hostile})
	uitest.CheckTerminalSafe(t, "filter typed", m.View())
	m, _ = send(m, press(tea.KeyEnter))
	uitest.CheckTerminalSafe(t, "filter applied", m.View())
	m, _ = m.Update(msgs.RunsLoaded{Flow: uitest.Hostile, Err: errors.New(uitest.Hostile)})
	uitest.CheckTerminalSafe(t, "load error", m.View())
}

func cmdMsg(c tea.Cmd) tea.Msg {
	if c == nil {
		return nil
	}
	return c()
}
