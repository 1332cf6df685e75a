package app

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
)

// countingStops is a local engine that counts the StopExecution calls made.
type countingStops struct {
	*engine.Local
	stops atomic.Int32
}

func (c *countingStops) StopExecution(ctx context.Context, req fnf.StopRequest) (fnf.ExecutionDetail, error) {
	c.stops.Add(1)
	return c.Local.StopExecution(ctx, req)
}

// startWait1 starts wait1 (a one-second Wait), asks to stop it (ctrl+x)
// and waits for its end, which the harness's follow has not seen yet (it
// leaves a step's long-poll unanswered).
func startWait1(t *testing.T) (*harness, *countingStops) {
	b := &countingStops{Local: standardFlows(t)}
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = b })
	h.selectFlow("wait1")
	h.key("ctrl+r")
	e := h.model().live.exec
	if e == nil {
		t.Fatalf("wait1 is not followed:\n%s", h.screen())
	}
	h.key("ctrl+x")
	h.wantScreen("No: keep it running")
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		d, err := b.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "wait1", ExecutionName: e.Name()})
		if err == nil && d.Status.Terminal() {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("wait1 did not end: %+v, %v", d, err)
		}
	}
	return h, b
}

// wantNothingStopped checks what the user is told of a stop that came
// after the end: that it had ended, how, and that nothing was stopped.
func wantNothingStopped(t *testing.T, h *harness, b *countingStops) {
	t.Helper()
	if h.model().pick.IsOpen() {
		t.Errorf("the stop confirmation is still open:\n%s", h.screen())
	}
	h.key("ctrl+l")
	h.wantScreen("had already ended", "(Succeeded): nothing was stopped")
	if s := h.screen(); strings.Contains(s, "asked the execution") {
		t.Errorf("the log says the ended execution was asked to stop:\n%s", s)
	}
	if n := b.stops.Load(); n != 0 {
		t.Errorf("%d StopExecution calls for an execution that had ended, want none", n)
	}
}

// The execution ends while its stop confirmation is open: the follow's
// end closes it, saying the execution had already ended.
func TestTheStopConfirmationClosesAtTheEnd(t *testing.T) {
	h, b := startWait1(t)
	m := h.model()
	h.run(stepCmd(m.live.id, m.live.exec)) // the follow's next step sees the end
	h.wantScreen("Result · Succeeded")
	wantNothingStopped(t, h, b)
}

// Choosing "Stop" for an execution that has ended (its end not yet seen
// by the follow) stops nothing and says it had ended.
func TestStoppingAnEndedExecutionStopsNothing(t *testing.T) {
	h, b := startWait1(t)
	h.key("down", "enter")
	wantNothingStopped(t, h, b)
}
