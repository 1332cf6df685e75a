package engine

import (
	"fmt"
	"sort"
	"strings"
)

// validate checks the graph of one scope: every name a transition uses exists
// in this scope, every state says how it goes on, every state can be reached.
func (p *parser) validate(sc *Scope, parent string) {
	if sc.StartAt != "" && sc.byName[sc.StartAt] == nil {
		p.addAt(sc.Pos, parent, fmt.Sprintf("StartAt names %q, which is not a state here%s", sc.StartAt, p.known(sc)))
	}
	target := func(st *State, field, name string) {
		if name != "" && sc.byName[name] == nil {
			p.addAt(st.Pos, st.Name, fmt.Sprintf("%s names %q, which is not a state in this scope%s", field, name, p.known(sc)))
		}
	}
	for _, st := range sc.States {
		switch stateKindOf(st.Type).goes {
		case byChoice:
			if st.Next != "" || st.End {
				p.addAt(st.Pos, st.Name, "a Choice has no Next or End: its Branches and Default say where to go")
			}
			for i, c := range st.Choices {
				target(st, fmt.Sprintf("branch %d Next", i), c.Next)
			}
			target(st, "Default", st.Default)
		case endsScope:
			if st.Next != "" {
				p.addAt(st.Pos, st.Name, fmt.Sprintf("a %s state ends its scope; it cannot have a Next", st.Type))
			}
		default:
			switch {
			case st.Next != "" && st.End:
				p.addAt(st.Pos, st.Name, "has both Next and End: true; keep one")
			case st.Next == "" && !st.End:
				p.addAt(st.Pos, st.Name, "has neither Next nor End: true, so the flow would not know where to go")
			}
			target(st, "Next", st.Next)
		}
		for i, c := range st.Catch {
			target(st, fmt.Sprintf("Catch rule %d Next", i), c.Next)
		}
	}
	p.reachable(sc, parent)
}

// known lists the state names of a scope for an error message.
func (p *parser) known(sc *Scope) string {
	names := make([]string, 0, len(sc.States))
	for _, st := range sc.States {
		names = append(names, st.Name)
	}
	if len(names) == 0 {
		return ""
	}
	sort.Strings(names)
	if len(names) > 12 {
		names = append(names[:12], "…")
	}
	return " (states: " + strings.Join(names, ", ") + ")"
}

func (p *parser) reachable(sc *Scope, parent string) {
	start := sc.byName[sc.StartAt]
	if start == nil {
		return
	}
	seen := map[*State]bool{start: true}
	queue := []*State{start}
	visit := func(name string) {
		if st := sc.byName[name]; st != nil && !seen[st] {
			seen[st] = true
			queue = append(queue, st)
		}
	}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		visit(st.Next)
		for _, c := range st.Choices {
			visit(c.Next)
		}
		visit(st.Default)
		for _, c := range st.Catch {
			visit(c.Next)
		}
	}
	for _, st := range sc.States {
		if !seen[st] {
			p.addAt(st.Pos, st.Name, fmt.Sprintf("is never reached from StartAt %q; remove it or add a transition to it", sc.StartAt))
		}
	}
}

// CheckExpress applies the Express mode's tighter limits, those of each state
// type that has any (a Wait lasts 1–20 s).
func (d *Definition) CheckExpress(file string) error {
	var problems []Problem
	expressLimits(&d.Scope, func(st *State, msg string) {
		problems = append(problems, Problem{File: file, Pos: st.Pos, State: st.Name, Msg: msg})
	})
	if len(problems) > 0 {
		return &DefinitionError{Problems: problems}
	}
	return nil
}

// expressLimits reports each state of sc, nested ones included, that passes
// an Express limit.
func expressLimits(sc *Scope, report func(st *State, msg string)) {
	for _, st := range sc.States {
		if k, ok := stateKindOf(st.Type).kind.(expressLimited); ok {
			if msg := k.express(st); msg != "" {
				report(st, msg)
			}
		}
		for _, b := range st.Branches {
			expressLimits(b, report)
		}
		if st.Processor != nil {
			expressLimits(st.Processor, report)
		}
	}
}

// checkChildren holds the Processor of each distributed Map to the Express
// limits, whatever the flow's mode: its iterations are Express child
// executions.
func (p *parser) checkChildren(sc *Scope) {
	for _, st := range sc.States {
		for _, b := range st.Branches {
			p.checkChildren(b)
		}
		switch {
		case st.Processor == nil:
		case st.Distributed: // everything beneath is checked here
			expressLimits(st.Processor, func(s *State, msg string) {
				p.addAt(s.Pos, s.Name, fmt.Sprintf("%s (it runs in the Express child executions of the distributed Map %q)", msg, st.Name))
			})
		default:
			p.checkChildren(st.Processor)
		}
	}
}
