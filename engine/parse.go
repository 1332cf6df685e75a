package engine

import (
	"errors"
	"fmt"
	"github.com/flowtui/flowtui/fnf"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/flowtui/flowtui/engine/expression"
)

// Parse reads a CloudFlow definition written in YAML or JSON and validates it.
// file names the source in errors. A legacy FDL definition parses with Legacy
// set and no states. The error, when not nil, is a *DefinitionError.
func Parse(file string, data []byte) (*Definition, error) {
	return parseAt(file, data, 0, 0)
}

// parseAt parses a definition embedded in another file (a flow document's
// Definition), shifting positions by the given lines and columns.
func parseAt(file string, data []byte, dLine, dCol int) (*Definition, error) {
	p := &parser{file: file, dLine: dLine, dCol: dCol}
	if pos, deep := tooDeep(data); deep {
		p.addAt(Pos{pos.Line + p.dLine, pos.Col + p.dCol}, "", nestingMessage)
		return nil, p.err()
	}
	var doc yaml.Node
	if err := decodeNode(data, &doc); err != nil {
		p.problems = append(p.problems, p.decodeProblem(err))
		return nil, p.err()
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		p.addAt(Pos{1 + p.dLine, 1 + p.dCol}, "", "the definition is empty")
		return nil, p.err()
	}
	root, ok := p.mapping(doc.Content[0], "", "the definition")
	if !ok {
		return nil, p.err()
	}
	if isLegacy(root) {
		return &Definition{Legacy: true, Name: root.str("name")}, nil
	}
	def := &Definition{
		Name:        root.str("Name"),
		Description: root.str("Description"),
		SpecVersion: root.str("SpecVersion"),
	}
	if t := root.str("Type"); t != "StateMachine" {
		p.add(root.valueOr("Type"), "", fmt.Sprintf("Type is %q; a CloudFlow definition has Type: StateMachine", t))
	}
	if v := def.SpecVersion; v != "" && v != "v1" && v != "v1beta1" {
		p.add(root.value("SpecVersion"), "", fmt.Sprintf("SpecVersion %q is not v1", v))
	}
	if def.Name != "" && !fnf.ValidName(def.Name) {
		p.add(root.value("Name"), "", fmt.Sprintf("Name %q is not a valid flow name (1–128 letters, digits, _ or -, starting with a letter or _)", def.Name))
	}
	def.Scope = *p.scope(root, "the flow")
	p.validate(&def.Scope, "")
	if err := p.err(); err != nil {
		return nil, err
	}
	return def, nil
}

// maxNesting bounds how deeply [ ] and { } may nest in a definition. The YAML
// scanner's work per token grows with the nesting, so a few kilobytes of
// brackets would take it seconds; definitions nest a few levels (JSON ones
// about four per Parallel or Map).
const maxNesting = 128

var nestingMessage = fmt.Sprintf("[ ] and { } nest more than %d levels deep; a definition needs far fewer: check the brackets", maxNesting)

// tooDeep reports where the flow-style nesting of data first passes
// maxNesting. Brackets in comments do not count; elsewhere, even inside
// strings, they do: that can only overcount, and no definition comes near.
func tooDeep(data []byte) (Pos, bool) {
	depth, line, col := 0, 1, 0
	comment := false
	for i, c := range data {
		col++
		switch {
		case c == '\n':
			line, col, comment = line+1, 0, false
		case comment:
		case c == '#' && (i == 0 || data[i-1] == ' ' || data[i-1] == '\t' || data[i-1] == '\n'):
			comment = true
		case c == '[' || c == '{':
			if depth++; depth > maxNesting {
				return Pos{line, col}, true
			}
		case c == ']' || c == '}':
			depth = max(depth-1, 0)
		}
	}
	return Pos{}, false
}

func isLegacy(root *mapping) bool {
	return root.value("steps") != nil || strings.EqualFold(root.str("type"), "flow") && root.value("version") != nil
}

// parser collects problems while it builds the definition.
type parser struct {
	file         string
	dLine, dCol  int
	problems     []Problem
	unreportable int
}

func (p *parser) pos(n *yaml.Node) Pos {
	if n == nil {
		return Pos{}
	}
	return Pos{n.Line + p.dLine, n.Column + p.dCol}
}

func (p *parser) add(n *yaml.Node, state, msg string) {
	p.addAt(p.pos(n), state, msg)
}

func (p *parser) addAt(pos Pos, state, msg string) {
	if len(p.problems) >= maxProblems {
		p.unreportable++
		return
	}
	p.problems = append(p.problems, Problem{File: p.file, Pos: pos, State: state, Msg: msg})
}

func (p *parser) err() error {
	if len(p.problems) == 0 {
		return nil
	}
	sort.SliceStable(p.problems, func(i, j int) bool {
		a, b := p.problems[i].Pos, p.problems[j].Pos
		return a.Line < b.Line || a.Line == b.Line && a.Col < b.Col
	})
	if p.unreportable > 0 {
		p.problems = append(p.problems, Problem{File: p.file, Msg: fmt.Sprintf("and %d more problems", p.unreportable)})
	}
	return &DefinitionError{Problems: p.problems}
}

var (
	yamlLineRE   = regexp.MustCompile(`line (\d+)`)
	yamlPrefixRE = regexp.MustCompile(`^line \d+: `)
)

// decodeProblem is the problem of text that decodeNode refused.
func (p *parser) decodeProblem(err error) Problem {
	var lone *loneSurrogateError
	if errors.As(err, &lone) {
		return Problem{File: p.file, Pos: Pos{lone.Line + p.dLine, lone.Col + p.dCol}, Msg: lone.msg()}
	}
	return Problem{File: p.file, Pos: p.yamlErrorPos(err), Msg: yamlMessage(err)}
}

func (p *parser) yamlErrorPos(err error) Pos {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		n, _ := strconv.Atoi(m[1])
		return Pos{n + p.dLine, 1}
	}
	return Pos{}
}

func yamlMessage(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
	return "invalid YAML: " + yamlPrefixRE.ReplaceAllString(msg, "")
}

// mapping is a YAML mapping with its keys indexed.
type mapping struct {
	p     *parser
	node  *yaml.Node
	state string
	keys  []string
	vals  map[string]*yaml.Node
}

func (p *parser) mapping(n *yaml.Node, state, what string) (*mapping, bool) {
	if n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	if n.Kind != yaml.MappingNode {
		p.add(n, state, what+" must be a mapping of keys to values")
		return nil, false
	}
	m := &mapping{p: p, node: n, state: state, vals: map[string]*yaml.Node{}}
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn := n.Content[i]
		k := kn.Value
		if prev, dup := first[k]; dup {
			p.add(kn, state, fmt.Sprintf("key %q is given twice (first at line %d)", k, p.pos(prev).Line))
			continue
		}
		first[k] = kn
		m.keys = append(m.keys, k)
		m.vals[k] = n.Content[i+1]
	}
	return m, true
}

func (m *mapping) value(key string) *yaml.Node { return m.vals[key] }

// valueOr is the key's value node, or the mapping itself for a position.
func (m *mapping) valueOr(key string) *yaml.Node {
	if v := m.vals[key]; v != nil {
		return v
	}
	return m.node
}

func (m *mapping) has(key string) bool { return m.vals[key] != nil }

func (m *mapping) scalar(key, kind string) *yaml.Node {
	v := m.vals[key]
	if v == nil {
		return nil
	}
	if v.Kind != yaml.ScalarNode {
		m.p.add(v, m.state, fmt.Sprintf("%s must be %s", key, kind))
		return nil
	}
	return v
}

func (m *mapping) str(key string) string {
	if v := m.scalar(key, "a string"); v != nil && v.Tag != "!!null" {
		return v.Value
	}
	return ""
}

func (m *mapping) boolean(key string) bool {
	v := m.scalar(key, "true or false")
	if v == nil {
		return false
	}
	b, err := strconv.ParseBool(v.Value)
	if err != nil {
		m.p.add(v, m.state, fmt.Sprintf("%s is %q; want true or false", key, v.Value))
	}
	return b
}

// number reads a non-negative number no larger than max.
func (m *mapping) number(key string, max float64) (float64, bool) {
	v := m.scalar(key, "a number")
	if v == nil {
		return 0, false
	}
	f, err := strconv.ParseFloat(v.Value, 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > max {
		m.p.add(v, m.state, fmt.Sprintf("%s is %q; want a number from 0 to %g", key, v.Value, max))
		return 0, false
	}
	return f, true
}

func (m *mapping) integer(key string, max int) (int, bool) {
	f, ok := m.number(key, float64(max))
	if ok && f != math.Trunc(f) {
		m.p.add(m.vals[key], m.state, fmt.Sprintf("%s is %v; want a whole number", key, f))
		return 0, false
	}
	return int(f), ok
}

func (m *mapping) seconds(key string, max int) time.Duration {
	n, _ := m.integer(key, max)
	return time.Duration(n) * time.Second
}

func (m *mapping) strings(key string) []string {
	var out []string
	for _, item := range m.list(key) {
		if item.Kind != yaml.ScalarNode {
			m.p.add(item, m.state, key+" must list strings")
			continue
		}
		out = append(out, item.Value)
	}
	return out
}

func (m *mapping) list(key string) []*yaml.Node {
	v := m.vals[key]
	if v == nil {
		return nil
	}
	if v.Kind != yaml.SequenceNode {
		m.p.add(v, m.state, key+" must be a list")
		return nil
	}
	return v.Content
}

// program compiles the expression of a scalar, pointing errors at the column
// within the expression where the scalar is written plainly on one line.
func (m *mapping) program(key string) *expression.Program {
	v := m.scalar(key, "an expression (a string)")
	if v == nil {
		return nil
	}
	prog, err := expression.Compile(v.Value)
	if err != nil {
		pos := m.p.pos(v)
		msg := err.Error()
		var ee *expression.Error
		if errors.As(err, &ee) {
			msg = ee.Msg
			if ee.Column > 0 && (v.Style == 0 || v.Style == yaml.DoubleQuotedStyle || v.Style == yaml.SingleQuotedStyle) {
				pos.Col += ee.Column - 1
				if v.Style != 0 {
					pos.Col++ // the opening quote
				}
			}
		}
		m.p.addAt(pos, m.state, fmt.Sprintf("%s: expression %q: %s", key, v.Value, msg))
	}
	return prog
}

// template compiles a constructor: a mapping whose ".$" keys are expressions.
func (m *mapping) template(key string) *expression.Template {
	v := m.vals[key]
	if v == nil {
		return nil
	}
	if v.Kind != yaml.MappingNode {
		m.p.add(v, m.state, key+" must be a mapping of keys to values")
		return nil
	}
	var raw any
	jsonShaped(v)
	if err := v.Decode(&raw); err != nil {
		m.p.add(v, m.state, fmt.Sprintf("%s: %v", key, err))
		return nil
	}
	t, err := expression.CompileTemplate(raw)
	if err != nil {
		m.p.add(templateErrorNode(v, err), m.state, fmt.Sprintf("%s: %v", key, err))
		return nil
	}
	return t
}

// jsonShaped makes a YAML tree decode to JSON values: mapping keys are
// strings, and a scalar that YAML would read as a timestamp stays the text
// written. Aliases are not followed.
func jsonShaped(n *yaml.Node) {
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i]; k.Kind == yaml.ScalarNode && k.Tag != "!!merge" {
				k.Tag = "!!str"
			}
		}
	case yaml.ScalarNode:
		if n.Tag == "!!timestamp" {
			n.Tag = "!!str"
		}
	}
	for _, c := range n.Content {
		jsonShaped(c)
	}
}

// templateErrorNode finds the key a template error is about, for its position.
func templateErrorNode(n *yaml.Node, err error) *yaml.Node {
	var te *expression.TemplateError
	if !errors.As(err, &te) {
		return n
	}
	cur := n
	for _, part := range splitPath(te.Path) {
		next := (*yaml.Node)(nil)
		if cur.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(cur.Content); i += 2 {
				if cur.Content[i].Value == part {
					next = cur.Content[i]
					if i+1 < len(cur.Content) && cur.Content[i+1].Kind != yaml.ScalarNode {
						next = cur.Content[i+1]
					}
				}
			}
		}
		if next == nil {
			break
		}
		cur = next
	}
	return cur
}

// splitPath splits a template error path such as `a.b.$` or `items[2].x.$` into
// keys; the ".$" suffix stays with its key.
func splitPath(path string) []string {
	var parts []string
	for _, seg := range strings.Split(path, ".") {
		if seg == "$" && len(parts) > 0 {
			parts[len(parts)-1] += ".$"
			continue
		}
		if i := strings.IndexByte(seg, '['); i > 0 {
			seg = seg[:i]
		}
		parts = append(parts, seg)
	}
	return slices.DeleteFunc(parts, func(s string) bool { return s == "" })
}
