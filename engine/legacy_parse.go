package engine

import (
	"fmt"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/flowtui/flowtui/engine/expression"
)

// Limits of the legacy FDL (its limits page and step pages).
const (
	MaxLegacyStepBytes   = 32 << 10 // a step's input, output and local together
	maxLegacyBranches    = 100
	maxLegacyConcurrency = 100
	maxLegacyWaitSeconds = 2 * 24 * 60 * 60
)

// Legacy step types, as the FDL writes them.
const (
	legacyPass     = "pass"
	legacyTask     = "task"
	legacyChoice   = "choice"
	legacyParallel = "parallel"
	legacyForeach  = "foreach"
	legacyWait     = "wait"
	legacySucceed  = "succeed"
	legacyFail     = "fail"
)

// legacyFlow is a definition in the legacy FDL: a serial list of steps.
type legacyFlow struct {
	in, out []lmapping
	steps   []*lstep
	timeout time.Duration // timeoutSeconds; 0: none
}

// lstep is one step of any type; the fields of other types stay empty.
type lstep struct {
	name, typ string
	pos       Pos
	end       bool
	in, out   []lmapping

	// task
	resource string
	errs     []lmapping // errorMappings: the output a catch hands on
	retry    []Retrier
	catch    []lcatch
	// choice
	choices []lchoice // the default, when given, last with a nil cond
	// parallel
	branches [][]*lstep
	// foreach
	collection  *lpath
	item, index string
	concurrency int
	steps       []*lstep
	// wait
	duration     int
	durationPath *lpath
	timestamp    time.Time
	timePath     *lpath
	// fail
	code, cause string
}

type lchoice struct {
	cond  *expression.Program // nil: the default
	steps []*lstep
	goTo  string
}

type lcatch struct {
	errors []string
	goTo   string
}

// lmapping is one {target, source} of a mapping list: a path into $input,
// $local or $context, or a constant.
type lmapping struct {
	target   string
	path     *lpath
	constant any
}

// lpath is a reference such as $input.a[0].b or $local[*].name; root "$" is
// the step's input (conditions, collection, duration, timestamp).
type lpath struct {
	src, root string
	segs      []lseg
}

type lseg struct {
	key   string
	index int
	all   bool // [*]
	isIdx bool
}

// Keys of the legacy FDL, per its reference pages.
var (
	legacyFlowKeys   = keySet{known: []string{"version", "type", "name", "description", "timeoutSeconds", "inputMappings", "outputMappings", "steps"}}
	legacyCommonKeys = []string{"type", "name", "end", "inputMappings", "outputMappings"}
	legacyStepKeys   = map[string][]string{
		legacyPass:     nil,
		legacyTask:     {"resourceArn", "pattern", "timeoutSeconds", "serviceParams", "errorMappings", "retry", "catch"},
		legacyChoice:   {"choices", "default"},
		legacyParallel: {"branches"},
		legacyForeach:  {"iterationMapping", "maxConcurrency", "steps"},
		legacyWait:     {"duration", "timestamp"},
		legacySucceed:  nil,
		legacyFail:     {"error", "cause"},
	}
	legacyRefused = map[string]string{
		"retry": "the FDL documents retry and catch on task steps only",
		"catch": "the FDL documents retry and catch on task steps only",
	}
	legacyRetryKeys   = keySet{known: []string{"errors", "intervalSeconds", "maxIntervalSeconds", "maxAttempts", "multiplier"}}
	legacyCatchKeys   = keySet{known: []string{"errors", "goto"}}
	legacyChoiceKeys  = keySet{known: []string{"condition", "steps", "goto"}}
	legacyDefaultKeys = keySet{known: []string{"steps", "goto"}}
	legacyBranchKeys  = keySet{known: []string{"steps"}}
	legacyIterKeys    = keySet{known: []string{"collection", "item", "index"}}
	legacyMapKeys     = keySet{known: []string{"target", "source"}}
)

// legacy parses a definition in the legacy FDL.
func (p *parser) legacy(root *mapping) (*Definition, error) {
	root.onlyKeys(legacyFlowKeys, "a legacy FDL definition")
	if v := root.str("version"); v != "v1" && v != "v1beta1" {
		p.add(root.valueOr("version"), "", fmt.Sprintf("version is %q; a legacy FDL definition has version: v1", v))
	}
	if t := root.str("type"); t != "flow" {
		p.add(root.valueOr("type"), "", fmt.Sprintf("type is %q; a legacy FDL definition has type: flow", t))
	}
	f := &legacyFlow{
		in:      p.lmappings(root, "inputMappings", ""),
		out:     p.lmappings(root, "outputMappings", ""),
		timeout: root.seconds("timeoutSeconds", 365*24*60*60),
	}
	if !root.has("steps") {
		p.add(root.node, "", "a legacy FDL definition needs steps")
	}
	f.steps = p.lsteps(root, "steps")
	if err := p.err(); err != nil {
		return nil, err
	}
	return &Definition{Legacy: true, Name: root.str("name"), Description: root.str("description"), legacy: f}, nil
}

// lsteps reads a serial list of steps and checks its names and gotos.
func (p *parser) lsteps(m *mapping, key string) []*lstep {
	var steps []*lstep
	names := map[string]bool{}
	for _, n := range m.list(key) {
		st := p.lstep(n)
		if st == nil {
			continue
		}
		if names[st.name] {
			p.addAt(st.pos, st.name, fmt.Sprintf("step name %q is used twice in the same list of steps", st.name))
		}
		names[st.name] = true
		steps = append(steps, st)
	}
	if v := m.value(key); v != nil && len(steps) == 0 && v.Kind == yaml.SequenceNode {
		p.add(v, m.state, key+" must list at least one step")
	}
	check := func(goTo string, st *lstep) {
		if goTo != "" && !names[goTo] {
			p.addAt(st.pos, st.name, fmt.Sprintf("goto %q names no step of the same list (goto jumps to a sibling step)", goTo))
		}
	}
	for _, st := range steps {
		for _, c := range st.choices {
			check(c.goTo, st)
		}
		for _, c := range st.catch {
			check(c.goTo, st)
		}
	}
	return steps
}

func (p *parser) lstep(n *yaml.Node) *lstep {
	m, ok := p.mapping(n, "", "a step")
	if !ok {
		return nil
	}
	st := &lstep{name: m.str("name"), typ: m.str("type"), pos: p.pos(n)}
	m.state = st.name
	if st.name == "" {
		p.add(m.valueOr("name"), "", "a step needs a name")
	}
	extra, known := legacyStepKeys[st.typ]
	if !known {
		p.add(m.valueOr("type"), st.name, fmt.Sprintf("step type %q is not one of pass, task, choice, parallel, foreach, wait, succeed, fail", st.typ))
		return st
	}
	m.onlyKeys(keySet{known: append(append([]string{}, legacyCommonKeys...), extra...), refused: legacyRefused}, "a "+st.typ+" step")
	st.end = m.has("end") && m.boolean("end")
	st.in = p.lmappings(m, "inputMappings", st.name)
	st.out = p.lmappings(m, "outputMappings", st.name)
	switch st.typ {
	case legacyTask:
		p.ltask(m, st)
	case legacyChoice:
		p.lchoices(m, st)
	case legacyParallel:
		for _, b := range m.list("branches") {
			if bm, ok := p.mapping(b, st.name, "a branch"); ok {
				bm.onlyKeys(legacyBranchKeys, "a branch")
				st.branches = append(st.branches, p.lsteps(bm, "steps"))
			}
		}
		if len(st.branches) == 0 || len(st.branches) > maxLegacyBranches {
			p.add(m.valueOr("branches"), st.name, fmt.Sprintf("a parallel step needs 1 to %d branches", maxLegacyBranches))
		}
	case legacyForeach:
		p.lforeach(m, st)
	case legacyWait:
		p.lwait(m, st)
	case legacyFail:
		st.code, st.cause = m.str("error"), m.str("cause")
	}
	return st
}

func (p *parser) ltask(m *mapping, st *lstep) {
	st.resource = m.str("resourceArn")
	if st.resource == "" {
		p.add(m.valueOr("resourceArn"), st.name, "a task step needs a resourceArn")
	}
	switch pat := m.str("pattern"); pat {
	case "", "requestResponse", "sync":
	case "waitForCallback":
		p.add(m.value("pattern"), st.name, "pattern waitForCallback waits for a callback, which local runs cannot give; run this flow in the cloud")
	default:
		p.add(m.value("pattern"), st.name, fmt.Sprintf("pattern %q is not requestResponse, sync or waitForCallback", pat))
	}
	m.seconds("timeoutSeconds", 7*24*60*60)
	st.errs = p.lmappings(m, "errorMappings", st.name)
	for _, n := range m.list("retry") {
		rm, ok := p.mapping(n, st.name, "a retry rule")
		if !ok {
			continue
		}
		rm.onlyKeys(legacyRetryKeys, "a retry rule")
		r := Retrier{Errors: rm.strings("errors"), MaxAttempts: 3, Interval: time.Second, BackoffRate: 2, MaxBackoff: maxRetrySeconds * time.Second}
		if rm.has("maxAttempts") {
			r.MaxAttempts, _ = rm.integer("maxAttempts", 1000)
		}
		if rm.has("intervalSeconds") {
			r.Interval = rm.seconds("intervalSeconds", maxRetrySeconds)
		}
		if rm.has("maxIntervalSeconds") {
			r.MaxBackoff = rm.seconds("maxIntervalSeconds", maxRetrySeconds)
		}
		if rm.has("multiplier") {
			r.BackoffRate, _ = rm.number("multiplier", 1000)
		}
		if len(r.Errors) == 0 {
			p.add(n, st.name, "a retry rule needs errors (FnF.ALL matches every error)")
		}
		st.retry = append(st.retry, r)
	}
	for _, n := range m.list("catch") {
		cm, ok := p.mapping(n, st.name, "a catch rule")
		if !ok {
			continue
		}
		cm.onlyKeys(legacyCatchKeys, "a catch rule")
		c := lcatch{errors: cm.strings("errors"), goTo: cm.str("goto")}
		if len(c.errors) == 0 || c.goTo == "" {
			p.add(n, st.name, "a catch rule needs errors and a goto")
		}
		st.catch = append(st.catch, c)
	}
}

func (p *parser) lchoices(m *mapping, st *lstep) {
	for _, n := range m.list("choices") {
		cm, ok := p.mapping(n, st.name, "a choice")
		if !ok {
			continue
		}
		cm.onlyKeys(legacyChoiceKeys, "a choice")
		c := lchoice{goTo: cm.str("goto"), cond: p.lcondition(cm)}
		if cm.has("steps") {
			c.steps = p.lsteps(cm, "steps")
		}
		st.choices = append(st.choices, c)
	}
	if len(st.choices) == 0 {
		p.add(m.valueOr("choices"), st.name, "a choice step needs choices, each with a condition")
	}
	if n := m.value("default"); n != nil {
		if dm, ok := p.mapping(n, st.name, "default"); ok {
			dm.onlyKeys(legacyDefaultKeys, "default")
			c := lchoice{goTo: dm.str("goto")}
			if dm.has("steps") {
				c.steps = p.lsteps(dm, "steps")
			}
			st.choices = append(st.choices, c)
		}
	}
}

func (p *parser) lforeach(m *mapping, st *lstep) {
	if !m.has("iterationMapping") {
		p.add(m.node, st.name, "a foreach step needs an iterationMapping with collection and item")
	} else if im, ok := p.mapping(m.value("iterationMapping"), st.name, "iterationMapping"); ok {
		im.onlyKeys(legacyIterKeys, "iterationMapping")
		st.collection = p.lpathOf(im, "collection", "$")
		st.item, st.index = im.str("item"), im.str("index")
		if st.collection == nil || st.item == "" {
			p.add(im.node, st.name, "iterationMapping needs a collection ($.key) and an item")
		}
	}
	st.concurrency = maxLegacyConcurrency
	if m.has("maxConcurrency") {
		if n, ok := m.integer("maxConcurrency", maxLegacyConcurrency); ok && n > 0 {
			st.concurrency = n
		}
	}
	st.steps = p.lsteps(m, "steps")
	if !m.has("steps") {
		p.add(m.node, st.name, "a foreach step needs steps")
	}
}

func (p *parser) lwait(m *mapping, st *lstep) {
	switch {
	case m.has("duration") == m.has("timestamp"):
		p.add(m.node, st.name, "a wait step needs either duration (seconds) or timestamp (RFC 3339)")
	case m.has("duration"):
		if v := m.scalar("duration", "a number of seconds or $.key"); v != nil && strings.HasPrefix(v.Value, "$") {
			st.durationPath = p.lpathOf(m, "duration", "$")
		} else if v != nil {
			st.duration, _ = m.integer("duration", maxLegacyWaitSeconds)
		}
	default:
		v := m.scalar("timestamp", "an RFC 3339 time or $.key")
		if v != nil && strings.HasPrefix(v.Value, "$") {
			st.timePath = p.lpathOf(m, "timestamp", "$")
		} else if v != nil {
			t, err := time.Parse(time.RFC3339, v.Value)
			if err != nil {
				p.add(v, st.name, fmt.Sprintf("timestamp %q is not an RFC 3339 time such as 2024-01-31T08:00:00Z", v.Value))
			}
			st.timestamp = t
		}
	}
}

// IsLegacy reports whether a definition's text is in the legacy FDL
// (version/type: flow/steps), without parsing it further.
func IsLegacy(definition string) bool {
	var doc yaml.Node
	if decodeNode([]byte(definition), &doc) != nil || len(doc.Content) == 0 {
		return false
	}
	root, ok := (&parser{}).mapping(doc.Content[0], "", "")
	return ok && isLegacy(root)
}
