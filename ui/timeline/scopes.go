package timeline

import "go.yaml.in/yaml/v3"

// Scopes says which states each branch of a Parallel state holds (nested
// ones included), read from the flow's definition: with them, a state
// entered while several branches run is placed in the branch that has it,
// not guessed. Map iterations all run the same states and need none. It
// also knows each state's type, which events do not carry.
type Scopes struct {
	branches map[string][]map[string]bool // Parallel state → its branches' states
	types    map[string]string            // state → type; "" where two states of a name differ
}

// scopeNode is what ScopesOf reads of a state; other keys are ignored, so
// that a definition with keys not known here still gives its scopes.
type scopeNode struct {
	Name      string      `yaml:"Name"`
	Type      string      `yaml:"Type"`
	Branches  []scopeList `yaml:"Branches"`
	Processor *scopeList  `yaml:"Processor"`
}

type scopeList struct {
	States []scopeNode `yaml:"States"`
}

// ScopesOf reads the scopes of a definition (YAML or JSON); empty when it
// cannot be read, and the guess stands.
func ScopesOf(definition string) Scopes {
	var doc scopeList
	if definition == "" || yaml.Unmarshal([]byte(definition), &doc) != nil {
		return Scopes{}
	}
	s := Scopes{branches: map[string][]map[string]bool{}, types: map[string]string{}}
	s.walk(doc.States)
	return s
}

// typeOf is the type of the state of that name, when the definition says.
func (s Scopes) typeOf(name string) string { return s.types[name] }

func (s Scopes) walk(states []scopeNode) {
	for _, st := range states {
		if t, seen := s.types[st.Name]; !seen {
			s.types[st.Name] = st.Type
		} else if t != st.Type {
			s.types[st.Name] = "" // two states of that name: the events cannot tell which
		}
		if len(st.Branches) > 0 {
			sets := make([]map[string]bool, len(st.Branches))
			for i, b := range st.Branches {
				sets[i] = map[string]bool{}
				collect(b.States, sets[i])
				s.walk(b.States)
			}
			s.branches[st.Name] = sets
		}
		if st.Processor != nil {
			s.walk(st.Processor.States)
		}
	}
}

// collect gathers the names of states and of the states nested in them.
func collect(states []scopeNode, into map[string]bool) {
	for _, st := range states {
		into[st.Name] = true
		for _, b := range st.Branches {
			collect(b.States, into)
		}
		if st.Processor != nil {
			collect(st.Processor.States, into)
		}
	}
}

// fits scores how well a branch fits a state entered by name: 3 when the
// definition puts the state in it, -1 when it puts it elsewhere, 1 when it
// does not say.
func (s Scopes) fits(parallel string, branch int, name string) int {
	sets := s.branches[parallel]
	if branch < 0 || branch >= len(sets) {
		return 1
	}
	if sets[branch][name] {
		return 3
	}
	return -1
}
