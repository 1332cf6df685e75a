package engine

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"

	"github.com/flowtui/flowtui/fnf"
	"github.com/flowtui/flowtui/internal/safefile"
)

// Mocks replace Task results, after the Step Functions Local mock file:
//
//	Flows:
//	  order-flow:
//	    TestCases:
//	      HappyPath: { ChargeCard: ChargeOK }
//	MockedResponses:
//	  ChargeOK:     { "0": { Result: { charged: true } } }
//	  CardDeclined: { "0-1": { Throw: { Code: Card.Declined, Detail: insufficient funds } } }
//
// An attempt gives Return, the Task's result exactly as the cloud answers;
// Result, the service's payload, which the engine places where the action's
// documented answer carries it (FC:InvokeFunction: {"Body": Result}); or
// Throw, an error. A mocked WaitForCustomCallback task takes its mock as
// the callback (Return: ReportTaskSucceeded's output; Throw: ReportTaskFailed),
// as Step Functions Local does for .waitForTaskToken tasks.
//
// Keys of a mocked response are attempt numbers ("0") or ranges ("0-2");
// attempts past the last key take the last one. As in Step Functions Local,
// attempts are counted per state name per execution: every invocation of a
// mocked state takes the next number, whether it comes from the state's own
// Retry, a retry of an enclosing Parallel or Map, another Map iteration or
// another pass around a loop. Map iterations running at once take the numbers
// in the order they call the Task (item order with MaxConcuccency 1). With no
// test case chosen, a flow's test case named "Default" applies.
type Mocks struct {
	flows map[string]map[string]map[string]*mockResponse // flow → test case → state → response
}

// DefaultTestCase applies when no test case is chosen.
const DefaultTestCase = "Default"

type mockResponse struct {
	name     string
	attempts []mockAttempt // sorted by from
}

type mockAttempt struct {
	from, to int
	ret      any
	shaped   bool // ret is a Result, shaped as the action's answer
	throw    *flowError
}

// MaxMockFileBytes bounds a mock file.
const MaxMockFileBytes = 4 << 20

// LoadMocks reads a mock file (YAML or JSON).
func LoadMocks(path string) (*Mocks, error) {
	data, err := safefile.Read(path, MaxMockFileBytes)
	if err != nil {
		return nil, fmt.Errorf("mocks: %w", err)
	}
	return ParseMocks(path, data)
}

// ParseMocks reads mock file content; file names it in errors.
func ParseMocks(file string, data []byte) (*Mocks, error) {
	p := &parser{file: file}
	data = fnf.TrimBOM(data)
	var doc yaml.Node
	if err := decodeNode(data, &doc); err != nil {
		p.problems = append(p.problems, p.decodeProblem(err))
		return nil, p.err()
	}
	m := &Mocks{flows: map[string]map[string]map[string]*mockResponse{}}
	if len(doc.Content) == 0 {
		return m, nil
	}
	root, ok := p.mapping(doc.Content[0], "", "the mock file")
	if !ok {
		return nil, p.err()
	}
	responses := map[string]*mockResponse{}
	if rn := root.value("MockedResponses"); rn != nil {
		if rm, ok := p.mapping(rn, "", "MockedResponses"); ok {
			for _, name := range rm.keys {
				responses[name] = p.mockResponse(name, rm.value(name))
			}
		}
	}
	if fn := root.value("Flows"); fn != nil {
		fm, ok := p.mapping(fn, "", "Flows")
		for _, flow := range keysOf(fm, ok) {
			m.flows[flow] = map[string]map[string]*mockResponse{}
			flowMap, ok := p.mapping(fm.value(flow), "", "flow "+flow)
			if !ok {
				continue
			}
			tcn := flowMap.value("TestCases")
			if tcn == nil {
				p.add(flowMap.node, "", fmt.Sprintf("flow %q has no TestCases", flow))
				continue
			}
			tcm, ok := p.mapping(tcn, "", "TestCases")
			for _, tc := range keysOf(tcm, ok) {
				states := map[string]*mockResponse{}
				sm, ok := p.mapping(tcm.value(tc), "", "test case "+tc)
				for _, state := range keysOf(sm, ok) {
					ref := sm.value(state)
					r := responses[ref.Value]
					if r == nil {
						p.add(ref, "", fmt.Sprintf("test case %q: state %q uses %q, which MockedResponses does not define", tc, state, ref.Value))
						continue
					}
					states[state] = r
				}
				m.flows[flow][tc] = states
			}
		}
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	return m, nil
}

func keysOf(m *mapping, ok bool) []string {
	if !ok {
		return nil
	}
	return m.keys
}

func (p *parser) mockResponse(name string, n *yaml.Node) *mockResponse {
	r := &mockResponse{name: name}
	m, ok := p.mapping(n, "", "mocked response "+name)
	if !ok {
		return r
	}
	for _, key := range m.keys {
		from, to, err := attemptRange(key)
		if err != nil {
			p.add(m.value(key), "", fmt.Sprintf("mocked response %q: %v", name, err))
			continue
		}
		am, ok := p.mapping(m.value(key), "", fmt.Sprintf("mocked response %q attempt %s", name, key))
		if !ok {
			continue
		}
		a := mockAttempt{from: from, to: to}
		switch {
		case countKeys(am, "Return", "Result", "Throw") != 1:
			p.add(am.node, "", fmt.Sprintf("mocked response %q attempt %s: give one of Return (the answer as the cloud gives it), Result (the service's payload, shaped as the action answers) or Throw", name, key))
			continue
		case am.has("Return"), am.has("Result"):
			k := "Return"
			if a.shaped = am.has("Result"); a.shaped {
				k = "Result"
			}
			var err error
			if a.ret, err = yamlValue(am.value(k)); err != nil {
				p.add(am.value(k), "", fmt.Sprintf("mocked response %q: %v", name, err))
			}
		default:
			tm, ok := p.mapping(am.value("Throw"), "", "Throw")
			if !ok {
				continue
			}
			a.throw = &flowError{Code: tm.str("Code"), Detail: tm.str("Detail")}
			if a.throw.Code == "" {
				p.add(tm.node, "", fmt.Sprintf("mocked response %q: Throw needs a Code", name))
			}
		}
		r.attempts = append(r.attempts, a)
	}
	sort.Slice(r.attempts, func(i, j int) bool { return r.attempts[i].from < r.attempts[j].from })
	for i := 1; i < len(r.attempts); i++ {
		if r.attempts[i].from <= r.attempts[i-1].to {
			p.add(m.node, "", fmt.Sprintf("mocked response %q: attempts %d and %d overlap", name, r.attempts[i-1].to, r.attempts[i].from))
		}
	}
	return r
}

// countKeys is how many of keys m holds.
func countKeys(m *mapping, keys ...string) int {
	n := 0
	for _, k := range keys {
		if m.has(k) {
			n++
		}
	}
	return n
}

// attemptRange reads "3" or "0-2".
func attemptRange(key string) (int, int, error) {
	a, b, isRange := strings.Cut(key, "-")
	from, err1 := strconv.Atoi(strings.TrimSpace(a))
	to := from
	var err2 error
	if isRange {
		to, err2 = strconv.Atoi(strings.TrimSpace(b))
	}
	if err1 != nil || err2 != nil || from < 0 || to < from {
		return 0, 0, fmt.Errorf("attempt key %q is not a number or a range like 0-2", key)
	}
	return from, to, nil
}

// testCase returns the mocked states of the chosen test case of a flow.
func (m *Mocks) testCase(flow, name string) (map[string]*mockResponse, error) {
	if m == nil {
		if name != "" {
			return nil, fmt.Errorf("test case %q: no mock file is loaded (--mocks FILE)", name)
		}
		return nil, nil
	}
	cases := m.flows[flow]
	if name == "" {
		return cases[DefaultTestCase], nil
	}
	if tc, ok := cases[name]; ok {
		return tc, nil
	}
	known := m.TestCases(flow)
	if len(known) == 0 {
		return nil, fmt.Errorf("test case %q: the mock file has no test cases for flow %q", name, flow)
	}
	return nil, fmt.Errorf("test case %q is not defined for flow %q (test cases: %s)", name, flow, strings.Join(known, ", "))
}

// TestCases lists a flow's test case names, sorted.
func (m *Mocks) TestCases(flow string) []string {
	if m == nil {
		return nil
	}
	var names []string
	for tc := range m.flows[flow] {
		names = append(names, tc)
	}
	sort.Strings(names)
	return names
}

// Merge returns mocks holding both sets; o's flows replace m's of the same name.
func (m *Mocks) Merge(o *Mocks) *Mocks {
	if m == nil {
		return o
	}
	if o == nil {
		return m
	}
	out := &Mocks{flows: map[string]map[string]map[string]*mockResponse{}}
	for k, v := range m.flows {
		out.flows[k] = v
	}
	for k, v := range o.flows {
		out.flows[k] = v
	}
	return out
}

// invocations counts the invocations of each mocked state in one execution;
// branches and iterations running at once share it.
type invocations struct {
	mu   sync.Mutex
	next map[string]int // state name → the attempt its next invocation takes
}

// take returns the attempt number of a new invocation of state.
func (c *invocations) take(state string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.next == nil {
		c.next = map[string]int{}
	}
	n := c.next[state]
	c.next[state] = n + 1
	return n
}

// mocked is the mocked answer for a new invocation of st, nil when the test
// case does not mock it (and then no attempt is counted).
func (x *execution) mocked(st *State) *mockAttempt { return x.mockedAs(st.Name) }

// mockedAs is mocked for a state or legacy step by its name.
func (x *execution) mockedAs(name string) *mockAttempt {
	r := x.cases[name]
	if r == nil {
		return nil
	}
	return r.response(x.invocations.take(name))
}

// notMocked ends a run at a task that has no mock and no way to run
// locally: a set-up problem, which Retry and Catch do not see.
func (x *execution) notMocked(state, action string) *flowError {
	tc := x.req.TestCase
	if tc == "" {
		tc = DefaultTestCase
	}
	return &flowError{Code: CodeNotMocked, fatal: true, Detail: fmt.Sprintf(
		"state %q: action %s cannot run locally and test case %q of flow %q does not mock it; add it to the mock file (--mocks)",
		state, action, tc, x.req.Flow)}
}

// response is the mocked answer for an attempt (0-based), nil when unmocked.
func (r *mockResponse) response(attempt int) *mockAttempt {
	if r == nil || len(r.attempts) == 0 {
		return nil
	}
	for i := range r.attempts {
		if a := &r.attempts[i]; attempt >= a.from && attempt <= a.to {
			return a
		}
	}
	if last := &r.attempts[len(r.attempts)-1]; attempt > last.to {
		return last
	}
	return nil
}
