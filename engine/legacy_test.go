package engine

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/flowtui/flowtui/fnf"
)

// Behaviours of the legacy Flow Definition Language, from its public pages:
//
//	overview       https://www.alibabacloud.com/help/en/serverless-workflow/latest/flow-definition-language-overview
//	inputs/outputs https://www.alibabacloud.com/help/en/serverless-workflow/latest/inputs-and-outputs
//	task           https://help.aliyun.com/en/document_detail/122494.html
//	pass           https://alibabacloud.com/help/en/serverless-workflow/latest/pass-steps
//	choice         https://help.aliyun.com/document_detail/122497.html
//	parallel       https://help.aliyun.com/document_detail/122498.html
//	foreach        https://help.aliyun.com/document_detail/122499.html
//	wait           https://alibabacloud.com/help/en/serverless-workflow/latest/wait-steps
//	succeed, fail  https://alibabacloud.com/help/en/serverless-workflow/latest/succeed-steps, …/fail-steps
//	errors         https://help.aliyun.com/en/document_detail/214310.html

// legacy builds a legacy definition from steps written at column 0.
func legacy(steps string) string {
	var b strings.Builder
	b.WriteString("version: v1\ntype: flow\nsteps:\n")
	for _, line := range strings.Split(strings.Trim(steps, "\n"), "\n") {
		b.WriteString("  " + line + "\n")
	}
	return b.String()
}

// The pass page's example: a pass step whose outputMappings inject a
// constant array; the flow's output is its $local, the merged step outputs.
func TestLegacyPassInjectsAConstant(t *testing.T) {
	src := legacy(`
- type: pass
  name: toUpperCase
  outputMappings:
    - target: names
      source: ["A", "B", "C"]`)
	wantOutput(t, run(t, nil, src, `{"names":["a"],"other":1}`), `{"names":["A","B","C"]}`)
}

// The parallel page's example: each branch's output is an element of the
// parallel step's $local, in branch order; $local[*].result collects them.
func TestLegacyParallelCollectsBranchOutputs(t *testing.T) {
	src := legacy(`
- type: parallel
  name: myparallel
  branches:
    - steps:
      - type: pass
        name: pass1
        outputMappings:
          - target: result
            source: pass1
    - steps:
      - type: pass
        name: pass2
        outputMappings:
          - target: result
            source: pass2
  outputMappings:
    - target: result
      source: $local[*].result`)
	res := run(t, nil, src, `{}`)
	wantOutput(t, res, `{"result":["pass1","pass2"]}`)
	names := strings.Join(stateNames(res), " ")
	for _, s := range []string{"myparallel/Branch0/pass1", "myparallel/Branch1/pass2", "myparallel"} {
		if !strings.Contains(names, s) {
			t.Errorf("trace %q lacks %q", names, s)
		}
	}
}

// A parallel or foreach step without outputMappings outputs nothing (the
// inputs-and-outputs page's default).
func TestLegacyParallelWithoutOutputMappingsOutputsNothing(t *testing.T) {
	src := legacy(`
- type: parallel
  name: p
  branches:
    - steps:
      - type: pass
        name: a
        outputMappings:
          - target: x
            source: 1`)
	wantOutput(t, run(t, nil, src, `{}`), `{}`)
}

// The foreach page's example with the function mocked: each iteration's
// input is the step's input with the item added under the item name, and
// $local[*].name collects the results in collection order.
func TestLegacyForeachOverAMockedTask(t *testing.T) {
	src := legacy(`
- type: foreach
  name: myforeach
  maxConcurrency: 1 # one at a time, so that the mock's attempts follow the items
  iterationMapping:
    collection: $.names
    item: name
  steps:
    - type: task
      name: toUpperCase
      resourceArn: acs:fc:cn-hangzhou:123:services/fnf_test/functions/toUpperCase
  outputMappings:
    - target: names
      source: $local[*].name`)
	mocks := mustMocks(t, `
Flows:
  t: {TestCases: {Default: {toUpperCase: Upper}}}
MockedResponses:
  Upper:
    "0": {Return: {name: A}}
    "1": {Return: {name: B}}
    "2": {Return: {name: C}}`)
	res := run(t, &Runner{Mocks: mocks}, src, `{"names":["a","b","c"]}`)
	wantOutput(t, res, `{"names":["A","B","C"]}`)
	for i, s := range res.Trace[:3] {
		want := `{"name":"` + string(rune('a'+i)) + `","names":["a","b","c"]}`
		if !jsonEqual(t, s.Input, want) {
			t.Errorf("iteration %d task input = %s; want %s", i, s.Input, want)
		}
	}
}

// The choice page's example: the first choice whose condition holds runs
// its steps, then the list goes on after the choice, or jumps to its goto.
func TestLegacyChoiceStepsAndGoto(t *testing.T) {
	src := legacy(`
- type: choice
  name: mychoice
  choices:
    - condition: $.status == "ready"
      steps:
        - type: pass
          name: pass1
    - condition: $.status == "failed"
      goto: final
  default:
    steps:
      - type: pass
        name: pass2
    goto: final
- type: pass
  name: pass3
- type: pass
  name: final`)
	for _, c := range []struct {
		input string
		want  []string
	}{
		{`{"status":"ready"}`, []string{"mychoice/pass1", "mychoice", "pass3", "final"}},
		{`{"status":"failed"}`, []string{"mychoice", "final"}},
		{`{"status":"other"}`, []string{"mychoice/pass2", "mychoice", "final"}},
	} {
		res := run(t, nil, src, c.input)
		wantOutput(t, res, `{}`)
		wantStates(t, res, c.want...)
	}
	// The fail page's variant: the failed status reaches a fail step.
	failing := strings.Replace(src, "- type: pass\n    name: final", "- type: fail\n    name: final\n    error: StatusFailed\n    cause: the status is failed", 1)
	wantError(t, run(t, nil, failing, `{"status":"failed"}`), fnf.StatusFailed, "StatusFailed", "the status is failed")
}

// With no inputMappings a step's input is its parent's input merged with
// the parent's $local (local wins); outputMappings read the step's $input
// and $local; the flow's inputMappings read the execution input.
func TestLegacyMappingsAndDefaults(t *testing.T) {
	src := `version: v1
type: flow
inputMappings:
  - target: who
    source: $input.user.name
  - target: count
    source: 1
steps:
  - type: pass
    name: first
    outputMappings:
      - target: count
        source: 2
      - target: seen
        source: $input.who
  - type: pass
    name: second
    inputMappings:
      - target: c
        source: $local.count
      - target: exec
        source: $context.execution.name
      - target: step
        source: $context.step.name
    outputMappings:
      - target: got
        source: $input
outputMappings:
  - target: got
    source: $local.got
  - target: who
    source: $input.who
`
	res := run(t, nil, src, `{"user":{"name":"tom"}}`)
	wantOutput(t, res, `{"got":{"c":2,"exec":"e1:0000","step":"second"},"who":"tom"}`)
	if in := res.Trace[0].Input; !jsonEqual(t, in, `{"who":"tom","count":1}`) {
		t.Errorf("first step's input = %s; want the flow's mapped input", in)
	}
}

// succeed ends its list early; end: true too; fail fails the flow with its
// error and cause.
func TestLegacySucceedEndAndFail(t *testing.T) {
	src := legacy(`
- type: succeed
  name: done
- type: fail
  name: never
  error: X`)
	res := run(t, nil, src, `{}`)
	wantOutput(t, res, `{}`)
	wantStates(t, res, "done")
	ended := legacy(`
- type: pass
  name: last
  end: true
- type: fail
  name: never
  error: X`)
	wantStates(t, run(t, nil, ended, `{}`), "last")
	wantError(t, run(t, nil, legacy("- type: fail\n  name: f\n  error: Bad\n  cause: because"), `{}`), fnf.StatusFailed, "Bad", "because")
}

// A wait step waits duration seconds, from a constant or $.key; a timestamp
// in the past does not wait.
func TestLegacyWait(t *testing.T) {
	src := legacy(`
- type: wait
  name: w
  duration: $.d
- type: wait
  name: past
  timestamp: 2020-01-01T00:00:00Z`)
	wantOutput(t, run(t, nil, src, `{"d":0}`), `{}`)
	wantError(t, run(t, nil, src, `{"d":"x"}`), fnf.StatusFailed, CodeExpression, `"w"`)
}

// A task is mocked by step name; retry rules retry with the documented
// defaults, attempts counted per execution; a catch rule jumps to a sibling
// with errorMappings' $local.error and $local.cause.
func TestLegacyTaskRetryAndCatch(t *testing.T) {
	src := legacy(`
- type: task
  name: hello
  resourceArn: acs:fc:cn-hangzhou:123:services/s/functions/f
  retry:
    - errors: [FC.ResourceExhausted]
      intervalSeconds: 0
      maxAttempts: 1
  errorMappings:
    - target: errCode
      source: $local.error
    - target: errMsg
      source: $local.cause
  catch:
    - errors: [FnF.ALL]
      goto: final
- type: pass
  name: skipped
- type: pass
  name: final`)
	mocks := mustMocks(t, `
Flows:
  t: {TestCases: {Default: {hello: Busy}, Twice: {hello: BusyTwice}}}
MockedResponses:
  Busy:
    "0": {Throw: {Code: FC.ResourceExhausted, Detail: busy}}
    "1": {Return: {ok: true}}
  BusyTwice:
    "0-1": {Throw: {Code: FC.ResourceExhausted, Detail: busy}}
    "2": {Return: {ok: true}}`)
	r := &Runner{Mocks: mocks}
	res := run(t, r, src, `{}`)
	wantOutput(t, res, `{"ok":true}`)
	wantStates(t, res, "hello", "hello", "skipped", "final")
	if res.Trace[0].Error == "" || res.Trace[1].Attempt != 1 {
		t.Errorf("trace = %+v; want a failed attempt 0, then attempt 1", res.Trace[:2])
	}
	res = runCase(t, r, src, `{}`, "Twice")
	wantOutput(t, res, `{"errCode":"FC.ResourceExhausted","errMsg":"busy"}`)
	wantStates(t, res, "hello", "hello", "final")
}

// An unmocked task stops the run naming the step and its resource, as a
// CloudFlow Task does.
func TestLegacyUnmockedTaskIsNamed(t *testing.T) {
	src := legacy("- type: task\n  name: hello\n  resourceArn: acs:fc:x:1:services/s/functions/f\n  catch:\n    - errors: [FnF.ALL]\n      goto: hello")
	wantError(t, run(t, nil, src, `{}`), fnf.StatusFailed, CodeNotMocked, `"hello"`, "acs:fc:x:1:services/s/functions/f")
}

// A step's input, output and local together are at most 32 KiB (the
// inputs-and-outputs page).
func TestLegacyStepDataLimit(t *testing.T) {
	big := strings.Repeat("x", 20<<10)
	src := legacy(`
- type: pass
  name: copy
  outputMappings:
    - target: again
      source: $input.s`)
	wantOutput(t, run(t, nil, src, `{"s":"short"}`), `{"again":"short"}`)
	wantError(t, run(t, nil, src, `{"s":"`+big+`"}`), fnf.StatusFailed, CodeDataLimit, `"copy"`, "32 KiB")
}

// A loop through goto stops at the service's 5,000 events, as a CloudFlow
// loop does.
func TestLegacyLoopStopsAtTheEventLimit(t *testing.T) {
	src := legacy(`
- type: choice
  name: again
  choices:
    - condition: $.x == 1
      goto: again`)
	wantError(t, run(t, &Runner{NoTrace: true}, src, `{"x":1}`), fnf.StatusFailed, CodeEventLimit, `"again"`)
}

// Parse errors carry file:line:col and the step, and name the nearest key.
func TestLegacyParseErrorsArePlaced(t *testing.T) {
	for _, c := range []struct{ src, state, msg string }{
		{legacy("- type: pass\n  name: p\n  outputMapings: []"), "p", `did you mean "outputMappings"`},
		{legacy("- type: pass\n  name: p\n  retry: []"), "p", "task steps only"},
		{legacy("- type: choice\n  name: c\n  choices:\n    - condition: $.a ==\n      goto: c"), "c", "condition"},
		{legacy("- type: choice\n  name: c\n  choices:\n    - condition: $.a == 1\n      goto: nowhere"), "c", `goto "nowhere"`},
		{legacy("- type: task\n  name: t\n  resourceArn: a\n  pattern: waitForCallback"), "t", "callback"},
		{legacy("- type: loop\n  name: l"), "l", "not one of"},
	} {
		_, err := Parse("old.yaml", []byte(c.src))
		ps := problems(t, err)
		if ps[0].State != c.state || ps[0].Pos.Line == 0 || !strings.Contains(ps[0].Msg, c.msg) {
			t.Errorf("%s\nproblem %+v; want one at a line, for %q, saying %q", c.src, ps[0], c.state, c.msg)
		}
	}
}

// A legacy flow is a Standard flow (the service had no Express mode before
// the CloudFlow spec): it runs as a Standard execution, and
// StartSyncExecution refuses it as it refuses any Standard flow.
func TestALegacyFlowIsStandardAndRunsLocally(t *testing.T) {
	dir := writeFlows(t, map[string]string{"old.yaml": "version: v1\ntype: flow\nname: old\nsteps:\n  - type: pass\n    name: p\n    outputMappings:\n      - target: ok\n        source: true\n"})
	l := newLocal(t, LocalOptions{FlowsDir: dir})
	f, err := l.DescribeFlow(context.Background(), "old")
	if err != nil || f.Mode() != fnf.ModeStandard {
		t.Fatalf("legacy flow %+v, %v: want Standard", f, err)
	}
	d, err := l.StartExecution(context.Background(), fnf.StartRequest{FlowName: "old", ExecutionName: "e1"})
	if err != nil {
		t.Fatal(err)
	}
	d, err = l.DescribeExecution(context.Background(), fnf.DescribeRequest{FlowName: "old", ExecutionName: d.Name, Wait: fnf.MaxDescribeWait})
	if err != nil || d.Status != fnf.StatusSucceeded || d.Output != `{"ok":true}` {
		t.Fatalf("run = %+v, %v; want Succeeded with {\"ok\":true}", d, err)
	}
	_, err = l.StartSyncExecution(context.Background(), fnf.SyncRequest{FlowName: "old"})
	apiErr(t, err, fnf.CodeActionNotSupported, 400)
	cs, _ := l.Compiled()
	find := func(string) (*Compiled, error) { return cs[0], nil }
	_, _, err = Starter{Find: find, Runner: &Runner{}}.Start(context.Background(), StartRequest{FlowName: "old"})
	apiErr(t, err, fnf.CodeActionNotSupported, 400)
}

// The flow's timeoutSeconds ends a run that lasts longer as TimedOut (the
// overview page: the flow's timeout); foreach's index names the position.
func TestLegacyFlowTimeoutAndForeachIndex(t *testing.T) {
	src := "version: v1\ntype: flow\ntimeoutSeconds: 1\nsteps:\n  - type: wait\n    name: w\n    duration: 3\n"
	wantError(t, run(t, nil, src, `{}`), fnf.StatusTimedOut, CodeTimeout)
	each := legacy(`
- type: foreach
  name: each
  iterationMapping:
    collection: $.xs
    item: x
    index: i
  steps:
    - type: pass
      name: p
      outputMappings:
        - target: at
          source: $input.i
  outputMappings:
    - target: at
      source: $local[*].at`)
	wantOutput(t, run(t, nil, each, `{"xs":["a","b"]}`), `{"at":[0,1]}`)
}

// A choice with no matching condition and no default ends with an empty
// $local and the list goes on (the choice page: the choices are checked in
// order); a reference to a key that is not there reads null.
func TestLegacyChoiceWithoutMatchGoesOn(t *testing.T) {
	src := legacy(`
- type: choice
  name: c
  choices:
    - condition: $.n > 1
      goto: last
- type: pass
  name: next
  outputMappings:
    - target: missing
      source: $input.nothing.here
- type: pass
  name: last`)
	res := run(t, nil, src, `{"n":1}`)
	wantOutput(t, res, `{"missing":null}`)
	wantStates(t, res, "c", "next", "last")
}

// Foreach iterations and parallel branches count toward the 5,000 events
// as Map iterations do: two per iteration, two per step, so a foreach of one
// pass step runs 1,249 items and stops at the 1,250th.
func TestLegacyForeachCountsTowardTheEventLimit(t *testing.T) {
	src := legacy(`
- type: foreach
  name: each
  maxConcurrency: 1
  iterationMapping:
    collection: $.xs
    item: x
  steps:
    - type: pass
      name: p`)
	items := strings.TrimSuffix(strings.Repeat("1,", 1250), ",")
	wantError(t, run(t, &Runner{NoTrace: true}, src, `{"xs":[`+items+`]}`), fnf.StatusFailed, CodeEventLimit)
	items = strings.TrimSuffix(strings.Repeat("1,", 1249), ",")
	wantOutput(t, run(t, &Runner{NoTrace: true}, src, `{"xs":[`+items+`]}`), `{}`)
}

// A parse problem is placed at the key, with the step's name.
func TestLegacyParseProblemPosition(t *testing.T) {
	_, err := Parse("old.yaml", []byte(legacy("- type: pass\n  name: p\n  outputMapings: []")))
	ps := problems(t, err)
	if got := ps[0].String(); !strings.HasPrefix(got, "old.yaml:6:5:") || !strings.Contains(got, `"p"`) {
		t.Errorf("problem = %q; want it at old.yaml:6:5 naming step \"p\"", got)
	}
}

// FuzzLegacy: no legacy definition makes the parser or a short run panic.
func FuzzLegacy(f *testing.F) {
	for _, seed := range []string{
		legacy("- {type: pass, name: a, outputMappings: [{target: x, source: $input.a[*].b}]}"),
		legacy("- {type: choice, name: c, choices: [{condition: $.a == 1, goto: c}], default: {steps: [{type: succeed, name: s}]}}"),
		legacy("- {type: foreach, name: f, iterationMapping: {collection: $.l, item: i}, steps: [{type: wait, name: w, duration: $.i}]}"),
		legacy("- {type: parallel, name: p, branches: [{steps: [{type: fail, name: x, error: E}]}]}"),
		legacy("- {type: task, name: t, resourceArn: a, retry: [{errors: [FnF.ALL]}], catch: [{errors: [FnF.ALL], goto: t}]}"),
	} {
		f.Add([]byte(seed), []byte(`{"a":1,"l":[0,1]}`))
	}
	f.Fuzz(func(t *testing.T, data, input []byte) {
		if len(data) > maxFuzzInput {
			t.Skip()
		}
		def, err := Parse("f.yaml", data)
		if err != nil || !def.Legacy {
			return
		}
		r := &Runner{NoTrace: true, Limit: 20 * time.Millisecond}
		_, _ = r.Run(context.Background(), def, RunRequest{Flow: "t", Input: string(input)})
	})
}

// A task invoked again through a catch's goto takes the next mocked
// attempt: attempts are counted per step name per execution, as for a
// CloudFlow Task.
func TestLegacyMockAttemptsCountPerExecution(t *testing.T) {
	src := legacy(`
- type: task
  name: flaky
  resourceArn: acs:fc:cn-hangzhou:123:services/s/functions/f
  catch:
    - errors: [Flaky.Once]
      goto: flaky`)
	mocks := mustMocks(t, `
Flows:
  t: {TestCases: {Default: {flaky: Once}}}
MockedResponses:
  Once:
    "0": {Throw: {Code: Flaky.Once}}
    "1": {Return: {done: true}}`)
	res := run(t, &Runner{Mocks: mocks}, src, `{}`)
	wantOutput(t, res, `{"done":true}`)
	wantStates(t, res, "flaky", "flaky")
}

// BenchmarkLegacyPassChain20: 20 legacy pass steps, each merging the
// flow's input and $local into its input (the documented default).
func BenchmarkLegacyPassChain20(b *testing.B) {
	var s strings.Builder
	for i := range 20 {
		fmt.Fprintf(&s, "- type: pass\n  name: s%d\n", i)
	}
	benchRun(b, legacy(s.String()), `{"orderId":"A-1001","amount":240,"tags":["a","b"]}`)
}

// A flow document (the DescribeFlow shape) whose definition is legacy FDL
// is Standard, as the service answers such a flow with an empty
// ExecutionMode; Express is refused, saying why.
func TestALegacyDefinitionInAFlowDocumentIsStandard(t *testing.T) {
	def := "Definition: |\n  version: v1\n  type: flow\n  steps:\n    - type: pass\n      name: hello\n"
	for _, mode := range []string{"", "ExecutionMode: \"\"\n", "ExecutionMode: Standard\n"} {
		e := loadFlow("old.yaml", []byte("Name: old\n"+mode+def))
		if e.err != nil || e.flow.Mode() != fnf.ModeStandard {
			t.Errorf("with %q: mode %s, err %v; want Standard", mode, e.flow.Mode(), e.err)
		}
	}
	e := loadFlow("old.yaml", []byte("Name: old\nExecutionMode: Express\n"+def))
	if e.err == nil || !strings.Contains(e.err.Error(), "runs only as Standard") {
		t.Errorf("ExecutionMode Express on a legacy definition: %v", e.err)
	}
}

// A flow document's ExecutionMode as DescribeFlow answers it: empty is
// Standard (the older flows' mode); left out, the document is Express, as a
// bare definition is. A problem inside a quoted Definition is placed in it.
func TestAFlowDocumentsEmptyExecutionModeIsStandard(t *testing.T) {
	def := `"Definition": "Type: StateMachine\nName: saved\nSpecVersion: v1\nStartAt: W\nStates:\n  - Type: Wait\n    Name: W\n    Seconds: 100\n    End: true\n"`
	e := loadFlow("saved.json", []byte(`{"Name": "saved", "ExecutionMode": "", `+def+`}`))
	if e.err != nil || e.flow.Mode() != fnf.ModeStandard {
		t.Errorf("ExecutionMode \"\": mode %s, err %v; want Standard", e.flow.Mode(), e.err)
	}
	e = loadFlow("saved.json", []byte(`{"Name": "saved", `+def+`}`))
	if e.err == nil || !strings.Contains(e.err.Error(), "saved.json (Definition):6:5") || !strings.Contains(e.err.Error(), "1–20 s") {
		t.Errorf("no ExecutionMode (Express), a 100 s Wait: %v; want the Express limit, placed in the Definition string", e.err)
	}
}

// JSON's null and YAML's empty value are one ExecutionMode: empty, Standard.
// A folded Definition (>) joins its lines, so its problems are placed in
// its text rather than at a file line they do not match.
func TestANullExecutionModeAndAFoldedDefinition(t *testing.T) {
	def := `"Definition": "Type: StateMachine\nName: n\nSpecVersion: v1\nStartAt: P\nStates:\n  - Type: Pass\n    Name: P\n    End: true\n"`
	if e := loadFlow("n.json", []byte(`{"Name": "n", "ExecutionMode": null, `+def+`}`)); e.err != nil || e.flow.Mode() != fnf.ModeStandard {
		t.Errorf("ExecutionMode null: mode %s, err %v; want Standard", e.flow.Mode(), e.err)
	}
	folded := "Name: xa\nDefinition: >\n  Type: StateMachine\n\n  Name: xa\n\n  SpecVersion: v1\n\n  StartAt: P\n\n  States: [{Type: Pass, Name: P, Next: Nope}]\n"
	e := loadFlow("xa.yaml", []byte(folded))
	if e.err == nil || !strings.Contains(e.err.Error(), "xa.yaml (Definition):5:") {
		t.Errorf("a folded Definition's problem: %v; want it placed in the Definition's text", e.err)
	}
}
