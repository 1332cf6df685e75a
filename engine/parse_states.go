package engine

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

var stateTypes = []string{TypePass, TypeTask, TypeChoice, TypeParallel, TypeMap, TypeWait, TypeSucceed, TypeFail}

// Limits the service documents.
const (
	maxParallelBranches = 50
	maxMapConcurrency   = 40
	maxRetrySeconds     = 86400
	maxTaskTimeout      = 604800
	maxWaitStandard     = 300
	maxWaitExpress      = 20
)

// scope reads StartAt and States from m.
func (p *parser) scope(m *mapping, what string) *Scope {
	sc := &Scope{StartAt: m.str("StartAt"), Pos: p.pos(m.node), byName: map[string]*State{}}
	if !m.has("StartAt") {
		p.add(m.node, m.state, what+" has no StartAt")
	} else if sc.StartAt == "" {
		p.add(m.valueOr("StartAt"), m.state, "StartAt is empty; it names the first state")
	}
	if !m.has("States") {
		p.add(m.node, m.state, what+" has no States")
	}
	if v := m.value("States"); v != nil && v.Kind == yaml.MappingNode {
		p.add(v, m.state, "States must be a list of states (- Type: …, Name: …), not a mapping")
		return sc
	}
	for _, n := range m.list("States") {
		st := p.state(n)
		if st == nil {
			continue
		}
		if prev, dup := sc.byName[st.Name]; dup {
			p.addAt(st.Pos, st.Name, fmt.Sprintf("the name is already used by the state at line %d", prev.Pos.Line))
			continue
		}
		sc.byName[st.Name] = st
		sc.States = append(sc.States, st)
	}
	return sc
}

func (p *parser) state(n *yaml.Node) *State {
	name := ""
	if n.Kind == yaml.MappingNode {
		if v := valueOf(n, "Name"); v != nil && v.Kind == yaml.ScalarNode {
			name = v.Value
		}
	}
	m, ok := p.mapping(n, name, "a state")
	if !ok {
		return nil
	}
	st := &State{Name: m.str("Name"), Type: m.str("Type"), Description: m.str("Description"), Pos: p.pos(n)}
	if st.Name == "" {
		p.add(n, "", "a state has no Name")
		return nil
	}
	m.state = st.Name
	if !isStateType(st.Type) {
		msg := fmt.Sprintf("unknown state type %q; use one of %s", st.Type, strings.Join(stateTypes, ", "))
		if st.Type == "" {
			msg = "the state has no Type; use one of " + strings.Join(stateTypes, ", ")
		}
		p.add(m.valueOr("Type"), st.Name, msg)
		return nil
	}
	st.Next = m.str("Next")
	st.End = m.boolean("End")
	st.InputConstructor = m.template("InputConstructor")
	st.OutputConstructor = m.template("OutputConstructor")
	st.GlobalConstructor = m.template("GlobalConstructor")
	if m.has("OnErrors") {
		p.add(m.value("OnErrors"), st.Name, "OnErrors is the 2023 draft syntax; use Retry and Catch")
	}
	switch st.Type {
	case TypeTask:
		st.Action = m.str("Action")
		if st.Action == "" {
			p.add(m.node, st.Name, "a Task needs an Action, such as FC:InvokeFunction or HTTP:Request")
		}
		st.TaskMode = m.str("TaskMode")
		st.Parameters = m.template("Parameters")
		st.Timeout = m.seconds("Timeout", maxTaskTimeout)
	case TypeChoice:
		p.choice(m, st)
	case TypeParallel:
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
				sc := p.scope(bm, fmt.Sprintf("branch %d", i))
				p.validate(sc, st.Name)
				st.Branches = append(st.Branches, sc)
			}
		}
	case TypeMap:
		if !m.has("ItemsPath") {
			p.add(m.node, st.Name, "a Map needs ItemsPath, an expression such as $Input.Items")
		}
		st.ItemsPath = m.program("ItemsPath")
		if m.has("MaxConcurrency") {
			p.add(m.value("MaxConcurrency"), st.Name, "the service spells this field MaxConcuccency")
		}
		if m.has("MaxConcuccency") {
			st.MaxConcurrency, _ = m.integer("MaxConcuccency", maxMapConcurrency)
		}
		if pm, ok := p.processor(m, st.Name); ok {
			st.Processor = p.scope(pm, "the Processor")
			p.validate(st.Processor, st.Name)
		}
	case TypeWait:
		switch {
		case m.has("Seconds.$"):
			st.SecondsExpr = m.program("Seconds.$")
		case m.has("Seconds"):
			var ok bool
			st.Seconds, ok = m.integer("Seconds", maxWaitStandard)
			if ok && st.Seconds < 1 {
				p.add(m.value("Seconds"), st.Name, "Seconds must be at least 1")
			}
		default:
			p.add(m.node, st.Name, "a Wait needs Seconds (or Seconds.$, an expression)")
		}
	case TypeFail:
		st.Code = m.str("Code")
		st.Detail = m.str("Detail")
	}
	if st.Type == TypeTask || st.Type == TypeParallel || st.Type == TypeMap {
		p.retry(m, st)
		p.catch(m, st)
	} else {
		for _, k := range []string{"Retry", "Catch"} {
			if m.has(k) {
				p.add(m.value(k), st.Name, fmt.Sprintf("%s is allowed on Task, Parallel and Map states only", k))
			}
		}
	}
	return st
}

func isStateType(t string) bool {
	for _, s := range stateTypes {
		if s == t {
			return true
		}
	}
	return false
}

func (p *parser) processor(m *mapping, state string) (*mapping, bool) {
	v := m.value("Processor")
	if v == nil {
		msg := "a Map needs a Processor with StartAt and States"
		if m.has("ItemProcessor") {
			msg = "the field is named Processor (ItemProcessor is the name of its type)"
		}
		p.add(m.node, state, msg)
		return nil, false
	}
	pm, ok := p.mapping(v, state, "Processor")
	if ok {
		pm.state = state
	}
	return pm, ok
}

func (p *parser) choice(m *mapping, st *State) {
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
		c := Choice{Next: bm.str("Next"), Pos: p.pos(b)}
		if !bm.has("Condition") {
			p.add(b, st.Name, "a Choice branch needs a Condition")
		}
		c.Condition = bm.program("Condition")
		if c.Next == "" {
			p.add(b, st.Name, "a Choice branch needs a Next")
		}
		st.Choices = append(st.Choices, c)
	}
	st.Default = m.str("Default")
}

func (p *parser) retry(m *mapping, st *State) {
	for _, n := range m.list("Retry") {
		rm, ok := p.mapping(n, st.Name, "a Retry rule")
		if !ok {
			continue
		}
		rm.state = st.Name
		r := Retrier{Errors: rm.strings("Errors")}
		if len(r.Errors) == 0 {
			p.add(n, st.Name, "a Retry rule needs Errors (error codes, or FnF.ALL)")
		}
		r.MaxAttempts, _ = rm.integer("MaxAttempts", 1000)
		r.Interval = rm.seconds("IntervalSeconds", maxRetrySeconds)
		r.MaxBackoff = rm.seconds("MaxBackoffSeconds", maxRetrySeconds)
		if rm.has("BackoffRate") {
			r.BackoffRate, _ = rm.number("BackoffRate", 1000)
		}
		if rm.has("FixedBackoff") || rm.has("Multiplier") {
			p.add(n, st.Name, "FixedBackoff and Multiplier are the 2023 draft; use IntervalSeconds and BackoffRate")
		}
		st.Retry = append(st.Retry, r)
	}
}

func (p *parser) catch(m *mapping, st *State) {
	for _, n := range m.list("Catch") {
		cm, ok := p.mapping(n, st.Name, "a Catch rule")
		if !ok {
			continue
		}
		cm.state = st.Name
		c := Catcher{Errors: cm.strings("Errors"), Next: cm.str("Next"), OutputConstructor: cm.template("OutputConstructor")}
		if len(c.Errors) == 0 {
			p.add(n, st.Name, "a Catch rule needs Errors (error codes, or FnF.ALL)")
		}
		if c.Next == "" {
			p.add(n, st.Name, "a Catch rule needs a Next state")
		}
		st.Catch = append(st.Catch, c)
	}
}
