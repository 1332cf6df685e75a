package app

import (
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/session/sessiontest"
)

// esc stops following a local execution, not its record: the TUI keeps
// watching it in the background, so that its history row gets its end
// while the TUI runs, Runs shows it ended and the user is told.
func TestALocalExecutionNoLongerFollowedGetsItsEndInItsRow(t *testing.T) {
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = standardFlows(t) })
	h.selectFlow("cooldown")
	h.key("ctrl+r")
	m := h.model()
	id, e := m.live.id, m.live.exec
	if e == nil {
		t.Fatalf("cooldown is not followed:\n%s", h.screen())
	}
	h.key("esc")
	h.wantScreen("stopped following cooldown")
	_, started := h.runsOf("cooldown", 1)
	// The watch esc started outlives the harness's cutoff, as it would in a
	// program: the row gets the end without any step of the TUI's.
	for deadline := time.Now().Add(8 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		row, err := h.history.Get(t.Context(), started.ID)
		if err == nil && row.Status == fnf.StatusSucceeded {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the row of the execution left running is %s (%v) after its end, want Succeeded", row.Status, err)
		}
	}
	// Its message, delivered now, updates Runs and tells the user.
	h.run(watchCmd(id, e))
	h.wantScreen("✓  3.0 s " + e.Name()[:8])
	h.key("ctrl+l")
	h.wantScreen("of cooldown, no longer", "followed, has ended: Succeeded")
}

// The step in flight when esc left a remote execution running may see its
// end: it records it, and Runs shows it ended rather than Running.
func TestTheStepInFlightAtEscShowsARemoteEnd(t *testing.T) {
	fake := &sessiontest.Fake{Flows: []fnf.Flow{{Name: "remote", ExecutionMode: fnf.ModeStandard}},
		Script: func(fnf.StartRequest) sessiontest.Script { return sessiontest.Script{Runs: time.Second} }}
	h := newHarness(t, 120, 40, func(o *Options) { o.Backend = fake })
	h.selectFlow("remote")
	h.key("ctrl+r")
	m := h.model()
	id, e := m.live.id, m.live.exec
	if e == nil {
		t.Fatalf("remote is not followed:\n%s", h.screen())
	}
	h.key("esc")
	h.wantScreen("stopped following remote")
	time.Sleep(1100 * time.Millisecond)
	h.run(stepCmd(id, e)) // the step in flight at esc, answered after its end
	h.wantScreen("✓  1.0 s " + e.Name())
	h.key("ctrl+l")
	h.wantScreen("of remote, no longer followed, has ended: Succeeded")
}

// The quit confirmation does not say that remote executions go on: one
// may have ended unseen (the exit describes them and says which go on).
func TestTheQuitConfirmationDoesNotSayRemoteExecutionsGoOn(t *testing.T) {
	h := startHeld(t)
	fake := &sessiontest.Fake{Flows: []fnf.Flow{{Name: "remote", ExecutionMode: fnf.ModeStandard}},
		Script: func(fnf.StartRequest) sessiontest.Script { return sessiontest.Script{Runs: time.Millisecond} }}
	h.model().runner.StartExecution(t.Context(), fake, fake, fnf.StartRequest{FlowName: "remote"}, time.Now())
	time.Sleep(5 * time.Millisecond) // it ends; nothing looks at it
	h.key("esc", "q")
	h.wantScreen("Quit? 1 local execution runs (1 remote one is not stopped)")
}
