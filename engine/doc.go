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
//     Standard (its children would be Standard executions of their own) and
//     a Task's Timeout.$.
//   - TaskMode other than RequestComplete, WaitForSystemCallback and
//     WaitForCustomCallback. An Express flow allows only RequestComplete
//     (refused at load); a callback needs a Standard execution
//     (Executions), so Runner.Run, which runs synchronously, refuses a
//     definition with a callback task before running anything.
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
//   - A legacy flow is Standard: it runs as a Standard execution
//     (StartExecution), locally and on serve, and StartSyncExecution
//     refuses it, as the service does for any Standard flow.
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
//
// # Standard executions
//
// Executions runs Standard executions in process and answers the
// fnf.Standard actions over them; the local backend (Local) and flowtui
// serve each hold one. The service's rules, and the choices made where its
// pages are silent:
//
//   - StartExecution runs Standard flows, legacy FDL ones included; an
//     Express flow is ActionNotSupported, pointing at StartSyncExecution. The
//     request passes the checks every start shares with Starter (the
//     execution name, the input, the flow exists and loads, the test case).
//     A name is unique per flow: one still running answers that execution,
//     one that has ended is ExecutionAlreadyExists; with no name, a UUID
//     (no ":UUID" suffix, which only StartSyncExecution adds). Qualifier is
//     not used: a local flow has one version.
//   - It answers at once, Running; the execution runs on a goroutine of its
//     own, which parks while it waits (a Wait, a Retry interval, a
//     callback): no thread and no CPU, about 12 KB each (BENCHMARKS.md).
//   - Limits: ExecutionsOptions.Limit (default fnf.StandardLimit, a year)
//     ends it TimedOut with FnF.Timeout; a Wait takes 1–300 s (an Express
//     flow's 1–20 s); the 5,000 events as for every run.
//   - Its history is recorded where the events are counted against the
//     5,000, so that the two are one: ExecutionStarted and the end
//     (ExecutionSucceeded, ExecutionFailed, ExecutionTimedOut or
//     ExecutionStopped); StepEntered and then StepExited, or StepFailed when
//     the state fails (two events, as counted; a caught failure exits);
//     TaskScheduled, TaskStarted (TaskSubmitted for a callback task) and
//     TaskSucceeded, TaskFailed or TaskTimedOut for each attempt;
//     BranchEntered/BranchExited per Parallel branch and
//     IterationEntered/IterationExited per inline Map iteration (or legacy
//     foreach). EventId counts from 1; an ending event's ScheduleEventId is
//     the event that began it; a StepEntered, BranchEntered or
//     IterationEntered inside a branch or an iteration points at that
//     branch's BranchEntered or IterationEntered (the event that scheduled
//     it), 0 at the top of the execution; StepName is the state's own name. EventDetail is JSON with the keys Input, Output, Resource
//     (the Action), TaskMode, TaskToken, Error, Cause and Index, as they
//     apply: the service documents the field without its shape.
//   - WaitForCustomCallback: the task gets a task token, seen as
//     $Context.Current.TaskToken (its Parameters pass it on) and in its
//     TaskSubmitted event. Its Action is called only when mocked or an
//     HTTP:Request (a mock that throws fails the task; its answer is not
//     the result); then the task waits for ReportTaskSucceeded (its Output,
//     JSON, is the task's result) or ReportTaskFailed (its Error and Cause
//     are the task's error, seen by Retry and Catch), for its Timeout
//     (FnF.Timeout, TaskTimedOut), or for the end of the execution. A token
//     serves once: a retry gets a new one. A token no task waits on is
//     TaskTokenNotExists; one no task could have (empty, over 1,024 bytes,
//     not printable ASCII) is InvalidArgument.
//   - WaitForSystemCallback: the integrated service calls back with its
//     answer, so locally the task's answer (its mock) is the callback: it
//     completes as a RequestComplete task does, with a TaskSubmitted event.
//   - CallbackFnFTaskToken: when the execution ends, it completes that task
//     of its parent (ReportTaskSucceeded with its output, or
//     ReportTaskFailed with its error), when the parent runs in the same
//     Executions.
//   - DescribeExecution with a wait (0–60 s) answers as soon as the
//     execution ends, or when the wait has passed. Ended executions carry
//     ErrorCode and ErrorMessage.
//   - ListExecutions lists newest first, 1–99 a page (default 60), with the
//     filters Status, ExecutionNamePrefix, StartedTimeBegin/End (inclusive)
//     and MetadataOnly (no Input, Output or FlowDefinition).
//     GetExecutionHistory pages 1–999 events (default 60). A NextToken is
//     opaque and names where the next page starts, so a listing stays
//     stable while executions start; a token of another action is
//     InvalidArgument.
//   - StopExecution ends a running execution Stopped, its Error (≤ 128
//     characters) and Cause (≤ 4,096) as its ErrorCode and ErrorMessage,
//     and answers once it has ended. Stopping one that has ended changes
//     nothing and answers it as it ended.
//   - Memory: at most MaxExecutions (DefaultMaxExecutions, 10,000, the
//     service's running executions per account) and MaxBytes
//     (DefaultMaxBytes, 256 MiB: inputs, outputs and events, roughly) are
//     kept; the execution that ended first is forgotten first, a running
//     one never. When the running ones fill it, StartExecution answers 429
//     ResourceThrottled.
//   - Close stops every running execution (Stopped, Error
//     flowtui.Shutdown, the cause given) and waits for them; Running says
//     how many there are, for a caller that must ask before quitting. A
//     local execution cannot outlive its process.
//   - DescribeRegions answers CloudFlow's public regions (fnf.Regions).
package engine
