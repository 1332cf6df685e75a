package app

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/session"
)

// standardFlows is a local engine with Standard flows of the tests' own:
// nightly ends at once, cooldown waits three seconds, hold waits a minute (to be
// stopped), approval waits on a callback task and wait1 waits one second.
func standardFlows(t *testing.T) *engine.Local {
	t.Helper()
	dir := t.TempDir()
	flow := func(name, states string) {
		doc := "Name: " + name + "\nExecutionMode: Standard\nDefinition: |\n  Type: StateMachine\n  Name: " + name +
			"\n  SpecVersion: v1\n  StartAt: " + strings.Fields(states)[4] + "\n  States:\n" + states
		if err := os.WriteFile(filepath.Join(dir, name+".yaml"), []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	done := "    - Type: Pass\n      Name: Done\n      End: true\n"
	flow("nightly", done)
	flow("cooldown", "    - Type: Wait\n      Name: Cool\n      Seconds: 3\n      Next: Done\n"+done)
	flow("hold", "    - Type: Wait\n      Name: Hold\n      Seconds: 60\n      Next: Done\n"+done)
	flow("wait1", "    - Type: Wait\n      Name: Brief\n      Seconds: 1\n      Next: Done\n"+done)
	flow("approval", "    - Type: Task\n      Name: Ask\n      Action: MNS:SendMessage\n      TaskMode: WaitForCustomCallback\n"+
		"      Timeout: 600\n      Parameters:\n        resourceArn: acs:mns:cn-hangzhou:123456789:/queues/approvals/messages\n"+
		"        message.$: $Context.Current.TaskToken\n      Next: Done\n"+done)
	local, err := engine.NewLocal(engine.LocalOptions{FlowsDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { local.Close(context.Background(), "test over") })
	return local
}

// ctrl+r on a Standard flow starts it and follows it to its end: Result
// shows how it ended, with its events, and the history holds one row.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution
func TestAStandardFlowRunsAndItsEndIsRecordedInOneRow(t *testing.T) {
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = standardFlows(t) })
	h.selectFlow("nightly")
	h.key("ctrl+r")
	h.wantScreen("Succeeded · nightly")
	_, row := h.runsOf("nightly", 1)
	events, err := row.EventList()
	if row.Status != fnf.StatusSucceeded || err != nil || len(events) == 0 || events[len(events)-1].Type != fnf.EventExecutionSucceeded {
		t.Fatalf("row = %+v, events %v (%v)", row, events, err)
	}
	if h.model().inflight != 0 || h.model().live.id != 0 {
		t.Errorf("still following after the end")
	}
}

// startHeld starts hold, whose first step (a two-second long-poll) the
// harness leaves unanswered: the execution runs, followed.
func startHeld(t *testing.T) *harness {
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = standardFlows(t) })
	h.selectFlow("hold")
	h.key("ctrl+r")
	if h.model().live.exec == nil {
		t.Fatalf("hold is not followed:\n%s", h.screen())
	}
	return h
}

// esc stops following, not the execution: the screen says it goes on and
// where Runs can find it; its row stays Running.
func TestEscStopsFollowingAndTheExecutionGoesOn(t *testing.T) {
	h := startHeld(t)
	e := h.model().live.exec
	h.key("esc")
	h.wantScreen("stopped following hold")
	// Result says it is no longer followed, not how it ended: it goes on.
	h.wantScreen("Result · Running · not followed · hold")
	h.key("ctrl+l")
	h.wantScreen("the execution goes on in this flowtui until it", "Runs can reopen it")
	d, err := h.model().backend.(fnf.Standard).DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "hold", ExecutionName: e.Name()})
	if err != nil || d.Status != fnf.StatusRunning {
		t.Fatalf("the execution = %+v, %v; want it running", d, err)
	}
	if _, row := h.runsOf("hold", 1); row.Status != fnf.StatusRunning {
		t.Errorf("row %s, want Running", row.Status)
	}
}

// ctrl+x asks, naming the execution and its flow; the default answer
// keeps it running, the other stops it with a cause that says who did.
func TestStoppingAnExecutionAsksFirst(t *testing.T) {
	h := startHeld(t)
	e := h.model().live.exec
	h.key("ctrl+x")
	h.wantScreen("Stop hold · "+e.Name()[:8]+"?", "No: keep it running", "Stop the execution "+e.Name()[:8])
	h.key("enter")
	std := h.model().backend.(fnf.Standard)
	describe := func() fnf.ExecutionDetail {
		d, err := std.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "hold", ExecutionName: e.Name()})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	if d := describe(); d.Status != fnf.StatusRunning {
		t.Fatalf("kept = %s", d.Status)
	}
	h.key("ctrl+x", "down", "enter")
	h.key("ctrl+l")
	h.wantScreen("asked the execution " + e.Name()[:20])
	events, _ := fnf.AllEvents(context.Background(), std, fnf.HistoryRequest{FlowName: "hold", ExecutionName: e.Name()})
	if d := describe(); d.Status != fnf.StatusStopped || !strings.Contains(eventsText(events), stopCause) {
		t.Errorf("stopped = %s, events %v; want Stopped, from the TUI", d.Status, events)
	}
}

func eventsText(events []fnf.Event) string {
	var b strings.Builder
	for _, ev := range events {
		b.WriteString(ev.EventDetail)
	}
	return b.String()
}

// Quitting while a local execution runs asks, naming how many; staying
// keeps it; quitting stops it, recorded Stopped.
func TestQuittingWithALocalExecutionRunningAsksThenStopsIt(t *testing.T) {
	h := startHeld(t)
	h.key("esc", "q")
	h.wantScreen("Quit? 1 local execution runs", "No: stay")
	h.key("enter") // No: stay
	if h.quit {
		t.Fatal("quit without the confirmation")
	}
	h.key("q", "down", "enter")
	if !h.quit {
		t.Fatal("the confirmation did not quit")
	}
	note := h.model().Finish()
	if _, row := h.runsOf("hold", 1); row.Status != fnf.StatusStopped || row.ErrorMessage != session.QuitCause {
		t.Errorf("row = %s %q, want Stopped with the quit's cause", row.Status, row.ErrorMessage)
	}
	if !strings.Contains(note, "Stopped") {
		t.Errorf("exit note %q", note)
	}
}

// ctrl+c twice quits, asked or not.
func TestASecondCtrlCQuits(t *testing.T) {
	h := startHeld(t)
	h.key("ctrl+c")
	if h.quit {
		t.Fatal("quit without asking")
	}
	h.key("ctrl+c")
	if !h.quit {
		t.Fatal("a second ctrl+c did not quit")
	}
}

// waitingApproval starts approval and shows the harness the step that finds
// its callback task waiting (the harness leaves a step's long-poll
// unanswered).
func waitingApproval(t *testing.T) (*harness, []session.Task) {
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = standardFlows(t) })
	h.selectFlow("approval")
	h.key("ctrl+r")
	m := h.model()
	e, std := m.live.exec, m.live.std
	var events []fnf.Event
	for deadline := time.Now().Add(5 * time.Second); len(session.PendingTasks(events)) == 0; {
		if time.Now().After(deadline) {
			t.Fatalf("no callback task in %v", events)
		}
		events, _ = fnf.AllEvents(context.Background(), std, fnf.HistoryRequest{FlowName: "approval", ExecutionName: e.Name()})
		time.Sleep(10 * time.Millisecond)
	}
	waiting := session.PendingTasks(events)
	h.send(stepped{id: m.live.id, exec: e, p: session.Progress{Detail: fnf.ExecutionDetail{Status: fnf.StatusRunning},
		Events: events, Waiting: waiting, Row: m.live.last.Run}})
	return h, waiting
}

// An execution waiting on a callback task shows its token, and ctrl+o
// answers it with the editor's text.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-reporttasksucceeded
func TestACallbackTaskShowsItsTokenAndCtrlOAnswersIt(t *testing.T) {
	h, waiting := waitingApproval(t)
	h.wantScreen("task token " + waiting[0].Token) // in the status bar, whole
	h.key("ctrl+l")
	h.wantScreen("the callback task Ask")
	h.key("esc", "ctrl+o")
	h.key("ctrl+l")
	h.wantScreen("reported the callback task Ask succeeded")
}

// ctrl+t fails the task with the code and the cause typed; the execution
// fails with them.
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-reporttaskfailed
func TestACallbackTaskFailsWithTheCodeAndCauseTyped(t *testing.T) {
	h, _ := waitingApproval(t)
	e, std := h.model().live.exec, h.model().live.std
	h.key("ctrl+t")
	h.wantScreen("type its error code")
	h.typeText("Rejected")
	h.key("enter")
	h.wantScreen("fails with Rejected: type why")
	h.typeText("over budget")
	h.key("enter", "ctrl+l")
	h.wantScreen("reported the callback task Ask failed")
	d, err := std.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "approval", ExecutionName: e.Name(), Wait: 5 * time.Second})
	events, _ := fnf.AllEvents(context.Background(), std, fnf.HistoryRequest{FlowName: "approval", ExecutionName: e.Name()})
	if err != nil || d.Status != fnf.StatusFailed || !strings.Contains(eventsText(events), "over budget") {
		t.Errorf("execution = %s (%v), events %v; want Failed with the cause typed", d.Status, err, events)
	}
}

// The palette offers the same actions as the keys, while they apply.
func TestThePaletteOffersTheFollowedExecutionsActions(t *testing.T) {
	h, waiting := waitingApproval(t)
	h.key("ctrl+p")
	h.wantScreen("Stop the execution", "Task Ask succeeded: the editor's text", "Task Ask failed: code and cause…", "Copy the token of task Ask")
	h.typeText("copy the token")
	h.key("enter")
	if n := len(h.copied); n != 1 || !strings.Contains(h.copied[0], waiting[0].Token) {
		t.Errorf("copied %q, want the token", h.copied)
	}
	h.key("ctrl+p")
	h.typeText("stop the exec")
	h.key("enter")
	h.wantScreen("Stop approval · ", "No: keep it running")
}

// esc before the start of a Standard execution has answered stops waiting
// for it, not the execution: nothing on the screen may say it was cancelled,
// since if it started it goes on.
func TestEscBeforeAStandardStartAnswersSaysItGoesOn(t *testing.T) {
	local := standardFlows(t)
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = local })
	h.selectFlow("hold")
	h.m, _ = h.m.Update(keyPress("ctrl+r")) // the start's command not run: its answer is on its way
	h.key("esc")
	h.wantScreen("if it started, it goes on")
	if s := strings.ToLower(h.screen()); strings.Contains(s, "cancelled") {
		t.Fatalf("the screen says the run was cancelled:\n%s", h.screen())
	}
}

// Help in the editor names only keys that act there: q types a q, so quitting
// is ctrl+c's.
func TestHelpInTheEditorListsNoKeyThatTypes(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	for h.model().focus != paneInput {
		h.key("tab")
	}
	h.key("f1")
	h.wantScreen("ctrl+c")
	for _, line := range strings.Split(h.screen(), "\n") {
		if f := strings.Fields(strings.Trim(line, "│ ")); len(f) > 1 && (f[0] == "q" || f[0] == "+/f2") {
			t.Fatalf("help in the editor lists %q, which types there:\n%s", f[0], h.screen())
		}
	}
}

// With no execution followed, ctrl+t in the editor is the editor's own
// (transpose), not the callback task's key.
func TestCtrlTInTheEditorIsTheEditorsWhenNothingIsFollowed(t *testing.T) {
	h := newHarness(t, 120, 40)
	h.selectFlow("order-routing")
	for h.model().focus != paneInput {
		h.key("tab")
	}
	h.key("ctrl+t")
	if s := h.screen(); strings.Contains(s, "no followed execution waits") {
		t.Fatalf("ctrl+t in the editor acted as the callback key:\n%s", s)
	}
}
