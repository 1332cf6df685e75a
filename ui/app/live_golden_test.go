package app

import (
	"fmt"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/golden"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/session"
	"github.com/flowtui/flowtui/session/sessiontest"
)

// A Standard run followed live, and the confirmation that stops it, at the
// two sizes the layout is designed for: Result's title says Running and the
// time so far, the Trace tab its events so far, the footer the keys of the
// execution followed.
func TestLiveStandardRunGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			f := &sessiontest.Fake{BackendInfo: fakeCloud, IgnoreWait: true, Flows: []fnf.Flow{
				{Name: "nightly", ExecutionMode: fnf.ModeStandard, Definition: "Type: StateMachine"},
			}, Script: func(fnf.StartRequest) sessiontest.Script {
				return sessiontest.Script{Runs: 10 * time.Minute}
			}}
			h := newHarness(t, size[0], size[1], func(o *Options) { o.Backend = f })
			h.selectFlow("nightly")
			h.key("ctrl+r")
			// The follow's next step, as it answers after a long-poll: the
			// execution Running, its events so far.
			m := h.model()
			at := func(d time.Duration) string { return fnf.FormatTime(harnessClock.Add(d)) }
			events := []fnf.Event{
				{EventId: 1, Type: fnf.EventExecutionStarted, Time: at(0), EventDetail: `{"Input":{}}`},
				{EventId: 2, StepName: "Extract", Type: fnf.EventStepEntered, Time: at(0), EventDetail: `{"Input":{}}`},
				{EventId: 3, ScheduleEventId: 2, StepName: "Extract", Type: fnf.EventStepExited, Time: at(1200 * time.Millisecond), EventDetail: `{"Output":{"rows":1200}}`},
				{EventId: 4, StepName: "Cool", Type: fnf.EventStepEntered, Time: at(1200 * time.Millisecond), EventDetail: `{"Input":{"rows":1200}}`},
			}
			h.send(stepped{id: m.live.id, exec: m.live.exec, p: session.Progress{
				Detail: fnf.ExecutionDetail{FlowName: "nightly", Name: m.live.exec.Name(), Status: fnf.StatusRunning, StartedTime: at(0)},
				Events: events, Row: m.live.last.Run}})
			h.wantScreen("Running")
			h.key("4") // Trace
			t.Run("following", func(t *testing.T) { golden.RequireEqual(t, h.screen()) })
			h.key("ctrl+x")
			h.wantScreen("keep it running")
			t.Run("stop", func(t *testing.T) { golden.RequireEqual(t, h.screen()) })
		})
	}
}
