package engine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// With FastWait a run skips its waits yet reports the time the flow would
// take: what flowtui test --fast-wait relies on. The Wait, Parallel and Map
// semantics are the service's (state pages cited in states_test.go); the
// durations below are what they add up to.

// within checks a duration the virtual clock reported: want, plus the real
// time the run itself took (well under a second).
func within(t *testing.T, what string, got, want time.Duration) {
	t.Helper()
	if got < want || got > want+time.Second {
		t.Errorf("%s: %s; want %s", what, got, want)
	}
}

// skipped checks that the waits were skipped: the run took less real time
// than the flow says it took.
func skipped(t *testing.T, began time.Time, flowTook time.Duration) {
	t.Helper()
	if real := time.Since(began); real >= flowTook {
		t.Errorf("the run took %s of real time for %s of flow time: its waits were not skipped", real, flowTook)
	}
}

func TestFastWaitReportsTheTimeTheFlowWouldTake(t *testing.T) {
	src := flow("Cool", `
- Type: Wait
  Name: Cool
  Seconds: 10
  Next: Both
- Type: Parallel
  Name: Both
  Branches:
    - StartAt: Short
      States:
        - Type: Wait
          Name: Short
          Seconds: 5
          End: true
    - StartAt: Long
      States:
        - Type: Wait
          Name: Long
          Seconds: 15
          End: true
  Next: Each
- Type: Map
  Name: Each
  ItemsPath: $Input.Branch0.items # a branch's output is its input here
  MaxConcuccency: 2
  Processor:
    StartAt: Nap
    States:
      - Type: Wait
        Name: Nap
        Seconds: 3
        End: true
  End: true`)
	began := time.Now()
	res := run(t, &Runner{FastWait: true}, src, `{"items":[1,2,3,4]}`)
	if res.Status != fnf.StatusSucceeded {
		t.Fatalf("status %s: %s", res.Status, res.ErrorMessage)
	}
	// 10 s, then the longer branch (15 s), then four 3 s naps two at a time.
	took := res.Stopped.Sub(res.Started)
	within(t, "the run", took, 31*time.Second)
	skipped(t, began, took)
	durs := map[string]time.Duration{}
	for _, s := range res.Trace {
		durs[s.State] = s.Duration
	}
	within(t, "Cool", durs["Cool"], 10*time.Second)
	within(t, "Both", durs["Both"], 15*time.Second)
	within(t, "Both/Branch0/Short", durs["Both/Branch0/Short"], 5*time.Second)
	within(t, "Each", durs["Each"], 6*time.Second)
	for _, s := range res.Trace {
		if s.State == "Each" && s.Start.Sub(res.Started) < 25*time.Second {
			t.Errorf("Each started %s into the run; want 25 s (after Cool and Both)", s.Start.Sub(res.Started))
		}
	}
}

func TestFastWaitSkipsRetryIntervals(t *testing.T) {
	began := time.Now()
	res := runCase(t, &Runner{FastWait: true, Mocks: mustMocks(t, retryMocks)}, callFlow(`  Retry:
    - Errors: [Err.A]
      MaxAttempts: 3
      IntervalSeconds: 2
      BackoffRate: 2`), `{}`, "TwiceThenOK")
	wantOutput(t, res, `{"ok":true}`)
	took := res.Stopped.Sub(res.Started)
	within(t, "two retries after 2 s and 4 s", took, 6*time.Second)
	skipped(t, began, took)
	if got := attempts(res, "Call"); len(got) != 3 || got[2] != 2 {
		t.Errorf("attempts %v", got)
	}
	if d := res.Trace[2].Start.Sub(res.Trace[1].Start); d < 4*time.Second || d > 5*time.Second {
		t.Errorf("the third attempt started %s after the second; want 4 s", d)
	}
}

// The 5-minute Express limit is on the flow's time, not on the real time.
func TestFastWaitHoldsTheExpressLimit(t *testing.T) {
	loop := flow("W", "- Type: Wait\n  Name: W\n  Seconds: 20\n  Next: W")
	began := time.Now()
	res := run(t, &Runner{FastWait: true}, loop, `{}`)
	wantError(t, res, fnf.StatusTimedOut, CodeTimeout, "5-minute")
	took := res.Stopped.Sub(res.Started)
	within(t, "a Wait loop under the Express limit", took, ExpressLimit)
	skipped(t, began, took)
}

func TestFastWaitStandardEventsCarryTheFlowsTime(t *testing.T) {
	e := newStd(t, ExecutionsOptions{Runner: &Runner{FastWait: true}}, "", standard("t", waitFlow))
	began := time.Now()
	startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "w"})
	end := waitEnd(t, e, "t", "w")
	if end.Status != fnf.StatusSucceeded {
		t.Fatalf("ended %s: %s", end.Status, end.ErrorMessage)
	}
	started, _ := fnf.ParseTime(end.StartedTime)
	stopped, _ := fnf.ParseTime(end.StoppedTime)
	took := stopped.Sub(started)
	within(t, "a 300 s Wait", took, 300*time.Second)
	skipped(t, began, took)
	evs := events(t, e, "t", "w")
	first, _ := fnf.ParseTime(evs[0].Time)
	last, _ := fnf.ParseTime(evs[len(evs)-1].Time)
	within(t, "from ExecutionStarted to ExecutionSucceeded", last.Sub(first), 300*time.Second)
}

// A callback nobody answers times out after the task's Timeout of flow time;
// a stop still ends an execution that waits on the outside world.
func TestFastWaitCallbackTimeoutAndStop(t *testing.T) {
	cb := func(name, timeout string) string {
		return strings.Replace(flow("Ask", "- Type: Task\n  Name: Ask\n  Action: MNS:SendMessage\n  TaskMode: WaitForCustomCallback\n"+timeout+
			"  Parameters:\n    resourceArn: acs:mns:cn-hangzhou:1:/queues/q/messages\n    message.$: $Context.Current.TaskToken\n  End: true"),
			"Name: t\n", "Name: "+name+"\n", 1)
	}
	e := newStd(t, ExecutionsOptions{Runner: &Runner{FastWait: true}}, "",
		standard("day", cb("day", "  Timeout: 86400\n")), standard("never", cb("never", "")))
	startStd(t, e, fnf.StartRequest{FlowName: "day", ExecutionName: "d"})
	end := waitEnd(t, e, "day", "d")
	if end.Status != fnf.StatusFailed || end.ErrorCode != CodeTimeout {
		t.Fatalf("ended %s %s: %s; want Failed, %s", end.Status, end.ErrorCode, end.ErrorMessage, CodeTimeout)
	}
	started, _ := fnf.ParseTime(end.StartedTime)
	stopped, _ := fnf.ParseTime(end.StoppedTime)
	within(t, "a callback with a day's Timeout", stopped.Sub(started), 24*time.Hour)

	startStd(t, e, fnf.StartRequest{FlowName: "never", ExecutionName: "n"})
	if _, err := e.StopExecution(context.Background(), fnf.StopRequest{FlowName: "never", ExecutionName: "n", Error: "Test.Stop", Cause: "enough"}); err != nil {
		t.Fatal(err)
	}
	if end := waitEnd(t, e, "never", "n"); end.Status != fnf.StatusStopped {
		t.Errorf("a stopped execution ended %s", end.Status)
	}
}

func TestFastWaitLegacyWaitAndForeach(t *testing.T) {
	src := legacy(`
- type: wait
  name: nap
  duration: 30
- type: foreach
  name: each
  iterationMapping:
    collection: $.items
    item: item
  steps:
    - type: wait
      name: inner
      duration: 7`)
	e := newStd(t, ExecutionsOptions{Runner: &Runner{FastWait: true}}, "", fnf.Flow{Name: "l", Definition: src})
	startStd(t, e, fnf.StartRequest{FlowName: "l", ExecutionName: "x", Input: `{"items":[1,2,3]}`})
	end := waitEnd(t, e, "l", "x")
	if end.Status != fnf.StatusSucceeded {
		t.Fatalf("ended %s %s: %s", end.Status, end.ErrorCode, end.ErrorMessage)
	}
	started, _ := fnf.ParseTime(end.StartedTime)
	stopped, _ := fnf.ParseTime(end.StoppedTime)
	// foreach runs its iterations at once unless told otherwise.
	within(t, "30 s, then three 7 s iterations at once", stopped.Sub(started), 37*time.Second)
}

// Random nestings of Waits, Parallels and Maps: under FastWait each run
// reports exactly the time the service's rules give it — a sequence adds
// up, a Parallel lasts as its longest branch, and a Map starts its
// iterations in item order as MaxConcuccency frees a slot.
func TestFastWaitMatchesTheFlowsTimeOnRandomNestings(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 2026))
	for i := range 150 {
		g := &nestGen{rng: rng}
		states, want := g.seq(0, "")
		src := flow("S0", states)
		res := run(t, &Runner{FastWait: true, Limit: 24 * time.Hour}, src, `{}`)
		if res.Status != fnf.StatusSucceeded {
			t.Fatalf("flow %d: %s %s\n%s", i, res.Status, res.ErrorMessage, src)
		}
		if got := res.Stopped.Sub(res.Started); got < want || got > want+time.Second {
			t.Fatalf("flow %d took %s on the virtual clock; the service's rules give %s\n%s", i, got, want, src)
		}
	}
}

// nestGen writes random state lists and what they last.
type nestGen struct {
	rng *rand.Rand
	n   int // states named so far
}

// seq is a list of 1–3 states at column 0 (the first named S<n>, as
// returned StartAt) and its duration.
func (g *nestGen) seq(depth int, indent string) (string, time.Duration) {
	var b strings.Builder
	var total time.Duration
	k := 1 + g.rng.IntN(3)
	names, bodies := make([]string, k), make([]string, k)
	for j := range k {
		names[j] = fmt.Sprintf("S%d", g.n)
		g.n++
		var d time.Duration
		bodies[j], d = g.state(depth, names[j])
		total += d
	}
	for j := range k {
		end := "  End: true\n"
		if j < k-1 {
			end = "  Next: " + names[j+1] + "\n"
		}
		for _, line := range strings.SplitAfter(bodies[j]+end, "\n") {
			if line != "" {
				b.WriteString(indent + line)
			}
		}
	}
	return b.String(), total
}

// state is one state (without its Next or End) and its duration.
func (g *nestGen) state(depth int, name string) (string, time.Duration) {
	kind := g.rng.IntN(3)
	if depth >= 2 {
		kind = 0
	}
	switch kind {
	case 1: // Parallel
		var b strings.Builder
		fmt.Fprintf(&b, "- Type: Parallel\n  Name: %s\n  Branches:\n", name)
		var longest time.Duration
		for range 2 + g.rng.IntN(2) {
			start := g.n
			states, d := g.seq(depth+1, "        ")
			fmt.Fprintf(&b, "    - StartAt: S%d\n      States:\n%s", start, states)
			longest = max(longest, d)
		}
		return b.String(), longest
	case 2: // Map: iteration i waits items[i] s, limit at a time
		items := make([]int, 1+g.rng.IntN(5))
		secs := make([]string, len(items))
		for i := range items {
			items[i] = 1 + g.rng.IntN(5)
			secs[i] = fmt.Sprint(items[i])
		}
		limit := 1 + g.rng.IntN(3)
		inner := fmt.Sprintf("S%d", g.n)
		g.n++
		src := fmt.Sprintf("- Type: Map\n  Name: %s\n  InputConstructor:\n    items: [%s]\n  ItemsPath: $Input.items\n  MaxConcuccency: %d\n"+
			"  Processor:\n    StartAt: %s\n    States:\n      - Type: Wait\n        Name: %s\n        Seconds.$: $Input\n        End: true\n",
			name, strings.Join(secs, ", "), limit, inner, inner)
		return src, listSchedule(items, limit)
	}
	s := 1 + g.rng.IntN(5)
	return fmt.Sprintf("- Type: Wait\n  Name: %s\n  Seconds: %d\n", name, s), time.Duration(s) * time.Second
}

// listSchedule is when the last of jobs (seconds each) ends when they start
// in order, each as soon as one of limit slots is free.
func listSchedule(jobs []int, limit int) time.Duration {
	free := make([]int, limit)
	end := 0
	for _, j := range jobs {
		i := 0
		for k := range free {
			if free[k] < free[i] {
				i = k
			}
		}
		free[i] += j
		end = max(end, free[i])
	}
	return time.Duration(end) * time.Second
}

// A branch that fails stops its siblings at once: the run ends when it
// failed, not when a sibling's Wait would have ended.
func TestFastWaitAFailedBranchEndsTheRunWhenItFails(t *testing.T) {
	src := flow("P", `
- Type: Parallel
  Name: P
  Branches:
    - StartAt: Long
      States:
        - Type: Wait
          Name: Long
          Seconds: 20
          End: true
    - StartAt: Short
      States:
        - Type: Wait
          Name: Short
          Seconds: 2
          Next: Boom
        - Type: Fail
          Name: Boom
          Code: Test.Boom
          Detail: the short branch failed
  End: true`)
	res := run(t, &Runner{FastWait: true}, src, `{}`)
	wantError(t, res, fnf.StatusFailed, "Test.Boom", "short branch")
	within(t, "a Parallel whose 2 s branch fails beside a 20 s one", res.Stopped.Sub(res.Started), 2*time.Second)
}

// Work in real time (an HTTP:Request) takes its real time on the virtual
// clock, and the waits beside it fall due as that time passes: a Wait of 1 s
// beside a 1.5 s call lasts 1 s, as on the real clock, and the time limit
// ends a call that runs past it.
func TestFastWaitBesideRealWork(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(1500 * time.Millisecond):
		case <-r.Context().Done():
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	src := flow("P", `
- Type: Parallel
  Name: P
  Branches:
    - StartAt: Call
      States:
        - Type: Task
          Name: Call
          Action: HTTP:Request
          Parameters:
            url: `+srv.URL+`
          End: true
    - StartAt: Nap
      States:
        - Type: Wait
          Name: Nap
          Seconds: 1
          End: true
  End: true`)
	res := run(t, &Runner{FastWait: true, HTTP: srv.Client()}, src, `{}`)
	if res.Status != fnf.StatusSucceeded {
		t.Fatalf("%s: %s", res.Status, res.ErrorMessage)
	}
	for _, s := range res.Trace {
		if s.State == "P/Branch1/Nap" && (s.Duration < time.Second || s.Duration > 1400*time.Millisecond) {
			t.Errorf("the 1 s Wait beside a 1.5 s call took %s", s.Duration)
		}
	}
	if took := res.Stopped.Sub(res.Started); took < 1500*time.Millisecond || took > 3*time.Second {
		t.Errorf("the run took %s; want the call's 1.5 s", took)
	}

	limited := run(t, &Runner{FastWait: true, HTTP: srv.Client(), Limit: 500 * time.Millisecond}, src, `{}`)
	if limited.Status != fnf.StatusTimedOut {
		t.Errorf("a 1.5 s call under a 0.5 s limit: %s %s", limited.Status, limited.ErrorMessage)
	}
}

// A distributed Map's iterations are Express child executions whatever the
// flow's mode: the Express limits hold for its Processor (a Wait of 1–20 s,
// no callback task) and each child has the 5-minute limit of its own; a
// child past it is a failed iteration, which the Map's tolerance decides.
func TestDistributedMapChildrenAreExpressExecutions(t *testing.T) {
	dmap := func(tolerated, processor string) string {
		return flow("M", `
- Type: Map
  Name: M
  ItemsPath: $Input.items
`+tolerated+`  ProcessorConfig:
    Mode: Distributed
    ExecutionMode: Express
  Processor:
    StartAt: W
    States:
`+processor+`
  End: true`)
	}
	_, err := Parse("flow.yaml", []byte(dmap("", "      - Type: Wait\n        Name: W\n        Seconds: 60\n        End: true")))
	if err == nil || !strings.Contains(err.Error(), "1–20 s") || !strings.Contains(err.Error(), `Express child executions of the distributed Map "M"`) {
		t.Errorf("a 60 s Wait in a distributed Map's Processor: %v", err)
	}

	loop := "      - Type: Wait\n        Name: W\n        Seconds: 20\n        Next: W"
	e := newStd(t, ExecutionsOptions{Runner: &Runner{FastWait: true}}, "",
		standard("strict", strings.Replace(dmap("", loop), "Name: t\n", "Name: strict\n", 1)),
		standard("lenient", strings.Replace(dmap("  ToleratedFailureCount: 1\n", loop), "Name: t\n", "Name: lenient\n", 1)))
	startStd(t, e, fnf.StartRequest{FlowName: "strict", ExecutionName: "s", Input: `{"items":[1]}`})
	end := waitEnd(t, e, "strict", "s")
	if end.Status != fnf.StatusFailed || end.ErrorCode != CodeTimeout || !strings.Contains(end.ErrorMessage, "5-minute Express limit") {
		t.Errorf("a child looping on Waits: %s %s %q; want Failed, %s at the Express limit", end.Status, end.ErrorCode, end.ErrorMessage, CodeTimeout)
	}
	started, _ := fnf.ParseTime(end.StartedTime)
	stopped, _ := fnf.ParseTime(end.StoppedTime)
	within(t, "a child past its Express limit", stopped.Sub(started), ExpressLimit)

	// A Seconds.$ is checked when it runs, against the Express range too.
	dyn := standard("dyn", strings.Replace(dmap("", "      - Type: Wait\n        Name: W\n        Seconds.$: $Input.s\n        End: true"), "Name: t\n", "Name: dyn\n", 1))
	e2 := newStd(t, ExecutionsOptions{Runner: &Runner{FastWait: true}}, "", dyn)
	startStd(t, e2, fnf.StartRequest{FlowName: "dyn", ExecutionName: "d", Input: `{"items":[{"s":1},{"s":30}]}`})
	if end := waitEnd(t, e2, "dyn", "d"); end.Status != fnf.StatusFailed || end.ErrorCode != CodeExpression || !strings.Contains(end.ErrorMessage, "an Express flow waits 1–20 seconds") {
		t.Errorf("a child waiting Seconds.$ 30 s: %s %s %q", end.Status, end.ErrorCode, end.ErrorMessage)
	}

	startStd(t, e, fnf.StartRequest{FlowName: "lenient", ExecutionName: "l", Input: `{"items":[1]}`})
	if end := waitEnd(t, e, "lenient", "l"); end.Status != fnf.StatusSucceeded || !strings.Contains(end.Output, CodeTimeout) {
		t.Errorf("the same child, one failure tolerated: %s %s", end.Status, end.Output)
	}
}

// A Standard execution that waits for ever (a loop of 300 s Waits) ends at
// its time limit of flow time — or at the event limit, whichever comes
// first: 5,000 events come after about 8.7 days here, so the limit is set to
// 5 days. The one-year Standard limit is named as such.
func TestFastWaitStandardLimitIsFlowTime(t *testing.T) {
	loop := flow("W", "- Type: Wait\n  Name: W\n  Seconds: 300\n  Next: W")
	e := newStd(t, ExecutionsOptions{Runner: &Runner{FastWait: true}, Limit: 5 * 24 * time.Hour}, "", standard("t", loop))
	startStd(t, e, fnf.StartRequest{FlowName: "t", ExecutionName: "l"})
	end := waitEnd(t, e, "t", "l")
	if end.Status != fnf.StatusTimedOut || !strings.Contains(end.ErrorMessage, "time limit of 5 days") {
		t.Fatalf("ended %s: %s", end.Status, end.ErrorMessage)
	}
	started, _ := fnf.ParseTime(end.StartedTime)
	stopped, _ := fnf.ParseTime(end.StoppedTime)
	within(t, "a Wait loop under a 5-day limit", stopped.Sub(started), 5*24*time.Hour)
	if got := (&timeLimitError{fnf.StandardLimit}).Error(); !strings.Contains(got, "one-year Standard limit") {
		t.Errorf("the Standard limit reads %q", got)
	}
	if got := (&timeLimitError{900000 * time.Second}).Error(); !strings.Contains(got, "10.4 days") {
		t.Errorf("a legacy timeoutSeconds of 900000 reads %q", got)
	}
}

// A fast-wait run stopped in the middle answers with what ran until the
// stop: its times are the flow's (10 s of Wait, then the call), so that
// the history records them, not the real time to the stop.
func TestAStoppedFastWaitRunKeepsTheFlowsTimes(t *testing.T) {
	called := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(called)
		<-r.Context().Done()
	}))
	defer srv.Close()
	def := strings.Replace(flow("W", "- Type: Wait\n  Name: W\n  Seconds: 10\n  Next: C\n- Type: Task\n  Name: C\n  Action: HTTP:Request\n  Parameters:\n    url: "+srv.URL+"\n  End: true"),
		"Name: t\n", "Name: hang\n", 1)
	dir := writeFlows(t, map[string]string{"hang.yaml": "Name: hang\nExecutionMode: Express\nDefinition: |\n" + indent(def)})
	l, err := NewLocal(LocalOptions{FlowsDir: dir, FlowsDirMust: true, FastWait: true, HTTP: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	go func() { <-called; cancel() }()
	res, err := l.StartSyncExecution(ctx, fnf.SyncRequest{FlowName: "hang"})
	if err == nil || res == nil {
		t.Fatalf("a stopped run: %+v, %v; want what ran, and the stop", res, err)
	}
	started, _ := fnf.ParseTime(res.StartedTime)
	stopped, _ := fnf.ParseTime(res.StoppedTime)
	within(t, "a run stopped in its call after a 10 s Wait", stopped.Sub(started), 10*time.Second)
	if len(res.Trace) == 0 || res.Trace[0].State != "W" {
		t.Errorf("trace %+v; want the Wait that ran", res.Trace)
	}
}
