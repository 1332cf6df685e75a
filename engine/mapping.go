package engine

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/flowtui/flowtui/engine/expression"
	"github.com/flowtui/flowtui/internal/suggest"
)

// The readers of a definition's mappings: each field read with its type,
// its limits and its position for problems, and the expressions and
// constructors compiled where they are written.

// mapping is a YAML mapping with its keys indexed.
type mapping struct {
	p     *parser
	node  *yaml.Node
	state string
	keys  []string
	vals  map[string]*yaml.Node
	knode map[string]*yaml.Node // each key's own node, for a position
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
	m.knode = first
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

// onlyKeys refuses every key of m that ks does not know, at the key, saying
// why: a key ks refuses by name, one of an older draft, or the nearest known
// key. what names the mapping in messages ("a Wait state").
func (m *mapping) onlyKeys(ks keySet, what string) {
	for _, k := range m.keys {
		if slices.Contains(ks.known, k) {
			continue
		}
		msg, ok := ks.refused[k]
		if !ok {
			msg, ok = draftKeys[k]
		}
		if !ok {
			msg = unknownKey(k, what, ks.known)
		}
		m.p.add(m.knode[k], m.state, msg)
	}
}

// unknownKey is the message for a key nobody documents: the nearest known
// key when one is close, else the list of them.
func unknownKey(k, what string, known []string) string {
	if best, ok := suggest.Nearest(k, known); ok {
		return fmt.Sprintf("unknown key %q in %s; did you mean %q?", k, what, best)
	}
	sorted := slices.Sorted(slices.Values(known))
	return fmt.Sprintf("unknown key %q in %s, which takes %s", k, what, inWords(sorted))
}

// needs reports a missing key, unless one of m's keys is a misspelling of
// it: that one is refused already, with "did you mean", and a second
// problem saying the key is missing would only hide the first.
func (m *mapping) needs(key string, at *yaml.Node, msg string) {
	for _, k := range m.keys {
		if k == key {
			continue
		}
		if best, ok := suggest.Nearest(k, []string{key}); ok && best == key {
			return
		}
	}
	m.p.add(at, m.state, msg)
}

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
	return m.numberIn(key, 0, max)
}

// numberIn reads a number from lo to hi; the problem names that range.
func (m *mapping) numberIn(key string, lo, hi float64) (float64, bool) {
	return m.numberNoted(key, lo, hi, "")
}

// numberNoted is numberIn whose refusal ends with note (" (…)"), for a
// range that a flow's mode narrows.
func (m *mapping) numberNoted(key string, lo, hi float64, note string) (float64, bool) {
	v := m.scalar(key, "a number")
	if v == nil {
		return 0, false
	}
	f, err := strconv.ParseFloat(v.Value, 64)
	if err != nil || math.IsNaN(f) || f < lo || f > hi {
		m.p.add(v, m.state, fmt.Sprintf("%s is %q; want a number from %g to %g%s", key, v.Value, lo, hi, note))
		return 0, false
	}
	return f, true
}

func (m *mapping) integer(key string, max int) (int, bool) {
	return m.integerIn(key, 0, max)
}

// integerIn reads a whole number from lo to hi.
func (m *mapping) integerIn(key string, lo, hi int) (int, bool) {
	return m.integerNoted(key, lo, hi, "")
}

// integerNoted is integerIn with a note (numberNoted).
func (m *mapping) integerNoted(key string, lo, hi int, note string) (int, bool) {
	f, ok := m.numberNoted(key, float64(lo), float64(hi), note)
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
	if prog != nil && prog.UsesItem() {
		m.p.add(v, m.state, itemOutside(key))
	}
	return prog
}

// itemOutside is the refusal of $Item in key, which is not a Map's
// ItemConstructor: nothing there gives $Item a value.
func itemOutside(key string) string {
	return fmt.Sprintf("%s: $Item is the item of a Map's ItemConstructor and has no value here; use $Input", key)
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
	raw, err := yamlValue(v)
	if err != nil {
		m.p.add(v, m.state, fmt.Sprintf("%s: %v", key, err))
		return nil
	}
	t, err := expression.CompileTemplate(raw)
	if err != nil {
		m.p.add(templateErrorNode(v, err), m.state, fmt.Sprintf("%s: %v", key, err))
		return nil
	}
	if key != "ItemConstructor" && t.UsesItem() {
		m.p.add(v, m.state, itemOutside(key))
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
