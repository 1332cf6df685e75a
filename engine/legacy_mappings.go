package engine

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/flowtui/flowtui/engine/expression"
)

// Reading the legacy FDL's mappings, references ($input, $local, $context
// paths) and conditions.

// lmappings reads a list of {target, source}.
func (p *parser) lmappings(m *mapping, key, state string) []lmapping {
	var out []lmapping
	for _, n := range m.list(key) {
		mm, ok := p.mapping(n, state, "a mapping")
		if !ok {
			continue
		}
		mm.onlyKeys(legacyMapKeys, key)
		lm := lmapping{target: mm.str("target")}
		if lm.target == "" {
			p.add(n, state, key+": a mapping needs a target")
		}
		src := mm.value("source")
		switch {
		case src == nil:
			p.add(n, state, key+": a mapping needs a source")
		case src.Kind == yaml.ScalarNode && src.Tag == "!!str" && strings.HasPrefix(src.Value, "$"):
			lm.path = p.lpathOf(mm, "source", "$input", "$local", "$context")
		default:
			v, err := yamlValue(src)
			if err != nil {
				p.add(src, state, fmt.Sprintf("%s: %v", key, err))
			}
			lm.constant = v
		}
		out = append(out, lm)
	}
	return out
}

// lpathOf reads a reference under one of the roots.
func (p *parser) lpathOf(m *mapping, key string, roots ...string) *lpath {
	v := m.scalar(key, "a reference such as "+roots[0]+".key")
	if v == nil {
		return nil
	}
	lp, err := parseLPath(v.Value, roots)
	if err != nil {
		p.add(v, m.state, fmt.Sprintf("%s %q: %v", key, v.Value, err))
		return nil
	}
	return lp
}

func parseLPath(src string, roots []string) (*lpath, error) {
	lp := &lpath{src: src}
	for _, r := range roots {
		if rest, ok := strings.CutPrefix(src, r); ok && (rest == "" || rest[0] == '.' || rest[0] == '[') {
			lp.root = r
			src = rest
			break
		}
	}
	if lp.root == "" {
		return nil, fmt.Errorf("starts with none of %s", strings.Join(roots, ", "))
	}
	for src != "" {
		switch src[0] {
		case '.':
			end := strings.IndexAny(src[1:], ".[")
			if end < 0 {
				end = len(src) - 1
			}
			key := src[1 : end+1]
			if key == "" {
				return nil, fmt.Errorf("an empty key")
			}
			lp.segs = append(lp.segs, lseg{key: key})
			src = src[end+1:]
		case '[':
			end := strings.IndexByte(src, ']')
			if end < 0 {
				return nil, fmt.Errorf("[ without ]")
			}
			in := src[1:end]
			switch {
			case in == "*":
				lp.segs = append(lp.segs, lseg{all: true})
			case len(in) >= 2 && (in[0] == '"' || in[0] == '\'') && in[len(in)-1] == in[0]:
				lp.segs = append(lp.segs, lseg{key: in[1 : len(in)-1]})
			default:
				n, err := strconv.Atoi(in)
				if err != nil || n < 0 {
					return nil, fmt.Errorf("[%s] is not an index, [*] or a quoted key", in)
				}
				lp.segs = append(lp.segs, lseg{index: n, isIdx: true})
			}
			src = src[end+1:]
		default:
			return nil, fmt.Errorf("unexpected %q", src)
		}
	}
	return lp, nil
}

// lcondition compiles a condition: the CloudFlow expression grammar with $
// (the step's input) for $Input.
func (p *parser) lcondition(m *mapping) *expression.Program {
	v := m.scalar("condition", "an expression (a string)")
	if v == nil {
		p.add(m.node, m.state, "a choice needs a condition")
		return nil
	}
	prog, err := expression.Compile(legacyExpr(v.Value))
	if err != nil {
		msg := err.Error()
		var ee *expression.Error
		if errors.As(err, &ee) {
			msg = ee.Msg
		}
		p.add(v, m.state, fmt.Sprintf("condition %q: %s", v.Value, msg))
	}
	return prog
}

// legacyExpr rewrites the legacy $ (the step's input) as $Input, outside
// string literals.
func legacyExpr(src string) string {
	var b strings.Builder
	var quote byte
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case quote != 0:
			if c == quote && src[i-1] != '\\' {
				quote = 0
			}
		case c == '"' || c == '\'' || c == '`':
			quote = c
		case c == '$' && (i+1 == len(src) || src[i+1] == '.' || src[i+1] == '[' || src[i+1] == ' ' || src[i+1] == ')'):
			b.WriteString("$Input")
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// lmap builds an object from mappings: each target gets its source, a
// constant or a reference into $input, $local or $context.
func (x *execution) lmap(ms []lmapping, input, local any, stepName string) map[string]any {
	out := make(map[string]any, len(ms))
	var cx map[string]any
	for _, m := range ms {
		if m.path == nil {
			out[m.target] = deepCopy(m.constant)
			continue
		}
		if cx == nil && m.path.root == "$context" {
			cx = map[string]any{"execution": map[string]any{"name": x.exec["Name"], "input": x.exec["Input"]}}
			if stepName != "" {
				cx["step"] = map[string]any{"name": stepName}
			}
		}
		out[m.target] = m.path.eval(input, local, cx)
	}
	return out
}

// eval reads the path; a key or index that is not there reads null.
func (lp *lpath) eval(input, local, cx any) any {
	var v any
	switch lp.root {
	case "$input", "$":
		v = input
	case "$local":
		v = local
	case "$context":
		v = cx
	}
	return walk(v, lp.segs)
}

func walk(v any, segs []lseg) any {
	for i, s := range segs {
		switch {
		case s.all:
			arr, ok := v.([]any)
			if !ok {
				return nil
			}
			out := make([]any, len(arr))
			for j, e := range arr {
				out[j] = walk(e, segs[i+1:])
			}
			return out
		case s.isIdx:
			arr, ok := v.([]any)
			if !ok || s.index >= len(arr) {
				return nil
			}
			v = arr[s.index]
		default:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[s.key]
		}
	}
	return v
}
