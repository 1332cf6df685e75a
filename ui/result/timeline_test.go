package result

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/ui/msgs"
	"github.com/flowtui/flowtui/ui/uitest"
)

// events builds an execution's history as GetExecutionHistory lists it:
// EventId from 1, 250 ms apart from the start of the sample run.
type events []fnf.Event

func (h *events) add(typ, step string, sched int64, detail string) int64 {
	id := int64(len(*h)) + 1
	start := time.Date(2026, 3, 14, 2, 1, 2, 0, time.UTC)
	*h = append(*h, fnf.Event{EventId: id, ScheduleEventId: sched, StepName: step, Type: typ,
		Time: fnf.FormatTime(start.Add(time.Duration(id-1) * 250 * time.Millisecond)), EventDetail: detail})
	return id
}

// refundEvents is a Standard execution that retries a Task, runs a
// Parallel of two branches and a Map whose second iteration fails it.
func refundEvents() []fnf.Event {
	var h events
	h.add(fnf.EventExecutionStarted, "", 0, `{"Input":{"orderId":"A-1"}}`)
	v := h.add(fnf.EventStepEntered, "Validate", 0, `{"Input":{"orderId":"A-1"}}`)
	h.add(fnf.EventStepExited, "Validate", v, `{"Output":{"orderId":"A-1","ok":true}}`)
	c := h.add(fnf.EventStepEntered, "Refund", 0, `{"Input":{"amount":42.5}}`)
	s := h.add(fnf.EventTaskScheduled, "Refund", 0, `{"Resource":"FC:InvokeFunction","TaskMode":"RequestComplete","Input":{"amount":42.5}}`)
	h.add(fnf.EventTaskStarted, "Refund", s, `{}`)
	h.add(fnf.EventTaskFailed, "Refund", s, `{"Error":"Payment.Busy","Cause":"try later"}`)
	s = h.add(fnf.EventTaskScheduled, "Refund", 0, `{"Resource":"FC:InvokeFunction","Input":{"amount":42.5}}`)
	h.add(fnf.EventTaskStarted, "Refund", s, `{}`)
	h.add(fnf.EventTaskSucceeded, "Refund", s, `{"Output":{"refundId":"RF-9"}}`)
	h.add(fnf.EventStepExited, "Refund", c, `{"Output":{"refundId":"RF-9"}}`)
	p := h.add(fnf.EventStepEntered, "Notify", 0, `{"Input":{}}`)
	b0 := h.add(fnf.EventBranchEntered, "Notify", 0, `{"Index":0}`)
	b1 := h.add(fnf.EventBranchEntered, "Notify", 0, `{"Index":1}`)
	n := h.add(fnf.EventStepEntered, "Sms", 0, `{"Input":{}}`) // branch 1 runs on
	l := h.add(fnf.EventStepEntered, "Email", 0, `{"Input":{}}`)
	h.add(fnf.EventStepExited, "Email", l, `{"Output":{"sent":true}}`)
	h.add(fnf.EventStepExited, "Sms", n, `{"Output":{"sent":true}}`)
	h.add(fnf.EventBranchExited, "Notify", b0, `{"Index":0,"Output":{}}`)
	h.add(fnf.EventBranchExited, "Notify", b1, `{"Index":1,"Output":{}}`)
	h.add(fnf.EventStepExited, "Notify", p, `{"Output":{}}`)
	m := h.add(fnf.EventStepEntered, "Restock", 0, `{"Input":{"items":["KB-1","MS-2"]}}`)
	i0 := h.add(fnf.EventIterationEntered, "Restock", 0, `{"Index":0}`)
	k := h.add(fnf.EventStepEntered, "Put", 0, `{"Input":"KB-1"}`)
	h.add(fnf.EventStepExited, "Put", k, `{"Output":"KB-1"}`)
	h.add(fnf.EventIterationExited, "Restock", i0, `{"Index":0,"Output":"KB-1"}`)
	i1 := h.add(fnf.EventIterationEntered, "Restock", 0, `{"Index":1}`)
	k = h.add(fnf.EventStepEntered, "Put", 0, `{"Input":"MS-2"}`)
	h.add(fnf.EventStepFailed, "Put", k, `{"Error":"Stock.Full","Cause":"shelf MS is full"}`)
	h.add(fnf.EventIterationExited, "Restock", i1, `{"Index":1,"Error":"Stock.Full","Cause":"shelf MS is full"}`)
	h.add(fnf.EventStepFailed, "Restock", m, `{"Error":"Stock.Full","Cause":"shelf MS is full"}`)
	h.add(fnf.EventExecutionFailed, "", 0, `{"Error":"Stock.Full","Cause":"shelf MS is full"}`)
	return h
}

// standardRun is a finished Standard execution with events and no steps.
func standardRun() msgs.RunView {
	ev := refundEvents()
	start := time.Date(2026, 3, 14, 2, 1, 2, 0, time.UTC)
	return msgs.RunView{
		Run: history.Run{ID: 21, FlowName: "refund-approval", Name: "refund-7", Backend: fnf.KindLocal,
			Status: fnf.StatusFailed, Input: `{"orderId":"A-1"}`,
			StartedTime: start, StoppedTime: start.Add(time.Duration(len(ev)-1) * 250 * time.Millisecond)},
		Events: ev,
		Origin: msgs.OriginHistory,
	}
}

func TestTraceNestsBranchesAndIterationsAndMarksTheFailingVisit(t *testing.T) {
	m := showing(t, newTestModel(t, 120, 40), standardRun())
	if m.tab != tabError || !strings.Contains(plainView(m), "Stock.Full") || !strings.Contains(plainView(m), "shelf MS is full") {
		t.Fatalf("a failed Standard run opens on its error, read from its events:\n%s", plainView(m))
	}
	m, _ = press(t, m, "4")
	v := plainView(m)
	for _, want := range []string{
		"    Refund         Task       +750 ms     1.0 s    1  retried    Payment.Busy",
		"    Refund         Task        +1.8 s    750 ms    2  succeeded",
		"  ▾ Notify         Parallel    +2.8 s     2.2 s    1  succeeded",
		"    ▾ branch 0                 +3.0 s     1.5 s    1  succeeded",
		"        Email                  +3.8 s    250 ms    1  succeeded",
		"    ▾ branch 1                 +3.2 s     1.5 s    1  succeeded",
		"        Sms                    +3.5 s    750 ms    1  succeeded",
		"    ▾ iteration 1              +6.5 s    750 ms    1  failed     Stock.Full",
		"›       Put                    +6.8 s    250 ms    1  failed     ✗ ended the run Stock.Full",
		"32 events · row 13/13", // the cursor opens on the visit that failed the run
	} {
		if !strings.Contains(v, want) {
			t.Errorf("trace lacks %q", want)
		}
	}
	if t.Failed() {
		t.Fatalf("trace:\n%s", v)
	}
}

func TestTraceFoldsOneRowAndAll(t *testing.T) {
	m := showing(t, newTestModel(t, 120, 40), standardRun())
	m, _ = press(t, m, "4", "home", "down", "down", "down", "o")
	v := plainView(m)
	if !strings.Contains(v, "› ▸ Notify") || strings.Contains(v, "Email") || !strings.Contains(v, "row 4/9") {
		t.Fatalf("o did not fold Notify:\n%s", v)
	}
	m, _ = press(t, m, "O")
	if v := plainView(m); strings.Contains(v, "iteration") || !strings.Contains(v, "› ▸ Notify") || !strings.Contains(v, "row 4/5") {
		t.Fatalf("O did not fold everything, keeping the cursor:\n%s", v)
	}
	m, _ = press(t, m, "O")
	if v := plainView(m); !strings.Contains(v, "Email") || !strings.Contains(v, "row 4/13") {
		t.Fatalf("O again did not unfold everything:\n%s", v)
	}
}

func TestTraceWheelAndResizeKeepTheCursorInSight(t *testing.T) {
	run := standardRun()
	run.Events = bigHistory(600)
	m := showing(t, newTestModel(t, 120, 24), run)
	m, _ = press(t, m, "4")
	for range 10 {
		m, _ = send(t, m, tea.MouseWheelMsg{Button: tea.MouseWheelDown})
	}
	if v := plainView(m); !strings.Contains(v, "row 31/") || !strings.Contains(v, "›") {
		t.Fatalf("the wheel did not scroll the rows with the cursor:\n%s", v)
	}
	m.SetSize(120, 10)
	if v := plainView(m); !strings.Contains(v, "›") {
		t.Fatalf("the cursor left the window on a resize:\n%s", v)
	}
}

func TestEnterOnARowShowsItsInputOutputAndEventsSearchable(t *testing.T) {
	m := showing(t, newTestModel(t, 120, 40), standardRun())
	m, _ = press(t, m, "4", "home", "down", "down", "enter")
	v := plainView(m)
	for _, want := range []string{
		"Refund · Task · try 2 · succeeded",
		"TaskScheduled · event 8",
		`"Resource"`[1:9], "FC:InvokeFunction",
		`"refundId": "RF-9"`,
		"StepExited · event 11",
	} {
		if !strings.Contains(v, want) {
			t.Errorf("the detail lacks %q", want)
		}
	}
	if t.Failed() {
		t.Fatalf("detail:\n%s", v)
	}
	m, _ = press(t, m, "/")
	m = typeText(t, m, "rf-9")
	m, _ = press(t, m, "enter")
	if v := plainView(m); !strings.Contains(v, "/rf-9 1/2") {
		t.Fatalf("search in the detail:\n%s", v)
	}
	m, _ = press(t, m, "n")
	if v := plainView(m); !strings.Contains(v, "/rf-9 2/2") {
		t.Fatalf("n in the detail:\n%s", v)
	}
	if !m.Clearable() {
		t.Fatal("esc would not reach the open detail")
	}
	m, _ = press(t, m, "esc", "esc")
	if v := plainView(m); strings.Contains(v, "TaskScheduled") || !strings.Contains(v, "› ") || !strings.Contains(v, "row 3/13") {
		t.Fatalf("esc did not go back to the rows, on the same row:\n%s", v)
	}
	m, _ = press(t, m, "end", "enter")
	if v := plainView(m); !strings.Contains(v, "Put · try 1 · failed") || !strings.Contains(v, "shelf MS is full") || !strings.Contains(v, `"MS-2"`) {
		t.Fatalf("the failing visit's detail:\n%s", v)
	}
}

func TestALiveStandardRunGrowsEventByEvent(t *testing.T) {
	all := refundEvents()
	m := newTestModel(t, 120, 40)
	m, _ = send(t, m, msgs.RunStarted{ID: 3, Flow: "refund-approval", Started: clock.Add(-4 * time.Second), Backend: fnf.KindLocal})
	progress := func(n int) {
		t.Helper()
		view := msgs.RunView{Run: history.Run{FlowName: "refund-approval", Status: fnf.StatusRunning}, Events: all[:n]}
		m, _ = send(t, m, msgs.RunProgress{ID: 3, View: view})
	}
	progress(2)
	v := plainView(m)
	if !strings.Contains(v, "Result · Running · 4.0 s · refund-approval · live") || !strings.Contains(v, "Validate") || !strings.Contains(v, "running") {
		t.Fatalf("the first progress:\n%s", v)
	}
	progress(14)
	progress(16)
	v = plainView(m)
	if !strings.Contains(v, "›   Validate") || !strings.Contains(v, "Email") || !strings.Contains(v, "row 1/8") {
		t.Fatalf("the cursor left its row as the run grew:\n%s", v)
	}
	m, _ = press(t, m, "down", "down", "down", "o")
	progress(22)
	if v := plainView(m); !strings.Contains(v, "› ▸ Notify") || strings.Contains(v, "Email") || !strings.Contains(v, "Restock") {
		t.Fatalf("the fold did not hold as the run grew:\n%s", v)
	}
	m, _ = send(t, m, msgs.RunProgress{ID: 2, View: msgs.RunView{Events: all[:1]}})
	if !strings.Contains(plainView(m), "Restock") {
		t.Fatal("a stale progress replaced the run followed")
	}
	done := standardRun()
	m, _ = send(t, m, msgs.RunFinished{ID: 3, View: done})
	m, _ = press(t, m, "4")
	v = plainView(m)
	if !strings.Contains(v, "Result · Failed") || !strings.Contains(v, "› ▸ Notify") || !strings.Contains(v, "✗ ended the run") {
		t.Fatalf("the end of the run lost the folds or the cursor:\n%s", v)
	}
}

func TestAnOpenRowOfALiveRunFollowsItsEvents(t *testing.T) {
	all := refundEvents()
	m := newTestModel(t, 120, 40)
	m, _ = send(t, m, msgs.RunStarted{ID: 3, Flow: "refund-approval", Started: clock.Add(-4 * time.Second)})
	progress := func(n int) {
		t.Helper()
		m, _ = send(t, m, msgs.RunProgress{ID: 3, View: msgs.RunView{Run: history.Run{Status: fnf.StatusRunning}, Events: all[:n]}})
	}
	progress(5)
	m, _ = press(t, m, "down", "enter")
	if v := plainView(m); !strings.Contains(v, "Refund · Task · try 1 · running") || strings.Contains(v, "TaskFailed") {
		t.Fatalf("the running row's detail:\n%s", v)
	}
	progress(7)
	if v := plainView(m); !strings.Contains(v, "TaskFailed · event 7") || !strings.Contains(v, "try later") {
		t.Fatalf("the open row did not follow its events:\n%s", v)
	}
}

func TestAStandardRunNoLongerFollowedKeepsItsEventsInView(t *testing.T) {
	m := newTestModel(t, 120, 24)
	m, _ = send(t, m, msgs.RunStarted{ID: 6, Flow: "refund-approval", Backend: fnf.KindLocal})
	view := msgs.RunView{Run: history.Run{Status: fnf.StatusRunning}, Events: refundEvents()[:5]}
	m, _ = send(t, m, msgs.RunProgress{ID: 6, View: view})
	m, _ = send(t, m, msgs.RunCancelled{ID: 6})
	v := plainView(m)
	if !strings.Contains(v, "Result · Running · not followed") || !strings.Contains(v, "Refund") || strings.Contains(v, "cancelled") {
		t.Fatalf("stopping following a Standard run:\n%s", v)
	}
	m, _ = press(t, m, "1")
	if v := plainView(m); !strings.Contains(v, "the Standard execution goes on") {
		t.Fatalf("the Output tab does not say the execution goes on:\n%s", v)
	}
	m, _ = send(t, m, msgs.RunProgress{ID: 6, View: msgs.RunView{Events: refundEvents()}})
	if m, _ = press(t, m, "4"); strings.Contains(plainView(m), "Notify") {
		t.Fatal("a progress after following stopped was taken")
	}
}

func TestHostileStateNamesAndDetailsAreShownEscaped(t *testing.T) {
	const h = "\x1b]0;pwned\x07\x1b[2J\u009b31m\u202e"
	var ev events
	e := ev.add(fnf.EventStepEntered, h, 0, `{"Input":{"`+"\\u001b]0;x\\u0007"+`":"\u001b[2J"},"`+h+`":"`+h+`"}`)
	ev.add(fnf.EventStepFailed, h, e, `{"Error":"`+h+`","Cause":"`+h+`"}`)
	ev.add(fnf.EventExecutionFailed, "", 0, h)
	run := standardRun()
	run.Events = ev
	for _, w := range []int{80, 120} {
		m := showing(t, newTestModel(t, w, 24), run)
		m, _ = press(t, m, "4")
		uitest.CheckTerminalSafe(t, "rows", m.View())
		if !strings.Contains(plainView(m), `^[]0;pwned^G`) {
			t.Fatalf("the state's name is not shown escaped:\n%s", plainView(m))
		}
		m, _ = press(t, m, "enter")
		uitest.CheckTerminalSafe(t, "detail", m.View())
		m, _ = press(t, m, "/")
		m, _ = send(t, m, tea.PasteMsg{Content: h})
		m, _ = press(t, m, "enter")
		uitest.CheckTerminalSafe(t, "detail searched", m.View())
	}
}

func TestAHugeDetailIsFormattedOffTheEventLoop(t *testing.T) {
	big := bigOutput(2 << 20)
	var ev events
	e := ev.add(fnf.EventStepEntered, "Load", 0, `{"Input":`+big+`}`)
	ev.add(fnf.EventStepExited, "Load", e, `{"Output":`+big+`}`)
	m := newTestModel(t, 120, 40)
	m, _ = send(t, m, msgs.RunStarted{ID: 5, Flow: "big"})
	start := time.Now()
	m, cmd := m.Update(msgs.RunProgress{ID: 5, View: msgs.RunView{Run: history.Run{Status: fnf.StatusRunning}, Events: ev}})
	if cmd != nil {
		t.Fatal("a progress asked for work it should not need")
	}
	m, cmd = m.Update(keyMsg("enter"))
	if cmd == nil || !strings.Contains(plainView(m), "formatting…") {
		t.Fatalf("enter on a huge row did not leave the formatting to a command:\n%s", plainView(m))
	}
	t.Logf("progress and enter took %v on the event loop", time.Since(start)) // informative: the benchmarks hold the budget
	m, _ = send(t, m, cmd())
	if v := plainView(m); !strings.Contains(v, "Load · try 1 · succeeded") || !strings.Contains(v, `"orderId": "A-1"`) {
		t.Fatalf("the huge detail:\n%s", v)
	}
}

// bigHistory is an execution of about n events: a Map whose iterations run
// a Task each, with a retry every tenth.
func bigHistory(n int) []fnf.Event {
	var h events
	h.add(fnf.EventExecutionStarted, "", 0, `{}`)
	m := h.add(fnf.EventStepEntered, "Each", 0, `{"Input":{}}`)
	for i := 0; len(h) < n-10; i++ {
		it := h.add(fnf.EventIterationEntered, "Each", 0, fmt.Sprintf(`{"Index":%d}`, i))
		s := h.add(fnf.EventStepEntered, "Work", 0, fmt.Sprintf(`{"Input":{"item":%d}}`, i))
		if i%10 == 0 {
			t := h.add(fnf.EventTaskScheduled, "Work", 0, `{"Resource":"FC:InvokeFunction"}`)
			h.add(fnf.EventTaskFailed, "Work", t, `{"Error":"Busy"}`)
		}
		t := h.add(fnf.EventTaskScheduled, "Work", 0, `{"Resource":"FC:InvokeFunction"}`)
		h.add(fnf.EventTaskStarted, "Work", t, `{}`)
		h.add(fnf.EventTaskSucceeded, "Work", t, `{"Output":{"ok":true}}`)
		h.add(fnf.EventStepExited, "Work", s, fmt.Sprintf(`{"Output":{"item":%d}}`, i))
		h.add(fnf.EventIterationExited, "Each", it, fmt.Sprintf(`{"Index":%d,"Output":{}}`, i))
	}
	h.add(fnf.EventStepExited, "Each", m, `{"Output":{}}`)
	h.add(fnf.EventExecutionSucceeded, "", 0, `{"Output":{}}`)
	return h
}

// traceGoldenStates are the Trace tab's timeline views kept as golden files.
var traceGoldenStates = []struct {
	name  string
	setup func(t *testing.T, m Model) Model
}{
	{"events", func(t *testing.T, m Model) Model {
		m, _ = press(t, m, "4", "home", "down", "down")
		return m
	}},
	{"folded", func(t *testing.T, m Model) Model {
		m, _ = press(t, m, "4", "end", "o", "up", "up", "o")
		return m
	}},
	{"detail", func(t *testing.T, m Model) Model {
		m, _ = press(t, m, "4", "home", "down", "down", "enter")
		return m
	}},
	{"detail-search", func(t *testing.T, m Model) Model {
		m, _ = press(t, m, "4", "home", "down", "down", "enter", "/")
		return typeText(t, m, "refund")
	}},
	{"live", func(t *testing.T, m Model) Model {
		m, _ = send(t, m, msgs.RunStarted{ID: 8, Flow: "refund-approval", Started: clock.Add(-5 * time.Second), Backend: fnf.KindLocal})
		view := msgs.RunView{Run: history.Run{FlowName: "refund-approval", Status: fnf.StatusRunning}, Events: refundEvents()[:16]}
		m, _ = send(t, m, msgs.RunProgress{ID: 8, View: view})
		return m
	}},
}

func TestTraceGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			for _, s := range traceGoldenStates {
				t.Run(s.name, func(t *testing.T) {
					m := showing(t, newTestModel(t, size[0], size[1]), standardRun())
					v := ansi.Strip(s.setup(t, m).View())
					checkSize(t, v, size[0], size[1])
					golden.RequireEqual(t, v)
				})
			}
		})
	}
}

func TestTheFlowsDefinitionPlacesBranchStatesOfALiveRun(t *testing.T) {
	var h events
	h.add(fnf.EventStepEntered, "Fan", 0, `{}`)
	h.add(fnf.EventBranchEntered, "Fan", 0, `{"Index":0}`)
	h.add(fnf.EventBranchEntered, "Fan", 0, `{"Index":1}`)
	h.add(fnf.EventStepEntered, "Left", 0, `{}`) // branch 0's, though branch 1 began last
	def := "Type: StateMachine\nName: fan\nStates:\n  - Name: Fan\n    Type: Parallel\n    Branches:\n      - States: [{Name: Left, Type: Pass}]\n      - States: [{Name: Right, Type: Pass}]\n"
	m := newTestModel(t, 120, 24)
	m, _ = send(t, m, msgs.FlowSelected{Flow: fnf.Flow{Name: "fan", Definition: def}})
	m, _ = send(t, m, msgs.RunStarted{ID: 4, Flow: "fan"})
	m, _ = send(t, m, msgs.RunProgress{ID: 4, View: msgs.RunView{Run: history.Run{Status: fnf.StatusRunning}, Events: h}})
	lines := strings.Split(plainView(m), "\n")
	at := func(s string) int {
		for i, l := range lines {
			if strings.Contains(l, s) {
				return i
			}
		}
		return -1
	}
	if b0, b1, left := at("branch 0"), at("branch 1"), at("Left"); b0 < 0 || left != b0+1 || b1 < left {
		t.Fatalf("Left is not under branch 0:\n%s", plainView(m))
	}
}

// A failed run followed live ends with the cursor on the row that failed it,
// as when it is opened from Runs, unless the cursor was moved meanwhile.
func TestALiveRunThatFailsEndsOnTheFailingRow(t *testing.T) {
	all := refundEvents()
	m := newTestModel(t, 120, 40)
	m, _ = send(t, m, msgs.RunStarted{ID: 3, Flow: "refund-approval", Started: clock.Add(-4 * time.Second), Backend: fnf.KindLocal})
	m, _ = send(t, m, msgs.RunProgress{ID: 3, View: msgs.RunView{Run: history.Run{FlowName: "refund-approval", Status: fnf.StatusRunning}, Events: all[:14]}})
	m, _ = send(t, m, msgs.RunFinished{ID: 3, View: standardRun()})
	m, _ = press(t, m, "4")
	v := plainView(m)
	for _, line := range strings.Split(v, "\n") {
		if strings.Contains(line, "› ") && !strings.Contains(line, "✗ ended the run") {
			t.Fatalf("the cursor is not on the failing row:\n%s", v)
		}
	}
	if !strings.Contains(v, "✗ ended the run") {
		t.Fatalf("no failing row:\n%s", v)
	}
}
