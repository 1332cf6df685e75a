package engine

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// Standard executions as the StartExecution, DescribeExecution and
// StopExecution pages describe them:
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-startexecution
// https://www.alibabacloud.com/help/en/serverless-workflow/latest/api-fnf-2019-03-15-describeexecution
// and the Standard limits (1-year executions, Wait 1–300 s, 5,000 events):
// https://help.aliyun.com/en/document_detail/2504569.html

func standard(name, src string) fnf.Flow {
	return fnf.Flow{Name: name, ExecutionMode: fnf.ModeStandard, Definition: src}
}

// newStd returns Executions over the flows given, with the mocks of the
// mock file text (may be ""); they are closed when the test ends.
func newStd(t testing.TB, o ExecutionsOptions, mocks string, flows ...fnf.Flow) *Executions {
	t.Helper()
	m := map[string]*Compiled{}
	for _, f := range flows {
		c, err := CompileFlow(f)
		if err != nil {
			t.Fatalf("CompileFlow %s: %v", f.Name, err)
		}
		m[f.Name] = c
	}
	o.Find = func(n string) (*Compiled, error) { return m[n], nil }
	if mocks != "" {
		o.Runner = &Runner{Mocks: mustMocks(t, mocks)}
	}
	e := NewExecutions(o)
	t.Cleanup(func() { e.Close(context.Background(), "the test ended") })
	return e
}

func startStd(t testing.TB, e *Executions, req fnf.StartRequest) fnf.ExecutionDetail {
	t.Helper()
	d, err := e.StartExecution(context.Background(), req)
	if err != nil {
		t.Fatalf("StartExecution: %v", err)
	}
	return d
}

// waitEnd follows an execution to its end with DescribeExecution's long-poll.
func waitEnd(t testing.TB, e *Executions, flow, name string) fnf.ExecutionDetail {
	t.Helper()
	for {
		d, err := e.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: flow, ExecutionName: name, Wait: fnf.MaxDescribeWait})
		if err != nil {
			t.Fatalf("DescribeExecution: %v", err)
		}
		if d.Status != fnf.StatusRunning {
			return d
		}
	}
}

func events(t testing.TB, e *Executions, flow, name string) []fnf.Event {
	t.Helper()
	ev, err := fnf.AllEvents(context.Background(), e, fnf.HistoryRequest{FlowName: flow, ExecutionName: name})
	if err != nil {
		t.Fatalf("GetExecutionHistory: %v", err)
	}
	return ev
}

func types(ev []fnf.Event) string {
	var b []string
	for _, x := range ev {
		s := x.Type
		if x.StepName != "" {
			s += ":" + x.StepName
		}
		b = append(b, s)
	}
	return strings.Join(b, " ")
}

var waitFlow = flow("Cooldown", `
- Type: Wait
  Name: Cooldown
  Seconds: 300
  Next: Done
- Type: Pass
  Name: Done
  End: true`)

func TestStartExecutionReturnsRunningAtOnceAndTheWaitEndsIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newStd(t, ExecutionsOptions{}, "", standard("t", waitFlow))
		began := time.Now()
		d := startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "first", Input: `{"a":1}`})
		if d.Status != fnf.StatusRunning || d.Name != "first" || d.Input != `{"a":1}` || d.FlowDefinition != waitFlow ||
			d.StartedTime != fnf.FormatTime(began) || d.StoppedTime != "" {
			t.Fatalf("StartExecution = %+v; want it Running with its input, definition and start", d)
		}
		end := waitEnd(t, e, "t", "first")
		if end.Status != fnf.StatusSucceeded || end.Output != `{"a":1}` || time.Since(began) != 300*time.Second {
			t.Errorf("ended %s with %s after %s; want Succeeded, the input, after the Wait's 300 s", end.Status, end.Output, time.Since(began))
		}
	})
}

func TestExecutionNamesAreUniquePerFlow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newStd(t, ExecutionsOptions{}, "", standard("t", waitFlow))
		a := startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "order-1", Input: `{"n":1}`})
		again := startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "order-1", Input: `{"n":2}`})
		if again.Name != a.Name || again.Input != `{"n":1}` || again.Status != fnf.StatusRunning {
			t.Errorf("a running name started again = %+v; want the running execution", again)
		}
		if e.Running() != 1 {
			t.Errorf("Running = %d; want 1", e.Running())
		}
		waitEnd(t, e, "t", "order-1")
		_, err := e.StartExecution(context.Background(), fnf.StartRequest{FlowName: "t", ExecutionName: "order-1"})
		ae := apiErr(t, err, fnf.CodeExecutionAlreadyExists, 400)
		if !strings.Contains(ae.Message, `"order-1"`) {
			t.Errorf("Message = %q; want the name", ae.Message)
		}
		gen := startStd(t, e, fnf.StartRequest{FlowName: "t"})
		if len(gen.Name) != 36 || strings.Contains(gen.Name, ":") {
			t.Errorf("generated name = %q; want a bare UUID", gen.Name)
		}
	})
}

func TestStartExecutionSharesTheChecksOfEveryStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		express := fnf.Flow{Name: "x", ExecutionMode: fnf.ModeExpress, Definition: strings.Replace(flow("A", "- Type: Pass\n  Name: A\n  End: true"), "Name: t", "Name: x", 1)}
		e := newStd(t, ExecutionsOptions{}, "", standard("t", waitFlow), express)
		cases := []struct {
			req    fnf.StartRequest
			code   string
			status int
			says   string
		}{
			{fnf.StartRequest{FlowName: "nope"}, fnf.CodeFlowNotExists, 404, `"nope"`},
			{fnf.StartRequest{FlowName: "t", ExecutionName: "9lives"}, fnf.CodeInvalidArgument, 400, "ExecutionName"},
			{fnf.StartRequest{FlowName: "t", Input: `[1]`}, fnf.CodeInvalidArgument, 400, "Input"},
			{fnf.StartRequest{FlowName: "t", TestCase: "Nope"}, fnf.CodeInvalidArgument, 400, "Nope"},
			{fnf.StartRequest{FlowName: "x"}, fnf.CodeActionNotSupported, 400, "StartSyncExecution"},
			{fnf.StartRequest{FlowName: "t", CallbackFnFTaskToken: "a b"}, fnf.CodeInvalidArgument, 400, "CallbackFnFTaskToken"},
		}
		for _, c := range cases {
			_, err := e.StartExecution(context.Background(), c.req)
			ae := apiErr(t, err, c.code, c.status)
			if !strings.Contains(ae.Message, c.says) || ae.Action != "StartExecution" {
				t.Errorf("%+v: %v; want it to mention %q", c.req, ae, c.says)
			}
		}
		if e.Running() != 0 {
			t.Errorf("Running = %d after refusals", e.Running())
		}
	})
}

func TestALegacyFlowRunsAsAStandardExecution(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := "version: v1\ntype: flow\nsteps:\n  - type: wait\n    name: w\n    duration: 3600\n  - type: pass\n    name: p\n"
		e := newStd(t, ExecutionsOptions{}, "", standard("legacy", src))
		startStd(t, e, fnf.StartRequest{FlowName: "legacy", ExecutionName: "l1"})
		if d := waitEnd(t, e, "legacy", "l1"); d.Status != fnf.StatusSucceeded {
			t.Errorf("legacy = %+v; want Succeeded after its hour", d)
		}
		got := types(events(t, e, "legacy", "l1"))
		want := "ExecutionStarted StepEntered:w StepExited:w StepEntered:p StepExited:p ExecutionSucceeded"
		if got != want {
			t.Errorf("events = %s\nwant      %s", got, want)
		}
	})
}

func TestAStandardWaitMayLastUpTo300Seconds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		src := flow("W", "- Type: Wait\n  Name: W\n  Seconds.$: $Input.s\n  End: true")
		e := newStd(t, ExecutionsOptions{}, "", standard("t", src))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "ok", Input: `{"s":300}`})
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "long", Input: `{"s":301}`})
		if d := waitEnd(t, e, "t", "ok"); d.Status != fnf.StatusSucceeded {
			t.Errorf("300 s: %+v", d)
		}
		d := waitEnd(t, e, "t", "long")
		if d.Status != fnf.StatusFailed || d.ErrorCode != CodeExpression || !strings.Contains(d.ErrorMessage, "a Standard flow waits 1–300 seconds") {
			t.Errorf("301 s: %+v; want the Standard range", d)
		}
	})
	// Express keeps 1–20 s.
	res := run(t, nil, flow("W", "- Type: Wait\n  Name: W\n  Seconds.$: $Input.s\n  End: true"), `{"s":21}`)
	wantError(t, res, fnf.StatusFailed, CodeExpression, "an Express flow waits 1–20 seconds")
}

func TestAStandardExecutionPastItsLimitEndsTimedOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		loop := flow("W", "- Type: Wait\n  Name: W\n  Seconds: 300\n  Next: W")
		e := newStd(t, ExecutionsOptions{Limit: time.Hour}, "", standard("t", loop))
		began := time.Now()
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "slow"})
		d := waitEnd(t, e, "t", "slow")
		if d.Status != fnf.StatusTimedOut || d.ErrorCode != CodeTimeout || time.Since(began) != time.Hour {
			t.Errorf("= %+v after %s; want TimedOut after the hour", d, time.Since(began))
		}
		ev := events(t, e, "t", "slow")
		if last := ev[len(ev)-1]; last.Type != fnf.EventExecutionTimedOut || last.ScheduleEventId != 1 {
			t.Errorf("last event = %+v; want ExecutionTimedOut pointing at ExecutionStarted", last)
		}
	})
	if e := NewExecutions(ExecutionsOptions{}); e.opts.Limit != fnf.StandardLimit {
		t.Errorf("default limit = %s; want a year", e.opts.Limit)
	}
}

func TestTheEventLimitEndsAStandardLoopAndTheHistoryHoldsEveryCountedEvent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		loop := flow("P", "- Type: Pass\n  Name: P\n  Next: P")
		e := newStd(t, ExecutionsOptions{}, "", standard("t", loop))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "loop"})
		d := waitEnd(t, e, "t", "loop")
		if d.Status != fnf.StatusFailed || d.ErrorCode != CodeEventLimit {
			t.Fatalf("= %+v; want Failed with %s", d, CodeEventLimit)
		}
		ev := events(t, e, "t", "loop")
		rec, _ := e.find("t", "loop")
		if len(ev) != MaxEvents || int64(len(ev)) != rec.counted {
			t.Errorf("%d events recorded, %d counted; want the same, within %d", len(ev), rec.counted, MaxEvents)
		}
	})
}

func TestStopExecutionEndsItStoppedWithItsErrorAndCause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newStd(t, ExecutionsOptions{}, "", standard("t", waitFlow))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "s"})
		time.Sleep(10 * time.Second)
		d, err := e.StopExecution(context.Background(), fnf.StopRequest{FlowName: "t", ExecutionName: "s", Error: "Ops.Cancel", Cause: "customer left"})
		if err != nil || d.Status != fnf.StatusStopped || d.ErrorCode != "Ops.Cancel" || d.ErrorMessage != "customer left" || d.StoppedTime == "" {
			t.Fatalf("StopExecution = %+v, %v; want Stopped with the error and cause", d, err)
		}
		ev := events(t, e, "t", "s")
		last := ev[len(ev)-1]
		if last.Type != fnf.EventExecutionStopped || !strings.Contains(last.EventDetail, `"Cause":"customer left"`) {
			t.Errorf("last event = %+v", last)
		}
		// Stopping it again changes nothing.
		again, err := e.StopExecution(context.Background(), fnf.StopRequest{FlowName: "t", ExecutionName: "s", Error: "Other"})
		if err != nil || again != d {
			t.Errorf("second stop = %+v, %v; want the execution as it ended", again, err)
		}
		_, err = e.StopExecution(context.Background(), fnf.StopRequest{FlowName: "t", ExecutionName: "s", Error: strings.Repeat("E", 129)})
		apiErr(t, err, fnf.CodeInvalidArgument, 400)
		_, err = e.StopExecution(context.Background(), fnf.StopRequest{FlowName: "t", ExecutionName: "s", Cause: strings.Repeat("é", 4097)})
		apiErr(t, err, fnf.CodeInvalidArgument, 400)
		_, err = e.StopExecution(context.Background(), fnf.StopRequest{FlowName: "t", ExecutionName: "ghost"})
		if ae := apiErr(t, err, fnf.CodeExecutionNotExists, 404); !strings.Contains(ae.Message, `"ghost"`) {
			t.Errorf("Message = %q; want the name", ae.Message)
		}
	})
}

func TestCloseStopsEveryRunningExecutionWithItsCause(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newStd(t, ExecutionsOptions{}, "", standard("t", waitFlow))
		for _, n := range []string{"a", "b", "c"} {
			startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: n})
		}
		if e.Running() != 3 {
			t.Fatalf("Running = %d; want 3", e.Running())
		}
		if err := e.Close(context.Background(), "flowtui quit"); err != nil {
			t.Fatal(err)
		}
		if e.Running() != 0 {
			t.Errorf("Running = %d after Close", e.Running())
		}
		d, _ := e.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "t", ExecutionName: "b"})
		if d.Status != fnf.StatusStopped || d.ErrorCode != CodeShutdown || d.ErrorMessage != "flowtui quit" {
			t.Errorf("b = %+v; want Stopped with the cause", d)
		}
		_, err := e.StartExecution(context.Background(), fnf.StartRequest{FlowName: "t"})
		apiErr(t, err, fnf.CodeServiceUnavailable, 503)
	})
}

func TestDescribeExecutionLongPolls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		e := newStd(t, ExecutionsOptions{}, "", standard("t", waitFlow))
		startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "w"})
		began := time.Now()
		d, err := e.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "t", ExecutionName: "w", Wait: 60 * time.Second})
		if err != nil || d.Status != fnf.StatusRunning || time.Since(began) != 60*time.Second {
			t.Errorf("= %s, %v after %s; want Running after the whole wait", d.Status, err, time.Since(began))
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if _, err := e.DescribeExecution(ctx, fnf.DescribeRequest{FlowName: "t", ExecutionName: "w", Wait: 60 * time.Second}); err == nil {
			t.Error("a ctx that ends did not end the wait")
		}
		time.Sleep(205 * time.Second) // to 270 s: 30 s before the end
		began = time.Now()
		d, _ = e.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "t", ExecutionName: "w", Wait: 60 * time.Second})
		if d.Status != fnf.StatusSucceeded || time.Since(began) != 30*time.Second {
			t.Errorf("= %s after %s; want Succeeded as soon as it ended", d.Status, time.Since(began))
		}
		for _, w := range []time.Duration{-time.Second, 61 * time.Second} {
			_, err := e.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "t", ExecutionName: "w", Wait: w})
			apiErr(t, err, fnf.CodeInvalidArgument, 400)
		}
		_, err = e.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "t", ExecutionName: "nope"})
		if ae := apiErr(t, err, fnf.CodeExecutionNotExists, 404); !strings.Contains(ae.Message, `execution "nope" of flow "t"`) {
			t.Errorf("Message = %q", ae.Message)
		}
	})
}

func TestDescribeRegionsListsThePublicRegions(t *testing.T) {
	e := NewExecutions(ExecutionsOptions{})
	en, _ := e.DescribeRegions(context.Background(), "en-US")
	zh, _ := e.DescribeRegions(context.Background(), "")
	if len(en) < 7 || en[0] != (fnf.Region{RegionId: "cn-hangzhou", RegionEndpoint: "cn-hangzhou.fnf.aliyuncs.com", LocalName: "China (Hangzhou)"}) {
		t.Errorf("en-US = %+v", en)
	}
	if zh[0].LocalName != "华东1（杭州）" {
		t.Errorf("zh-CN = %+v", zh[0])
	}
	b, _ := json.Marshal(en[0])
	if string(b) != `{"RegionId":"cn-hangzhou","RegionEndpoint":"cn-hangzhou.fnf.aliyuncs.com","LocalName":"China (Hangzhou)"}` {
		t.Errorf("JSON = %s", b)
	}
}
