package app

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/history"
	"github.com/flowtui/flowtui/session/sessiontest"
)

var fakeCloud = fnf.Info{Kind: fnf.KindCloud, Region: "cn-hangzhou", Endpoint: "cn-hangzhou.fnf.aliyuncs.com", Profile: "default"}

// withExecutions is a cloud-like backend with an Express flow and a
// Standard one, refund-approval, whose executions the service keeps: one
// running, one failed (its error only in its events, as DescribeExecution
// does not carry it), and smoke-1, which this machine started and recorded.
func withExecutions(t *testing.T) (*sessiontest.Fake, func(*Options)) {
	t.Helper()
	f := &sessiontest.Fake{BackendInfo: fakeCloud, Flows: []fnf.Flow{
		{Name: "order-express", ExecutionMode: fnf.ModeExpress, Definition: "Type: StateMachine"},
		{Name: "refund-approval", ExecutionMode: fnf.ModeStandard, Definition: "Type: StateMachine"},
	}}
	at := func(d time.Duration) string { return fnf.FormatTime(harnessClock.Add(-d)) }
	f.Seed(fnf.ExecutionDetail{FlowName: "refund-approval", Name: "smoke-1", Status: fnf.StatusSucceeded,
		Input: `{"orderId":"S-1"}`, Output: `{"refunded":true}`, StartedTime: at(3 * time.Hour), StoppedTime: at(3*time.Hour - 61*time.Second)}, nil)
	f.Seed(fnf.ExecutionDetail{FlowName: "refund-approval", Name: "refund-42", Status: fnf.StatusFailed,
		Input: `{"orderId":"R-42"}`, StartedTime: at(time.Hour), StoppedTime: at(time.Hour - 2*time.Second)},
		[]fnf.Event{
			{EventId: 1, Type: fnf.EventExecutionStarted, Time: at(time.Hour), EventDetail: `{}`},
			{EventId: 2, Type: fnf.EventExecutionFailed, Time: at(time.Hour - 2*time.Second),
				EventDetail: `{"error":"Refund.Denied","cause":"amount over the limit"}`},
		})
	f.Seed(fnf.ExecutionDetail{FlowName: "refund-approval", Name: "nightly-7", Status: fnf.StatusRunning,
		Input: `{"orderId":"N-7","amount":120}`, StartedTime: at(90 * time.Second)}, nil)
	return f, func(o *Options) { o.Backend = f }
}

// harnessClock is newHarness's clock.
var harnessClock = time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)

// recordSmoke records a run of the flow on the local engine, and smoke-1 as
// this machine's Standard run on the fake cloud.
func recordSmoke(t *testing.T, h *harness) {
	t.Helper()
	ctx := context.Background()
	for _, r := range smokeRuns() {
		if _, err := h.history.Add(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
}

// smokeRuns are recordSmoke's runs.
func smokeRuns() []history.Run {
	return []history.Run{
		{FlowName: "refund-approval", Name: "try:6c0b6a2e-3c1e-4d4f-9e0a-1b2c3d4e5f60", RequestedName: "try", Backend: fnf.KindLocal,
			Endpoint: "/flows", Status: fnf.StatusSucceeded, ClientStart: harnessClock.Add(-26 * time.Hour), Latency: 18 * time.Millisecond},
		{FlowName: "refund-approval", Name: "smoke-1", Mode: fnf.ModeStandard, Backend: fakeCloud.Kind, Region: fakeCloud.Region,
			Endpoint: fakeCloud.Endpoint, Profile: fakeCloud.Profile, Status: fnf.StatusSucceeded, Input: `{"orderId":"S-1"}`,
			ClientStart: harnessClock.Add(-3*time.Hour - time.Second), StartedTime: harnessClock.Add(-3 * time.Hour),
			StoppedTime: harnessClock.Add(-3*time.Hour + 61*time.Second)},
	}
}

// The Runs pane with both origins, at the two sizes the layout is designed for.
func TestRunsWithBothOriginsGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			_, mod := withExecutions(t)
			h := newHarness(t, size[0], size[1], mod)
			recordSmoke(t, h)
			h.selectFlow("refund-approval")
			h.key("tab")                      // Runs
			h.wantScreen(" s ", "hs ", "h  ") // names too, from 120 columns
			golden.RequireEqual(t, h.screen())
		})
	}
}

func TestOpeningAnExecutionShowsItsErrorFromItsEvents(t *testing.T) {
	f, mod := withExecutions(t)
	h := newHarness(t, 120, 40, mod)
	recordSmoke(t, h)
	h.selectFlow("refund-approval")
	h.key("tab", "down", "enter") // refund-42
	h.wantScreen("Refund.Denied", "amount over the limit")
	// The title says where it comes from: the service, not this history.
	h.wantScreen("Failed · 2.0 s · refund-approval · the service's execution of")
	if n := f.Calls("StartExecution") + f.Calls("StartSyncExecution"); n != 0 {
		t.Fatalf("opening an execution ran the flow %d times", n)
	}
	if f.Calls("GetExecutionHistory") == 0 {
		t.Fatal("the execution's events were not read")
	}
}

func TestInputOfAnExecutionGoesToTheEditorWithoutARun(t *testing.T) {
	f, mod := withExecutions(t)
	h := newHarness(t, 120, 40, mod)
	h.selectFlow("refund-approval")
	h.key("tab", "i") // nightly-7, the newest
	if got := h.model().input.Value(); !strings.Contains(got, `"N-7"`) {
		t.Fatalf("the editor holds %q", got)
	}
	if h.model().focus != paneInput {
		t.Fatal("i did not move to the editor")
	}
	h.wantScreen("execution nightly-7")
	if n := f.Calls("StartExecution") + f.Calls("StartSyncExecution"); n != 0 {
		t.Fatalf("loading an input ran the flow %d times", n)
	}
}

func TestExpressFlowsAndBackendsWithoutExecutionsListNothing(t *testing.T) {
	f, mod := withExecutions(t)
	h := newHarness(t, 120, 40, mod)
	h.selectFlow("order-express")
	if n := f.Calls("ListExecutions"); n != 0 {
		t.Fatalf("an Express flow's executions were listed %d times", n)
	}
	// A backend with no Standard side: the history alone, and no error.
	h = newHarness(t, 120, 40, func(o *Options) { o.Backend = struct{ fnf.Backend }{f} })
	recordSmoke(t, h)
	h.selectFlow("refund-approval")
	h.key("tab")
	h.wantScreen("smoke-1", "try")
	if s := h.screen(); strings.Contains(s, "service") || strings.Contains(s, "nightly-7") || strings.Contains(s, "hs") {
		t.Fatalf("a backend without executions made noise:\n%s", s)
	}
	if n := f.Calls("ListExecutions"); n != 0 {
		t.Fatalf("ListExecutions called %d times through a backend without it", n)
	}
}

func TestFilteringRunsFiltersTheServiceList(t *testing.T) {
	f, mod := withExecutions(t)
	h := newHarness(t, 120, 40, mod)
	recordSmoke(t, h)
	h.selectFlow("refund-approval")
	h.key("tab", "/")
	h.typeText("status:running")
	h.key("enter")
	h.wantScreen("nightly-7", "/status:running")
	if s := h.screen(); strings.Contains(s, "refund-42") || strings.Contains(s, "smoke-1") || strings.Contains(s, "try") {
		t.Fatalf("rows the filter excludes are shown:\n%s", s)
	}
	h.key("/", "ctrl+u")
	h.typeText("name:refund")
	h.key("enter")
	h.wantScreen("refund-42")
	if s := h.screen(); strings.Contains(s, "nightly-7") || strings.Contains(s, "smoke-1") {
		t.Fatalf("rows the name prefix excludes are shown:\n%s", s)
	}
	if n := f.Calls("ListExecutions"); n != 3 {
		t.Fatalf("ListExecutions called %d times; want one per listing (3)", n)
	}
}

// i on a service row then ctrl+r, typed faster than the backend answers,
// runs the input i asked for, as it does for a run of the history: what the
// keys decide is decided when they are read.
func TestIThenCtrlROnAServiceRowRunsThatInput(t *testing.T) {
	f, mod := withExecutions(t)
	h := newHarness(t, 120, 40, mod)
	h.selectFlow("refund-approval")
	h.key("tab")
	h.burst("i", "ctrl+r") // nightly-7, the newest
	var started []string
	for _, c := range f.Starts {
		started = append(started, c.Input)
	}
	if len(started) != 1 || !strings.Contains(started[0], `"N-7"`) {
		t.Fatalf("started with %q; want one start with nightly-7's input", started)
	}
}
