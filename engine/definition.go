// Package engine runs CloudFlow definitions (Type: StateMachine, SpecVersion: v1)
// offline, faithfully enough that a flow debugged locally behaves the same in the
// cloud, and serves them through the local Backend.
//
// Definitions are parsed from YAML or JSON and validated before any run, with
// file:line:column in every error. A run walks the states, applies
// InputConstructor and OutputConstructor, evaluates Choice conditions and `.$`
// keys with the expression package, retries and catches errors on Task, Parallel
// and Map, and records a step trace: the per-state view the cloud does not give
// for Express runs.
//
// # Numbers
//
// A JSON number keeps the text it was written with, from the input, a mocked
// Return, a constructor's literal, an HTTP:Request answer or stringToJson, to
// the output and the trace: 9007199254740993 and 12345678901234567890 keep
// their digits and 1.0 stays 1.0 through every state, constructor, branch
// and iteration that does not compute with it. The service documents no
// number precision; where an expression computes, these are the rules:
//
//   - Integers (written without a fraction or an exponent) are exact at any
//     size: + - * and %, / when the quotient is whole, ==, !=, <, <=, >, >=,
//     in, arrayContains, intAdd, and integer literals in expressions.
//   - A number written with a fraction or an exponent is a float64, and so is
//     a quotient with a remainder (7 / 2 is 3.5; 18446744073709551617 / 3 is
//     the float64 nearest). A whole float64 within ±2^53 counts as an
//     integer, so 2.0 + 9007199254740993 is exact.
//   - An integer and a decimal compare by value, exactly: 9007199254740993 >
//     9007199254740992.0.
//   - A computed integer is written with all its digits, a computed decimal
//     as encoding/json writes a float64 (1.5 + 1.5 is 3); 1 and 1.0 are equal,
//     and arrayUnique keeps one of them.
//   - randomInt takes bounds within ±2^63; an array index beyond 2^31−1 reads
//     null, as any index out of range.
//
// Where the service's documentation is thin, these are the choices made:
//
//   - Retry.MaxAttempts counts retries after the first attempt; each rule keeps
//     its own count; the wait is IntervalSeconds × BackoffRate^(n−1), capped by
//     MaxBackoffSeconds, without jitter.
//   - A Catch without OutputConstructor passes {} to its Next state: the failed
//     state produced no output.
//   - Parallel outputs {"Branch0": …, "Branch1": …} in declaration order; Map
//     outputs {"Items": [...]} in item order (the documented shapes).
//   - A Choice with no matching branch and no Default fails with
//     FnF.NoChoiceMatched.
//   - Errors the engine raises itself: FnF.Timeout (a Task's Timeout, or the
//     5-minute Express limit), FnF.DataLimitExceeded (state input or output over
//     64 KiB), FnF.ExpressionError (an expression that fails at run time),
//     FnF.TaskFailed (an HTTP:Request that could not be made), HTTP.<status> (an
//     HTTP:Request answered 4xx or 5xx). A Task with no mock and no way to run
//     locally ends the run with flowtui.TaskNotMocked, which Retry and Catch do
//     not see: it is a set-up problem, not a flow error.
//   - The service stops an execution at 5,000 events (MaxEvents). It documents
//     the limit, not the error, so the engine names it FnF.EventLimitExceeded;
//     the run ends Failed, and Retry and Catch do not see it (they would only
//     add events). Events are counted as GetExecutionHistory lists them: one
//     for the start of the execution and one kept for its end; two per state
//     (entered, exited); three per Task attempt (scheduled, started,
//     succeeded or failed); two per Parallel branch and per inline Map iteration
//     (entered, exited), at any depth of nesting and all toward the one
//     execution's total, however many run at once. A one-state loop thus
//     stops after 2,499 states, a Map of one Pass state after 1,249 items.
//   - Mocked Task attempts (the keys "0", "1-2" of a mocked response) are
//     counted as Step Functions Local counts them: per state name per
//     execution, every invocation taking the next number, whether it comes
//     from the state's own Retry, a retry of an enclosing Parallel or Map,
//     another Map iteration or another pass around a loop. So a mock that
//     fails once, then succeeds, lets a retried Parallel or Map recover.
//     Map iterations running at once take the numbers in the order they call
//     the Task: item order only with MaxConcuccency 1. The trace's attempt and
//     $Context.Current.RetryCount stay the state's own retry count.
//   - Output objects are written with sorted keys.
//   - Built-in functions follow the expression package's doc: toArray gathers
//     its arguments into a new array, as the English page says ("a variable
//     number of arguments"), so toArray([1]) is [[1]]; toBase64 writes the
//     standard alphabet, padded; uuid is a lower-case version 4 UUID.
//   - The Map's fields of the distributed-mode page run in either mode, in
//     the page's order: the items of ItemsPath, the first MaxItems of them
//     (0: all), each shaped by ItemConstructor ($Item is the item, $Input
//     the Map's input), grouped by ItemBatcher. A batch is
//     {"Items": [...]}, with "BatchInput" (evaluated once, on the Map's
//     input) beside them; it takes items while it holds at most
//     MaxItemsPerBatch and its JSON stays within MaxInputBytesPerBatch, and
//     holds at least one item; MaxInputBytesPerBatch is at most 65,536. An
//     iteration's input the Map made is held to the 64 KiB of a state input.
//   - Without ToleratedFailureCount or ToleratedFailurePercentage the first
//     failed iteration fails the Map with its error. With them, the Map
//     fails when the failed items pass either (a failed batch counts all its
//     items; the percentage is of the items), with the error of the
//     iteration that passed it; otherwise it succeeds and a failed
//     iteration's place in Items holds {"Code": …, "Detail": …}. A
//     set-up problem (flowtui.TaskNotMocked), the run's time limit or a stop
//     is never tolerated.
//   - ProcessorConfig: Mode Inline is the default. Mode Distributed (or an
//     ExecutionMode alone) runs each iteration as a child execution, in
//     process: it counts its own events and mocked attempts, starts with an
//     empty $Global and sees its item as $Context.Execution.Input, its
//     $Context.Execution.Name being "<execution>/<Map>/<iteration>"; the
//     Map's own execution counts no events for it; its steps join the trace
//     under "Map[i]/". A child that fails, its own event limit included,
//     fails the Map with its error unless tolerated. ExecutionMode is
//     required (the page gives no default); MaxConcuccency defaults to 100
//     and may go to 10,000 (40 inline).
//
// What the engine cannot run as the cloud does, it refuses before running,
// by name and with file:line:column, never ignores:
//
//   - Keys a documentation page does not list. Each state type's row in the
//     kinds table holds its keys; the definition, Choice and Parallel
//     branches, a Map's Processor, Retry and Catch rules and flow documents
//     have sets of their own. An unknown key names the nearest known one;
//     keys of older drafts (a Wait's UntilDateTime or Timestamp, OnErrors,
//     FixedBackoff, Multiplier) say what replaced them.
//   - Documented fields not run yet: the Map's ItemReader and ResultWriter
//     (they read and write OSS buckets), a distributed Map's ExecutionMode
//     Standard (local runs do not run Standard executions) and a Task's
//     Timeout.$.
//   - TaskMode other than RequestComplete, WaitForSystemCallback and
//     WaitForCustomCallback. An Express flow allows only RequestComplete
//     (refused at load); a callback needs a Standard execution, which local
//     runs do not support, so Runner.Run refuses a definition with a
//     callback task before running anything.
//   - Task actions: an Action not of the form <Service>:<Operation>, or one
//     within one edit (or only case) of a documented action, or naming a
//     documented service in another case (Fc:), is refused with the nearest
//     documented name. The documented actions (the integrations
//     table) have their Parameters checked against their page: unknown names
//     refused with the nearest, required ones named when missing (a "name.$"
//     expression counts as given), a literal FC invocationType or HTTP method
//     one of those listed (ignoring case: the HTTP page writes "Get").
//   - GlobalConstructor is accepted on every state type: the state pages
//     do not list it, but the global variables page says any state writes
//     global variables when it finishes.
//
// Task integrations, where the pages are thin: any other <Service>:<Operation>
// is a normal integration (the Task page: "any Alibaba Cloud OpenAPI
// operation"), loaded with its parameters unchecked and run only from a mock.
// Required parameters: the FC, HTTP, FNF, OSS and SMS tables say which; MNS's
// message and EventBridge's eventBusName are required by choice (the pages'
// tables do not mark them). Answers: FC:InvokeFunction's is {"Body": the
// function's output} (the global variables page reads $Output.Body; no page
// shows the whole answer), HTTP:Request's {"Code", "Header", "Body"} and
// SMS:SendSms's {"EntryList", "Headers"} as their pages show; the others are
// the Result verbatim. A mock's Result is placed there; a Return is the
// answer verbatim.
//
// # Legacy FDL
//
// Definitions in the older Flow Definition Language (version: v1, type:
// flow, steps) run too, on the same execution (trace, mocks by step name,
// error codes, event limit); the README's "Legacy FDL flows" lists the
// steps and keys. Choices where the legacy pages are thin:
//
//   - A legacy flow is Standard. The local backend runs it to its end
//     (Starter.RunLegacy); serve refuses StartSyncExecution on it, as the
//     service does for any Standard flow.
//   - retry and catch are taken on task steps only (the pages document
//     them there); maxAttempts counts retries after the first attempt,
//     as Retry.MaxAttempts does.
//   - A mapping's reference to a key or index that is not there gives
//     null. $context holds execution.name, execution.input and step.name.
//   - A choice with no match and no default ends the step with an empty
//     $local; the list goes on after it.
//   - Nested steps are traced under their parent: p/Branch0/s, f[2]/s,
//     c/s; a parent is recorded after its children, as a Parallel is.
//   - foreach runs at most 100 iterations at once unless maxConcurrency is
//     smaller; a mock's attempts then follow the order of the calls.
//   - The 32 KiB limit counts the step's input, output and local as
//     encoded JSON; passing it fails the run with FnF.DataLimitExceeded.
//
// In a GlobalConstructor, $Output and $Context.Current.Output are the
// state's raw result, not the OutputConstructor's; an OutputConstructor
// sees $Global as it was before the state's GlobalConstructor (the
// service's global variables page).
package engine

import (
	"time"

	"github.com/flowtui/flowtui/engine/expression"
)

// State types of the CloudFlow spec.
const (
	TypePass     = "Pass"
	TypeTask     = "Task"
	TypeChoice   = "Choice"
	TypeParallel = "Parallel"
	TypeMap      = "Map"
	TypeWait     = "Wait"
	TypeSucceed  = "Succeed"
	TypeFail     = "Fail"
)

// Pos is a place in a definition file, 1-based.
type Pos struct{ Line, Col int }

// Definition is a parsed, validated flow definition.
type Definition struct {
	Name        string
	Description string
	SpecVersion string
	Scope
	// Legacy is set for the older FDL (version/type: flow/steps), whose
	// steps are in legacy, not in Scope.
	Legacy bool
	legacy *legacyFlow
	// callback is the first Task that waits for a callback, if any: such a
	// definition does not run locally (callbackRefusal).
	callback *State
}

// Scope is a list of states with a start: the flow, a Parallel branch, a Map
// processor.
type Scope struct {
	StartAt string
	States  []*State
	Pos     Pos
	byName  map[string]*State
}

// State is one state of any type; the fields of other types stay empty.
type State struct {
	Name        string
	Type        string
	Description string
	Next        string
	End         bool
	Pos         Pos

	InputConstructor  *expression.Template
	OutputConstructor *expression.Template
	GlobalConstructor *expression.Template

	// Task
	Action     string
	TaskMode   string
	Parameters *expression.Template
	Timeout    time.Duration // 0: none
	// Task, Parallel, Map
	Retry []Retrier
	Catch []Catcher

	// Choice
	Choices []Choice
	Default string

	// Parallel
	Branches []*Scope

	// Map
	ItemsPath      *expression.Program
	Processor      *Scope
	MaxConcurrency int // 0: the service's default
	MaxItems       int // 0: every item
	// ItemConstructor shapes each item ($Item) before it is batched or run.
	ItemConstructor *expression.Template
	Batcher         *ItemBatcher // nil: one item per iteration
	Tolerated       Tolerance
	// Distributed: each iteration is a child execution (ProcessorConfig).
	Distributed bool

	// Wait
	Seconds     int
	SecondsExpr *expression.Program

	// Fail
	Code   string
	Detail string
}

// Choice is one branch of a Choice state.
type Choice struct {
	Condition *expression.Program
	Next      string
	Pos       Pos
}

// Retrier is one Retry rule.
type Retrier struct {
	Errors      []string
	MaxAttempts int
	Interval    time.Duration
	BackoffRate float64 // 0 or 1: constant interval
	MaxBackoff  time.Duration
}

// Catcher is one Catch rule.
type Catcher struct {
	Errors            []string
	Next              string
	OutputConstructor *expression.Template
}

// State returns the state of the scope with that name.
func (s *Scope) State(name string) *State { return s.byName[name] }

// ErrAll matches every error in Retry and Catch rules.
const ErrAll = "FnF.ALL"

func matches(errs []string, code string) bool {
	for _, e := range errs {
		if e == ErrAll || e == code {
			return true
		}
	}
	return false
}
