package engine

import (
	"fmt"
	"strings"

	"go.yaml.in/yaml/v3"
)

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
	k := stateKindOf(st.Type)
	if k == nil {
		types := strings.Join(typeNames(false), ", ")
		msg := fmt.Sprintf("unknown state type %q; use one of %s", st.Type, types)
		if st.Type == "" {
			msg = "the state has no Type; use one of " + types
		}
		p.add(m.valueOr("Type"), st.Name, msg)
		return nil
	}
	st.Next = m.str("Next")
	st.End = m.boolean("End")
	st.InputConstructor = m.template("InputConstructor")
	st.OutputConstructor = m.template("OutputConstructor")
	st.GlobalConstructor = m.template("GlobalConstructor")
	m.onlyKeys(k.stateKeySet(), "a "+k.name+" state")
	k.kind.parse(p, m, st)
	if k.retries {
		p.retry(m, st)
		p.catch(m, st)
	}
	return st
}

// rules reads the Retry or Catch rules of a state: a list of mappings, each
// naming the Errors it applies to.
func (p *parser) rules(m *mapping, st *State, key string, keys keySet, read func(n *yaml.Node, rm *mapping, errs []string)) {
	what := "a " + key + " rule"
	for _, n := range m.list(key) {
		rm, ok := p.mapping(n, st.Name, what)
		if !ok {
			continue
		}
		rm.state = st.Name
		rm.onlyKeys(keys, what)
		errs := rm.strings("Errors")
		if len(errs) == 0 {
			p.add(n, st.Name, what+" needs Errors (error codes, or FnF.ALL)")
		}
		read(n, rm, errs)
	}
}

func (p *parser) retry(m *mapping, st *State) {
	p.rules(m, st, "Retry", retryKeys, func(n *yaml.Node, rm *mapping, errs []string) {
		r := Retrier{Errors: errs}
		r.MaxAttempts, _ = rm.integer("MaxAttempts", 1000)
		r.Interval = rm.seconds("IntervalSeconds", maxRetrySeconds)
		r.MaxBackoff = rm.seconds("MaxBackoffSeconds", maxRetrySeconds)
		if rm.has("BackoffRate") {
			r.BackoffRate, _ = rm.number("BackoffRate", 1000)
		}
		st.Retry = append(st.Retry, r)
	})
}

func (p *parser) catch(m *mapping, st *State) {
	p.rules(m, st, "Catch", catchKeys, func(n *yaml.Node, rm *mapping, errs []string) {
		c := Catcher{Errors: errs, Next: rm.str("Next"), OutputConstructor: rm.template("OutputConstructor")}
		if c.Next == "" {
			p.add(n, st.Name, "a Catch rule needs a Next state")
		}
		st.Catch = append(st.Catch, c)
	})
}
