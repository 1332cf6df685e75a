package engine

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/flowtui/flowtui/engine/expression"
)

// stateKinds is every state type the engine knows, in the order error
// messages list them, with all that the parser, the validator and the
// executor do differently per type. A new state type is its Type constant
// and fields in definition.go, one row here, and a kind below (its parse and
// run); TestEveryStateTypeIsComplete checks the row is whole.
var stateKinds = []kindRow{
	{name: TypePass, kind: passKind{}, goes: toNext, plain: true},
	{name: TypeTask, kind: taskKind{}, goes: toNext, retries: true, keys: keySet{
		known: []string{"Action", "TaskMode", "Parameters", "Timeout"},
		refused: map[string]string{
			"Timeout.$": "Timeout.$ (a timeout computed when the state runs) is not supported by the local engine yet; give Timeout in seconds",
		},
	}},
	{name: TypeChoice, kind: choiceKind{}, goes: byChoice, keys: keySet{known: []string{"Branches", "Default"}}},
	{name: TypeParallel, kind: parallelKind{}, goes: toNext, retries: true, keys: keySet{known: []string{"Branches"}}},
	{name: TypeMap, kind: mapKind{}, goes: toNext, retries: true, keys: keySet{
		known: []string{"ItemsPath", "Processor", "MaxConcuccency", "ItemConstructor", "ItemBatcher",
			"MaxItems", "ToleratedFailurePercentage", "ToleratedFailureCount", "ProcessorConfig"},
		refused: map[string]string{
			"MaxConcurrency": "the service spells this field MaxConcuccency",
			"ItemProcessor":  "the field is named Processor (ItemProcessor is the name of its type)",
			"ItemReader":     needsOSS("ItemReader", "reads the Map's items from an OSS bucket", "give the items in the input and read them with ItemsPath"),
			"ResultWriter":   needsOSS("ResultWriter", "writes the Map's results to an OSS bucket", "remove it to get the results in the Map's output"),
		},
	}},
	{name: TypeWait, kind: waitKind{}, goes: toNext, keys: keySet{known: []string{"Seconds", "Seconds.$"}}},
	{name: TypeSucceed, kind: succeedKind{}, goes: endsScope, plain: true},
	{name: TypeFail, kind: failKind{}, goes: endsScope, plain: true, keys: keySet{known: []string{"Code", "Detail"}}},
}

// kindRow is one state type.
type kindRow struct {
	name string
	kind stateKind
	goes goesOn
	// retries: Retry and Catch apply, run is one attempt, and every attempt
	// is a step of the trace.
	retries bool
	// plain: with no constructor the state's work reads no $Context.Current.
	plain bool
	// keys: the type's own keys, besides stateKeys, as its page lists them.
	keys keySet
}

// stateKind is the behaviour of one state type.
type stateKind interface {
	// parse reads the type's own fields into st; the shared ones (Name,
	// Type, Next, End, the constructors, Retry and Catch) are read elsewhere.
	parse(p *parser, m *mapping, st *State)
	// run does the state's work on its input: its result and, for a type
	// that chooses it, the next state. name is the state's path in the trace.
	run(x *execution, ctx context.Context, st *State, in any, current map[string]any, name string) (any, string, *flowError)
}

// expressLimited is a stateKind with limits of its own in an Express flow.
type expressLimited interface {
	// express is what breaks the Express limits in st, or "".
	express(st *State) string
}

// goesOn is how a state of a type goes on after its work.
type goesOn int

const (
	toNext    goesOn = iota + 1 // to its Next, or End: true
	byChoice                    // where its branches or Default say; no Next or End
	endsScope                   // it ends its scope; no Next
)

// stateKindOf is the row of a state type, or nil for one the engine does not know.
func stateKindOf(t string) *kindRow {
	for i := range stateKinds {
		if stateKinds[i].name == t {
			return &stateKinds[i]
		}
	}
	return nil
}

// typeNames lists the state types, for messages: all of them, or only those
// that take Retry and Catch.
func typeNames(retriesOnly bool) []string {
	var names []string
	for _, k := range stateKinds {
		if k.retries || !retriesOnly {
			names = append(names, k.name)
		}
	}
	return names
}

// inWords writes a list as prose: "a", "a and b", "a, b and c".
func inWords(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

type passKind struct{}

func (passKind) parse(*parser, *mapping, *State) {}

func (passKind) run(_ *execution, _ context.Context, _ *State, in any, _ map[string]any, _ string) (any, string, *flowError) {
	return in, "", nil
}

type succeedKind struct{ passKind }

type failKind struct{}

func (failKind) parse(_ *parser, m *mapping, st *State) {
	st.Code = m.str("Code")
	st.Detail = m.str("Detail")
}

func (failKind) run(_ *execution, _ context.Context, st *State, _ any, _ map[string]any, _ string) (any, string, *flowError) {
	return nil, "", &flowError{Code: st.Code, Detail: st.Detail}
}

type taskKind struct{}

func (taskKind) parse(p *parser, m *mapping, st *State) {
	st.Action = m.str("Action")
	if st.Action == "" {
		m.needs("Action", m.node, "a Task needs an Action, such as FC:InvokeFunction or HTTP:Request")
	} else {
		p.checkAction(m, st)
	}
	st.TaskMode = m.str("TaskMode")
	if st.TaskMode != "" && !slices.Contains(taskModes, st.TaskMode) {
		p.add(m.value("TaskMode"), st.Name, fmt.Sprintf("TaskMode %q is not a task mode; use one of %s (%s is the default)", st.TaskMode, strings.Join(taskModes, ", "), ModeRequestComplete))
	}
	if callback(st) && p.callback == nil {
		p.callback = st
	}
	st.Parameters = m.template("Parameters")
	st.Timeout = m.seconds("Timeout", maxTaskTimeout)
}

// Task modes, the default first.
const (
	ModeRequestComplete       = "RequestComplete"
	ModeWaitForSystemCallback = "WaitForSystemCallback"
	ModeWaitForCustomCallback = "WaitForCustomCallback"
)

var taskModes = []string{ModeRequestComplete, ModeWaitForSystemCallback, ModeWaitForCustomCallback}

// callback reports whether st is a Task that waits for a callback.
func callback(st *State) bool {
	return st.Type == TypeTask && st.TaskMode != "" && st.TaskMode != ModeRequestComplete
}

// express: an Express flow runs RequestComplete tasks only.
func (taskKind) express(st *State) string {
	if callback(st) {
		return fmt.Sprintf("TaskMode %s waits for a callback; an Express flow allows only %s", st.TaskMode, ModeRequestComplete)
	}
	return ""
}

// CallbackTasks names the states of a definition, nested ones included,
// that wait for a ReportTaskSucceeded or ReportTaskFailed from outside
// (TaskMode WaitForCustomCallback): an execution of it needs another
// process able to report, which a local run in a command line is not. A
// definition that does not parse has none (its run says why it fails).
func CallbackTasks(definition string) []string {
	return callbackTasks(definition, nil)
}

// callbackTasks lists the callback tasks of a definition that answered does
// not answer (all of them when it is nil).
func callbackTasks(definition string, answered map[string]*mockResponse) []string {
	def, err := Parse("definition", []byte(definition))
	if err != nil || def.callback == nil {
		return nil
	}
	var names []string
	var walk func(*Scope)
	walk = func(sc *Scope) {
		for _, st := range sc.States {
			if st.Type == TypeTask && st.TaskMode == ModeWaitForCustomCallback && answered[st.Name] == nil {
				names = append(names, st.Name)
			}
			for _, b := range st.Branches {
				walk(b)
			}
			if st.Processor != nil {
				walk(st.Processor)
			}
		}
	}
	walk(&def.Scope)
	return names
}

// callbackRefusal is why a definition with a callback task st does not run
// synchronously: callbacks need a Standard execution (StartExecution).
func callbackRefusal(st *State) string {
	return fmt.Sprintf("state %q: TaskMode %s waits for a callback (ReportTaskSucceeded or ReportTaskFailed), which needs a Standard execution, so nothing was run: start it with StartExecution (a Standard flow), or use %s and a mock to try it synchronously",
		st.Name, st.TaskMode, ModeRequestComplete)
}

func (taskKind) run(x *execution, ctx context.Context, st *State, in any, current map[string]any, _ string) (any, string, *flowError) {
	if ferr := x.spend(st, eventsPerTask); ferr != nil {
		return nil, "", ferr
	}
	out, ferr := x.task(ctx, st, in, current)
	return out, "", ferr
}

type choiceKind struct{}

func (choiceKind) parse(p *parser, m *mapping, st *State) {
	branches := m.list("Branches")
	if len(branches) == 0 {
		p.add(m.valueOr("Branches"), st.Name, "a Choice needs Branches, each with a Condition and a Next")
	}
	for _, b := range branches {
		bm, ok := p.mapping(b, st.Name, "a Choice branch")
		if !ok {
			continue
		}
		bm.state = st.Name
		bm.onlyKeys(choiceBranchKeys, "a Choice branch")
		c := Choice{Next: bm.str("Next"), Pos: p.pos(b)}
		if !bm.has("Condition") {
			bm.needs("Condition", b, "a Choice branch needs a Condition")
		}
		c.Condition = bm.program("Condition")
		if c.Next == "" {
			bm.needs("Next", b, "a Choice branch needs a Next")
		}
		st.Choices = append(st.Choices, c)
	}
	st.Default = m.str("Default")
}

func (choiceKind) run(x *execution, _ context.Context, st *State, in any, current map[string]any, _ string) (any, string, *flowError) {
	next, ferr := x.choose(st, in, current)
	return in, next, ferr
}

func (x *execution) choose(st *State, in any, current map[string]any) (string, *flowError) {
	env := x.env(in, nil, current)
	for i, c := range st.Choices {
		ok, err := c.Condition.EvalBool(env)
		if err != nil {
			return "", exprError(st, fmt.Sprintf("branch %d Condition", i), err)
		}
		if ok {
			return c.Next, nil
		}
	}
	if st.Default != "" {
		return st.Default, nil
	}
	return "", &flowError{Code: CodeNoChoiceMatched, Detail: fmt.Sprintf("state %q: no branch matched and there is no Default", st.Name)}
}

type parallelKind struct{}

func (parallelKind) parse(p *parser, m *mapping, st *State) {
	branches := m.list("Branches")
	if len(branches) == 0 {
		p.add(m.valueOr("Branches"), st.Name, "a Parallel needs Branches, each with StartAt and States")
	}
	if len(branches) > maxParallelBranches {
		p.add(m.value("Branches"), st.Name, fmt.Sprintf("%d branches; the service allows %d", len(branches), maxParallelBranches))
	}
	for i, b := range branches {
		if bm, ok := p.mapping(b, st.Name, fmt.Sprintf("branch %d", i)); ok {
			bm.state = st.Name
			bm.onlyKeys(scopeKeys, "a Parallel branch")
			sc := p.scope(bm, fmt.Sprintf("branch %d", i))
			p.validate(sc, st.Name)
			st.Branches = append(st.Branches, sc)
		}
	}
}

func (parallelKind) run(x *execution, ctx context.Context, st *State, in any, _ map[string]any, name string) (any, string, *flowError) {
	out, ferr := x.parallel(ctx, st, in, name)
	return out, "", ferr
}

type mapKind struct{}

func (mapKind) parse(p *parser, m *mapping, st *State) {
	if !m.has("ItemsPath") {
		m.needs("ItemsPath", m.node, "a Map needs ItemsPath, an expression such as $Input.Items")
	}
	st.ItemsPath = m.program("ItemsPath")
	p.mapFields(m, st)
	if m.has("MaxConcuccency") {
		st.MaxConcurrency, _ = m.integer("MaxConcuccency", maxConcurrency(st))
	}
	if pm, ok := p.processor(m, st.Name); ok {
		st.Processor = p.scope(pm, "the Processor")
		p.validate(st.Processor, st.Name)
	}
}

func (p *parser) processor(m *mapping, state string) (*mapping, bool) {
	v := m.value("Processor")
	if v == nil {
		if !m.has("ItemProcessor") { // refused by name already
			p.add(m.node, state, "a Map needs a Processor with StartAt and States")
		}
		return nil, false
	}
	pm, ok := p.mapping(v, state, "Processor")
	if ok {
		pm.state = state
		pm.onlyKeys(scopeKeys, "a Map's Processor")
	}
	return pm, ok
}

func (mapKind) run(x *execution, ctx context.Context, st *State, in any, current map[string]any, name string) (any, string, *flowError) {
	out, ferr := x.mapItems(ctx, st, in, current, name)
	return out, "", ferr
}

type waitKind struct{}

func (waitKind) parse(p *parser, m *mapping, st *State) {
	switch {
	case m.has("Seconds.$"):
		st.SecondsExpr = m.program("Seconds.$")
	case m.has("Seconds"):
		st.Seconds, _ = m.integerNoted("Seconds", 1, maxWaitStandard, fmt.Sprintf(" (1 to %d in an Express flow)", maxWaitExpress))
	case m.has("UntilDateTime") || m.has("Timestamp"):
		// refused by name already, saying what replaced them
	default:
		m.needs("Seconds", m.node, "a Wait needs Seconds (or Seconds.$, an expression)")
	}
}

func (waitKind) run(x *execution, ctx context.Context, st *State, in any, current map[string]any, _ string) (any, string, *flowError) {
	return in, "", x.wait(ctx, st, in, current)
}

// express: an Express flow waits 1–20 s; Seconds.$ is checked when it runs.
func (waitKind) express(st *State) string {
	if st.SecondsExpr == nil && st.Seconds > maxWaitExpress {
		return fmt.Sprintf("waits %d s; an Express flow may wait 1–%d s", st.Seconds, maxWaitExpress)
	}
	return ""
}

func (x *execution) wait(ctx context.Context, st *State, in any, current map[string]any) *flowError {
	secs := float64(st.Seconds)
	if st.SecondsExpr != nil {
		most, mode := maxWaitExpress, "an Express flow"
		if x.std != nil {
			most, mode = maxWaitStandard, "a Standard flow"
		}
		v, err := st.SecondsExpr.Eval(x.env(in, nil, current))
		if err != nil {
			return exprError(st, "Seconds.$", err)
		}
		f, ok := expression.Float(v)
		if !ok {
			return &flowError{Code: CodeExpression, Detail: fmt.Sprintf("state %q: Seconds.$ %q gave %s, not a number of seconds (1–%d in %s)", st.Name, st.SecondsExpr.Source(), kindOf(v), most, mode)}
		}
		if f < 1 || f > float64(most) {
			return &flowError{Code: CodeExpression, Detail: fmt.Sprintf("state %q: Seconds.$ gave %v; %s waits 1–%d seconds", st.Name, f, mode, most)}
		}
		secs = f
	}
	if err := x.clock.Sleep(ctx, time.Duration(secs*float64(time.Second))); err != nil {
		return ctxError(ctx)
	}
	return nil
}
