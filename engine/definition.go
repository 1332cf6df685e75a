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
