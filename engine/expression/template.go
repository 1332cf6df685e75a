package expression

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// exprSuffix marks a constructor key whose value is an expression.
const exprSuffix = ".$"

// Template is a compiled constructor (InputConstructor, OutputConstructor,
// Parameters, GlobalConstructor): a JSON value in which keys ending ".$"
// hold expressions. Safe for concurrent Eval.
type Template struct {
	root tnode
}

// tnode is one node of a compiled template. Exactly one of the fields
// describes it: an expression, an object, an array or a literal scalar.
type tnode struct {
	prog    *Program
	path    string   // key path of an expression, for runtime errors
	fields  []tfield // object, in sorted key order so evaluation is deterministic
	items   []tnode  // array
	isObj   bool
	isArr   bool
	literal any
}

type tfield struct {
	key  string // output key, without ".$"
	node tnode
}

// TemplateError locates a template compile error by key path, such as
// items[0].name.$.
type TemplateError struct {
	Path string
	Err  error
}

func (e *TemplateError) Error() string {
	return fmt.Sprintf("key %q: %v", e.Path, e.Err)
}

func (e *TemplateError) Unwrap() error { return e.Err }

// CompileTemplate compiles every ".$" value of v. Other values are
// literals: a string such as "$Input.x" under a plain key stays a string.
func CompileTemplate(v any) (*Template, error) {
	root, err := compileNode(normalize(v), "")
	if err != nil {
		return nil, err
	}
	return &Template{root: root}, nil
}

// UsesItem reports whether an expression of the template reads $Item.
func (t *Template) UsesItem() bool { return t.root.usesItem() }

func (n *tnode) usesItem() bool {
	if n.prog != nil {
		return n.prog.UsesItem()
	}
	for i := range n.fields {
		if n.fields[i].node.usesItem() {
			return true
		}
	}
	for i := range n.items {
		if n.items[i].usesItem() {
			return true
		}
	}
	return false
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func compileNode(v any, path string) (tnode, error) {
	switch x := v.(type) {
	case map[string]any:
		n := tnode{isObj: true, fields: make([]tfield, 0, len(x))}
		owner := make(map[string]string, len(x)) // output key -> source key
		keys := sortedKeys(x)
		for _, k := range keys {
			kpath := joinPath(path, k)
			out, isExpr := strings.CutSuffix(k, exprSuffix)
			if isExpr && out == "" {
				return tnode{}, &TemplateError{Path: kpath, Err: fmt.Errorf("key %q has no name before %q", k, exprSuffix)}
			}
			if prev, dup := owner[out]; dup {
				return tnode{}, &TemplateError{Path: kpath, Err: fmt.Errorf("conflicts with key %q (both produce %q)", prev, out)}
			}
			owner[out] = k
			var child tnode
			if isExpr {
				src, ok := x[k].(string)
				if !ok {
					return tnode{}, &TemplateError{Path: kpath, Err: fmt.Errorf("value must be an expression string, got %s", typeName(x[k]))}
				}
				p, err := Compile(src)
				if err != nil {
					return tnode{}, &TemplateError{Path: kpath, Err: err}
				}
				child = tnode{prog: p, path: kpath}
			} else {
				var err error
				if child, err = compileNode(x[k], kpath); err != nil {
					return tnode{}, err
				}
			}
			n.fields = append(n.fields, tfield{key: out, node: child})
		}
		return n, nil
	case []any:
		n := tnode{isArr: true, items: make([]tnode, len(x))}
		for i, e := range x {
			child, err := compileNode(e, path+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return tnode{}, err
			}
			n.items[i] = child
		}
		return n, nil
	case nil, string, bool, json.Number, float64:
		return tnode{literal: x}, nil
	}
	return tnode{}, &TemplateError{Path: path, Err: fmt.Errorf("unsupported value of type %T", v)}
}

// Eval builds a fresh value: objects and arrays are new on every call (so
// callers may modify them), expression results are as Program.Eval returns
// them. A failing expression is reported as a *TemplateError with its path.
func (t *Template) Eval(env Env) (any, error) {
	return t.root.eval(env)
}

func (n *tnode) eval(env Env) (any, error) {
	switch {
	case n.prog != nil:
		v, err := n.prog.Eval(env)
		if err != nil {
			return nil, &TemplateError{Path: n.path, Err: err}
		}
		return v, nil
	case n.isObj:
		out := make(map[string]any, len(n.fields))
		for i := range n.fields {
			f := &n.fields[i]
			v, err := f.node.eval(env)
			if err != nil {
				return nil, err
			}
			out[f.key] = v
		}
		return out, nil
	case n.isArr:
		out := make([]any, len(n.items))
		for i := range n.items {
			v, err := n.items[i].eval(env)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	return n.literal, nil
}
