package result

import (
	"strings"

	"github.com/flowtui/flowtui/engine"
	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/sanitize"
)

// errorKind says where an execution's error comes from, which decides what
// the user can do about it.
type errorKind int

const (
	kindFlow       errorKind = iota // the flow's own: a Fail state, a function's error
	kindLimit                       // a limit of the service
	kindDefinition                  // the definition does not fit the data it ran on
	kindTask                        // a task's call failed, or its service answered with an error
	kindSetup                       // a set-up problem of a local run
	kindStopped                     // the run was stopped
)

func (k errorKind) String() string {
	return [...]string{"the flow's own error", "a limit of the service", "the definition", "a task's call",
		"local set-up", "stopped"}[k]
}

// intro is the sentence that says whose error it is.
func (k errorKind) intro() string {
	return [...]string{
		kindFlow:       "This is the flow's own error: it ran and failed; the service and flowtui worked.",
		kindLimit:      "The run reached a limit of the service, which stopped it; the service and flowtui worked.",
		kindDefinition: "The flow's definition does not fit the data it ran on; the service and flowtui worked.",
		kindTask:       "A task of the flow called a service, and that call failed; the flow and flowtui worked.",
		kindSetup:      "This is a set-up problem of the local run, not an error of the flow: the cloud would not raise it.",
		kindStopped:    "The run was stopped before it ended.",
	}[k]
}

// codeInfo is what one error code means and what to do about it.
type codeInfo struct {
	kind         errorKind
	meaning, fix string
}

// runErrors are the errors the service raises itself, and the local engine
// with it, by code ("HTTP.<status>" stands for every status). Any other code
// is the flow's own.
var runErrors = map[string]codeInfo{
	engine.CodeTimeout: {kindLimit,
		"A time limit ran out: a Task state's Timeout, or the 5-minute limit of an Express execution.",
		"Raise the state's Timeout or make the called service faster; long work belongs in a Standard flow " +
			"(Express runs cannot pass 5 minutes). Retry or Catch on \"FnF.Timeout\" handles it in the flow."},
	engine.CodeDataLimit: {kindLimit,
		"A state's input or output passed 64 KiB, the service's limit on the data a state passes on.",
		"Pass large data by reference (an OSS object key, a URL), and keep only what later states need with an OutputConstructor."},
	engine.CodeEventLimit: {kindLimit,
		"The execution passed 5,000 events, the service's limit for one execution: usually a loop that never leaves, or a Map over too many items.",
		"Check the condition that ends the loop (the Trace tab shows the states repeated, for local runs); split large batches across executions."},
	engine.CodeExpression: {kindDefinition,
		"An expression failed while the flow ran: an InputConstructor, OutputConstructor, Choice condition or .$ key.",
		"Check the path it names against the state's input (the Trace tab shows it for local runs)."},
	engine.CodeNoChoiceMatched: {kindDefinition,
		"A Choice state matched none of its branches and has no Default.",
		"Add a Default branch, or check the input the Choice saw (the Trace tab shows it for local runs)."},
	engine.CodeTaskFailed: {kindTask,
		"A Task could not make its call: for a local HTTP:Request, the request could not be sent or its answer read.",
		"Read the cause; check the URL and the network, or mock the task with --mocks."},
	"HTTP.<status>": {kindTask,
		"An HTTP:Request task was answered with status <status> by the service it called.",
		"Check the request the task sent and the service it called; a Retry or Catch on \"HTTP.<status>\" handles it in the flow."},
	engine.CodeNotMocked: {kindSetup,
		"A local run reached a Task that flowtui cannot perform offline, and the test case has no mock for it.",
		"Add a mocked response for the state to the --mocks file (Flows.<flow>.TestCases.<case>: {State: Response}) or pick a test case that mocks it."},
	engine.CodeCancelled: {kindStopped, "The run was stopped before it ended.", "Run it again."},
}

// flowOwn is any code the service does not raise itself.
var flowOwn = codeInfo{kindFlow,
	"A state of the flow raised this error: a function's own error, or a Fail state.",
	"Read the cause. Handle the error in the flow with Retry or Catch on its name; the Trace tab shows which state failed (local runs)."}

// stoppedExecution is an execution that ended Stopped: StopExecution ended
// it, whatever its Error says (flowtui's own, from the TUI, an interrupt or
// a server that stopped, or anyone else's), never the flow itself.
var stoppedExecution = codeInfo{kindStopped,
	"The execution was stopped with StopExecution before it ended: its error code and cause are what the stop gave (flowtui.StoppedByUser: from this TUI; flowtui.Interrupted: flowtui was interrupted or quit; flowtui.Shutdown: flowtui serve stopped).",
	"Start it again if it should run to its end; the Trace tab shows how far it got."}

// runError looks an execution's error code up; a run that timed out
// without a code is a timeout, and a Stopped one was stopped.
func runError(code string, status fnf.Status) codeInfo {
	if status == fnf.StatusStopped {
		return stoppedExecution
	}
	if code == "" && status == fnf.StatusTimedOut {
		code = engine.CodeTimeout
	}
	if info, ok := runErrors[code]; ok {
		return info
	}
	if st, ok := strings.CutPrefix(code, "HTTP."); ok && st != "" {
		info := runErrors["HTTP.<status>"]
		st = sanitize.Line(st)
		info.meaning = strings.ReplaceAll(info.meaning, "<status>", st)
		info.fix = strings.ReplaceAll(info.fix, "<status>", st)
		return info
	}
	return flowOwn
}
